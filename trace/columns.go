package trace

import (
	corev1 "k8s.io/api/core/v1"
)

// jsonContainer is one container of a Pod record, flat so that
// pandas.json_normalize makes it a row: what kubectl describe shows under
// State, Last State, Ready and Restart Count, as values.
type jsonContainer struct {
	Name string `json:"name"`
	// Init is true for an init container (sidecars included).
	Init bool `json:"init"`
	// State is "waiting", "running" or "terminated", or "<none>" before the
	// kubelet has reported the container.
	State string `json:"state"`
	// Reason is the waiting or terminated reason: ContainerCreating,
	// CrashLoopBackOff, Error, Completed, OOMKilled, …
	Reason string `json:"reason,omitempty"`
	// ExitCode is the exit code of a terminated container.
	ExitCode *int32 `json:"exit_code,omitempty"`
	// LastExitCode is the exit code of the container's previous instance
	// (lastState.terminated), kept while it waits in CrashLoopBackOff.
	LastExitCode *int32 `json:"last_exit_code,omitempty"`
	Ready        bool   `json:"ready"`
	RestartCount int32  `json:"restart_count"`
}

// Container states of jsonContainer.State.
const (
	stateWaiting    = "waiting"
	stateRunning    = "running"
	stateTerminated = "terminated"
	stateNone       = "<none>"
)

// containerColumns lists the pod's init containers, then its containers,
// in the order of the spec, each with its status if the kubelet has
// reported one. Every container of the spec is listed, so a pod's records
// all have the same containers.
func containerColumns(pod *corev1.Pod) []jsonContainer {
	out := make([]jsonContainer, 0, len(pod.Spec.InitContainers)+len(pod.Spec.Containers))
	for _, c := range pod.Spec.InitContainers {
		out = append(out, containerColumn(c.Name, true, findStatus(pod.Status.InitContainerStatuses, c.Name)))
	}
	for _, c := range pod.Spec.Containers {
		out = append(out, containerColumn(c.Name, false, findStatus(pod.Status.ContainerStatuses, c.Name)))
	}
	return out
}

func containerColumn(name string, init bool, st *corev1.ContainerStatus) jsonContainer {
	c := jsonContainer{Name: name, Init: init, State: stateNone}
	if st == nil {
		return c
	}
	c.Ready, c.RestartCount = st.Ready, st.RestartCount
	switch s := st.State; {
	case s.Waiting != nil:
		c.State, c.Reason = stateWaiting, s.Waiting.Reason
	case s.Running != nil:
		c.State = stateRunning
	case s.Terminated != nil:
		code := s.Terminated.ExitCode
		c.State, c.Reason, c.ExitCode = stateTerminated, s.Terminated.Reason, &code
	}
	if last := st.LastTerminationState.Terminated; last != nil {
		code := last.ExitCode
		c.LastExitCode = &code
	}
	return c
}

func findStatus(statuses []corev1.ContainerStatus, name string) *corev1.ContainerStatus {
	for i := range statuses {
		if statuses[i].Name == name {
			return &statuses[i]
		}
	}
	return nil
}

// podReady reports whether the pod's Ready condition is True.
func podReady(pod *corev1.Pod) bool {
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
