package kubelet

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// The limits of a termination message (pkg/kubelet/container/runtime.go
// MaxContainerTerminationMessageLength, …LogLength, …LogLines).
const (
	maxTerminationMessage      = 4 << 10
	maxTerminationMessageLog   = 2 << 10
	maxTerminationMessageLines = 80
)

// terminationMessage is what lastState.terminated.message shows of an
// exited container (kuberuntime_container.go getTerminationMessage and
// readLastStringFromContainerLogs): the file at terminationMessagePath, at
// most 4 KiB; with FallbackToLogsOnError and a non-zero exit, when that
// file is empty or missing, the last 80 lines of the log, at most 2 KiB of
// them.
func (k *Kubelet) terminationMessage(ct *container) string {
	kp := k.pods[ct.podUID]
	if kp == nil || ct.inst == nil {
		return ""
	}
	spec := k.containerSpec(kp, ct.name)
	if spec == nil {
		return ""
	}
	fallback := spec.TerminationMessagePolicy == corev1.TerminationMessageFallbackToLogsOnError && ct.exitCode != 0
	if path := spec.TerminationMessagePath; path != "" {
		if msg, ok := ct.inst.Container.File(path); ok && msg != "" {
			if len(msg) > maxTerminationMessage {
				msg = msg[:maxTerminationMessage]
			}
			return msg
		}
	}
	if !fallback {
		return ""
	}
	tail := ct.inst.Main.LogTail()
	lines := strings.SplitAfter(tail, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) > maxTerminationMessageLines {
		lines = lines[len(lines)-maxTerminationMessageLines:]
	}
	msg := strings.Join(lines, "")
	if len(msg) > maxTerminationMessageLog {
		msg = msg[:maxTerminationMessageLog] // ReadLogs stops at LimitBytes
	}
	return msg
}
