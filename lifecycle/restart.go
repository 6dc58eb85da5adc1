package lifecycle

import (
	corev1 "k8s.io/api/core/v1"
)

// RuntimeState is a container's state as the container runtime reports it
// (pkg/kubelet/container/runtime.go ContainerState).
type RuntimeState uint8

const (
	StateCreated RuntimeState = iota
	StateRunning
	StateExited
	StateUnknown
)

func (s RuntimeState) String() string {
	switch s {
	case StateCreated:
		return "created"
	case StateRunning:
		return "running"
	case StateExited:
		return "exited"
	}
	return "unknown"
}

// ShouldContainerBeRestarted decides whether a container whose newest
// instance is in state (with exitCode, if exited) should be started again,
// following pkg/kubelet/container/helpers.go ShouldContainerBeRestarted:
// never for a pod being deleted; always when it never ran or its state is
// created or unknown; never while running; then by the pod's restart policy
// (Never: no; OnFailure: only after a non-zero exit; Always: yes).
func ShouldContainerBeRestarted(podDeleting, everRan bool, state RuntimeState, exitCode int, policy corev1.RestartPolicy) bool {
	if podDeleting {
		return false
	}
	if !everRan {
		return true
	}
	switch state {
	case StateRunning:
		return false
	case StateUnknown, StateCreated:
		return true
	}
	switch policy {
	case corev1.RestartPolicyNever:
		return false
	case corev1.RestartPolicyOnFailure:
		return exitCode != 0
	}
	return true
}

// Kill reasons of kuberuntime_manager.go (containerKillReason).
const (
	KillReasonStartupProbe        = "StartupProbe"
	KillReasonLivenessProbe       = "LivenessProbe"
	KillReasonFailedPostStartHook = "FailedPostStartHook"
	KillReasonUnknown             = "Unknown"
)

// MinimumGracePeriodSeconds is the shortest stop timeout the kubelet gives a
// container (kuberuntime_container.go minimumGracePeriodInSeconds).
const MinimumGracePeriodSeconds = 2

// DefaultTerminationGracePeriodSeconds is the API default of
// spec.terminationGracePeriodSeconds (pkg/apis/core/v1/defaults.go).
const DefaultTerminationGracePeriodSeconds = 30

// ContainerGracePeriod is the grace period killContainer starts from
// (kuberuntime_container.go setTerminationGracePeriod): the deletion grace
// period when the pod is being deleted; otherwise, for a kill caused by a
// liveness or startup probe, that probe's terminationGracePeriodSeconds if
// set; otherwise the pod's; otherwise 2.
func ContainerGracePeriod(pod *corev1.Pod, c *corev1.Container, reason string) int64 {
	if pod.DeletionGracePeriodSeconds != nil {
		return *pod.DeletionGracePeriodSeconds
	}
	if pod.Spec.TerminationGracePeriodSeconds == nil {
		return MinimumGracePeriodSeconds
	}
	var p *corev1.Probe
	switch reason {
	case KillReasonLivenessProbe:
		p = c.LivenessProbe
	case KillReasonStartupProbe:
		p = c.StartupProbe
	}
	if p != nil && p.TerminationGracePeriodSeconds != nil {
		return *p.TerminationGracePeriodSeconds
	}
	return *pod.Spec.TerminationGracePeriodSeconds
}
