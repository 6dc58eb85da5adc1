package scale

import (
	"testing"

	"github.com/podsim/podsim/sim"
)

// BenchmarkStart is the cost of creating and starting pods: 1,000 healthy
// pods on 10 nodes built and run to the end of the settling (5 minutes), by
// when every pod has been created, admitted, started, probed and is Ready —
// all of it timed, the trace streamed to nowhere as `podsim bench scale`
// does. The events and allocations per pod do not depend on the machine's
// load; the time does.
func BenchmarkStart(b *testing.B) {
	const pods = 1000
	b.ReportAllocs()
	var events uint64
	for b.Loop() {
		c := build(b, Workload{Pods: pods, Nodes: 10, Kind: Healthy, Config: sim.Config{Seed: 1}})
		dropTrace(c)
		run(b, c, settle)
		events = c.Engine().Fired()
	}
	b.ReportMetric(float64(events)/pods, "events/pod")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/pods, "ns/pod")
}
