package job

import (
	"fmt"
	"slices"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/internal/podutil"
)

// newCondition is a True condition of now (job_controller.go newCondition).
func (c *Controller) newCondition(t batchv1.JobConditionType, reason, message string) *batchv1.JobCondition {
	now := c.stamp()
	return &batchv1.JobCondition{Type: t, Status: corev1.ConditionTrue, Reason: reason, Message: message, LastProbeTime: now, LastTransitionTime: now}
}

// newFailureCondition is Failed, or from 1.29 the interim FailureTarget.
func (c *Controller) newFailureCondition(reason, message string) *batchv1.JobCondition {
	t := batchv1.JobFailed
	if c.prof.Workloads.JobDelayTerminalCondition {
		t = batchv1.JobFailureTarget
	}
	return c.newCondition(t, reason, message)
}

// newSuccessCondition is Complete, or from 1.29 the interim
// SuccessCriteriaMet; from 1.31 with reason CompletionsReached.
func (c *Controller) newSuccessCondition() *batchv1.JobCondition {
	t := batchv1.JobComplete
	if c.prof.Workloads.JobDelayTerminalCondition {
		t = batchv1.JobSuccessCriteriaMet
	}
	if c.prof.Workloads.JobCompletionReason {
		return c.newCondition(t, batchv1.JobReasonCompletionsReached, "Reached expected number of succeeded pods")
	}
	return c.newCondition(t, "", "")
}

// trackStatus is trackJobStatusAndRemoveFinalizers: it counts the
// finished pods whose finalizer it removes, writes the interim condition
// first, then the terminal one once no pod is terminating, and the rest
// of the status.
func (c *Controller) trackStatus(jc *syncCtx) {
	j := jc.job
	key := jobKey(j)
	var release []*corev1.Pod
	if c.prof.Workloads.JobTrackingFinalizer {
		for _, p := range jc.pods {
			if !hasFinalizer(p) {
				continue
			}
			failed := isPodFailed(p, j)
			if j.DeletionTimestamp == nil && jc.finished == nil && p.Status.Phase != corev1.PodSucceeded && !failed {
				continue // canRemoveFinalizer
			}
			release = append(release, p)
			switch {
			case p.Status.Phase == corev1.PodSucceeded:
				j.Status.Succeeded++
			case failed || (jc.finished != nil && jc.finished.Type != batchv1.JobSuccessCriteriaMet):
				// "When the job is considered finished, every non-terminated
				// pod is considered failed."
				if _, count, _ := matchPodFailurePolicy(j.Spec.PodFailurePolicy, p); count {
					j.Status.Failed++
				}
			}
		}
	} else {
		j.Status.Succeeded += int32(len(jc.newSucc))
		j.Status.Failed += c.countedFailures(j, jc.newFailed)
	}
	if j.Status.UncountedTerminatedPods == nil && c.prof.Workloads.JobTrackingFinalizer {
		j.Status.UncountedTerminatedPods = &batchv1.UncountedTerminatedPods{}
	}
	interim := false
	if f := jc.finished; f != nil {
		switch f.Type {
		case batchv1.JobFailureTarget:
			j.Status.Conditions = append(j.Status.Conditions, *f)
			interim = true
			jc.finished = c.newCondition(batchv1.JobFailed, f.Reason, f.Message)
		case batchv1.JobSuccessCriteriaMet:
			if findCondition(j.Status.Conditions, batchv1.JobSuccessCriteriaMet) == nil {
				j.Status.Conditions = append(j.Status.Conditions, *f)
				interim = true
			}
			jc.finished = c.newCondition(batchv1.JobComplete, f.Reason, f.Message)
		}
	}
	stored, _ := c.api.Workload(Kind, types.NamespacedName{Namespace: j.Namespace, Name: j.Name}).(*batchv1.Job)
	if interim || len(release) > 0 {
		// flushUncountedAndRemoveFinalizers: the status first, then the
		// finalizers.
		c.writeStatus(j, "")
		c.backoff[key] = jc.backoff
		for _, p := range release {
			c.api.UpdatePod(podutil.KeyOf(p), p.UID, Actor, "counted by Job "+j.Name, func(q *corev1.Pod) {
				q.Finalizers = slices.DeleteFunc(q.Finalizers, func(f string) bool { return f == TrackingFinalizer })
				if len(q.Finalizers) == 0 {
					q.Finalizers = nil
				}
			})
		}
	} else if !c.prof.Workloads.JobTrackingFinalizer && (len(jc.newSucc)+len(jc.newFailed) > 0) {
		c.backoff[key] = jc.backoff
	}
	finished := c.enactFinished(jc)
	if stored != nil && apiequality.Semantic.DeepEqual(stored.Status, j.Status) {
		return
	}
	c.writeStatus(j, "")
	if finished {
		if f := jc.finished; f.Type == batchv1.JobComplete {
			if j.Spec.Completions != nil && j.Status.Succeeded > *j.Spec.Completions {
				c.events.Event(ref(j), corev1.EventTypeWarning, "TooManySucceededPods", "Too many succeeded pods running after completion count reached")
			}
			c.events.Event(ref(j), corev1.EventTypeNormal, "Completed", "Job completed")
		} else {
			c.events.Event(ref(j), corev1.EventTypeWarning, f.Reason, f.Message)
		}
	}
}

// enactFinished adds the Complete or Failed condition, unless a pod is
// still terminating from 1.29 (job_controller.go enactJobFinished).
func (c *Controller) enactFinished(jc *syncCtx) bool {
	f := jc.finished
	if f == nil {
		return false
	}
	if c.prof.Workloads.JobDelayTerminalCondition && jc.terminating != nil && *jc.terminating > 0 {
		return false
	}
	j := jc.job
	if cur := findCondition(j.Status.Conditions, f.Type); cur != nil {
		if cur.Status == f.Status {
			return true
		}
		*cur = *f
	} else {
		j.Status.Conditions = append(j.Status.Conditions, *f)
	}
	if f.Type == batchv1.JobComplete {
		t := f.LastTransitionTime
		j.Status.CompletionTime = &t
	}
	return true
}

// writeStatus is UpdateStatus.
func (c *Controller) writeStatus(j *batchv1.Job, cause string) {
	st := *j.Status.DeepCopy()
	if cause == "" {
		cause = fmt.Sprintf("%d active, %d succeeded, %d failed", st.Active, st.Succeeded, st.Failed)
	}
	_, _ = c.api.UpdateWorkload(Kind, types.NamespacedName{Namespace: j.Namespace, Name: j.Name}, j.UID, Actor, cause, func(o runtime.Object) {
		o.(*batchv1.Job).Status = st
	})
}
