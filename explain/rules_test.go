package explain

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/probe"
)

const s = time.Second

func TestDetectionAndEligibility(t *testing.T) {
	for _, tc := range []struct {
		name     string
		p        probe.Spec
		detect   Interval
		eligible Interval
	}{
		// The defaults: period 10 s, timeout 1 s, failureThreshold 3.
		{"defaults", probe.Spec{Period: 10 * s, Timeout: s, FailureThreshold: 3}, Between(20*s, 31*s), At(0)},
		{"seed 1b's liveness", probe.Spec{Period: 5 * s, Timeout: s, FailureThreshold: 3, InitialDelaySeconds: 10}, Between(10*s, 16*s), Between(9*s, 10*s)},
		{"one failure is enough", probe.Spec{Period: 5 * s, Timeout: 2 * s, FailureThreshold: 1, InitialDelaySeconds: 1}, Between(0, 7*s), Between(0, s)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.detect, detection(tc.p))
			require.Equal(t, tc.eligible, eligible(tc.p))
		})
	}
}

func TestStopTime(t *testing.T) {
	pod := func(grace int64) *corev1.Pod {
		return &corev1.Pod{Spec: corev1.PodSpec{TerminationGracePeriodSeconds: &grace}}
	}
	sleepHook := func(sec int64) *corev1.Lifecycle {
		return &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{Sleep: &corev1.SleepAction{Seconds: sec}}}
	}
	execHook := func(script string) *corev1.Lifecycle {
		return &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: []string{"sh", "-c", script}}}}
	}
	for _, tc := range []struct {
		name   string
		pod    *corev1.Pod
		c      corev1.Container
		stop   behavior.StopPolicy
		took   time.Duration
		code   int
		reason string
	}{
		{"a shell ignores SIGTERM: the whole grace period", pod(30), corev1.Container{}, behavior.IgnoreStop(), 30 * s, 137, lifecycle.KillReasonLivenessProbe},
		{"a server dies of SIGTERM at once", pod(30), corev1.Container{}, behavior.DieOnStop(), 0, 143, lifecycle.KillReasonLivenessProbe},
		{"a server that drains for 5 s", pod(30), corev1.Container{}, behavior.ExitOnStop(5*s, 0), 5 * s, 0, lifecycle.KillReasonLivenessProbe},
		{"draining longer than the grace period ends in SIGKILL", pod(10), corev1.Container{}, behavior.ExitOnStop(20*s, 0), 10 * s, 137, lifecycle.KillReasonLivenessProbe},
		{"the probe's terminationGracePeriodSeconds wins for its kill", pod(30),
			corev1.Container{LivenessProbe: &corev1.Probe{TerminationGracePeriodSeconds: ptr.To[int64](5)}}, behavior.IgnoreStop(), 5 * s, 137, lifecycle.KillReasonLivenessProbe},
		{"preStop takes its seconds from the grace period", pod(30), corev1.Container{Lifecycle: sleepHook(10)}, behavior.IgnoreStop(), 30 * s, 137, lifecycle.KillReasonLivenessProbe},
		{"a preStop longer than the grace period leaves the 2 s minimum", pod(30), corev1.Container{Lifecycle: execHook("sleep 40")}, behavior.IgnoreStop(), 32 * s, 137, lifecycle.KillReasonLivenessProbe},
		{"preStop, then a server that dies of SIGTERM", pod(30), corev1.Container{Lifecycle: execHook("sleep 3")}, behavior.DieOnStop(), 3 * s, 143, lifecycle.KillReasonLivenessProbe},
	} {
		t.Run(tc.name, func(t *testing.T) {
			took, code, why := stopTime(tc.pod, &tc.c, behavior.Spec{Stop: tc.stop}, tc.reason)
			require.Equal(t, tc.took, took, why)
			require.Equal(t, tc.code, code, why)
		})
	}
}

func TestAdvice(t *testing.T) {
	exec := func(cmd ...string) corev1.ProbeHandler {
		return corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: cmd}}
	}
	http := corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromInt32(80)}}
	slow := []string{"sh", "-c", "sleep 40; touch /tmp/up; sleep 3600"}
	quick := []string{"sh", "-c", "touch /tmp/up; sleep 3600"}
	for _, tc := range []struct {
		name string
		c    corev1.Container
		want []string // a substring of each warning, in order
	}{
		{"well set: nothing to say", corev1.Container{Image: "busybox:1.36", Command: quick,
			LivenessProbe:  &corev1.Probe{ProbeHandler: exec("cat", "/tmp/up"), PeriodSeconds: 10, FailureThreshold: 6},
			ReadinessProbe: &corev1.Probe{ProbeHandler: exec("cat", "/tmp/up"), PeriodSeconds: 5}}, nil},
		{"liveness equal to readiness", corev1.Container{Image: "nginx:1.25.2",
			LivenessProbe: &corev1.Probe{ProbeHandler: http}, ReadinessProbe: &corev1.Probe{ProbeHandler: http}},
			[]string{"the liveness probe is the readiness probe (same check every 10s, 3 failures)"}},
		{"slow start, no startup probe", corev1.Container{Image: "busybox:1.36", Command: slow,
			LivenessProbe: &corev1.Probe{ProbeHandler: exec("cat", "/tmp/up"), InitialDelaySeconds: 15, PeriodSeconds: 5}},
			[]string{"the liveness probe passes only 40s after the start, but can fail 3 times by 25s"}},
		{"initialDelaySeconds as a startup probe", corev1.Container{Image: "busybox:1.36", Command: slow,
			LivenessProbe: &corev1.Probe{ProbeHandler: exec("cat", "/tmp/up"), InitialDelaySeconds: 45, PeriodSeconds: 5}},
			[]string{"initialDelaySeconds 45 stands in for a startup probe (the probe passes from 40s)"}},
		{"a slow start with a startup probe is fine", corev1.Container{Image: "busybox:1.36", Command: slow,
			StartupProbe:  &corev1.Probe{ProbeHandler: exec("cat", "/tmp/up"), PeriodSeconds: 5, FailureThreshold: 12},
			LivenessProbe: &corev1.Probe{ProbeHandler: exec("cat", "/tmp/up"), PeriodSeconds: 5}}, nil},
		{"readiness delayed longer than needed", corev1.Container{Image: "busybox:1.36", Command: quick,
			ReadinessProbe: &corev1.Probe{ProbeHandler: exec("cat", "/tmp/up"), InitialDelaySeconds: 30, PeriodSeconds: 5}},
			[]string{"readinessProbe initialDelaySeconds 30 is longer than needed: the probe passes from 0s after the start, so the container could be ready about 30s sooner"}},
		{"a timeout as long as the period", corev1.Container{Image: "busybox:1.36", Command: quick,
			ReadinessProbe: &corev1.Probe{ProbeHandler: exec("cat", "/tmp/up"), PeriodSeconds: 5, TimeoutSeconds: 5}},
			[]string{"readinessProbe timeoutSeconds 5s is not shorter than periodSeconds 5s"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.c.Name = "app"
			pod := &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{tc.c}}}
			applyPodDefaults(pod)
			got := advise(Input{Horizon: 15 * time.Minute}, pod, &pod.Spec.Containers[0])
			require.Len(t, got, len(tc.want), "%q", got)
			for i, w := range tc.want {
				require.Contains(t, got[i], w)
			}
		})
	}
}

func TestInterval(t *testing.T) {
	i := Between(10*s, 20*s)
	require.Equal(t, -1, i.compare(21*s))
	require.Equal(t, 1, i.compare(10*s))
	require.Equal(t, 0, i.compare(15*s))
	require.Equal(t, "10s–20s", i.String())
	require.Equal(t, "1.3s", At(1260*time.Millisecond).String())
	require.Equal(t, Between(5*s, 25*s), i.Hull(Between(5*s, 12*s)).Hull(At(25*s)))
	require.Equal(t, Between(12*s, 20*s), i.Max(At(12*s)))
	require.True(t, i.Contains(20*s))
	require.False(t, i.Contains(20*s+1))
}

func TestPullPolicy(t *testing.T) {
	present := Timing{Present: func(image string) bool { return image == "nginx:1.25.2" }}
	for _, tc := range []struct {
		image  string
		policy corev1.PullPolicy
		pulls  []bool // whether the first, second … start pulls
	}{
		{"centos", "", []bool{true, true}},
		{"busybox:1.36", "", []bool{true, false}},
		{"nginx:1.25.2", "", []bool{false, false}},
		{"nginx:1.25.2", corev1.PullAlways, []bool{true, true}},
		{"busybox:1.36", corev1.PullNever, []bool{false, false}},
	} {
		c := &corev1.Container{Image: tc.image, ImagePullPolicy: tc.policy}
		for n, want := range tc.pulls {
			require.Equal(t, want, needsPull(c, present, n), "%s %s start %d", tc.image, tc.policy, n+1)
		}
	}
}

func TestExplainErrors(t *testing.T) {
	_, err := Explain(Input{})
	require.EqualError(t, err, "explain: no pod")
	_, err = Explain(Input{Pod: &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "example.com/app", Command: []string{"/app/server"}}}}}})
	require.ErrorContains(t, err, "container app: ")
}

func TestBackoffAfterNext(t *testing.T) {
	// The kubelet's crash-loop back-off: 10 s doubling to 5 min
	// (pkg/kubelet/kubelet.go backOffPeriod, MaxContainerBackOff).
	seq := []time.Duration{0}
	for range 8 {
		seq = append(seq, backoffAfterNext(seq[len(seq)-1], false))
	}
	require.Equal(t, []time.Duration{0, 10 * s, 20 * s, 40 * s, 80 * s, 160 * s, 300 * s, 300 * s, 300 * s}, seq)
	require.Equal(t, 10*s, backoffAfterNext(160*s, true), "an expired entry starts again")
}

func TestNeverStarts(t *testing.T) {
	fails := Timing{PullFails: func(image string) (bool, int) {
		switch image {
		case "nginx:1.255.2":
			return true, 0
		case "busybox:1.36":
			return false, 2
		}
		return false, 0
	}}
	for _, tc := range []struct{ image, want string }{
		{"Nginx:1.25.2", "(InvalidImageName)"},
		{"nginx:1.255.2", "every pull of nginx:1.255.2 fails"},
		{"busybox:1.36", "starts only after 2 failed pulls"},
		{"nginx:1.25.2", ""},
	} {
		got := neverStarts(&corev1.Container{Image: tc.image}, fails)
		if tc.want == "" {
			require.Empty(t, got)
			continue
		}
		require.Contains(t, got, tc.want)
	}
}
