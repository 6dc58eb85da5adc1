package kubelet

import (
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/lifecycle"
)

// statusEntry is the status manager's cache for one pod
// (pkg/kubelet/status/status_manager.go versionedPodStatus).
type statusEntry struct {
	cached        *corev1.PodStatus
	version       int32 // 32 bits: the entry fits in 16 B (issue 10)
	podIsFinished bool
	batchDirty    bool // the next syncBatch would write it (status_batch.go)
}

// kubeletConditions are the conditions whose transition times the status
// manager keeps (status_manager.go updateStatusInternal).
var kubeletConditions = []corev1.PodConditionType{
	corev1.ContainersReady, corev1.PodReady, corev1.PodInitialized,
	corev1.PodReadyToStartContainers, corev1.PodScheduled, corev1.DisruptionTarget,
}

// setPodStatus is statusManager.SetPodStatus; a pod being deleted always
// gets a new status version.
func (k *Kubelet) setPodStatus(kp *kpod, s corev1.PodStatus, cause string) {
	k.updateStatusInternal(kp, s, kp.pod.DeletionTimestamp != nil, false, cause)
}

// updateStatusInternal stamps the conditions' transition times, keeps the
// start time, normalizes the status (timestamps to the second, statuses
// sorted) and, unless nothing the kubelet owns changed, caches it and
// writes it to the API server at once.
func (k *Kubelet) updateStatusInternal(kp *kpod, s corev1.PodStatus, force, podIsFinished bool, cause string) {
	old := kp.pod.Status
	if kp.status.cached != nil {
		old = *kp.status.cached
	}
	if kp.status.podIsFinished {
		podIsFinished = true
	}
	now := metav1.NewTime(k.wall(k.eng.Now()))
	for _, t := range kubeletConditions {
		cond := podutil.FindCondition(s.Conditions, t)
		if cond == nil {
			continue
		}
		cond.LastTransitionTime = now
		if prev := podutil.FindCondition(old.Conditions, t); prev != nil && prev.Status == cond.Status {
			cond.LastTransitionTime = prev.LastTransitionTime
		}
	}
	switch {
	case old.StartTime != nil && !old.StartTime.IsZero():
		s.StartTime = old.StartTime
	case s.StartTime == nil || s.StartTime.IsZero():
		s.StartTime = &now
	}
	normalizeStatus(kp.pod, &s)
	if kp.status.cached != nil && statusEqualByKubelet(kp.status.cached, &s) && !force {
		return
	}
	kp.status.cached = &s
	kp.status.version++
	k.statusBatchCheck(kp)
	k.podChanged(kp) // a parked probe reads the status
	kp.status.podIsFinished = podIsFinished
	k.syncStatus(kp, cause)
}

// normalizeStatus keeps timestamps to the second (metav1.Time.Rfc3339Copy)
// and sorts container statuses (status_manager.go normalizeStatus).
func normalizeStatus(p *corev1.Pod, s *corev1.PodStatus) {
	trunc := func(t *metav1.Time) {
		if t != nil && !t.IsZero() {
			*t = rfc3339Copy(*t)
		}
	}
	trunc(s.StartTime)
	for i := range s.Conditions {
		trunc(&s.Conditions[i].LastProbeTime)
		trunc(&s.Conditions[i].LastTransitionTime)
	}
	state := func(cs *corev1.ContainerState) {
		if cs.Running != nil {
			trunc(&cs.Running.StartedAt)
		}
		if cs.Terminated != nil {
			trunc(&cs.Terminated.StartedAt)
			trunc(&cs.Terminated.FinishedAt)
		}
	}
	for _, list := range [][]corev1.ContainerStatus{s.ContainerStatuses, s.InitContainerStatuses} {
		for i := range list {
			state(&list[i].State)
			state(&list[i].LastTerminationState)
		}
	}
	slices.SortFunc(s.ContainerStatuses, func(a, b corev1.ContainerStatus) int { return strings.Compare(a.Name, b.Name) })
}

// rfc3339Copy is metav1.Time.Rfc3339Copy, which writes the time out and
// parses it back, without doing so for the times podsim stamps: a UTC time
// of the years RFC 3339 can write parses back as itself with its fraction
// of a second and any monotonic reading dropped, which Truncate does. Any
// other time takes the round trip (its location could come back another).
func rfc3339Copy(t metav1.Time) metav1.Time {
	if y := t.Year(); t.Location() == time.UTC && y >= 1 && y <= 9999 {
		return metav1.Time{Time: t.Truncate(time.Second)}
	}
	return t.Rfc3339Copy()
}

// statusEqualByKubelet is isPodStatusByKubeletEqual: the kubelet's
// conditions compare by status, reason and message only; everything else
// must be equal.
func statusEqualByKubelet(old, cur *corev1.PodStatus) bool {
	for i := range cur.Conditions {
		c := &cur.Conditions[i]
		if !podutil.KubeletOwnsCondition(c.Type) {
			continue
		}
		oc := podutil.FindCondition(old.Conditions, c.Type)
		if oc == nil || oc.Status != c.Status || oc.Reason != c.Reason || oc.Message != c.Message {
			return false
		}
	}
	return podutil.PodStatusEqualButConditions(old, cur)
}

// syncStatus writes the cached status to the API server (status manager
// syncPod): merged with the conditions others own, a terminal phase held
// back while containers may still run, and — once the pod is deleted and
// done — the final delete with grace period 0.
func (k *Kubelet) syncStatus(kp *kpod, cause string) {
	a := k.api
	cur := a.Pod(kp.key)
	if cur == nil || cur.UID != kp.uid || kp.status.cached == nil {
		return
	}
	asCached := mergeIsCopy(&cur.Status, kp.status.cached)
	merged := mergePodStatus(cur.Status, *kp.status.cached, kp.w.couldHaveRunningContainers(), metav1.NewTime(k.wall(k.eng.Now())))
	actor := k.actor
	a.UpdatePodStatus(kp.key, kp.uid, actor, statusCause(cause, &cur.Status, &merged), merged)
	after := a.Pod(kp.key)
	if asCached && after != nil && after != cur && after.UID == kp.uid && podutil.PodStatusEqual(&after.Status, kp.status.cached) {
		// The API server stored the cached status as it is, in a new
		// version that no one changes: the cache shares it, so that a
		// pod keeps one PodStatus, not two (issue 10: 384 B).
		kp.status.cached = &after.Status
	}
	if after != nil && k.canBeDeleted(kp, after) {
		a.DeletePod(kp.key, kp.uid, ptr.To[int64](0), actor, "pod terminated: final delete")
	}
}

// statusCause adds to why a status was written what a reader wants to know
// of it: the reason a container now waits, such as the back-off in force.
func statusCause(cause string, old, cur *corev1.PodStatus) string {
	for _, list := range [][2][]corev1.ContainerStatus{{old.InitContainerStatuses, cur.InitContainerStatuses}, {old.ContainerStatuses, cur.ContainerStatuses}} {
		for _, cs := range list[1] {
			w := cs.State.Waiting
			if w == nil || w.Message == "" {
				continue
			}
			if prev := podutil.FindContainerStatus(list[0], cs.Name); prev != nil && prev.State.Waiting != nil && *prev.State.Waiting == *w {
				continue
			}
			cause += "; " + cs.Name + ": " + w.Reason + ": " + w.Message
		}
	}
	return cause
}

// mergePodStatus keeps the conditions the kubelet does not own from the
// API status, and holds back a move to a terminal phase while the pod
// worker could still have running containers (status_manager.go). The
// DisruptionTarget condition the kubelet shares with others goes out with
// the terminal phase, stamped now (status_manager.go mergePodStatus, its
// "shared by kubelet" conditions).
func mergePodStatus(apiStatus, s corev1.PodStatus, couldHaveRunning bool, now metav1.Time) corev1.PodStatus {
	toTerminal := podutil.IsTerminal(s.Phase) && !podutil.IsTerminal(apiStatus.Phase)
	if mergeIsCopy(&apiStatus, &s) {
		// The merge would copy the cached list as it is: the API status
		// shares it instead (neither is changed in place), so that a pod
		// does not keep two copies of its conditions (issue 10).
		return s
	}
	var conds []corev1.PodCondition
	for _, c := range apiStatus.Conditions {
		if !podutil.KubeletOwnsCondition(c.Type) {
			conds = append(conds, c)
		}
	}
	for _, c := range s.Conditions {
		switch {
		case podutil.KubeletOwnsCondition(c.Type):
			conds = append(conds, c)
		case c.Type == corev1.DisruptionTarget && toTerminal && !couldHaveRunning:
			if prev := podutil.FindCondition(apiStatus.Conditions, c.Type); prev == nil || prev.Status != c.Status {
				c.LastTransitionTime = now
			}
			conds = replaceOrAppendCondition(conds, c)
		}
	}
	s.Conditions = conds
	if toTerminal {
		if couldHaveRunning {
			s.Phase, s.Reason, s.Message = apiStatus.Phase, apiStatus.Reason, apiStatus.Message
		} else {
			for i := range s.Conditions {
				if t := s.Conditions[i].Type; t == corev1.PodReady || t == corev1.ContainersReady {
					s.Conditions[i].Status = corev1.ConditionFalse
				}
			}
		}
	}
	return s
}

// mergeIsCopy reports whether mergePodStatus returns the cached status s
// as it is: no move to a terminal phase, and only conditions the kubelet
// owns on either side.
func mergeIsCopy(apiStatus, s *corev1.PodStatus) bool {
	toTerminal := podutil.IsTerminal(s.Phase) && !podutil.IsTerminal(apiStatus.Phase)
	return !toTerminal && len(s.Conditions) > 0 && kubeletOwnsAll(apiStatus.Conditions) && kubeletOwnsAll(s.Conditions)
}

// canBeDeleted decides whether the kubelet may remove a deleted pod's API
// object: in 1.25 once the pod's resources are reclaimed (no container can
// run, volumes unmounted), since 1.27 once the API shows a terminal phase
// and TerminatePod has marked the pod finished (status_manager.go).
func (k *Kubelet) canBeDeleted(kp *kpod, apiPod *corev1.Pod) bool {
	if apiPod.DeletionTimestamp == nil {
		return false
	}
	if k.prof.TerminalPhaseOnTermination {
		return podutil.IsTerminal(apiPod.Status.Phase) && kp.status.podIsFinished
	}
	if kp.w.couldHaveRunningContainers() || !kp.w.volumesGone {
		return false
	}
	for _, cs := range kp.status.cached.ContainerStatuses {
		if cs.State.Running != nil {
			return false
		}
	}
	return true
}

// setContainerReadiness is statusManager.SetContainerReadiness: a readiness
// result changes the container's ready flag and the Ready and
// ContainersReady conditions at once, between syncs.
func (k *Kubelet) setContainerReadiness(kp *kpod, containerID string, ready bool, cause string) {
	k.setContainerFlag(kp, containerID, cause, func(cs *corev1.ContainerStatus) bool {
		if cs.Ready == ready {
			return false
		}
		cs.Ready = ready
		return true
	}, true)
}

// setContainerStartup is statusManager.SetContainerStartup.
func (k *Kubelet) setContainerStartup(kp *kpod, containerID string, started bool, cause string) {
	k.setContainerFlag(kp, containerID, cause, func(cs *corev1.ContainerStatus) bool {
		if cs.Started != nil && *cs.Started == started {
			return false
		}
		cs.Started = ptr.To(started)
		return true
	}, false)
}

func (k *Kubelet) setContainerFlag(kp *kpod, containerID, cause string, set func(*corev1.ContainerStatus) bool, conditions bool) {
	if kp.status.cached == nil {
		return // the pod has not synced yet
	}
	s := kp.status.cached.DeepCopy()
	var cs *corev1.ContainerStatus
	for _, list := range [][]corev1.ContainerStatus{s.ContainerStatuses, s.InitContainerStatuses} {
		for i := range list {
			if list[i].ContainerID == containerID {
				cs = &list[i]
			}
		}
	}
	if cs == nil || !set(cs) {
		return
	}
	if conditions {
		rules := k.prof.Lifecycle
		put := func(c corev1.PodCondition) {
			if prev := podutil.FindCondition(s.Conditions, c.Type); prev != nil {
				*prev = c
				return
			}
			s.Conditions = append(s.Conditions, c)
		}
		put(lifecycle.ReadyCondition(&kp.pod.Spec, s.Conditions, s.InitContainerStatuses, s.ContainerStatuses, s.Phase, rules))
		put(lifecycle.ContainersReadyCondition(&kp.pod.Spec, s.InitContainerStatuses, s.ContainerStatuses, s.Phase, rules))
	}
	k.updateStatusInternal(kp, *s, false, false, cause)
}

// terminatePod is statusManager.TerminatePod: containers without a
// terminated state are marked ContainerStatusUnknown, and since 1.27 a
// pod still Pending or Running is marked Failed and finished.
func (k *Kubelet) terminatePod(kp *kpod) {
	s := kp.pod.Status.DeepCopy()
	if kp.status.cached != nil {
		s = kp.status.cached.DeepCopy()
	}
	unknown := func(list []corev1.ContainerStatus) {
		for i := range list {
			if list[i].State.Terminated != nil {
				continue
			}
			list[i].State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				Reason: "ContainerStatusUnknown", ExitCode: 137,
				Message: "The container could not be located when the pod was terminated",
			}}
		}
	}
	if podHasInitialized(kp.pod, k.rt.snapshot(kp.uid)) {
		unknown(s.ContainerStatuses)
	}
	if k.prof.TerminalPhaseOnTermination && (s.Phase == corev1.PodPending || s.Phase == corev1.PodRunning) {
		s.Phase = corev1.PodFailed
	}
	k.updateStatusInternal(kp, *s, true, k.prof.TerminalPhaseOnTermination, "pod terminated")
}

// replaceOrAppendCondition replaces the condition of c's type, or appends
// c (pkg/api/v1/pod statusutil.ReplaceOrAppendPodCondition).
func kubeletOwnsAll(conds []corev1.PodCondition) bool {
	for i := range conds {
		if !podutil.KubeletOwnsCondition(conds[i].Type) {
			return false
		}
	}
	return true
}

func replaceOrAppendCondition(conds []corev1.PodCondition, c corev1.PodCondition) []corev1.PodCondition {
	for i := range conds {
		if conds[i].Type == c.Type {
			conds[i] = c
			return conds
		}
	}
	return append(conds, c)
}
