package scale

import (
	"runtime"
	"testing"
	"time"

	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

// settle is how long a generated cluster runs before a benchmark starts
// timing: the pods are created, started, probed and Ready.
const settle = 5 * time.Minute

func build(b *testing.B, w Workload) *sim.Cluster {
	b.Helper()
	c, err := w.Build()
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func run(b *testing.B, c *sim.Cluster, until time.Duration) {
	b.Helper()
	if err := c.RunUntil(until); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkHealthyHour is the idle cost: 1,000 healthy pods with liveness
// and readiness probes on 10 nodes, settled, then one more simulated hour —
// the part timed. Nothing changes in that hour, so every event and every
// nanosecond of it is what simulating time costs.
func BenchmarkHealthyHour(b *testing.B) {
	const pods = 1000
	b.ReportAllocs()
	var events uint64
	for b.Loop() {
		b.StopTimer()
		c := build(b, Workload{Pods: pods, Nodes: 10, Kind: Healthy, Config: sim.Config{Seed: 1}})
		run(b, c, settle)
		before := c.Engine().Fired()
		b.StartTimer()
		run(b, c, settle+time.Hour)
		events = c.Engine().Fired() - before
	}
	b.ReportMetric(float64(events)/pods, "events/pod-hour")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/pods, "ns/pod-hour")
}

// heapAfterGC is the live heap.
func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// dropTrace streams the cluster's trace to nowhere: no record is kept.
func dropTrace(c *sim.Cluster) { c.Trace().StreamTo(trace.SinkFunc(func(trace.Record) {})) }

// idleClusters keeps BenchmarkIdlePodMemory's last two clusters alive after
// it, so that a heap profile (-memprofile, written when the tests end) shows
// what they hold.
var idleClusters [2]*sim.Cluster

// BenchmarkIdlePodMemory is the live heap a settled healthy pod costs:
// a cluster of 10 nodes with 1,000 pods against the same nodes with none,
// both run to the same time. The trace's records are reported beside it,
// so that the memory beyond them can be read off.
func BenchmarkIdlePodMemory(b *testing.B) {
	const pods = 1000
	for _, streamed := range []bool{false, true} {
		name := "trace=kept"
		if streamed {
			name = "trace=streamed"
		}
		b.Run(name, func(b *testing.B) {
			var perPod, records float64
			for b.Loop() {
				empty := build(b, Workload{Pods: 0, Nodes: 10, Kind: Healthy, Config: sim.Config{Seed: 1}})
				if streamed {
					dropTrace(empty)
				}
				run(b, empty, settle)
				withNodes := heapAfterGC()
				c := build(b, Workload{Pods: pods, Nodes: 10, Kind: Healthy, Config: sim.Config{Seed: 1}})
				if streamed {
					dropTrace(c)
				}
				run(b, c, settle)
				full := heapAfterGC()
				perPod = (float64(full) - float64(withNodes)) / pods
				records = float64(len(c.Trace().Pods())) / pods
				idleClusters = [2]*sim.Cluster{empty, c}
			}
			b.ReportMetric(perPod, "heap-B/pod")
			b.ReportMetric(records, "pod-records-kept/pod")
		})
	}
}

// BenchmarkCrashLoopTraceGrowth is how fast one crash-looping pod's trace
// grows once its back-off is full: the live heap after two simulated hours
// against after one (the pod's restarts every five minutes are its only
// change).
func BenchmarkCrashLoopTraceGrowth(b *testing.B) {
	for _, streamed := range []bool{false, true} {
		name := "trace=kept"
		if streamed {
			name = "trace=streamed"
		}
		b.Run(name, func(b *testing.B) {
			var perHour, recordsPerHour float64
			for b.Loop() {
				c := build(b, Workload{Pods: 1, Nodes: 1, Kind: CrashLoop, Config: sim.Config{Seed: 1}})
				if streamed {
					dropTrace(c)
				}
				count := func() int { return c.Trace().Len() + c.Trace().Discarded }
				run(b, c, time.Hour)
				h1, r1 := heapAfterGC(), count()
				run(b, c, 2*time.Hour)
				h2, r2 := heapAfterGC(), count()
				perHour = float64(h2) - float64(h1)
				recordsPerHour = float64(r2 - r1)
				runtime.KeepAlive(c)
			}
			b.ReportMetric(perHour, "heap-B/hour")
			b.ReportMetric(recordsPerHour, "records/hour")
		})
	}
}
