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

// A file removed by a user's action inside a container (InContainer, as a
// scenario's removeFile does) wakes the parked liveness probe that reads
// it: the run with elision kills and restarts the container when ticking
// does.
func TestElisionMatchesTickingWhenAUserActsInAContainer(t *testing.T) {
	var out [2]bytes.Buffer
	for i, noElision := range []bool{false, true} {
		c, err := sim.New(sim.Config{Version: "1.33", Seed: 5, CheckInvariants: true, NoElision: noElision})
		require.NoError(t, err)
		require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{Images: []string{"busybox:1.36"}}))
		probe := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/ok"}}}, PeriodSeconds: 3}
		pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "app"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name: "app", Image: "busybox:1.36", LivenessProbe: probe}}}}
		require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": {
			Main: behavior.Script{behavior.Touch("/tmp/ok"), behavior.Sleep(time.Hour)}, Userland: behavior.BusyBox}}))
		require.NoError(t, c.At(2*time.Minute+500*time.Millisecond, func(c *sim.Cluster) error {
			return c.InContainer("", "app", "app", "rm", func(ct *behavior.Container) { ct.RemoveFile("/tmp/ok") })
		}))
		require.NoError(t, c.RunUntil(5*time.Minute))
		require.NoError(t, trace.WriteJSONL(&out[i], c.Trace(), c.Profile().Lifecycle))
	}
	require.Equal(t, out[1].String(), out[0].String(), "elided (got) against ticked (want)")
	require.Contains(t, out[0].String(), "Liveness probe failed", "the action made the probe fail")
}
