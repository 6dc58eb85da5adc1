package lifecycle

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// Reasons of the kubelet-owned pod conditions
// (pkg/kubelet/status/generate.go).
const (
	// UnknownContainerStatuses says that all container statuses are unknown.
	UnknownContainerStatuses = "UnknownContainerStatuses"
	// PodCompleted says that all related containers have succeeded.
	PodCompleted = "PodCompleted"
	// PodFailed says that the pod has failed and as such the containers have failed.
	PodFailed = "PodFailed"
	// ContainersNotReady says that one or more containers are not ready.
	ContainersNotReady = "ContainersNotReady"
	// ContainersNotInitialized says that one or more init containers have not succeeded.
	ContainersNotInitialized = "ContainersNotInitialized"
	// ReadinessGatesNotReady says that one or more pod readiness gates are not ready.
	ReadinessGatesNotReady = "ReadinessGatesNotReady"
)

// ReadyToStartContainersCondition is the PodReadyToStartContainers
// condition: True when the pod's sandbox exists and is ready, so no new
// sandbox is needed (the kubelet asks PodSandboxChanged); neither status has
// a reason. Generate it only when Rules.ReadyToStartContainersCondition.
//
// Follows pkg/kubelet/status/generate.go GeneratePodReadyToStartContainersCondition.
func ReadyToStartContainersCondition(sandboxReady bool) corev1.PodCondition {
	status := corev1.ConditionFalse
	if sandboxReady {
		status = corev1.ConditionTrue
	}
	return corev1.PodCondition{Type: corev1.PodReadyToStartContainers, Status: status}
}

// InitializedCondition is the Initialized condition: True once every init
// container is done — a regular one Ready (the kubelet marks an init
// container that exited 0 Ready), a sidecar Started.
//
// With r.SidecarContainers the kubelet passes init and regular statuses
// together, and a regular container that has run makes the pod Initialized
// whatever the init containers say now. Without, only the init statuses
// count (1.25).
//
// Follows pkg/kubelet/status/generate.go GeneratePodInitializedCondition.
func InitializedCondition(spec *corev1.PodSpec, initStatuses, statuses []corev1.ContainerStatus, phase corev1.PodPhase, r Rules) corev1.PodCondition {
	containerStatuses := initStatuses
	if r.SidecarContainers {
		containerStatuses = appendStatuses(initStatuses, statuses)
	}
	if containerStatuses == nil && len(spec.InitContainers) > 0 {
		return corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionFalse, Reason: UnknownContainerStatuses}
	}

	unknown := []string{}
	incomplete := []string{}
	for i := range spec.InitContainers {
		c := &spec.InitContainers[i]
		cs, ok := containerStatus(containerStatuses, c.Name)
		if !ok {
			unknown = append(unknown, c.Name)
			continue
		}
		if !r.initContainerInitialized(c, cs) {
			incomplete = append(incomplete, c.Name)
		}
	}

	// If all init containers are known and succeeded, just return PodCompleted.
	if phase == corev1.PodSucceeded && len(unknown) == 0 {
		return corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionTrue, Reason: PodCompleted}
	}

	// pkg/kubelet/status/generate.go: a regular container that has started means the pod initialized before.
	if r.SidecarContainers && hasAnyRegularContainerStarted(spec, containerStatuses) {
		return corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionTrue}
	}

	var messages []string
	if len(unknown) > 0 {
		messages = append(messages, "containers with unknown status: "+bracketed(unknown))
	}
	if len(incomplete) > 0 {
		messages = append(messages, "containers with incomplete status: "+bracketed(incomplete))
	}
	if len(messages) > 0 {
		return corev1.PodCondition{
			Type:    corev1.PodInitialized,
			Status:  corev1.ConditionFalse,
			Reason:  ContainersNotInitialized,
			Message: strings.Join(messages, ", "),
		}
	}
	return corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionTrue}
}

// ContainersReadyCondition is the ContainersReady condition: True when every
// regular container — and, with r.SidecarContainers, every sidecar (listed
// first) — is Ready. A Succeeded pod whose containers are all known gets
// False/PodCompleted, a Failed pod False/PodFailed.
//
// Follows pkg/kubelet/status/generate.go GenerateContainersReadyCondition.
func ContainersReadyCondition(spec *corev1.PodSpec, initStatuses, statuses []corev1.ContainerStatus, phase corev1.PodPhase, r Rules) corev1.PodCondition {
	containerStatuses := statuses
	if r.SidecarContainers {
		containerStatuses = appendStatuses(initStatuses, statuses)
	}
	if containerStatuses == nil {
		return corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionFalse, Reason: UnknownContainerStatuses}
	}

	unknown := []string{}
	unready := []string{}
	check := func(c *corev1.Container) {
		cs, ok := containerStatus(containerStatuses, c.Name)
		switch {
		case !ok:
			unknown = append(unknown, c.Name)
		case !cs.Ready:
			unready = append(unready, c.Name)
		}
	}
	for i := range spec.InitContainers {
		if r.isSidecar(&spec.InitContainers[i]) {
			check(&spec.InitContainers[i])
		}
	}
	for i := range spec.Containers {
		check(&spec.Containers[i])
	}

	// If all containers are known and succeeded, just return PodCompleted.
	if phase == corev1.PodSucceeded && len(unknown) == 0 {
		return corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionFalse, Reason: PodCompleted}
	}
	// If the pod phase is failed, explicitly set the ready condition to false
	// for containers since they may be in progress of terminating.
	if phase == corev1.PodFailed {
		return corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionFalse, Reason: PodFailed}
	}

	var messages []string
	if len(unknown) > 0 {
		messages = append(messages, "containers with unknown status: "+bracketed(unknown))
	}
	if len(unready) > 0 {
		messages = append(messages, "containers with unready status: "+bracketed(unready))
	}
	if len(messages) > 0 {
		return corev1.PodCondition{
			Type:    corev1.ContainersReady,
			Status:  corev1.ConditionFalse,
			Reason:  ContainersNotReady,
			Message: strings.Join(messages, ", "),
		}
	}
	return corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionTrue}
}

// ReadyCondition is the pod's Ready condition: ContainersReady's status,
// reason and message while that is not True; otherwise True only if the
// first condition in conditions of each readiness gate's type is True
// (else False/ReadinessGatesNotReady, naming each unmet gate).
//
// Follows pkg/kubelet/status/generate.go GeneratePodReadyCondition.
func ReadyCondition(spec *corev1.PodSpec, conditions []corev1.PodCondition, initStatuses, statuses []corev1.ContainerStatus, phase corev1.PodPhase, r Rules) corev1.PodCondition {
	return ReadyConditionOf(ContainersReadyCondition(spec, initStatuses, statuses, phase, r), spec, conditions)
}

// ReadyConditionOf is ReadyCondition given the ContainersReady condition
// ContainersReadyCondition returns for the same arguments, for a caller
// that needs both (generateAPIPodStatus) and so works it out once.
func ReadyConditionOf(containersReady corev1.PodCondition, spec *corev1.PodSpec, conditions []corev1.PodCondition) corev1.PodCondition {
	// If the status of ContainersReady is not True, return the same status, reason and message as ContainersReady.
	if containersReady.Status != corev1.ConditionTrue {
		return corev1.PodCondition{
			Type:    corev1.PodReady,
			Status:  containersReady.Status,
			Reason:  containersReady.Reason,
			Message: containersReady.Message,
		}
	}

	var messages []string
	for _, gate := range spec.ReadinessGates {
		c := firstCondition(conditions, gate.ConditionType)
		switch {
		case c == nil:
			messages = append(messages, fmt.Sprintf("corresponding condition of pod readiness gate %q does not exist.", string(gate.ConditionType)))
		case c.Status != corev1.ConditionTrue:
			messages = append(messages, fmt.Sprintf("the status of pod readiness gate %q is not \"True\", but %v", string(gate.ConditionType), c.Status))
		}
	}
	if len(messages) > 0 {
		return corev1.PodCondition{
			Type:    corev1.PodReady,
			Status:  corev1.ConditionFalse,
			Reason:  ReadinessGatesNotReady,
			Message: strings.Join(messages, ", "),
		}
	}
	return corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionTrue}
}

// initContainerInitialized follows pkg/kubelet/status/generate.go
// isInitContainerInitialized: a sidecar must have started, a regular init
// container must be Ready.
func (r Rules) initContainerInitialized(c *corev1.Container, cs *corev1.ContainerStatus) bool {
	if r.isSidecar(c) {
		return cs.Started != nil && *cs.Started
	}
	return cs.Ready
}

// appendStatuses is generateAPIPodStatus's append(s.InitContainerStatuses,
// s.ContainerStatuses...) without touching the caller's backing array: nil
// exactly when that append would be nil.
func appendStatuses(initStatuses, statuses []corev1.ContainerStatus) []corev1.ContainerStatus {
	if len(statuses) == 0 {
		return initStatuses
	}
	if len(initStatuses) == 0 {
		return statuses // the same list, not nil: read, never written
	}
	out := make([]corev1.ContainerStatus, 0, len(initStatuses)+len(statuses))
	return append(append(out, initStatuses...), statuses...)
}

// bracketed is fmt's %s of a list of names, "[a b]", without fmt.
func bracketed(names []string) string { return "[" + strings.Join(names, " ") + "]" }

// firstCondition follows pkg/api/v1/pod/util.go GetPodConditionFromList.
func firstCondition(conditions []corev1.PodCondition, t corev1.PodConditionType) *corev1.PodCondition {
	for i := range conditions {
		if conditions[i].Type == t {
			return &conditions[i]
		}
	}
	return nil
}
