package job

import (
	"fmt"
	"slices"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/internal/controllerutil"
	"github.com/podsim/podsim/internal/podutil"
)

// syncCtx is what one sync learns (job_controller.go syncJobCtx).
type syncCtx struct {
	job         *batchv1.Job
	pods        []*corev1.Pod
	active      []*corev1.Pod
	ready       int32
	terminating *int32
	succeeded   int32
	failed      int32
	newSucc     []*corev1.Pod
	newFailed   []*corev1.Pod
	backoff     backoffRecord
	finished    *batchv1.JobCondition
}

func splitKey(key string) types.NamespacedName {
	for i := 0; i < len(key); i++ {
		if key[i] == '/' {
			return types.NamespacedName{Namespace: key[:i], Name: key[i+1:]}
		}
	}
	return types.NamespacedName{Name: key}
}

// isFinished: the Job has a Complete or Failed condition that is True
// (job/util IsJobFinished).
func isFinished(j *batchv1.Job) bool {
	for _, c := range j.Status.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

func findCondition(conds []batchv1.JobCondition, t batchv1.JobConditionType) *batchv1.JobCondition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}

// onlyReplaceFailedPods: a terminating pod is not replaced until it has
// failed (job_controller.go onlyReplaceFailedPods).
func onlyReplaceFailedPods(j *batchv1.Job) bool {
	if j.Spec.PodReplacementPolicy != nil && *j.Spec.PodReplacementPolicy == batchv1.Failed {
		return true
	}
	return j.Spec.PodFailurePolicy != nil
}

// isPodFailed: Failed, or being deleted when the Job replaces terminating
// pods (job_controller.go isPodFailed).
func isPodFailed(p *corev1.Pod, j *batchv1.Job) bool {
	if p.Status.Phase == corev1.PodFailed {
		return true
	}
	if onlyReplaceFailedPods(j) {
		return false
	}
	// "Count deleted Pods as failures to account for orphan Pods that never
	// have a chance to reach the Failed phase."
	return p.DeletionTimestamp != nil && p.Status.Phase != corev1.PodSucceeded
}

func hasFinalizer(p *corev1.Pod) bool { return slices.Contains(p.Finalizers, TrackingFinalizer) }

// sync is syncJob.
func (c *Controller) sync(key string) error {
	stored, _ := c.api.Workload(Kind, splitKey(key)).(*batchv1.Job)
	if stored == nil {
		c.exp.Delete(key)
		delete(c.backoff, key)
		return nil
	}
	if isFinished(stored) {
		delete(c.backoff, key)
		return nil
	}
	j := stored.DeepCopy()
	now := c.eng.Now()
	satisfied := c.exp.Satisfied(key, now)
	pods := c.claimPods(j)
	jc := &syncCtx{job: j, pods: pods, active: controllerutil.FilterActivePods(pods)}
	for _, p := range jc.active {
		if controllerutil.IsPodReady(p) {
			jc.ready++
		}
	}
	if c.prof.Workloads.JobDelayTerminalCondition {
		n := controllerutil.CountTerminatingPods(pods)
		jc.terminating = &n
	}
	active := int32(len(jc.active))
	c.newFinishedPods(jc)
	jc.succeeded = j.Status.Succeeded + int32(len(jc.newSucc))
	jc.failed = j.Status.Failed + c.countedFailures(j, jc.newFailed)
	if j.Status.StartTime == nil && !suspended(j) {
		t := c.stamp()
		j.Status.StartTime = &t
	}
	jc.backoff = c.backoff[key].next(jc.newSucc, jc.newFailed)

	if ft := findCondition(j.Status.Conditions, batchv1.JobFailureTarget); ft != nil && ft.Status == corev1.ConditionTrue {
		jc.finished = c.newCondition(batchv1.JobFailed, ft.Reason, ft.Message)
	} else if sc := findCondition(j.Status.Conditions, batchv1.JobSuccessCriteriaMet); sc != nil && sc.Status == corev1.ConditionTrue {
		jc.finished = sc.DeepCopy()
	} else if msg := failJobMessage(j, pods); msg != nil {
		// The interim FailureTarget records the message before the pods'
		// finalizers go.
		jc.finished = c.newCondition(batchv1.JobFailureTarget, batchv1.JobReasonPodFailurePolicy, *msg)
	}
	if jc.finished == nil {
		switch {
		case jc.failed > *j.Spec.BackoffLimit || pastBackoffLimitOnFailure(j, pods):
			jc.finished = c.newFailureCondition(batchv1.JobReasonBackoffLimitExceeded, "Job has reached the specified backoff limit")
		case c.pastActiveDeadline(j):
			jc.finished = c.newFailureCondition(batchv1.JobReasonDeadlineExceeded, "Job was active longer than specified deadline")
		case j.Spec.ActiveDeadlineSeconds != nil && !suspended(j):
			left := time.Duration(*j.Spec.ActiveDeadlineSeconds)*time.Second - c.wall().Sub(j.Status.StartTime.Time)
			c.queue.AddAfter(key, left)
		}
	}
	var manageErr error
	if jc.finished != nil && jc.finished.Type != batchv1.JobSuccessCriteriaMet {
		deletedReady, deleted := c.deleteActivePods(j, jc.active)
		if deleted != active || !satisfied {
			jc.finished = nil // pods or finalizers may remain
		}
		active -= deleted
		if jc.terminating != nil {
			*jc.terminating += deleted
		}
		jc.ready -= deletedReady
	} else if jc.finished == nil {
		if satisfied && j.DeletionTimestamp == nil {
			active, manageErr = c.manageJob(jc)
		}
		complete := false
		if j.Spec.Completions == nil {
			complete = jc.succeeded > 0 && active == 0
		} else {
			complete = jc.succeeded >= *j.Spec.Completions && active == 0
		}
		if complete {
			jc.finished = c.newSuccessCondition()
		}
	}
	j.Status.Active = active
	ready := jc.ready
	j.Status.Ready = &ready
	j.Status.Terminating = jc.terminating
	c.trackStatus(jc)
	return manageErr
}

func suspended(j *batchv1.Job) bool { return j.Spec.Suspend != nil && *j.Spec.Suspend }

// countedFailures are the new failures that count towards backoffLimit:
// all but those a podFailurePolicy Ignore rule matches.
func (c *Controller) countedFailures(j *batchv1.Job, failed []*corev1.Pod) int32 {
	n := int32(len(failed))
	if j.Spec.PodFailurePolicy != nil {
		for _, p := range failed {
			if _, count, _ := matchPodFailurePolicy(j.Spec.PodFailurePolicy, p); !count {
				n--
			}
		}
	}
	return n
}

// newFinishedPods are the finished pods not counted yet: those that still
// have the tracking finalizer, or without it (before 1.26) those the
// previous status did not count.
func (c *Controller) newFinishedPods(jc *syncCtx) {
	for _, p := range jc.pods {
		if c.prof.Workloads.JobTrackingFinalizer && !hasFinalizer(p) {
			continue
		}
		switch {
		case p.Status.Phase == corev1.PodSucceeded:
			jc.newSucc = append(jc.newSucc, p)
		case isPodFailed(p, jc.job):
			jc.newFailed = append(jc.newFailed, p)
		}
	}
	if !c.prof.Workloads.JobTrackingFinalizer {
		// Legacy tracking counts the pods of each phase that exist: the
		// new ones are those beyond the previous counts.
		jc.newSucc = jc.newSucc[min(int(jc.job.Status.Succeeded), len(jc.newSucc)):]
		jc.newFailed = jc.newFailed[min(int(jc.job.Status.Failed), len(jc.newFailed)):]
	}
}

// failJobMessage is the message of the first FailJob rule a failed pod
// matches (job_controller.go getFailJobMessage).
func failJobMessage(j *batchv1.Job, pods []*corev1.Pod) *string {
	if j.Spec.PodFailurePolicy == nil {
		return nil
	}
	for _, p := range pods {
		if isPodFailed(p, j) {
			if msg, _, _ := matchPodFailurePolicy(j.Spec.PodFailurePolicy, p); msg != nil {
				return msg
			}
		}
	}
	return nil
}

// pastBackoffLimitOnFailure: with restartPolicy OnFailure, the restarts
// of the running and pending pods' containers reach backoffLimit
// (job_controller.go pastBackoffLimitOnFailure).
func pastBackoffLimitOnFailure(j *batchv1.Job, pods []*corev1.Pod) bool {
	if j.Spec.Template.Spec.RestartPolicy != corev1.RestartPolicyOnFailure {
		return false
	}
	var n int32
	for _, p := range pods {
		if p.Status.Phase == corev1.PodRunning || p.Status.Phase == corev1.PodPending {
			for _, cs := range p.Status.InitContainerStatuses {
				n += cs.RestartCount
			}
			for _, cs := range p.Status.ContainerStatuses {
				n += cs.RestartCount
			}
		}
	}
	if *j.Spec.BackoffLimit == 0 {
		return n > 0
	}
	return n >= *j.Spec.BackoffLimit
}

// pastActiveDeadline: active for activeDeadlineSeconds since startTime.
func (c *Controller) pastActiveDeadline(j *batchv1.Job) bool {
	if j.Spec.ActiveDeadlineSeconds == nil || j.Status.StartTime == nil || suspended(j) {
		return false
	}
	return c.wall().Sub(j.Status.StartTime.Time) >= time.Duration(*j.Spec.ActiveDeadlineSeconds)*time.Second
}

// claimPods adopts and releases pods as ClaimPods does (an adopted pod
// gets the tracking finalizer) and returns the Job's pods, in name order.
func (c *Controller) claimPods(j *batchv1.Job) []*corev1.Pod {
	sel, err := metav1.LabelSelectorAsSelector(j.Spec.Selector)
	if err != nil {
		return nil
	}
	var all []*corev1.Pod
	c.api.EachPod(func(p *corev1.Pod) {
		if p.Namespace == j.Namespace {
			all = append(all, p)
		}
	})
	slices.SortFunc(all, func(a, b *corev1.Pod) int { return podutil.CompareKeys(podutil.KeyOf(a), podutil.KeyOf(b)) })
	var out []*corev1.Pod
	for _, p := range all {
		switch controllerutil.ClaimPod(p, string(j.UID), sel, j.DeletionTimestamp != nil) {
		case controllerutil.Keep:
			out = append(out, p)
		case controllerutil.Adopt:
			owner := metav1.NewControllerRef(j, controllerKind)
			tracking := c.prof.Workloads.JobTrackingFinalizer
			if c.api.UpdatePod(podutil.KeyOf(p), p.UID, Actor, "adopted by Job "+j.Name, func(q *corev1.Pod) {
				q.OwnerReferences = append(q.OwnerReferences, *owner)
				if tracking && !hasFinalizer(q) {
					q.Finalizers = append(q.Finalizers, TrackingFinalizer)
				}
			}) {
				out = append(out, c.api.Pod(podutil.KeyOf(p)))
			}
		case controllerutil.Release:
			c.api.UpdatePod(podutil.KeyOf(p), p.UID, Actor, "released by Job "+j.Name, func(q *corev1.Pod) {
				q.OwnerReferences = controllerutil.RemoveOwner(q.OwnerReferences, string(j.UID))
			})
		}
	}
	return out
}

// deleteActivePods deletes a finishing Job's active pods (their
// finalizers stay until they are counted) and returns how many of them
// were ready and how many were deleted.
func (c *Controller) deleteActivePods(j *batchv1.Job, pods []*corev1.Pod) (int32, int32) {
	var ready, deleted int32
	for _, p := range pods {
		if c.api.DeletePod(podutil.KeyOf(p), p.UID, nil, Actor, "Job "+j.Name+" finished") {
			c.events.Event(ref(j), corev1.EventTypeNormal, controllerutil.SuccessfulDeletePodReason, "Deleted pod: "+p.Name)
		}
		deleted++
		if controllerutil.IsPodReady(p) {
			ready++
		}
	}
	return ready, deleted
}

// manageJob keeps the number of active pods the Job wants, creating pods
// once its back-off has passed (job_controller.go manageJob for a
// NonIndexed Job). It returns the active pods.
func (c *Controller) manageJob(jc *syncCtx) (int32, error) {
	j := jc.job
	key := jobKey(j)
	active := int32(len(jc.active))
	if suspended(j) {
		_, deleted := c.deleteActivePods(j, jc.active)
		return active - deleted, nil
	}
	parallelism := *j.Spec.Parallelism
	var want int32
	if j.Spec.Completions == nil {
		want = parallelism
		if jc.succeeded > 0 {
			want = active
		}
	} else {
		want = max(min(*j.Spec.Completions-jc.succeeded, parallelism), 0)
	}
	if rm := active - want; rm > 0 {
		victims := slices.Clone(jc.active)
		slices.SortStableFunc(victims, func(a, b *corev1.Pod) int {
			switch {
			case controllerutil.ActivePodsLess(a, b):
				return -1
			case controllerutil.ActivePodsLess(b, a):
				return 1
			}
			return 0
		})
		victims = victims[:min(int(rm), MaxPodCreateDeletePerSync)]
		keys := make([]string, len(victims))
		for i, p := range victims {
			keys[i] = controllerutil.PodKey(p)
		}
		c.exp.ExpectDeletions(key, keys, c.eng.Now())
		_, deleted := c.deleteActivePods(j, victims)
		return active - deleted, nil
	}
	var terminating int32
	if onlyReplaceFailedPods(j) {
		terminating = controllerutil.CountTerminatingPods(jc.pods)
	}
	diff := want - terminating - active
	if diff <= 0 {
		return active, nil
	}
	if left := jc.backoff.remaining(c.wall(), DefaultJobPodFailureBackOff, c.prof.Workloads.JobMaxPodFailureBackOff); left > 0 {
		// enqueueSyncJobWithDelay: at least the batch period.
		c.queue.AddAfter(key, max(left, syncJobBatchPeriod))
		return active, nil
	}
	diff = min(diff, MaxPodCreateDeletePerSync)
	c.exp.ExpectCreations(key, int(diff), c.eng.Now())
	owner := metav1.NewControllerRef(j, controllerKind)
	done, err := controllerutil.SlowStartBatch(int(diff), controllerutil.SlowStartInitialBatchSize, func() error {
		return c.createPod(j, owner)
	})
	for range int(diff) - done {
		c.exp.CreationObserved(key)
	}
	return active + int32(done), err
}

// createPod makes a pod from the template, with the tracking finalizer.
func (c *Controller) createPod(j *batchv1.Job, owner *metav1.OwnerReference) error {
	pod := controllerutil.PodFromTemplate(&j.Spec.Template, j.Name, owner)
	pod.Namespace = j.Namespace
	if c.prof.Workloads.JobTrackingFinalizer && !hasFinalizer(pod) {
		pod.Finalizers = append(pod.Finalizers, TrackingFinalizer)
	}
	if labels.Set(pod.Labels).AsSelectorPreValidated().Empty() {
		return fmt.Errorf("unable to create pods, no labels")
	}
	if err := c.api.CreatePod(pod, Actor, "created by Job "+j.Name); err != nil {
		c.events.Event(ref(j), corev1.EventTypeWarning, controllerutil.FailedCreatePodReason, "Error creating: "+err.Error())
		return fmt.Errorf("unable to create pods: %w", err)
	}
	c.events.Event(ref(j), corev1.EventTypeNormal, controllerutil.SuccessfulCreatePodReason, "Created pod: "+pod.Name)
	return nil
}
