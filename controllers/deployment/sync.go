package deployment

import (
	"fmt"
	"slices"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/internal/controllerutil"
)

// allReplicaSets is getAllReplicaSetsAndSyncRevision: the new set (nil
// when it does not exist and create is false) and every old one.
func (c *Controller) allReplicaSets(d *appsv1.Deployment, rsList []*appsv1.ReplicaSet, create bool) (*appsv1.ReplicaSet, []*appsv1.ReplicaSet, error) {
	old := findOldReplicaSets(d, rsList)
	newRS, err := c.getNewReplicaSet(d, rsList, old, create)
	if err != nil {
		return nil, nil, err
	}
	return newRS, old, nil
}

// getNewReplicaSet finds the set of the current template and brings its
// annotations and minReadySeconds up to date, or creates it: named
// <deployment>-<pod-template-hash>, its template and selector labelled
// with the hash, sized by newRSNewReplicas (sync.go getNewReplicaSet).
func (c *Controller) getNewReplicaSet(d *appsv1.Deployment, rsList, old []*appsv1.ReplicaSet, create bool) (*appsv1.ReplicaSet, error) {
	existing := findNewReplicaSet(d, rsList)
	newRevision := strconv.FormatInt(maxRevision(old)+1, 10)
	if existing != nil {
		rsCopy := existing.DeepCopy()
		annotationsUpdated := setNewReplicaSetAnnotations(d, rsCopy, newRevision, true)
		if annotationsUpdated || rsCopy.Spec.MinReadySeconds != d.Spec.MinReadySeconds {
			ann, minReady := rsCopy.Annotations, d.Spec.MinReadySeconds
			_, err := c.api.UpdateWorkload(ReplicaSetKind, keyOf(rsCopy), rsCopy.UID, Actor, "revision "+rsCopy.Annotations[RevisionAnnotation], func(o runtime.Object) {
				r := o.(*appsv1.ReplicaSet)
				r.Annotations = copyMap(ann)
				r.Spec.MinReadySeconds = minReady
			})
			if cur := c.replicaSet(keyOf(rsCopy)); cur != nil {
				return cur, err
			}
			return rsCopy, err
		}
		needsUpdate := setDeploymentRevision(d, rsCopy.Annotations[RevisionAnnotation])
		if hasProgressDeadline(d) && getCondition(d.Status, appsv1.DeploymentProgressing) == nil {
			setCondition(&d.Status, newCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, FoundNewRSReason,
				fmt.Sprintf("Found new replica set %q", rsCopy.Name), c.now()))
			needsUpdate = true
		}
		if needsUpdate {
			if err := c.updateStatus(d, "found new replica set "+rsCopy.Name); err != nil {
				return nil, err
			}
		}
		return rsCopy, nil
	}
	if !create {
		return nil, nil
	}
	template := *d.Spec.Template.DeepCopy()
	hash := controllerutil.ComputeHash(&template, d.Status.CollisionCount)
	template.Labels = withLabel(d.Spec.Template.Labels, appsv1.DefaultDeploymentUniqueLabelKey, hash)
	selector := d.Spec.Selector.DeepCopy()
	selector.MatchLabels = withLabel(selector.MatchLabels, appsv1.DefaultDeploymentUniqueLabelKey, hash)
	newRS := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{
			// "Make the name deterministic, to ensure idempotence."
			Name:            d.Name + "-" + hash,
			Namespace:       d.Namespace,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(d, controllerKind)},
			Labels:          template.Labels,
		},
		Spec: appsv1.ReplicaSetSpec{Replicas: new(int32), MinReadySeconds: d.Spec.MinReadySeconds, Selector: selector, Template: template},
	}
	n := newRSNewReplicas(d, append(slices.Clone(old), newRS), newRS)
	*newRS.Spec.Replicas = n
	setNewReplicaSetAnnotations(d, newRS, newRevision, false)
	key := keyOf(newRS)
	if other := c.replicaSet(key); other != nil {
		// AlreadyExists: the set is ours if we control it and its template
		// is ours; else the hash collided and collisionCount goes up.
		if o := metav1.GetControllerOf(other); o != nil && o.UID == d.UID && equalIgnoreHash(&d.Spec.Template, &other.Spec.Template) {
			return other, nil
		}
		if d.Status.CollisionCount == nil {
			d.Status.CollisionCount = new(int32)
		}
		*d.Status.CollisionCount++
		_ = c.updateStatus(d, "hash collision")
		return nil, fmt.Errorf("replicasets.apps %q already exists", newRS.Name)
	}
	if err := c.api.CreateWorkload(newRS, Actor, "new replica set of Deployment "+d.Name); err != nil {
		msg := fmt.Sprintf("Failed to create new replica set %q: %v", newRS.Name, err)
		if hasProgressDeadline(d) {
			setCondition(&d.Status, newCondition(appsv1.DeploymentProgressing, corev1.ConditionFalse, FailedRSCreateReason, msg, c.now()))
			_ = c.updateStatus(d, "failed to create replica set")
		}
		c.events.Event(ref(d), corev1.EventTypeWarning, FailedRSCreateReason, msg)
		return nil, err
	}
	c.owners[key] = keyOf(d)
	created := c.replicaSet(key)
	if n > 0 {
		c.events.Event(ref(d), corev1.EventTypeNormal, "ScalingReplicaSet", fmt.Sprintf("Scaled up replica set %s to %d", created.Name, n))
	}
	needsUpdate := setDeploymentRevision(d, newRevision)
	if hasProgressDeadline(d) {
		setCondition(&d.Status, newCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, NewReplicaSetReason,
			fmt.Sprintf("Created new replica set %q", created.Name), c.now()))
		needsUpdate = true
	}
	if needsUpdate {
		if err := c.updateStatus(d, "created replica set "+created.Name); err != nil {
			return created, err
		}
	}
	return created, nil
}

// withLabel is a copy of the labels with one more (CloneAndAddLabel).
func withLabel(l map[string]string, k, v string) map[string]string {
	out := copyMap(l)
	if out == nil {
		out = map[string]string{}
	}
	out[k] = v
	return out
}

// syncScale is sync: a resize of the Deployment spread over its sets.
func (c *Controller) syncScale(d *appsv1.Deployment, rsList []*appsv1.ReplicaSet) error {
	newRS, old, err := c.allReplicaSets(d, rsList, false)
	if err != nil {
		return err
	}
	if err := c.scale(d, newRS, old); err != nil {
		return err
	}
	newRS, old, err = c.refresh(newRS, old)
	if err != nil {
		return err
	}
	return c.syncDeploymentStatus(append(old, newRS), newRS, d)
}

// refresh rereads the sets after writes, as the informer would show them
// on the next sync (the real controller goes on with the objects its
// updates returned).
func (c *Controller) refresh(newRS *appsv1.ReplicaSet, old []*appsv1.ReplicaSet) (*appsv1.ReplicaSet, []*appsv1.ReplicaSet, error) {
	get := func(rs *appsv1.ReplicaSet) *appsv1.ReplicaSet {
		if rs == nil {
			return nil
		}
		if cur := c.replicaSet(keyOf(rs)); cur != nil && cur.UID == rs.UID {
			return cur
		}
		return rs
	}
	out := make([]*appsv1.ReplicaSet, len(old))
	for i, rs := range old {
		out[i] = get(rs)
	}
	return get(newRS), out, nil
}

// scale resizes proportionally (sync.go scale).
func (c *Controller) scale(d *appsv1.Deployment, newRS *appsv1.ReplicaSet, old []*appsv1.ReplicaSet) error {
	if one := findActiveOrLatest(newRS, old); one != nil {
		if replicasOf(one) == *d.Spec.Replicas {
			return nil
		}
		_, _, err := c.scaleReplicaSetAndRecordEvent(one, *d.Spec.Replicas, d)
		return err
	}
	if isSaturated(d, newRS) {
		for _, o := range filterActive(old) {
			if _, _, err := c.scaleReplicaSetAndRecordEvent(o, 0, d); err != nil {
				return err
			}
		}
		return nil
	}
	if !isRollingUpdate(d) {
		return nil
	}
	all := filterActive(append(slices.Clone(old), newRS))
	total := specReplicas(all)
	var allowed int32
	if *d.Spec.Replicas > 0 {
		allowed = *d.Spec.Replicas + MaxSurge(d)
	}
	toAdd := allowed - total
	op := ""
	switch {
	case toAdd > 0:
		// ReplicaSetsBySizeNewer: larger first, newer first among equals.
		slices.SortStableFunc(all, func(a, b *appsv1.ReplicaSet) int {
			if replicasOf(a) == replicasOf(b) {
				return byCreation(b, a)
			}
			return int(replicasOf(b) - replicasOf(a))
		})
		op = "up"
	case toAdd < 0:
		// ReplicaSetsBySizeOlder: larger first, older first among equals.
		slices.SortStableFunc(all, func(a, b *appsv1.ReplicaSet) int {
			if replicasOf(a) == replicasOf(b) {
				return byCreation(a, b)
			}
			return int(replicasOf(b) - replicasOf(a))
		})
		op = "down"
	}
	var added int32
	size := map[types.UID]int32{}
	for _, rs := range all {
		if toAdd != 0 {
			p := proportion(rs, d, toAdd, added)
			size[rs.UID] = replicasOf(rs) + p
			added += p
		} else {
			size[rs.UID] = replicasOf(rs)
		}
	}
	for i, rs := range all {
		if i == 0 && toAdd != 0 {
			size[rs.UID] = max(size[rs.UID]+toAdd-added, 0)
		}
		if _, _, err := c.scaleReplicaSet(rs, size[rs.UID], d, op); err != nil {
			return err
		}
	}
	return nil
}

// scaleReplicaSetAndRecordEvent (sync.go).
func (c *Controller) scaleReplicaSetAndRecordEvent(rs *appsv1.ReplicaSet, newScale int32, d *appsv1.Deployment) (bool, *appsv1.ReplicaSet, error) {
	if replicasOf(rs) == newScale {
		return false, rs, nil
	}
	op := "down"
	if replicasOf(rs) < newScale {
		op = "up"
	}
	return c.scaleReplicaSet(rs, newScale, d, op)
}

// scaleReplicaSet writes the new size and the replicas annotations, and
// records ScalingReplicaSet for a resize (sync.go scaleReplicaSet).
func (c *Controller) scaleReplicaSet(rs *appsv1.ReplicaSet, newScale int32, d *appsv1.Deployment, op string) (bool, *appsv1.ReplicaSet, error) {
	sizeNeedsUpdate := replicasOf(rs) != newScale
	maxReplicas := *d.Spec.Replicas + MaxSurge(d)
	if !sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, *d.Spec.Replicas, maxReplicas) {
		return false, rs, nil
	}
	oldScale := replicasOf(rs)
	desired := *d.Spec.Replicas
	_, err := c.api.UpdateWorkload(ReplicaSetKind, keyOf(rs), rs.UID, Actor, fmt.Sprintf("scaled %s to %d", op, newScale), func(o runtime.Object) {
		r := o.(*appsv1.ReplicaSet)
		r.Spec.Replicas = &newScale
		setReplicasAnnotations(r, desired, maxReplicas)
	})
	cur := c.replicaSet(keyOf(rs))
	if cur == nil {
		cur = rs
	}
	if err != nil || !sizeNeedsUpdate {
		return false, cur, err
	}
	msg := fmt.Sprintf("Scaled %s replica set %s to %d", op, rs.Name, newScale)
	if c.prof.Workloads.ScalingEventFrom {
		// deployment/sync.go scaleReplicaSet (1.26): the old size too.
		msg += fmt.Sprintf(" from %d", oldScale)
	}
	c.events.Event(ref(d), corev1.EventTypeNormal, "ScalingReplicaSet", msg)
	return true, cur, nil
}

// cleanupDeployment deletes the oldest empty sets beyond
// revisionHistoryLimit (sync.go cleanupDeployment).
func (c *Controller) cleanupDeployment(old []*appsv1.ReplicaSet, d *appsv1.Deployment) {
	if d.Spec.RevisionHistoryLimit == nil {
		return
	}
	var alive []*appsv1.ReplicaSet
	for _, rs := range old {
		if rs != nil && rs.DeletionTimestamp == nil {
			alive = append(alive, rs)
		}
	}
	diff := int32(len(alive)) - *d.Spec.RevisionHistoryLimit
	if diff <= 0 {
		return
	}
	// ReplicaSetsByRevision: lowest revision first, then by creation.
	slices.SortStableFunc(alive, func(a, b *appsv1.ReplicaSet) int {
		if ra, rb := revisionOf(a), revisionOf(b); ra != rb {
			return int(ra - rb)
		}
		return byCreation(a, b)
	})
	for _, rs := range alive[:diff] {
		if rs.Status.Replicas != 0 || replicasOf(rs) != 0 || rs.Generation > rs.Status.ObservedGeneration {
			continue
		}
		c.api.DeleteWorkload(ReplicaSetKind, keyOf(rs), rs.UID, Actor, "revision history limit")
	}
}

// syncDeploymentStatus writes the status calculateStatus gives, if it
// changed (sync.go syncDeploymentStatus).
func (c *Controller) syncDeploymentStatus(all []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet, d *appsv1.Deployment) error {
	st := c.calculateStatus(all, newRS, d)
	if statusEqual(d.Status, st) {
		return nil
	}
	d.Status = st
	return c.updateStatus(d, statusCause(st))
}

func statusCause(st appsv1.DeploymentStatus) string {
	return fmt.Sprintf("%d replicas, %d updated, %d ready, %d available", st.Replicas, st.UpdatedReplicas, st.ReadyReplicas, st.AvailableReplicas)
}

// calculateStatus counts the sets' pods and sets the Available condition
// (sync.go calculateStatus).
func (c *Controller) calculateStatus(all []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet, d *appsv1.Deployment) appsv1.DeploymentStatus {
	available := sumStatus(all, statusAvailable)
	unavailable := max(specReplicas(all)-available, 0)
	st := appsv1.DeploymentStatus{
		ObservedGeneration:  d.Generation,
		Replicas:            sumStatus(all, statusReplicas),
		UpdatedReplicas:     sumStatus([]*appsv1.ReplicaSet{newRS}, statusReplicas),
		ReadyReplicas:       sumStatus(all, statusReady),
		AvailableReplicas:   available,
		UnavailableReplicas: unavailable,
		CollisionCount:      d.Status.CollisionCount,
	}
	st.Conditions = append(st.Conditions, d.Status.Conditions...)
	if available >= *d.Spec.Replicas-MaxUnavailable(d) {
		setCondition(&st, newCondition(appsv1.DeploymentAvailable, corev1.ConditionTrue, MinimumReplicasAvailable, "Deployment has minimum availability.", c.now()))
	} else {
		setCondition(&st, newCondition(appsv1.DeploymentAvailable, corev1.ConditionFalse, MinimumReplicasUnavail, "Deployment does not have minimum availability.", c.now()))
	}
	return st
}
