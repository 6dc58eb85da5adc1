package lifecycle

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

func TestShouldContainerBeRestarted(t *testing.T) {
	cases := []struct {
		name     string
		deleting bool
		everRan  bool
		state    RuntimeState
		exitCode int
		policy   corev1.RestartPolicy
		want     bool
	}{
		{name: "deleted pod never restarts", deleting: true, everRan: true, state: StateExited, exitCode: 1, policy: corev1.RestartPolicyAlways, want: false},
		{name: "deleted pod does not start a container that never ran", deleting: true, everRan: false, policy: corev1.RestartPolicyAlways, want: false},
		{name: "never ran, Never", everRan: false, policy: corev1.RestartPolicyNever, want: true},
		{name: "never ran, OnFailure", everRan: false, policy: corev1.RestartPolicyOnFailure, want: true},
		{name: "running", everRan: true, state: StateRunning, policy: corev1.RestartPolicyAlways, want: false},
		{name: "created, Never", everRan: true, state: StateCreated, policy: corev1.RestartPolicyNever, want: true},
		{name: "unknown, Never", everRan: true, state: StateUnknown, policy: corev1.RestartPolicyNever, want: true},
		{name: "exited 0, Never", everRan: true, state: StateExited, exitCode: 0, policy: corev1.RestartPolicyNever, want: false},
		{name: "exited 1, Never", everRan: true, state: StateExited, exitCode: 1, policy: corev1.RestartPolicyNever, want: false},
		{name: "exited 0, OnFailure", everRan: true, state: StateExited, exitCode: 0, policy: corev1.RestartPolicyOnFailure, want: false},
		{name: "exited 1, OnFailure", everRan: true, state: StateExited, exitCode: 1, policy: corev1.RestartPolicyOnFailure, want: true},
		{name: "exited -1, OnFailure", everRan: true, state: StateExited, exitCode: -1, policy: corev1.RestartPolicyOnFailure, want: true},
		{name: "exited 0, Always", everRan: true, state: StateExited, exitCode: 0, policy: corev1.RestartPolicyAlways, want: true},
		{name: "exited 137, Always", everRan: true, state: StateExited, exitCode: 137, policy: corev1.RestartPolicyAlways, want: true},
		{name: "exited 0, unset policy restarts like Always", everRan: true, state: StateExited, exitCode: 0, policy: "", want: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, ShouldContainerBeRestarted(tc.deleting, tc.everRan, tc.state, tc.exitCode, tc.policy))
		})
	}
}

func TestRuntimeStateString(t *testing.T) {
	cases := []struct {
		state RuntimeState
		want  string
	}{
		{StateCreated, "created"},
		{StateRunning, "running"},
		{StateExited, "exited"},
		{StateUnknown, "unknown"},
		{RuntimeState(42), "unknown"},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, tc.state.String())
	}
}

func TestContainerGracePeriod(t *testing.T) {
	probeGrace := func(s int64) *corev1.Probe { return &corev1.Probe{TerminationGracePeriodSeconds: ptr(s)} }
	container := corev1.Container{Name: "app", LivenessProbe: probeGrace(5), StartupProbe: probeGrace(7)}
	cases := []struct {
		name          string
		deletionGrace *int64
		podGrace      *int64
		container     corev1.Container
		reason        string
		want          int64
	}{
		{name: "deletion grace wins", deletionGrace: ptr(int64(12)), podGrace: ptr(int64(30)), container: container, reason: KillReasonUnknown, want: 12},
		{name: "deletion grace wins over a liveness probe's", deletionGrace: ptr(int64(12)), podGrace: ptr(int64(30)), container: container, reason: KillReasonLivenessProbe, want: 12},
		{name: "deletion grace 0 is kept", deletionGrace: ptr(int64(0)), podGrace: ptr(int64(30)), container: container, reason: KillReasonUnknown, want: 0},
		{name: "pod grace", podGrace: ptr(int64(30)), container: container, reason: KillReasonUnknown, want: 30},
		{name: "pod grace 0", podGrace: ptr(int64(0)), container: container, reason: KillReasonUnknown, want: 0},
		{name: "no grace at all gives the minimum", container: container, reason: KillReasonUnknown, want: MinimumGracePeriodSeconds},
		{name: "no pod grace: a probe's grace is not used", container: container, reason: KillReasonLivenessProbe, want: MinimumGracePeriodSeconds},
		{name: "liveness kill uses the liveness probe's grace", podGrace: ptr(int64(30)), container: container, reason: KillReasonLivenessProbe, want: 5},
		{name: "startup kill uses the startup probe's grace", podGrace: ptr(int64(30)), container: container, reason: KillReasonStartupProbe, want: 7},
		{name: "post-start hook failure ignores probe graces", podGrace: ptr(int64(30)), container: container, reason: KillReasonFailedPostStartHook, want: 30},
		{name: "liveness kill, probe without grace", podGrace: ptr(int64(30)),
			container: corev1.Container{LivenessProbe: &corev1.Probe{}}, reason: KillReasonLivenessProbe, want: 30},
		{name: "liveness kill, no liveness probe", podGrace: ptr(int64(30)),
			container: corev1.Container{StartupProbe: probeGrace(7)}, reason: KillReasonLivenessProbe, want: 30},
		{name: "startup kill, only liveness has a grace", podGrace: ptr(int64(30)),
			container: corev1.Container{LivenessProbe: probeGrace(5)}, reason: KillReasonStartupProbe, want: 30},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pod := &corev1.Pod{Spec: corev1.PodSpec{TerminationGracePeriodSeconds: tc.podGrace}}
			pod.DeletionGracePeriodSeconds = tc.deletionGrace
			require.Equal(t, tc.want, ContainerGracePeriod(pod, &tc.container, tc.reason))
		})
	}
}
