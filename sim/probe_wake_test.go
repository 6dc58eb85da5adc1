package sim_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

// A parked probe woken at the very instant of one of its ticks, by
// something that runs after that tick (a scenario action, last of its
// instant): ticking, the tick ran before the action, with the file still
// there, and the probe sees the file gone only at its next tick; so must
// the woken worker. Each pod's file goes at another tenth of a second, so
// that one of them falls at a tick whatever the probes' phase.
func TestElisionMatchesTickingWhenWokenAtATick(t *testing.T) {
	var out [2]bytes.Buffer
	for i, noElision := range []bool{false, true} {
		c, err := sim.New(sim.Config{Seed: 5, CheckInvariants: true, NoElision: noElision})
		require.NoError(t, err)
		require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{Images: []string{"busybox:1.36"}}))
		for n := range 20 {
			name := fmt.Sprintf("app-%02d", n)
			probe := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/ready"}}}, PeriodSeconds: 2}
			pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.PodSpec{Containers: []corev1.Container{{
				Name: "app", Image: "busybox:1.36", ReadinessProbe: probe}}}}
			require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": {
				Main: behavior.Script{behavior.Touch("/tmp/ready"), behavior.Sleep(time.Hour)}, Userland: behavior.BusyBox}}))
			require.NoError(t, c.At(100*time.Second+time.Duration(n)*100*time.Millisecond, func(c *sim.Cluster) error {
				return c.InContainer("default", name, "app", "rm /tmp/ready", func(ct *behavior.Container) { ct.RemoveFile("/tmp/ready") })
			}))
		}
		require.NoError(t, c.RunUntil(3*time.Minute))
		require.NoError(t, trace.WriteJSONL(&out[i], c.Trace(), c.Profile().Lifecycle))
	}
	require.Equal(t, out[1].String(), out[0].String(), "elided (got) against ticked (want)")
}
