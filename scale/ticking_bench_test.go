package scale

import (
	"runtime"
	"testing"
	"time"

	"github.com/podsim/podsim/sim"
)

// BenchmarkTickingHour is BenchmarkHealthyHour with every elision off
// (sim.Config.NoElision): 100 healthy pods on one node, settled, then one
// simulated hour timed in which each pod's two exec probes run every 10 s,
// 720 runs a pod. It reports every allocation of that hour divided by the
// probe runs in it — an upper bound on what one probe run allocates, since
// the hour's relists, resyncs and node loops are in it too — so that the
// cost of a probe that does run (one that cannot park) stays in view.
func BenchmarkTickingHour(b *testing.B) {
	const (
		pods         = 100
		runsPerHour  = 2 * 360 // liveness and readiness, periodSeconds 10
		probeRunsAll = pods * runsPerHour
	)
	var events, mallocs uint64
	var ms runtime.MemStats
	for b.Loop() {
		b.StopTimer()
		c := build(b, Workload{Pods: pods, Nodes: 1, Kind: Healthy, Config: sim.Config{Seed: 1, NoElision: true}})
		dropTrace(c)
		run(b, c, settle)
		before := c.Engine().Fired()
		runtime.ReadMemStats(&ms)
		m0 := ms.Mallocs
		b.StartTimer()
		run(b, c, settle+time.Hour)
		b.StopTimer()
		runtime.ReadMemStats(&ms)
		mallocs = ms.Mallocs - m0
		events = c.Engine().Fired() - before
		b.StartTimer()
	}
	b.ReportMetric(float64(events)/pods, "events/pod-hour")
	b.ReportMetric(float64(mallocs)/probeRunsAll, "allocs/probe-run")
}
