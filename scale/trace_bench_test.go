package scale

import (
	"runtime"
	"testing"
	"time"

	"github.com/podsim/podsim/sim"
)

// BenchmarkCrashLoopPodTraceGrowth is what one crash-looping pod adds to
// the live heap per simulated hour once its back-off is full, its trace
// kept: the growth of its cluster from 1 h to 2 h against that of the same
// node without the pod, whose own records (a Lease renewal every 10 s, a
// status report every 5 min) grow the trace too.
func BenchmarkCrashLoopPodTraceGrowth(b *testing.B) {
	growth := func(pods int) (heap, records float64) {
		c := build(b, Workload{Pods: pods, Nodes: 1, Kind: CrashLoop, Config: sim.Config{Seed: 1}})
		run(b, c, time.Hour)
		h1, r1 := heapAfterGC(), c.Trace().Len()
		run(b, c, 2*time.Hour)
		h2, r2 := heapAfterGC(), c.Trace().Len()
		runtime.KeepAlive(c)
		return float64(h2) - float64(h1), float64(r2 - r1)
	}
	var pod, node, podRecords, nodeRecords float64
	for b.Loop() {
		node, nodeRecords = growth(0)
		pod, podRecords = growth(1)
	}
	b.ReportMetric(pod-node, "pod-heap-B/hour")
	b.ReportMetric(podRecords-nodeRecords, "pod-records/hour")
	b.ReportMetric(node, "node-heap-B/hour")
	b.ReportMetric(nodeRecords, "node-records/hour")
}
