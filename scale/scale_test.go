package scale

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/sim"
)

// firedBy runs the workload for d and returns the engine's event count.
func firedBy(t *testing.T, w Workload, d time.Duration) uint64 {
	t.Helper()
	c, err := w.Build()
	require.NoError(t, err)
	require.NoError(t, c.RunUntil(d))
	return c.Engine().Fired()
}

// A pod's change reaches the kubelet of its own node and the controllers,
// never every kubelet: the events 20 pods cost are the same whether the
// cluster has 1 node or 200 (the nodes' own loops, measured without pods,
// taken away). Were every change delivered to every kubelet, the 200-node
// figure would be about 200 × the deliveries of the 1-node one. (Within
// 10 %: an idle node's loops cost nothing, and the sync ticks and relists
// a pod's own work calls for are shared by the pods of one node, not by
// pods each on a node of its own.)
func TestPodEventsDoNotGrowWithNodes(t *testing.T) {
	const pods, d = 20, 2 * time.Minute
	perPods := func(nodes int) uint64 {
		cfg := sim.Config{Seed: 1}
		with := firedBy(t, Workload{Pods: pods, Nodes: nodes, Kind: Healthy, Config: cfg}, d)
		without := firedBy(t, Workload{Pods: 0, Nodes: nodes, Kind: Healthy, Config: cfg}, d)
		return with - without
	}
	one, many := perPods(1), perPods(200)
	t.Logf("events of %d pods over %v: %d on 1 node, %d on 200 nodes", pods, d, one, many)
	require.InDelta(t, float64(one), float64(many), 0.10*float64(one),
		"the pods' events must not depend on how many nodes there are")
}

func TestBuildRejectsBadWorkloads(t *testing.T) {
	_, err := Workload{Pods: 1, Nodes: 0, Kind: Healthy}.Build()
	require.ErrorContains(t, err, "at least one node")
	_, err = Workload{Pods: 1, Nodes: 1, Kind: "sleepy"}.Build()
	require.ErrorContains(t, err, `unknown pod kind "sleepy"`)
}
