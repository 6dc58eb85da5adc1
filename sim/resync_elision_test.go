package sim_test

import (
	"fmt"

	"k8s.io/utils/ptr"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// The status manager's batch finds something to write only when someone
// else changed a condition the kubelet owns: here the node lifecycle
// controller marks the pods of a stopped kubelet not ready, and the
// kubelet, started again at odd times (one of them exactly at a batch
// tick, one just after a tick), puts Ready back at its next batch. Skipped
// batches are invisible, and the batch did write, so the test can fail.
func TestElisionMatchesTickingForTheStatusBatch(t *testing.T) {
	tests := []struct {
		stop, start time.Duration
		watch       time.Duration // the watch latency
	}{
		{stop: 20 * time.Second, start: 150 * time.Second},
		{stop: 20 * time.Second, start: 150*time.Second + 10*time.Millisecond},
		{stop: 20 * time.Second, start: 153700 * time.Millisecond},
		// The marking at a monitor pass on the 10 s grid reaches the kubelet
		// 10 s later, at a batch tick: that tick writes it back.
		{stop: 90 * time.Second, start: 4 * time.Minute, watch: 10 * time.Second},
	}
	for _, tc := range tests {
		start := tc.start
		t.Run(start.String()+"/watch="+tc.watch.String(), func(t *testing.T) {
			runs := bothWays(t, "batch-"+start.String(), 8*time.Minute, func(t *testing.T, noElision bool) *sim.Cluster {
				c, err := sim.New(sim.Config{Version: "1.33", Seed: 4, CheckInvariants: true, NoElision: noElision, Env: sim.Environment{Timing: sim.Timing{Watch: tc.watch}}})
				require.NoError(t, err)
				require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{Images: []string{"busybox:1.36"}}))
				for _, name := range []string{"a", "b"} {
					pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "busybox:1.36"}}}}
					require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": {Main: behavior.Script{behavior.Sleep(time.Hour)}}}))
				}
				require.NoError(t, c.At(tc.stop, func(c *sim.Cluster) error { return c.StopKubelet("node-1") }))
				require.NoError(t, c.At(start, func(c *sim.Cluster) error { return c.StartKubelet("node-1") }))
				return c
			}, nil)
			out, fired := runs.out, runs.fired
			require.True(t, strings.Contains(out, "is not ready"), "the node lifecycle controller marked the pods")
			require.Equal(t, 2, strings.Count(out, "Ready: False → True (status manager: the API status differs from the kubelet's (syncBatch))"), "the batch wrote both pods back")
			require.Less(t, fired[0], fired[1], "skipped batches fire no event")
		})
	}
}

// resyncCluster is a node of pods that stay healthy long enough for their
// resyncs to park, then do what makes a resync matter: their containers
// start exiting at odd times and crash-loop (each retry's jitter drawn
// from the pod's stream after its skipped resyncs' draws), a readiness
// file goes and comes back, a pod has an active deadline; and the kubelet
// is stopped and started at sync-tick instants (x.3 s), where a pod's
// resync may fall due at the very tick the stop follows.
func resyncCluster(t *testing.T, version string, noElision bool) *sim.Cluster {
	t.Helper()
	c, err := sim.New(sim.Config{Version: version, Seed: 11, CheckInvariants: true, NoElision: noElision})
	require.NoError(t, err)
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{Images: []string{"busybox:1.36"}}))
	readiness := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/ready"}}}, PeriodSeconds: 3}
	for i := range 24 {
		pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("p%02d", i)}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "busybox:1.36"}}}}
		var script behavior.Script
		switch {
		case i%4 == 0: // crash-loops after a while (a marker in an emptyDir makes every restart exit at once)
			pod.Spec.Volumes = []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}
			pod.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "data", MountPath: "/data"}}
			script = behavior.Script{behavior.Or(behavior.FileExists("/data/crashed"), behavior.Sleep(11*time.Minute+time.Duration(i)*1370*time.Millisecond)),
				behavior.Touch("/data/crashed"), behavior.Exit(1)}
		case i%4 == 1: // not ready for a while, at odd times
			pod.Spec.Containers[0].ReadinessProbe = readiness.DeepCopy()
			script = behavior.Script{behavior.Touch("/tmp/ready"), behavior.Sleep(6*time.Minute + time.Duration(i)*2900*time.Millisecond),
				behavior.Remove("/tmp/ready"), behavior.Sleep(47 * time.Second), behavior.Touch("/tmp/ready"), behavior.Sleep(time.Hour)}
		case i == 2:
			pod.Spec.ActiveDeadlineSeconds = ptr.To[int64](1000)
			script = behavior.Script{behavior.Sleep(time.Hour)}
		default:
			script = behavior.Script{behavior.Sleep(time.Hour)}
		}
		require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": {Main: script, Userland: behavior.BusyBox}}))
	}
	for _, w := range [][2]time.Duration{{3*time.Minute + 300*time.Millisecond, 3*time.Minute + 20300*time.Millisecond},
		{8*time.Minute + 10300*time.Millisecond, 8*time.Minute + 11300*time.Millisecond}, {9*time.Minute + 40300*time.Millisecond, 9*time.Minute + 40300*time.Millisecond}} {
		require.NoError(t, c.At(w[0], func(c *sim.Cluster) error { return c.StopKubelet("node-1") }))
		require.NoError(t, c.At(w[1], func(c *sim.Cluster) error { return c.StartKubelet("node-1") }))
	}
	return c
}

// Skipped resyncs are invisible where resyncs matter, and they are
// skipped.
func TestElisionMatchesTickingForResyncs(t *testing.T) {
	for _, version := range []string{"1.25", "1.33", "1.35"} {
		t.Run(version, func(t *testing.T) {
			runs := bothWays(t, "resync-"+version, 25*time.Minute, func(t *testing.T, noElision bool) *sim.Cluster {
				return resyncCluster(t, version, noElision)
			}, nil)
			out, fired := runs.out, runs.fired
			if os.Getenv("PODSIM_RESYNC_SHOW") != "" {
				t.Log(out[strings.LastIndex(out, "}\n")+2:])
			}
			require.True(t, strings.Contains(out, "CrashLoopBackOff"), "the pods crash-loop")
			require.True(t, strings.Contains(out, "DeadlineExceeded"), "the deadline passes")
			require.Less(t, fired[0], fired[1], "skipped resyncs fire no event")
			t.Logf("events: %d elided, %d ticked", fired[0], fired[1])
		})
	}
}
