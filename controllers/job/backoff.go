package job

import (
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/internal/podutil"
)

// DefaultJobPodFailureBackOff is the first back-off after a pod failure
// (job_controller.go DefaultJobPodFailureBackOff).
const DefaultJobPodFailureBackOff = 10 * time.Second

// backoffRecord is a Job's failures since its last success and when the
// last of them finished (backoff_utils.go backoffRecord).
type backoffRecord struct {
	failuresAfterLastSuccess int32
	lastFailureTime          *time.Time
}

// next is newBackoffRecord: the record after newly counted pods. A
// success resets it; failures after the last success add to it.
func (b backoffRecord) next(succeeded, failed []*corev1.Pod) backoffRecord {
	if len(succeeded) == 0 {
		if len(failed) == 0 {
			return b
		}
		last := lastFinishTime(failed)
		return backoffRecord{failuresAfterLastSuccess: b.failuresAfterLastSuccess + int32(len(failed)), lastFailureTime: &last}
	}
	out := backoffRecord{}
	if len(failed) == 0 {
		return out
	}
	lastSuccess := lastFinishTime(succeeded)
	sorted := slices.Clone(failed)
	slices.SortStableFunc(sorted, func(a, b *corev1.Pod) int { return finishedTime(a).Compare(finishedTime(b)) })
	for i := len(sorted) - 1; i >= 0; i-- {
		t := finishedTime(sorted[i])
		if !t.After(lastSuccess) {
			break
		}
		if out.lastFailureTime == nil {
			out.lastFailureTime = &t
		}
		out.failuresAfterLastSuccess++
	}
	return out
}

// remaining is how long pod creation must still wait at now
// (getRemainingTimeForFailuresCount): the back-off doubles from base with
// each failure, up to max, and runs from the last failure.
func (b backoffRecord) remaining(now time.Time, base, maxBackoff time.Duration) time.Duration {
	if b.failuresAfterLastSuccess == 0 || b.lastFailureTime == nil {
		return 0
	}
	d := base
	for i := 1; i < int(b.failuresAfterLastSuccess); i++ {
		d *= 2
		if d >= maxBackoff {
			d = maxBackoff
			break
		}
	}
	elapsed := now.Sub(*b.lastFailureTime)
	if d < elapsed {
		return 0
	}
	return d - elapsed
}

func lastFinishTime(pods []*corev1.Pod) time.Time {
	var t time.Time
	for _, p := range pods {
		if f := finishedTime(p); f.After(t) {
			t = f
		}
	}
	return t
}

// finishedTime is when a pod finished (backoff_utils.go getFinishedTime):
// its Ready condition's turn to False, else its containers' last finish,
// else its deletion, else its creation.
func finishedTime(p *corev1.Pod) time.Time {
	if c := podutil.FindCondition(p.Status.Conditions, corev1.PodReady); c != nil && c.Status == corev1.ConditionFalse && !c.LastTransitionTime.IsZero() {
		return c.LastTransitionTime.Time
	}
	var last time.Time
	all := true
	for _, cs := range p.Status.ContainerStatuses {
		if cs.State.Terminated == nil {
			all = false
			break
		}
		if t := cs.State.Terminated.FinishedAt.Time; t.After(last) {
			last = t
		}
	}
	if all && !last.IsZero() {
		return last
	}
	if p.DeletionTimestamp != nil {
		return p.DeletionTimestamp.Time
	}
	return p.CreationTimestamp.Time
}
