package lifecycle

import (
	corev1 "k8s.io/api/core/v1"
)

// PodPhase is the kubelet's getPhase. initStatuses and statuses are the API
// container statuses (as generateAPIPodStatus passes them).
//
// podIsTerminal says the pod worker has decided the pod is terminal
// (deleted, evicted, past its deadline, …); it is ignored unless
// r.PodIsTerminalPhase. getPhase never applies it to static pods, so the
// caller must pass false for them.
//
// podHasInitialized says a regular container has started in the current
// sandbox (HasAnyActiveRegularContainerStarted); it is ignored unless
// r.PodHasInitializedArg, and older versions derive it from the API
// statuses instead (HasAnyRegularContainerStarted).
//
// Without r.SidecarContainers, an init container with restartPolicy Always
// is an ordinary init container, as it was in 1.25.
//
// Follows pkg/kubelet/kubelet_pods.go getPhase.
func PodPhase(spec *corev1.PodSpec, initStatuses, statuses []corev1.ContainerStatus, podIsTerminal, podHasInitialized bool, r Rules) corev1.PodPhase {
	// pkg/kubelet/kubelet_pods.go generateAPIPodStatus: regular statuses first, then init.
	info := statuses // read, never written: no copy when there is nothing to append
	if len(initStatuses) > 0 || statuses == nil {
		info = make([]corev1.ContainerStatus, 0, len(statuses)+len(initStatuses))
		info = append(append(info, statuses...), initStatuses...)
	}
	if !r.PodIsTerminalPhase {
		podIsTerminal = false
	}
	if !r.PodHasInitializedArg {
		podHasInitialized = hasAnyRegularContainerStarted(spec, info)
	}

	pendingRegularInit, pendingSidecars, failedInit := 0, 0, 0
	// regular init containers
	for i := range spec.InitContainers {
		c := &spec.InitContainers[i]
		if r.isSidecar(c) {
			continue
		}
		cs, ok := containerStatus(info, c.Name)
		if !ok {
			pendingRegularInit++
			continue
		}
		switch {
		case cs.State.Running != nil:
			pendingRegularInit++
		case cs.State.Terminated != nil:
			if cs.State.Terminated.ExitCode != 0 {
				failedInit++
			}
		case cs.State.Waiting != nil:
			if last := cs.LastTerminationState.Terminated; last != nil {
				if last.ExitCode != 0 {
					failedInit++
				}
			} else {
				pendingRegularInit++
			}
		default:
			pendingRegularInit++
		}
	}

	unknown, running, waiting, stopped, succeeded := 0, 0, 0, 0, 0
	// restartable init containers (sidecars)
	for i := range spec.InitContainers {
		c := &spec.InitContainers[i]
		if !r.isSidecar(c) {
			continue
		}
		cs, ok := containerStatus(info, c.Name)
		if !ok {
			unknown++
			continue
		}
		switch {
		case cs.State.Running != nil:
			if cs.Started == nil || !*cs.Started {
				pendingSidecars++
			}
			running++
		case cs.State.Terminated != nil:
			// terminated sidecars do not count towards the phase
		case cs.State.Waiting != nil:
			if cs.LastTerminationState.Terminated == nil {
				pendingSidecars++
				waiting++
			}
		default:
			pendingSidecars++
			unknown++
		}
	}

	for i := range spec.Containers {
		cs, ok := containerStatus(info, spec.Containers[i].Name)
		if !ok {
			unknown++
			continue
		}
		switch {
		case cs.State.Running != nil:
			running++
		case cs.State.Terminated != nil:
			stopped++
			if cs.State.Terminated.ExitCode == 0 {
				succeeded++
			}
		case cs.State.Waiting != nil:
			if cs.LastTerminationState.Terminated != nil {
				stopped++
			} else {
				waiting++
			}
		default:
			unknown++
		}
	}

	if failedInit > 0 && spec.RestartPolicy == corev1.RestartPolicyNever {
		return corev1.PodFailed
	}

	initPending := pendingSidecars > 0 && !podHasInitialized
	if r.PhaseInitPendingYieldsToStarted {
		initPending = pendingRegularInit+pendingSidecars > 0 && !podHasInitialized
	} else if pendingRegularInit > 0 {
		initPending = true
	}

	switch {
	case initPending, waiting > 0:
		// One or more containers has not been started
		return corev1.PodPending
	case running > 0 && unknown == 0:
		// All containers have been started, and at least one container is running
		return corev1.PodRunning
	case running == 0 && stopped > 0 && unknown == 0:
		// The pod is terminal so its containers won't be restarted regardless
		// of the restart policy.
		if podIsTerminal {
			if stopped == succeeded {
				return corev1.PodSucceeded
			}
			return corev1.PodFailed
		}
		// All containers are terminated
		if spec.RestartPolicy == corev1.RestartPolicyAlways {
			// All containers are in the process of restarting
			return corev1.PodRunning
		}
		if stopped == succeeded {
			// RestartPolicy is not Always, and all containers are terminated in success
			return corev1.PodSucceeded
		}
		if spec.RestartPolicy == corev1.RestartPolicyNever {
			// RestartPolicy is Never, and all containers are terminated with at least one in failure
			return corev1.PodFailed
		}
		// RestartPolicy is OnFailure, and at least one in failure and in the
		// process of restarting
		return corev1.PodRunning
	default:
		return corev1.PodPending
	}
}

// isSidecar follows pkg/api/v1/pod/util.go IsRestartableInitContainer, and
// is false for every container when the version has no sidecars. c may be
// nil (printPod looks statuses up by name and may find no spec).
func (r Rules) isSidecar(c *corev1.Container) bool {
	return r.SidecarContainers && c != nil && c.RestartPolicy != nil &&
		*c.RestartPolicy == corev1.ContainerRestartPolicyAlways
}

// containerStatus follows pkg/api/v1/pod/util.go GetContainerStatus: the
// first status with the name.
func containerStatus(statuses []corev1.ContainerStatus, name string) (*corev1.ContainerStatus, bool) {
	for i := range statuses {
		if statuses[i].Name == name {
			return &statuses[i], true
		}
	}
	return nil, false
}

// hasAnyRegularContainerStarted follows pkg/kubelet/container/helpers.go
// HasAnyRegularContainerStarted: some regular container's status is
// Running or Terminated.
func hasAnyRegularContainerStarted(spec *corev1.PodSpec, statuses []corev1.ContainerStatus) bool {
	for i := range statuses {
		s := &statuses[i]
		if s.State.Running == nil && s.State.Terminated == nil {
			continue
		}
		for j := range spec.Containers {
			if spec.Containers[j].Name == s.Name {
				return true
			}
		}
	}
	return false
}
