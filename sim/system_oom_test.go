package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/behavior"
)

// When the node runs out of memory between two passes of the eviction
// manager, the kernel's OOM killer acts first: it kills the process of
// highest badness — resident memory plus oom_score_adj thousandths of the
// machine's memory (mm/oom_kill.c oom_badness) — with the kubelet's
// oom_score_adj by QoS class (pkg/kubelet/qos policy.go: BestEffort 1000,
// Guaranteed -997, Burstable in between by its request). Here a
// Guaranteed pod using the most memory survives and the BestEffort pod,
// using less, is killed; the kubelet reports SystemOOM on the node and
// restarts the container (reason OOMKilled).
func TestSystemOOMKillsByOOMScoreAdj(t *testing.T) {
	c := pressureNode(t, "1.33")
	require.NoError(t, c.CreatePod(sleeper("besteffort", corev1.ResourceRequirements{}),
		uses(behavior.UseMemory(100*mi), behavior.Sleep(4*time.Second), behavior.UseMemory(300*mi))))
	require.NoError(t, c.CreatePod(sleeper("guaranteed", memoryRes("900Mi", "900Mi")),
		uses(behavior.UseMemory(850*mi))))
	// 300Mi + 850Mi = 1150Mi > 1124Mi at 5.2 s, before the pass at 10 s.
	require.NoError(t, c.RunUntil(9*time.Second))
	var systemOOM int
	for _, r := range c.Trace().Events() {
		if r.Event.Reason == "SystemOOM" {
			systemOOM++
			require.Equal(t, "Node", r.Event.InvolvedObject.Kind)
		}
		require.NotEqual(t, "Evicted", r.Event.Reason, "the kernel acted before the eviction manager")
	}
	require.Equal(t, 1, systemOOM)
	be := c.Pod("default", "besteffort").Status.ContainerStatuses[0]
	term := be.State.Terminated
	if term == nil {
		term = be.LastTerminationState.Terminated
	}
	require.NotNil(t, term, "the BestEffort container was killed")
	require.Equal(t, "OOMKilled", term.Reason)
	g := c.Pod("default", "guaranteed").Status.ContainerStatuses[0]
	require.NotNil(t, g.State.Running, "the Guaranteed container, the larger, survives")
	require.Zero(t, g.RestartCount)
}
