package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/sim"
)

// deadlinePod is appPod with spec.activeDeadlineSeconds and a short grace
// period.
func deadlinePod(deadline int64) *corev1.Pod {
	p := appPod("busybox:1.36", "sleep 3600")
	p.Spec.ActiveDeadlineSeconds = ptr.To(deadline)
	p.Spec.TerminationGracePeriodSeconds = ptr.To[int64](5)
	return p
}

// The kubelet's active deadline handler (pkg/kubelet/active_deadline.go):
// counted from the pod's start time, the pod is failed with reason
// DeadlineExceeded and the handler's message, its containers stopped, and
// a Normal DeadlineExceeded event recorded.
func TestActiveDeadlineFailsThePod(t *testing.T) {
	for _, version := range []string{"1.25", "1.33", "1.37"} {
		t.Run(version, func(t *testing.T) {
			c, err := sim.New(sim.Config{Seed: 1, CheckInvariants: true, Version: version})
			require.NoError(t, err)
			require.NoError(t, c.AddNode(nodeNamed("node-1"), sim.NodeOptions{}))
			require.NoError(t, c.CreatePod(deadlinePod(30), nil))
			run(t, c, 29*time.Second)
			p := c.Pods()[0]
			require.Equal(t, corev1.PodRunning, p.Status.Phase)
			require.Empty(t, eventMessages(c, "DeadlineExceeded"))
			start := p.Status.StartTime.Time

			run(t, c, time.Minute)
			p = c.Pods()[0]
			require.Equal(t, corev1.PodFailed, p.Status.Phase)
			require.Equal(t, "DeadlineExceeded", p.Status.Reason)
			require.Equal(t, "Pod was active on the node longer than the specified deadline", p.Status.Message)
			require.NotNil(t, p.Status.ContainerStatuses[0].State.Terminated)
			require.Equal(t, []string{"Stopping container main"}, eventMessages(c, "Killing"))
			var first time.Time
			for _, e := range c.Events() {
				if e.Reason == "DeadlineExceeded" {
					require.Equal(t, corev1.EventTypeNormal, e.Type)
					first = e.FirstTimestamp.Time
				}
			}
			require.Equal(t, start.Add(30*time.Second), first, "at the first sync tick past the deadline")
		})
	}
}

// An update may lower activeDeadlineSeconds (ValidatePodUpdate); the
// kubelet acts on the new deadline.
func TestActiveDeadlineLoweredByApply(t *testing.T) {
	c := workloadCluster(t, "node-1")
	require.NoError(t, c.CreatePod(deadlinePod(600), nil))
	run(t, c, 10*time.Second)
	require.NoError(t, c.ApplyPod(deadlinePod(20), nil))
	run(t, c, 19*time.Second)
	require.Equal(t, corev1.PodRunning, c.Pods()[0].Status.Phase)
	run(t, c, 40*time.Second)
	p := c.Pods()[0]
	require.Equal(t, corev1.PodFailed, p.Status.Phase)
	require.Equal(t, "DeadlineExceeded", p.Status.Reason)
}

// A pod without a deadline is never failed by the handler.
func TestNoActiveDeadline(t *testing.T) {
	c := workloadCluster(t, "node-1")
	require.NoError(t, c.CreatePod(appPod("busybox:1.36", "sleep 3600"), nil))
	run(t, c, 2*time.Hour)
	require.Equal(t, corev1.PodRunning, c.Pods()[0].Status.Phase)
	require.Empty(t, eventMessages(c, "DeadlineExceeded"))
}
