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
// never every kubelet: the events 20 pods cost, one on each of the first
// 20 nodes, are the same whether the cluster has 20 nodes or 200 (the
// nodes' own loops, measured without pods, taken away). Were every change
// delivered to every kubelet, the 200-node figure would be about 10 × the
// kubelets' deliveries of the 20-node one. (NoElision, so that each
// delivery is an event of its own: with elision one event delivers a
// change to all its watchers. Within 5 %. The pods are one
// to a node in both, because the sync ticks and relists a pod's own work
// calls for are shared by the pods of one node: 20 pods on one node cost
// about a fifth less than on 20.)
func TestPodEventsDoNotGrowWithNodes(t *testing.T) {
	const pods, d = 20, 2 * time.Minute
	perPods := func(nodes int) uint64 {
		cfg := sim.Config{Seed: 1, NoElision: true}
		with := firedBy(t, Workload{Pods: pods, Nodes: nodes, Kind: Healthy, Config: cfg}, d)
		without := firedBy(t, Workload{Pods: 0, Nodes: nodes, Kind: Healthy, Config: cfg}, d)
		return with - without
	}
	few, many := perPods(pods), perPods(200)
	t.Logf("events of %d pods over %v: %d on %d nodes, %d on 200 nodes", pods, d, few, pods, many)
	require.InDelta(t, float64(few), float64(many), 0.05*float64(few),
		"the pods' events must not depend on how many nodes there are")
}

func TestBuildRejectsBadWorkloads(t *testing.T) {
	_, err := Workload{Pods: 1, Nodes: 0, Kind: Healthy}.Build()
	require.ErrorContains(t, err, "at least one node")
	_, err = Workload{Pods: 1, Nodes: 1, Kind: "sleepy"}.Build()
	require.ErrorContains(t, err, `unknown pod kind "sleepy"`)
}
