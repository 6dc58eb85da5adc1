package sim_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

// elisionCluster is a pod whose probes read a file that another container
// of the pod creates and removes at times unrelated to the probes' periods,
// through a shared emptyDir, and a container whose own liveness file goes
// away after a while (a restart), beside a healthy pod that never changes.
func elisionCluster(t *testing.T, version string, noElision bool) *sim.Cluster {
	t.Helper()
	c, err := sim.New(sim.Config{Version: version, Seed: 3, CheckInvariants: true, NoElision: noElision})
	require.NoError(t, err)
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{Images: []string{"busybox:1.36"}}))
	execProbe := func(period int32, argv ...string) *corev1.Probe {
		return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: argv}}, PeriodSeconds: period}
	}
	mount := []corev1.VolumeMount{{Name: "shared", MountPath: "/data"}}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "toggling"},
		Spec: corev1.PodSpec{
			Volumes: []corev1.Volume{{Name: "shared", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
			Containers: []corev1.Container{
				{Name: "writer", Image: "busybox:1.36", VolumeMounts: mount},
				{Name: "reader", Image: "busybox:1.36", VolumeMounts: mount,
					ReadinessProbe: execProbe(3, "cat", "/data/ok"),
					LivenessProbe:  execProbe(7, "sh", "-c", "test -f /tmp/alive || test -f /data/ok")},
				{Name: "dying", Image: "busybox:1.36",
					LivenessProbe: execProbe(4, "cat", "/tmp/alive")},
			},
		},
	}
	behaviors := map[string]behavior.Spec{
		"writer": {Main: behavior.Script{behavior.Forever(
			behavior.Touch("/data/ok"), behavior.Sleep(13700*time.Millisecond),
			behavior.Remove("/data/ok"), behavior.Sleep(9100*time.Millisecond),
		)}, Userland: behavior.BusyBox},
		"reader": {Main: behavior.Script{behavior.Touch("/tmp/alive"), behavior.Sleep(95 * time.Second),
			behavior.Remove("/tmp/alive"), behavior.Sleep(time.Hour)}, Userland: behavior.BusyBox},
		"dying": {Main: behavior.Script{behavior.Touch("/tmp/alive"), behavior.Sleep(131 * time.Second),
			behavior.Remove("/tmp/alive"), behavior.Sleep(time.Hour)}, Stop: behavior.IgnoreStop(), Userland: behavior.BusyBox},
	}
	require.NoError(t, c.CreatePod(pod, behaviors))
	healthy := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "healthy"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{
		Name: "app", Image: "busybox:1.36",
		ReadinessProbe: execProbe(5, "cat", "/tmp/ok"), LivenessProbe: execProbe(10, "cat", "/tmp/ok"),
	}}}}
	require.NoError(t, c.CreatePod(healthy, map[string]behavior.Spec{"app": {
		Main: behavior.Script{behavior.Touch("/tmp/ok"), behavior.Sleep(time.Hour)}, Userland: behavior.BusyBox}}))
	return c
}

// Elision is invisible even where the probed files come and go at odd
// times, through a volume another container writes, and where liveness
// kills restart containers; and it is cheaper.
func TestElisionMatchesTickingWhereFilesComeAndGo(t *testing.T) {
	for _, version := range sim.SupportedVersions {
		t.Run(version, func(t *testing.T) {
			fired := bothWays(t, version, 20*time.Minute, func(t *testing.T, noElision bool) *sim.Cluster {
				return elisionCluster(t, version, noElision)
			}, nil).fired
			require.Less(t, fired[0], fired[1], "elision fired fewer events")
			t.Logf("events: %d elided, %d ticked", fired[0], fired[1])
		})
	}
}

// A kubelet stopped for a while runs no probe while it is down: a parked
// worker counts no Success for those ticks, as ticking would not have. The
// pod's container then exits, and the message of its liveness result
// counts the run of results before it.
func TestElisionMatchesTickingAcrossAKubeletStop(t *testing.T) {
	var out [2]bytes.Buffer
	for i, noElision := range []bool{false, true} {
		c, err := sim.New(sim.Config{Version: "1.33", Seed: 5, CheckInvariants: true, NoElision: noElision})
		require.NoError(t, err)
		require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{Images: []string{"busybox:1.36"}}))
		probe := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/ok"}}}, PeriodSeconds: 3}
		pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "app"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name: "app", Image: "busybox:1.36", LivenessProbe: probe, ReadinessProbe: probe.DeepCopy()}}}}
		require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": {
			Main: behavior.Script{behavior.Touch("/tmp/ok"), behavior.Sleep(10 * time.Minute), behavior.Exit(3)}, Userland: behavior.BusyBox}}))
		require.NoError(t, c.At(2*time.Minute, func(c *sim.Cluster) error { return c.StopKubelet("node-1") }))
		require.NoError(t, c.At(4*time.Minute, func(c *sim.Cluster) error { return c.StartKubelet("node-1") }))
		require.NoError(t, c.RunUntil(15*time.Minute))
		require.NoError(t, trace.WriteJSONL(&out[i], c.Trace(), c.Profile().Lifecycle))
		require.NoError(t, trace.Timeline(&out[i], c.Trace(), trace.TimelineOptions{}))
	}
	require.Equal(t, out[1].String(), out[0].String(), "elided (got) against ticked (want)")
}
