package sim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

const sec = time.Second

// watchLines renders the watch table of a pod without its header, one
// "READY STATUS RESTARTS AGE" string per line.
func watchLines(t *testing.T, c *sim.Cluster, pod string) []string {
	t.Helper()
	rows := trace.WatchRows(c.Trace(), trace.WatchOptions{Rules: c.Profile().Lifecycle, Names: []string{pod}})
	var out []string
	for _, r := range rows[1:] {
		out = append(out, strings.Join(r[1:], " "))
	}
	return out
}

// statuses lists the distinct STATUS values the pod showed, in order.
func statuses(t *testing.T, c *sim.Cluster, pod string) []string {
	t.Helper()
	var out []string
	for _, l := range watchLines(t, c, pod) {
		st := strings.Fields(l)[1]
		if len(out) == 0 || out[len(out)-1] != st {
			out = append(out, st)
		}
	}
	return out
}

func run(t *testing.T, c *sim.Cluster, until time.Duration) {
	t.Helper()
	require.NoError(t, c.RunUntil(until))
}

func sleepForever() behavior.Spec {
	return behavior.Spec{Main: behavior.Script{behavior.Forever(behavior.Sleep(time.Hour))}, Stop: behavior.DieOnStop()}
}

func TestRestartPolicies(t *testing.T) {
	tests := []struct {
		policy    corev1.RestartPolicy
		exit      int
		wantPhase corev1.PodPhase
		want      []string
	}{
		{corev1.RestartPolicyNever, 0, corev1.PodSucceeded, []string{"Pending", "ContainerCreating", "Completed"}},
		{corev1.RestartPolicyNever, 1, corev1.PodFailed, []string{"Pending", "ContainerCreating", "Error"}},
		{corev1.RestartPolicyOnFailure, 0, corev1.PodSucceeded, []string{"Pending", "ContainerCreating", "Completed"}},
		// The first exit is restarted at once (there is no back-off entry yet,
		// issue #133472); the second waits in CrashLoopBackOff.
		{corev1.RestartPolicyOnFailure, 1, corev1.PodRunning, []string{"Pending", "ContainerCreating", "Error", "Running", "Error", "CrashLoopBackOff"}},
		{corev1.RestartPolicyAlways, 0, corev1.PodRunning, []string{"Pending", "ContainerCreating", "Completed", "Running", "Completed", "CrashLoopBackOff"}},
	}
	for _, tc := range tests {
		for _, version := range sim.SupportedVersions {
			t.Run(fmt.Sprintf("%s exit %d %s", tc.policy, tc.exit, version), func(t *testing.T) {
				c := newCluster(t, version, 1, "busybox:1.36")
				pod := podWith("job", tc.policy, corev1.Container{Name: "job", Image: "busybox:1.36"})
				spec := behavior.Spec{Main: behavior.Script{behavior.Sleep(5 * sec), behavior.Exit(tc.exit)}}
				require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"job": spec}))
				run(t, c, 30*sec)
				p := c.Pod("default", "job")
				require.Equal(t, tc.wantPhase, p.Status.Phase)
				got := statuses(t, c, "job")
				// Running shows while the container runs for 5 s.
				want := append([]string{}, tc.want[:2]...)
				want = append(want, "Running")
				want = append(want, tc.want[2:]...)
				require.Equal(t, want, got[:min(len(got), len(want))])
			})
		}
	}
}

// postStart runs inside the sync: the container is not reported Running
// until its hook has finished (seed 1i).
func TestPostStartHoldsRunning(t *testing.T) {
	c := newCluster(t, "1.33", 1, "nginx:1.25.2")
	pod := podWith("poststart", "", corev1.Container{
		Name: "c", Image: "nginx:1.25.2",
		Lifecycle: &corev1.Lifecycle{PostStart: &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: []string{"/bin/hook"}}}},
	})
	spec := sleepForever()
	spec.Commands = map[string]behavior.Script{"/bin/hook": {behavior.Sleep(8 * sec), behavior.WriteFile("/usr/share/message", "Hello from the postStart handler")}}
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"c": spec}))
	run(t, c, 20*sec)
	var runningAt time.Duration
	for _, r := range c.Trace().Pods() {
		if cs := r.Pod.Status.ContainerStatuses; len(cs) == 1 && cs[0].State.Running != nil {
			runningAt = r.T
			break
		}
	}
	var startedAt time.Duration
	for _, r := range c.Trace().Events() {
		if r.Event.Reason == "Started" {
			startedAt = r.T
		}
	}
	require.NotZero(t, startedAt)
	require.GreaterOrEqual(t, runningAt, startedAt+8*sec, "Running shown before the postStart hook ended")
	ct := c.Container("default", "poststart", "c")
	require.NotNil(t, ct)
	require.True(t, ct.HasFile("/usr/share/message"))
}

// A failing postStart hook kills the container.
func TestPostStartFailure(t *testing.T) {
	c := newCluster(t, "1.33", 1, "nginx:1.25.2")
	pod := podWith("bad-hook", "", corev1.Container{
		Name: "c", Image: "nginx:1.25.2",
		Lifecycle: &corev1.Lifecycle{PostStart: &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: []string{"false"}}}},
	})
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"c": sleepForever()}))
	run(t, c, 20*sec)
	reasons := map[string]string{}
	for _, e := range c.Events() {
		reasons[e.Reason] = e.Message
	}
	require.Equal(t, "PostStartHook failed", reasons["FailedPostStartHook"])
	require.Equal(t, "FailedPostStartHook", reasons["Killing"])
	require.Contains(t, statuses(t, c, "bad-hook"), "PostStartHookError")
}

// Deleting a pod whose preStop takes 40 s of a 60 s grace period: SIGTERM
// comes after the hook, and the rest of the grace period (20 s) before
// SIGKILL (seed 1h). In 1.25 the pod's grace period was given again after
// preStop (issue #117798).
func TestPreStopAndGracePeriod(t *testing.T) {
	tests := []struct {
		version    string
		stop       behavior.StopPolicy
		wantExitAt time.Duration // after the delete
		wantCode   int32
	}{
		{"1.33", behavior.ExitOnStop(5*sec, 0), 45 * sec, 0}, // SIGTERM at 40 s, exits 5 s later
		{"1.33", behavior.IgnoreStop(), 60 * sec, 137},       // SIGKILL at 40 + 20
		{"1.25", behavior.IgnoreStop(), 100 * sec, 137},      // SIGKILL at 40 + 60
		{"1.33", behavior.DieOnStop(), 40 * sec, 143},        // dies of SIGTERM right after the hook
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s %v", tc.version, tc.wantExitAt), func(t *testing.T) {
			c := newCluster(t, tc.version, 1, "app:1")
			pod := podWith("prestop", "", corev1.Container{
				Name: "app", Image: "app:1",
				Lifecycle: &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: []string{"/bin/sh", "-c", "/home/xxx/shell/sleep_40s.sh"}}}},
			})
			pod.Spec.TerminationGracePeriodSeconds = ptr.To[int64](60)
			spec := sleepForever()
			spec.Stop = tc.stop
			spec.Commands = map[string]behavior.Script{"/bin/sh -c /home/xxx/shell/sleep_40s.sh": {behavior.Sleep(40 * sec)}}
			require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": spec}))
			require.NoError(t, c.At(10*sec, func(c *sim.Cluster) error { return c.DeletePod("", "prestop", sim.DeleteOptions{}) }))
			run(t, c, 3*time.Minute)
			var killing time.Duration
			for _, r := range c.Trace().Events() {
				if r.Event.Reason == "Killing" {
					killing = r.T
				}
			}
			require.NotZero(t, killing)
			var exitAt time.Duration
			var code int32
			for _, r := range c.Trace().Pods() {
				if cs := r.Pod.Status.ContainerStatuses; exitAt == 0 && len(cs) == 1 && cs[0].State.Terminated != nil {
					exitAt = cs[0].State.Terminated.FinishedAt.Sub(r.Pod.CreationTimestamp.Time)
					code = cs[0].State.Terminated.ExitCode
				}
			}
			require.Equal(t, tc.wantCode, code)
			// finishedAt is kept to the second: compare to the second.
			require.Equal(t, (killing + tc.wantExitAt).Truncate(sec), exitAt)
			require.Nil(t, c.Pod("default", "prestop"), "the pod object is gone")
		})
	}
}

// (An exec hook: the API server refuses a sleep hook longer than the grace
// period.)
func TestPreStopLongerThanGraceGetsTwoMoreSeconds(t *testing.T) {
	c := newCluster(t, "1.33", 1, "app:1")
	pod := podWith("p", "", corev1.Container{Name: "app", Image: "app:1",
		Lifecycle: &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: []string{"sleep", "50"}}}}})
	pod.Spec.TerminationGracePeriodSeconds = ptr.To[int64](30)
	spec := sleepForever()
	spec.Stop = behavior.IgnoreStop()
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": spec}))
	require.NoError(t, c.At(10*sec, func(c *sim.Cluster) error { return c.DeletePod("", "p", sim.DeleteOptions{}) }))
	run(t, c, 2*time.Minute)
	var killing, exit time.Duration
	for _, r := range c.Trace().Events() {
		if r.Event.Reason == "Killing" {
			killing = r.T
		}
	}
	for _, r := range c.Trace().Pods() {
		if cs := r.Pod.Status.ContainerStatuses; exit == 0 && len(cs) == 1 && cs[0].State.Terminated != nil {
			exit = cs[0].State.Terminated.FinishedAt.Sub(r.Pod.CreationTimestamp.Time)
		}
	}
	require.Equal(t, (killing + 32*sec).Truncate(sec), exit, "SIGKILL 2 s after the grace period ran out in preStop")
}

func TestImagePullFailures(t *testing.T) {
	c, err := sim.New(sim.Config{Version: "1.33", Seed: 1, CheckInvariants: true, Env: sim.Environment{
		Images: map[string]sim.ImageEnv{"registry.example/missing:1": {PullError: "rpc error: code = NotFound desc = not found", Pulls: []time.Duration{sec}}},
	}})
	require.NoError(t, err)
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{}))
	require.NoError(t, c.CreatePod(podWith("missing", "", corev1.Container{Name: "c", Image: "registry.example/missing:1"}), map[string]behavior.Spec{"c": sleepForever()}))
	require.NoError(t, c.CreatePod(podWith("bad-name", "", corev1.Container{Name: "c", Image: "Registry/UPPER"}), map[string]behavior.Spec{"c": sleepForever()}))
	run(t, c, 3*time.Minute)
	require.Equal(t, []string{"Pending", "ContainerCreating", "ErrImagePull", "ImagePullBackOff"}, statuses(t, c, "missing")[:4])
	require.Contains(t, statuses(t, c, "bad-name"), "InvalidImageName")
	var pulls []time.Duration
	for _, r := range c.Trace().Events() {
		if r.Name == "missing" && r.Event.Reason == "Pulling" {
			pulls = append(pulls, r.T)
		}
	}
	require.GreaterOrEqual(t, len(pulls), 4)
	// Pull attempts back off 10 s, 20 s, 40 s from each failure (a failure
	// comes 1 s after its pull), each taken at the next sync after that.
	for i, b := range []time.Duration{10, 20, 40} {
		gap := pulls[i+1] - pulls[i] - sec
		require.GreaterOrEqual(t, gap, b*sec, "attempt %d", i+2)
		require.LessOrEqual(t, gap, b*sec+17*sec, "attempt %d", i+2)
	}
}

func TestConfigMapMissingThenCreated(t *testing.T) {
	c := newCluster(t, "1.33", 1, "app:1")
	pod := podWith("cfg", "", corev1.Container{Name: "app", Image: "app:1", Env: []corev1.EnvVar{{
		Name: "MODE", ValueFrom: &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: "settings"}, Key: "mode"}},
	}}})
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": sleepForever()}))
	require.NoError(t, c.At(40*sec, func(c *sim.Cluster) error {
		return c.Create(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "settings"}, Data: map[string]string{"mode": "fast"}})
	}))
	run(t, c, 90*sec)
	require.Equal(t, []string{"Pending", "ContainerCreating", "CreateContainerConfigError", "Running"}, statuses(t, c, "cfg"))
	p := c.Pod("default", "cfg")
	require.True(t, p.Status.ContainerStatuses[0].Ready)
	var msg string
	for _, r := range c.Trace().Pods() {
		if cs := r.Pod.Status.ContainerStatuses; len(cs) == 1 && cs[0].State.Waiting != nil && cs[0].State.Waiting.Reason == "CreateContainerConfigError" {
			msg = cs[0].State.Waiting.Message
		}
	}
	require.Equal(t, `configmap "settings" not found`, msg)
}
