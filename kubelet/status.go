package kubelet

import (
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/lifecycle"
)

// Waiting reasons of containers the runtime has not started
// (kubelet_pods.go).
const (
	reasonContainerCreating = "ContainerCreating"
	reasonPodInitializing   = "PodInitializing"
)

// generateAPIPodStatus builds the pod status from the runtime snapshot
// (pkg/kubelet/kubelet_pods.go generateAPIPodStatus): container statuses,
// the phase (which never leaves Succeeded or Failed), the probe manager's
// started and ready, conditions the kubelet does not own kept as they are,
// then the kubelet's own conditions in its order.
func (k *Kubelet) generateAPIPodStatus(kp *kpod, snap *podSnapshot, podIsTerminal bool) corev1.PodStatus {
	pod := kp.pod
	rules := k.prof.Lifecycle
	old := pod.Status
	if kp.status.cached != nil {
		old = *kp.status.cached
	}
	var s corev1.PodStatus
	if ip := snap.ip(); ip != "" {
		s.PodIP = ip
		s.PodIPs = []corev1.PodIP{{IP: ip}}
	}
	s.QOSClass = pod.Status.QOSClass
	hasInit := len(pod.Spec.InitContainers) > 0
	s.ContainerStatuses = k.convertContainerStatuses(kp, snap, old.ContainerStatuses, pod.Spec.Containers, hasInit, false)
	s.InitContainerStatuses = k.convertContainerStatuses(kp, snap, old.InitContainerStatuses, pod.Spec.InitContainers, hasInit, true)
	s.Phase = lifecycle.PodPhase(&pod.Spec, s.InitContainerStatuses, s.ContainerStatuses, podIsTerminal, podHasInitialized(pod, snap), rules)
	if !podutil.IsTerminal(s.Phase) {
		switch {
		case podutil.IsTerminal(old.Phase):
			s.Phase = old.Phase
		case podutil.IsTerminal(pod.Status.Phase):
			s.Phase = pod.Status.Phase
		}
	}
	if s.Phase == old.Phase {
		s.Reason, s.Message = old.Reason, old.Message
		if s.Reason == "" {
			s.Reason = pod.Status.Reason
		}
		if s.Message == "" {
			s.Message = pod.Status.Message
		}
	}
	// kubelet_pods.go generateAPIPodStatus: the PodSyncHandlers (the active
	// deadline handler) may override the phase, reason and message.
	k.shouldEvictForDeadline(kp, &s)
	if podutil.IsTerminal(pod.Status.Phase) && s.Phase != pod.Status.Phase {
		s.Phase = pod.Status.Phase
	}
	k.probeUpdatePodStatus(kp, &s)
	// The list is made once at the size it can reach (the others'
	// conditions, DisruptionTarget, ReadyToStartContainers and four more),
	// not grown.
	n := 4
	for i := range pod.Status.Conditions {
		if !podutil.KubeletOwnsCondition(pod.Status.Conditions[i].Type) {
			n++
		}
	}
	if k.prof.Eviction.DisruptionTarget {
		n++
	}
	if rules.ReadyToStartContainersCondition {
		n++
	}
	s.Conditions = make([]corev1.PodCondition, 0, n)
	for _, c := range pod.Status.Conditions {
		if !podutil.KubeletOwnsCondition(c.Type) {
			s.Conditions = append(s.Conditions, c)
		}
	}
	// kubelet_pods.go generateAPIPodStatus: the DisruptionTarget an
	// eviction set is copied from the status manager's status, not
	// regenerated (PodDisruptionConditions).
	if k.prof.Eviction.DisruptionTarget {
		if c := podutil.FindCondition(old.Conditions, corev1.DisruptionTarget); c != nil {
			s.Conditions = replaceOrAppendCondition(s.Conditions, *c)
		}
	}
	if rules.ReadyToStartContainersCondition {
		ready := len(snap.sandboxes) > 0 && snap.sandboxes[0].ready && snap.sandboxes[0].ip != ""
		s.Conditions = append(s.Conditions, lifecycle.ReadyToStartContainersCondition(ready))
	}
	containersReady := lifecycle.ContainersReadyCondition(&pod.Spec, s.InitContainerStatuses, s.ContainerStatuses, s.Phase, rules)
	s.Conditions = append(s.Conditions,
		lifecycle.InitializedCondition(&pod.Spec, s.InitContainerStatuses, s.ContainerStatuses, s.Phase, rules),
		lifecycle.ReadyConditionOf(containersReady, &pod.Spec, s.Conditions), // ReadyCondition, ContainersReady worked out once
		containersReady,
		corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionTrue},
	)
	if ip := k.hostIP(); ip != "" {
		s.HostIP = ip
		s.HostIPs = []corev1.HostIP{{IP: ip}}
	}
	s.StartTime = old.StartTime
	if k.prof.ObservedGeneration {
		// podutil CalculatePodStatusObservedGeneration and
		// CalculatePodConditionObservedGeneration with
		// PodObservedGenerationTracking on: the generation the kubelet saw,
		// on the status and on every condition it owns.
		s.ObservedGeneration = pod.Generation
		for i := range s.Conditions {
			if podutil.KubeletOwnsCondition(s.Conditions[i].Type) {
				s.Conditions[i].ObservedGeneration = pod.Generation
			}
		}
	}
	return s
}

// hostIP is the node's InternalIP, as the kubelet's getHostIPsAnyWay
// finds it (kubelet_getters.go getNodeAnyWay): from the node object, or,
// once the object is gone (kubectl delete node), from the node the kubelet
// builds of itself (initialNode), whose addresses are the same — so a
// pod's hostIP does not go away with the node object.
func (k *Kubelet) hostIP() string {
	if ip := nodeInternalIP(k.api.Node(k.name)); ip != "" {
		k.nodeIP = ip
	}
	return k.nodeIP
}

// podHasInitialized: a regular container has been created in the current
// sandbox (kuberuntime_manager.go hasAnyRegularContainerCreated, as newer
// getPhase takes it).
func podHasInitialized(p *corev1.Pod, snap *podSnapshot) bool {
	for i := range p.Spec.Containers {
		c := &p.Spec.Containers[i] // not a copy of the whole Container
		if snap.newest(c.Name) != nil {
			return true
		}
	}
	return false
}

// convertContainerStatuses is convertToAPIContainerStatuses: default
// waiting statuses, then the newest two runtime instances of each container
// (state and lastState), then Waiting with the reason of a failed start for
// containers that will be restarted. Statuses of regular containers are
// sorted by name; init containers keep their spec order.
func (k *Kubelet) convertContainerStatuses(kp *kpod, snap *podSnapshot, previous []corev1.ContainerStatus, specs []corev1.Container, hasInit, isInit bool) []corev1.ContainerStatus {
	if len(specs) == 0 {
		return nil
	}
	pod := kp.pod
	// Upstream keys the statuses by container name in maps; a pod has a
	// few containers, so each is found by a scan of the spec and kept at
	// its index (names are unique within a pod, validation).
	// The statuses are worked out in place in the list returned (spec
	// order, sorted at the end), one allocation for them all.
	statuses := make([]corev1.ContainerStatus, len(specs))
	var seenBuf [4]int
	seen := seenBuf[:0]
	if len(specs) > len(seenBuf) {
		seen = make([]int, 0, len(specs))
	}
	seen = seen[:len(specs)]
	oldByName := func(name string) (corev1.ContainerStatus, bool) {
		for i := len(previous) - 1; i >= 0; i-- { // the last of a name, as a map filled in order keeps
			if previous[i].Name == name {
				return previous[i], true
			}
		}
		return corev1.ContainerStatus{}, false
	}
	index := func(name string) int {
		for i := range specs {
			if specs[i].Name == name {
				return i
			}
		}
		return -1
	}
	defaultState := corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reasonContainerCreating}}
	if hasInit {
		defaultState = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reasonPodInitializing}}
	}
	for i := range specs {
		c := &specs[i]
		st := corev1.ContainerStatus{Name: c.Name, Image: c.Image, State: defaultState}
		if old, ok := oldByName(c.Name); ok {
			if old.State.Terminated != nil {
				st = old
			} else {
				st.RestartCount = old.RestartCount
				st.LastTerminationState = old.LastTerminationState
			}
		}
		statuses[i] = st
	}
	// A container that was running and is no longer known to the runtime
	// did terminate, though nobody saw how.
	for i := range specs {
		c := &specs[i]
		if snap.newest(c.Name) != nil {
			continue
		}
		old, ok := oldByName(c.Name)
		if !ok || old.State.Terminated != nil || old.State.Running == nil {
			continue
		}
		st := &statuses[i]
		if st.State.Waiting == nil || st.State.Waiting.Reason != defaultState.Waiting.Reason || st.LastTerminationState.Terminated != nil {
			continue
		}
		st.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{
			Reason: "ContainerStatusUnknown", ExitCode: 137,
			Message: "The container could not be located when the pod was deleted.  The container used to be Running",
		}
		if pod.DeletionTimestamp == nil {
			st.RestartCount++
		}
	}
	for j := range snap.containers {
		cs := &snap.containers[j]
		i := index(cs.name)
		if i < 0 || seen[i] >= 2 {
			continue
		}
		conv := k.convertContainerStatus(cs)
		if seen[i] == 0 {
			statuses[i] = conv
		} else {
			statuses[i].LastTerminationState = conv.State
		}
		seen[i]++
	}
	// The last sync's start failures (none, mostly: then nothing to look up).
	for i := range specs {
		if len(k.reasons) == 0 {
			break
		}
		c := &specs[i]
		if isInit {
			if cs := snap.newest(c.Name); cs != nil && cs.state == lifecycle.StateExited && cs.exitCode == 0 {
				continue
			}
		}
		if !shouldRestart(pod, snap, c.Name) {
			continue
		}
		reason, ok := k.reasons[reasonKey(kp, c.Name)]
		if !ok {
			continue
		}
		st := &statuses[i]
		if st.State.Terminated != nil {
			st.LastTerminationState = st.State
		}
		st.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason.err.Error(), Message: reason.message}}
	}
	if !isInit {
		slices.SortFunc(statuses, func(a, b corev1.ContainerStatus) int { return strings.Compare(a.Name, b.Name) })
	}
	return statuses
}

// convertContainerStatus turns one runtime instance into an API status.
func (k *Kubelet) convertContainerStatus(cs *containerStatus) corev1.ContainerStatus {
	st := corev1.ContainerStatus{
		Name: cs.name, RestartCount: cs.restartCount, Image: cs.image, ImageID: cs.imageID,
		ContainerID: cs.statusID,
	}
	switch cs.state {
	case lifecycle.StateRunning:
		st.State.Running = &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(k.wall(cs.startedAt))}
	case lifecycle.StateCreated:
		st.State.Waiting = &corev1.ContainerStateWaiting{}
	case lifecycle.StateExited:
		st.State.Terminated = &corev1.ContainerStateTerminated{
			ExitCode: int32(cs.exitCode), Reason: cs.reason, Message: cs.message,
			StartedAt: metav1.NewTime(k.wall(cs.startedAt)), FinishedAt: metav1.NewTime(k.wall(cs.finishedAt)),
			ContainerID: cs.statusID,
		}
	default:
		st.State.Waiting = &corev1.ContainerStateWaiting{}
	}
	return st
}
