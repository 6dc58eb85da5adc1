package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// crashLoopStarts runs a container that exits at once for 40 minutes and
// returns the times it started and the number of starts the back-off
// refused (BackOff events, counted before the spam filter).
func crashLoopStarts(t *testing.T, version string, seed uint64) (starts []time.Duration, refused int) {
	t.Helper()
	c := newCluster(t, version, seed, "busybox:1.36")
	pod := podWith("crash", corev1.RestartPolicyAlways, corev1.Container{Name: "crash", Image: "busybox:1.36"})
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"crash": {Main: behavior.Script{behavior.Exit(1)}}}))
	require.NoError(t, c.RunUntil(40*time.Minute))
	for _, r := range c.Trace().Events() {
		switch r.Event.Reason {
		case "Started":
			starts = append(starts, r.T)
		case "BackOff":
			refused++
		}
	}
	return starts, refused
}

// PR #133066 (1.35): a start refused by the crash-loop back-off carries the
// back-off's end, and the pod worker retries then (at most a resync
// interval away, jittered by up to half) instead of every 10–15 s. Before,
// a 300 s back-off was re-checked about 20 times; since, about 5 times.
func TestCrashLoopRetryAtExpiry(t *testing.T) {
	tests := []struct {
		version      string
		minRefusals  int // in 40 minutes: 7 back-offs of 300 s and the short ones
		maxRefusals  int
		atExpiryRows bool
	}{
		{version: "1.33", minRefusals: 120, maxRefusals: 200},
		{version: "1.34", minRefusals: 120, maxRefusals: 200},
		{version: "1.35", minRefusals: 20, maxRefusals: 60, atExpiryRows: true},
		{version: "1.37", minRefusals: 20, maxRefusals: 60, atExpiryRows: true},
	}
	for _, tc := range tests {
		t.Run(tc.version, func(t *testing.T) {
			p, err := sim.ProfileFor(tc.version)
			require.NoError(t, err)
			require.Equal(t, tc.atExpiryRows, p.CrashLoopRetryAtExpiry)
			starts, refused := crashLoopStarts(t, tc.version, 1)
			t.Logf("%d starts, %d refused", len(starts), refused)
			require.GreaterOrEqual(t, refused, tc.minRefusals, "refused starts")
			require.LessOrEqual(t, refused, tc.maxRefusals, "refused starts")
			backoff := []time.Duration{0, 10, 20, 40, 80, 160, 300, 300, 300, 300}
			for i := 1; i < len(backoff)+1 && i < len(starts); i++ {
				b := backoff[i-1] * time.Second
				gap := starts[i] - starts[i-1]
				require.GreaterOrEqual(t, gap, b, "restart %d came before its back-off ended", i)
				if tc.atExpiryRows {
					// The last retry before the end is at most 60 s before it,
					// jittered by up to half: 30 s, plus the relist, the sync
					// tick and create + start.
					require.LessOrEqual(t, gap, b+30*time.Second+2400*time.Millisecond, "restart %d", i)
				}
			}
		})
	}
}

// KEP-4603's settings reach the kubelet's back-off: a 20 s
// maxContainerRestartPeriod (on by default since 1.35) caps every wait, and
// ReduceDefaultCrashLoopBackOffDecay starts it at 1 s.
func TestCrashLoopBackOffSettings(t *testing.T) {
	tests := []struct {
		name    string
		kubelet sim.KubeletSettings
		waits   []time.Duration // the back-off before restarts 2, 3, 4, …
	}{
		{"default", sim.KubeletSettings{}, []time.Duration{10, 20, 40, 80, 160, 300}},
		{"max 20s", sim.KubeletSettings{MaxContainerRestartPeriod: 20 * time.Second}, []time.Duration{10, 20, 20, 20, 20, 20}},
		{"reduced", sim.KubeletSettings{FeatureGates: map[string]bool{"ReduceDefaultCrashLoopBackOffDecay": true}}, []time.Duration{1, 2, 4, 8, 16, 32, 60, 60}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := sim.New(sim.Config{Version: "1.37", Seed: 1, CheckInvariants: true, Env: sim.Environment{Kubelet: tc.kubelet}})
			require.NoError(t, err)
			require.NoError(t, c.AddNode(nodeNamed("node-1"), sim.NodeOptions{Images: []string{"busybox:1.36"}}))
			pod := podWith("crash", corev1.RestartPolicyAlways, corev1.Container{Name: "crash", Image: "busybox:1.36"})
			require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"crash": {Main: behavior.Script{behavior.Exit(1)}}}))
			require.NoError(t, c.RunUntil(30*time.Minute))
			var starts []time.Duration
			for _, r := range c.Trace().Events() {
				if r.Event.Reason == "Started" {
					starts = append(starts, r.T)
				}
			}
			require.Greater(t, len(starts), len(tc.waits)+1)
			for i, w := range tc.waits {
				b := w * time.Second
				gap := starts[i+2] - starts[i+1]
				require.GreaterOrEqual(t, gap, b, "restart %d", i+2)
				require.LessOrEqual(t, gap, b+b/2+2400*time.Millisecond, "restart %d", i+2)
			}
		})
	}
	// 1.34's kubelet refuses the setting: its gate is alpha, off.
	c, err := sim.New(sim.Config{Version: "1.34", Env: sim.Environment{Kubelet: sim.KubeletSettings{MaxContainerRestartPeriod: 20 * time.Second}}})
	require.NoError(t, err)
	err = c.AddNode(nodeNamed("node-1"), sim.NodeOptions{})
	require.EqualError(t, err, `node "node-1": kubelet configuration: crashLoopBackOff.maxContainerRestartPeriod: Forbidden: needs the feature gate KubeletCrashLoopBackOffMax, off by default in Kubernetes 1.34`)
}

func nodeNamed(name string) *corev1.Node {
	return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}}
}

// The kubelet's event messages of 1.35: Created and Started without the
// container's name (PR #134043), Pulled of a present image "… and can be
// accessed by the pod" (KubeletEnsureSecretPulledImages beta).
func TestContainerEventMessagesByVersion(t *testing.T) {
	tests := []struct {
		version                  string
		pulled, created, started string
	}{
		{"1.25", `Container image "busybox:1.36" already present on machine`, "Created container app", "Started container app"},
		{"1.33", `Container image "busybox:1.36" already present on machine`, "Created container: app", "Started container app"},
		{"1.34", `Container image "busybox:1.36" already present on machine`, "Created container: app", "Started container app"},
		{"1.35", `Container image "busybox:1.36" already present on machine and can be accessed by the pod`, "Container created", "Container started"},
		{"1.37", `Container image "busybox:1.36" already present on machine and can be accessed by the pod`, "Container created", "Container started"},
	}
	for _, tc := range tests {
		t.Run(tc.version, func(t *testing.T) {
			c := newCluster(t, tc.version, 1, "busybox:1.36")
			pod := podWith("p", corev1.RestartPolicyAlways, corev1.Container{Name: "app", Image: "busybox:1.36", ImagePullPolicy: corev1.PullIfNotPresent})
			require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": {Main: behavior.Script{behavior.Sleep(time.Hour)}}}))
			require.NoError(t, c.RunUntil(5*time.Second))
			got := map[string]string{}
			for _, r := range c.Trace().Events() {
				got[r.Event.Reason] = r.Event.Message
			}
			require.Equal(t, tc.pulled, got["Pulled"])
			require.Equal(t, tc.created, got["Created"])
			require.Equal(t, tc.started, got["Started"])
		})
	}
}

// PodObservedGenerationTracking (beta 1.34): the kubelet's status carries
// the generation it saw, on the status and its conditions.
func TestObservedGenerationByVersion(t *testing.T) {
	for _, tc := range []struct {
		version string
		want    int64
	}{{"1.33", 0}, {"1.34", 1}, {"1.37", 1}} {
		t.Run(tc.version, func(t *testing.T) {
			c := newCluster(t, tc.version, 1, "busybox:1.36")
			pod := podWith("p", corev1.RestartPolicyAlways, corev1.Container{Name: "app", Image: "busybox:1.36"})
			require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": {Main: behavior.Script{behavior.Sleep(time.Hour)}}}))
			require.NoError(t, c.RunUntil(5*time.Second))
			p := c.Pod("default", "p")
			require.Equal(t, corev1.PodRunning, p.Status.Phase)
			require.Equal(t, tc.want, p.Status.ObservedGeneration)
			for _, cond := range p.Status.Conditions {
				require.Equal(t, tc.want, cond.ObservedGeneration, "condition %s", cond.Type)
			}
		})
	}
}
