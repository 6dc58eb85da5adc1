package replicaset

import (
	"fmt"
	"slices"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/internal/controllerutil"
	"github.com/podsim/podsim/internal/podutil"
)

// sync is syncReplicaSet.
func (c *Controller) sync(key string) error {
	k := splitKey(key)
	rs, _ := c.api.Workload(Kind, k).(*appsv1.ReplicaSet)
	if rs == nil {
		c.exp.Delete(key)
		return nil
	}
	now := c.eng.Now()
	needsSync := c.exp.Satisfied(key, now)
	sel, err := metav1.LabelSelectorAsSelector(rs.Spec.Selector)
	if err != nil {
		return nil // an invalid selector selects nothing; the API server refuses it
	}
	pods := controllerutil.FilterActivePods(c.namespacePods(rs.Namespace))
	pods = c.claimPods(rs, sel, pods)
	var manageErr error
	if needsSync && rs.DeletionTimestamp == nil {
		manageErr = c.manageReplicas(pods, rs)
	}
	status := c.calculateStatus(rs, pods, manageErr)
	updated := c.updateStatus(rs, status)
	// Resync after minReadySeconds "as a last line of defense to guard
	// against clock-skew".
	if manageErr == nil && updated.Spec.MinReadySeconds > 0 && updated.Status.ReadyReplicas == *updated.Spec.Replicas &&
		updated.Status.AvailableReplicas != *updated.Spec.Replicas {
		c.queue.AddAfter(key, time.Duration(updated.Spec.MinReadySeconds)*time.Second)
	}
	return manageErr
}

func splitKey(key string) types.NamespacedName {
	for i := 0; i < len(key); i++ {
		if key[i] == '/' {
			return types.NamespacedName{Namespace: key[:i], Name: key[i+1:]}
		}
	}
	return types.NamespacedName{Name: key}
}

// namespacePods lists the pods of a namespace in name order.
func (c *Controller) namespacePods(ns string) []*corev1.Pod {
	var out []*corev1.Pod
	c.api.EachPod(func(p *corev1.Pod) {
		if p.Namespace == ns {
			out = append(out, p)
		}
	})
	slices.SortFunc(out, func(a, b *corev1.Pod) int { return podutil.CompareKeys(podutil.KeyOf(a), podutil.KeyOf(b)) })
	return out
}

// claimPods adopts and releases pods (PodControllerRefManager.ClaimPods)
// and returns the ReplicaSet's pods.
func (c *Controller) claimPods(rs *appsv1.ReplicaSet, sel labels.Selector, pods []*corev1.Pod) []*corev1.Pod {
	var out []*corev1.Pod
	for _, p := range pods {
		switch controllerutil.ClaimPod(p, string(rs.UID), sel, rs.DeletionTimestamp != nil) {
		case controllerutil.Keep:
			out = append(out, p)
		case controllerutil.Adopt:
			ref := metav1.NewControllerRef(rs, controllerKind)
			if c.api.UpdatePod(podutil.KeyOf(p), p.UID, Actor, "adopted by ReplicaSet "+rs.Name, func(q *corev1.Pod) {
				q.OwnerReferences = append(q.OwnerReferences, *ref)
			}) {
				out = append(out, c.api.Pod(podutil.KeyOf(p)))
			}
		case controllerutil.Release:
			c.api.UpdatePod(podutil.KeyOf(p), p.UID, Actor, "released by ReplicaSet "+rs.Name, func(q *corev1.Pod) {
				q.OwnerReferences = controllerutil.RemoveOwner(q.OwnerReferences, string(rs.UID))
			})
		}
	}
	return out
}

// manageReplicas creates or deletes pods to reach spec.replicas.
func (c *Controller) manageReplicas(pods []*corev1.Pod, rs *appsv1.ReplicaSet) error {
	key := rsKey(rs)
	now := c.eng.Now()
	diff := len(pods) - int(*rs.Spec.Replicas)
	switch {
	case diff < 0:
		n := min(-diff, BurstReplicas)
		c.exp.ExpectCreations(key, n, now)
		ref := metav1.NewControllerRef(rs, controllerKind)
		done, err := controllerutil.SlowStartBatch(n, controllerutil.SlowStartInitialBatchSize, func() error {
			return c.createPod(rs, ref)
		})
		// Creations never attempted are not expected.
		for range n - done {
			c.exp.CreationObserved(key)
		}
		return err
	case diff > 0:
		n := min(diff, BurstReplicas)
		related := c.relatedPods(rs)
		victims := podsToDelete(pods, related, n, c.wall())
		keys := make([]string, len(victims))
		for i, p := range victims {
			keys[i] = controllerutil.PodKey(p)
		}
		c.exp.ExpectDeletions(key, keys, now)
		for _, p := range victims {
			if !c.api.DeletePod(podutil.KeyOf(p), "", nil, Actor, fmt.Sprintf("ReplicaSet %s scaled to %d", rs.Name, *rs.Spec.Replicas)) {
				c.exp.DeletionObserved(key, controllerutil.PodKey(p))
				continue
			}
			// controller_utils.go RealPodControl.DeletePod
			c.events.Event(ref(rs), corev1.EventTypeNormal, controllerutil.SuccessfulDeletePodReason, "Deleted pod: "+p.Name)
		}
	}
	return nil
}

// createPod is RealPodControl.CreatePods: the pod from the template, its
// events.
func (c *Controller) createPod(rs *appsv1.ReplicaSet, controllerRef *metav1.OwnerReference) error {
	pod := controllerutil.PodFromTemplate(&rs.Spec.Template, rs.Name, controllerRef)
	pod.Namespace = rs.Namespace
	if labels.Set(pod.Labels).AsSelectorPreValidated().Empty() {
		return fmt.Errorf("unable to create pods, no labels")
	}
	if err := c.api.CreatePod(pod, Actor, "created by ReplicaSet "+rs.Name); err != nil {
		c.events.Event(ref(rs), corev1.EventTypeWarning, controllerutil.FailedCreatePodReason, "Error creating: "+err.Error())
		return fmt.Errorf("unable to create pods: %w", err)
	}
	c.events.Event(ref(rs), corev1.EventTypeNormal, controllerutil.SuccessfulCreatePodReason, "Created pod: "+pod.Name)
	return nil
}

// relatedPods are the active pods of every ReplicaSet with the same
// controller as rs (getIndirectlyRelatedPods), or rs's own when it has none.
func (c *Controller) relatedPods(rs *appsv1.ReplicaSet) []*corev1.Pod {
	owner := metav1.GetControllerOf(rs)
	var sets []*appsv1.ReplicaSet
	if owner == nil {
		sets = []*appsv1.ReplicaSet{rs}
	} else {
		for _, k := range c.api.WorkloadKeys(Kind) {
			other, _ := c.api.Workload(Kind, k).(*appsv1.ReplicaSet)
			if other != nil && other.Namespace == rs.Namespace {
				if o := metav1.GetControllerOf(other); o != nil && o.UID == owner.UID {
					sets = append(sets, other)
				}
			}
		}
	}
	seen := map[types.UID]bool{}
	var out []*corev1.Pod
	all := c.namespacePods(rs.Namespace)
	for _, s := range sets {
		sel, err := metav1.LabelSelectorAsSelector(s.Spec.Selector)
		if err != nil {
			continue
		}
		for _, p := range all {
			if !seen[p.UID] && sel.Matches(labels.Set(p.Labels)) {
				seen[p.UID] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// podsToDelete chooses the n pods to delete (getPodsToDelete): all of them,
// or the first n as ActivePodsWithRanks orders them, ranked by how many
// related active pods share their node.
func podsToDelete(pods, related []*corev1.Pod, n int, now time.Time) []*corev1.Pod {
	if n >= len(pods) {
		return pods
	}
	onNode := map[string]int{}
	for _, p := range related {
		if controllerutil.IsPodActive(p) {
			onNode[p.Spec.NodeName]++
		}
	}
	ranked := make([]controllerutil.RankedPod, len(pods))
	for i, p := range pods {
		ranked[i] = controllerutil.RankedPod{Pod: p, Rank: onNode[p.Spec.NodeName]}
	}
	// sort.Sort is not stable; podsim sorts stably so that equal pods keep
	// their name order, run after run.
	slices.SortStableFunc(ranked, func(a, b controllerutil.RankedPod) int {
		switch {
		case controllerutil.RankedPodsLess(a, b, now):
			return -1
		case controllerutil.RankedPodsLess(b, a, now):
			return 1
		}
		return 0
	})
	out := make([]*corev1.Pod, n)
	for i := range out {
		out[i] = ranked[i].Pod
	}
	return out
}

func (c *Controller) wall() time.Time { return c.eng.Wall(c.eng.Now()) }

// calculateStatus is replica_set_utils.go calculateStatus: counted over the
// pods the sync listed, before it created or deleted any.
func (c *Controller) calculateStatus(rs *appsv1.ReplicaSet, pods []*corev1.Pod, manageErr error) appsv1.ReplicaSetStatus {
	st := *rs.Status.DeepCopy()
	template := labels.Set(rs.Spec.Template.Labels).AsSelectorPreValidated()
	var fully, ready, available int32
	for _, p := range pods {
		if template.Matches(labels.Set(p.Labels)) {
			fully++
		}
		if controllerutil.IsPodReady(p) {
			ready++
			if controllerutil.IsPodAvailable(p, rs.Spec.MinReadySeconds, c.wall()) {
				available++
			}
		}
	}
	failure := findCondition(st.Conditions, appsv1.ReplicaSetReplicaFailure)
	switch {
	case manageErr != nil && failure == nil:
		reason := ""
		if diff := len(pods) - int(*rs.Spec.Replicas); diff < 0 {
			reason = controllerutil.FailedCreatePodReason
		} else if diff > 0 {
			reason = controllerutil.FailedDeletePodReason
		}
		st.Conditions = append(st.Conditions, appsv1.ReplicaSetCondition{Type: appsv1.ReplicaSetReplicaFailure, Status: corev1.ConditionTrue,
			LastTransitionTime: metav1.NewTime(c.wall().Truncate(time.Second)), Reason: reason, Message: manageErr.Error()})
	case manageErr == nil && failure != nil:
		st.Conditions = slices.DeleteFunc(st.Conditions, func(c appsv1.ReplicaSetCondition) bool { return c.Type == appsv1.ReplicaSetReplicaFailure })
	}
	st.Replicas = int32(len(pods))
	st.FullyLabeledReplicas = fully
	st.ReadyReplicas = ready
	st.AvailableReplicas = available
	return st
}

func findCondition(conds []appsv1.ReplicaSetCondition, t appsv1.ReplicaSetConditionType) *appsv1.ReplicaSetCondition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}

// updateStatus is updateReplicaSetStatus: nothing when the counts, the
// observed generation and the conditions are already so.
func (c *Controller) updateStatus(rs *appsv1.ReplicaSet, st appsv1.ReplicaSetStatus) *appsv1.ReplicaSet {
	if rs.Status.Replicas == st.Replicas && rs.Status.FullyLabeledReplicas == st.FullyLabeledReplicas &&
		rs.Status.ReadyReplicas == st.ReadyReplicas && rs.Status.AvailableReplicas == st.AvailableReplicas &&
		rs.Generation == rs.Status.ObservedGeneration && apiequality.Semantic.DeepEqual(rs.Status.Conditions, st.Conditions) {
		return rs
	}
	st.ObservedGeneration = rs.Generation
	cause := fmt.Sprintf("%d of %d replicas, %d ready, %d available", st.Replicas, *rs.Spec.Replicas, st.ReadyReplicas, st.AvailableReplicas)
	key := types.NamespacedName{Namespace: rs.Namespace, Name: rs.Name}
	_, _ = c.api.UpdateWorkload(Kind, key, rs.UID, Actor, cause, func(o runtime.Object) {
		o.(*appsv1.ReplicaSet).Status = st
	})
	if cur, ok := c.api.Workload(Kind, key).(*appsv1.ReplicaSet); ok {
		return cur
	}
	return rs
}
