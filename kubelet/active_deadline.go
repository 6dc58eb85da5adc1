package kubelet

import (
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
)

// The active deadline handler's reason and message (pkg/kubelet/active_deadline.go).
const (
	deadlineExceededReason  = "DeadlineExceeded"
	deadlineExceededMessage = "Pod was active on the node longer than the specified deadline"
)

// pastActiveDeadline is activeDeadlineHandler.pastActiveDeadline: the pod
// has spec.activeDeadlineSeconds and has been active at least that long,
// counted from the start time the status manager holds (to the second, as
// it stores it) on the node's clock.
func (k *Kubelet) pastActiveDeadline(kp *kpod) bool {
	ads := kp.pod.Spec.ActiveDeadlineSeconds
	if ads == nil {
		return false
	}
	start := kp.pod.Status.StartTime
	if kp.status.cached != nil {
		start = kp.status.cached.StartTime
	}
	if start == nil || start.IsZero() {
		return false
	}
	allowed := time.Duration(*ads) * time.Second
	if *ads > int64(time.Duration(1<<63-1)/time.Second) {
		return false // longer than the clock can count: never reached
	}
	return k.wall(k.eng.Now()).Sub(start.Time) >= allowed
}

// activeDeadlineAt is the virtual time from which pastActiveDeadline holds
// for the pod (Forever if never), or known false while the pod has no
// start time: wall(t) - start >= allowed exactly when t >= start - wall(0)
// + allowed.
func (k *Kubelet) activeDeadlineAt(kp *kpod) (at time.Duration, known bool) {
	ads := kp.pod.Spec.ActiveDeadlineSeconds
	if ads == nil {
		return engine.Forever, true
	}
	start := kp.pod.Status.StartTime
	if kp.status.cached != nil {
		start = kp.status.cached.StartTime
	}
	if start == nil || start.IsZero() {
		return 0, false
	}
	if *ads > int64(time.Duration(1<<63-1)/time.Second) {
		return engine.Forever, true
	}
	return engine.Add(start.Time.Sub(k.wall(0)), time.Duration(*ads)*time.Second), true
}

// shouldEvictForDeadline is activeDeadlineHandler.ShouldEvict, one of the
// kubelet's PodSyncHandlers that generateAPIPodStatus asks: past the
// deadline, the pod's phase becomes Failed with the handler's reason and
// message, and every time it is asked the handler records the event (the
// recorder folds the repeats into one event with a count).
func (k *Kubelet) shouldEvictForDeadline(kp *kpod, s *corev1.PodStatus) {
	if !k.pastActiveDeadline(kp) {
		return
	}
	k.event(podutil.PodRef(kp.pod, ""), corev1.EventTypeNormal, deadlineExceededReason, deadlineExceededMessage)
	s.Phase, s.Reason, s.Message = corev1.PodFailed, deadlineExceededReason, deadlineExceededMessage
}

// syncPastDeadline is the sync loop's PodSyncLoopHandler for active
// deadlines (kubelet.go getPodsToSync asks ShouldSync of every pod on each
// 1 s tick): a pod past its deadline is synced, so that its status turns
// Failed and its worker kills it. A pod already terminating is left alone:
// the worker ignores syncs from then on.
func (k *Kubelet) syncPastDeadline() {
	if !k.deadlinePods {
		return
	}
	for _, kp := range k.order {
		if kp.pod.Spec.ActiveDeadlineSeconds == nil || kp.removed || kp.w.terminating || kp.w.rejected {
			continue
		}
		if k.pastActiveDeadline(kp) {
			k.handlePodSyncs(kp, "past its active deadline")
		}
	}
}
