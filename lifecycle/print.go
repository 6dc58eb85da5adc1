package lifecycle

import (
	"fmt"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/duration"
)

// NodeLostReason is the pod status reason that makes a deleted pod print as
// Unknown (pkg/util/node/node.go NodeUnreachablePodReason).
const NodeLostReason = "NodeLost"

// Row is one line of `kubectl get pods` (with the -o wide columns).
type Row struct {
	Name, Ready, Status, Restarts, Age      string
	IP, Node, NominatedNode, ReadinessGates string // -o wide
}

// PrintPod renders pod as kubectl's printPod does at time now (AGE and
// "(X ago)" use k8s.io/apimachinery/pkg/util/duration.HumanDuration of now
// minus the timestamp; a zero timestamp prints <unknown>). The row
// conditions kubectl attaches to Succeeded and Failed pods are not part of
// Row.
//
// Follows pkg/printers/internalversion/printers.go printPod.
func PrintPod(pod *corev1.Pod, now time.Time, r Rules) Row {
	row, _ := PrintPodCounts(pod, now, r)
	return row
}

// Counts are the numbers behind a row's READY and RESTARTS columns, for
// readers that want numbers rather than "1/2" and "3 (40s ago)".
type Counts struct {
	// ReadyContainers and TotalContainers are READY's two numbers.
	ReadyContainers, TotalContainers int
	// Restarts is RESTARTS' number: the restarts kubectl counts, which
	// depend on the version's rules as the column does.
	Restarts int
}

// PrintPodCounts is PrintPod that also returns the numbers it printed.
func PrintPodCounts(pod *corev1.Pod, now time.Time, r Rules) (Row, Counts) {
	restarts := 0
	sidecarRestarts := 0
	totalContainers := len(pod.Spec.Containers)
	readyContainers := 0
	var lastRestartDate, lastSidecarRestartDate time.Time

	podPhase := pod.Status.Phase
	reason := string(podPhase)
	if pod.Status.Reason != "" {
		reason = pod.Status.Reason
	}

	// pkg/printers/internalversion/printers.go printPod: SchedulingGated (1.26)
	if r.SchedulingGated {
		for _, c := range pod.Status.Conditions {
			if c.Type == corev1.PodScheduled && c.Reason == corev1.PodReasonSchedulingGated {
				reason = corev1.PodReasonSchedulingGated
			}
		}
	}

	// The map is only looked up, never ranged over.
	initContainers := make(map[string]*corev1.Container, len(pod.Spec.InitContainers))
	for i := range pod.Spec.InitContainers {
		initContainers[pod.Spec.InitContainers[i].Name] = &pod.Spec.InitContainers[i]
		if r.isSidecar(&pod.Spec.InitContainers[i]) {
			totalContainers++
		}
	}

	initializing := false
	for i := range pod.Status.InitContainerStatuses {
		container := &pod.Status.InitContainerStatuses[i]
		restarts += int(container.RestartCount)
		lastRestartDate = laterTermination(lastRestartDate, container)
		sidecar := r.isSidecar(initContainers[container.Name])
		if sidecar {
			sidecarRestarts += int(container.RestartCount)
			lastSidecarRestartDate = laterTermination(lastSidecarRestartDate, container)
		}
		switch {
		case container.State.Terminated != nil && container.State.Terminated.ExitCode == 0:
			continue
		case sidecar && container.Started != nil && *container.Started:
			if container.Ready {
				readyContainers++
			}
			continue
		case container.State.Terminated != nil:
			// initialization has failed
			t := container.State.Terminated
			switch {
			case t.Reason != "":
				reason = "Init:" + t.Reason
			case t.Signal != 0:
				reason = fmt.Sprintf("Init:Signal:%d", t.Signal)
			default:
				reason = fmt.Sprintf("Init:ExitCode:%d", t.ExitCode)
			}
		case container.State.Waiting != nil && container.State.Waiting.Reason != "" && container.State.Waiting.Reason != "PodInitializing":
			reason = "Init:" + container.State.Waiting.Reason
		default:
			reason = fmt.Sprintf("Init:%d/%d", i, len(pod.Spec.InitContainers))
		}
		initializing = true
		break
	}

	if !initializing || (r.PrintWhenInitialized && podConditionTrue(pod.Status.Conditions, corev1.PodInitialized)) {
		if r.PrintWhenInitialized {
			restarts = sidecarRestarts
			lastRestartDate = lastSidecarRestartDate
		} else {
			restarts = 0
		}
		hasRunning := false
		// Last to first: the lowest-index container with a reason wins.
		for i := len(pod.Status.ContainerStatuses) - 1; i >= 0; i-- {
			container := &pod.Status.ContainerStatuses[i]
			restarts += int(container.RestartCount)
			lastRestartDate = laterTermination(lastRestartDate, container)
			switch s := container.State; {
			case s.Waiting != nil && s.Waiting.Reason != "":
				reason = s.Waiting.Reason
			case s.Terminated != nil && s.Terminated.Reason != "":
				reason = s.Terminated.Reason
			case s.Terminated != nil && s.Terminated.Signal != 0:
				reason = fmt.Sprintf("Signal:%d", s.Terminated.Signal)
			case s.Terminated != nil:
				reason = fmt.Sprintf("ExitCode:%d", s.Terminated.ExitCode)
			case container.Ready && s.Running != nil:
				hasRunning = true
				readyContainers++
			}
		}
		// change pod status back to "Running" if there is at least one container still reporting as "Running" status
		if reason == "Completed" && hasRunning {
			if hasPodReadyCondition(pod.Status.Conditions) {
				reason = "Running"
			} else {
				reason = "NotReady"
			}
		}
	}

	terminal := podPhase == corev1.PodSucceeded || podPhase == corev1.PodFailed
	switch {
	case pod.DeletionTimestamp != nil && pod.Status.Reason == NodeLostReason:
		reason = "Unknown"
	case pod.DeletionTimestamp != nil && !(r.PrintTerminatingOnlyNonTerminal && terminal):
		reason = "Terminating"
	}

	restartsStr := strconv.Itoa(restarts)
	if (restarts != 0 || !r.PrintRestartsAgoOnlyNonZero) && !lastRestartDate.IsZero() {
		restartsStr = fmt.Sprintf("%d (%s ago)", restarts, timestampSince(lastRestartDate, now))
	}

	counts := Counts{ReadyContainers: readyContainers, TotalContainers: totalContainers, Restarts: restarts}
	return Row{
		Name:           pod.Name,
		Ready:          fmt.Sprintf("%d/%d", readyContainers, totalContainers),
		Status:         reason,
		Restarts:       restartsStr,
		Age:            timestampSince(pod.CreationTimestamp.Time, now),
		IP:             noneIfEmpty(firstPodIP(pod)),
		Node:           noneIfEmpty(pod.Spec.NodeName),
		NominatedNode:  noneIfEmpty(pod.Status.NominatedNodeName),
		ReadinessGates: readinessGatesCell(pod),
	}, counts
}

// laterTermination returns the later of last and the finish time of c's
// previous instance (pkg/printers/internalversion/printers.go printPod's
// lastRestartDate bookkeeping).
func laterTermination(last time.Time, c *corev1.ContainerStatus) time.Time {
	if t := c.LastTerminationState.Terminated; t != nil && last.Before(t.FinishedAt.Time) {
		return t.FinishedAt.Time
	}
	return last
}

// timestampSince follows pkg/printers/internalversion/printers.go
// translateTimestampSince, with now as an argument instead of time.Since.
func timestampSince(t, now time.Time) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(now.Sub(t))
}

// hasPodReadyCondition reports whether any PodReady condition is True
// (pkg/printers/internalversion/printers.go hasPodReadyCondition).
func hasPodReadyCondition(conditions []corev1.PodCondition) bool {
	for _, c := range conditions {
		if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

// podConditionTrue reports whether the first condition of type t is True
// (pkg/printers/internalversion/printers.go isPodInitializedConditionTrue).
func podConditionTrue(conditions []corev1.PodCondition, t corev1.PodConditionType) bool {
	for _, c := range conditions {
		if c.Type == t {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// firstPodIP is the IP column: status.podIPs[0], not status.podIP
// (pkg/printers/internalversion/printers.go printPod).
func firstPodIP(pod *corev1.Pod) string {
	if len(pod.Status.PodIPs) > 0 {
		return pod.Status.PodIPs[0].IP
	}
	return ""
}

// noneIfEmpty is how printPod's wide columns show an empty value.
func noneIfEmpty(s string) string {
	if s == "" {
		return "<none>"
	}
	return s
}

// readinessGatesCell follows pkg/printers/internalversion/printers.go
// printPod's READINESS GATES column: for each gate, the first condition of
// its type counts if True.
func readinessGatesCell(pod *corev1.Pod) string {
	if len(pod.Spec.ReadinessGates) == 0 {
		return "<none>"
	}
	trueConditions := 0
	for _, gate := range pod.Spec.ReadinessGates {
		for _, c := range pod.Status.Conditions {
			if c.Type == gate.ConditionType {
				if c.Status == corev1.ConditionTrue {
					trueConditions++
				}
				break
			}
		}
	}
	return fmt.Sprintf("%d/%d", trueConditions, len(pod.Spec.ReadinessGates))
}
