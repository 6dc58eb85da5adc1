package sim_test

import (
	"testing"

	"github.com/podsim/podsim/internal/seeds"
)

// BenchmarkSeedLiveness runs the whole of seed 1b — 13 minutes of a pod
// restarted by its liveness probe into CrashLoopBackOff — from building the
// cluster to the end, with invariant checks off as a library user would run.
func BenchmarkSeedLiveness(b *testing.B) {
	b.ReportAllocs()
	var events uint64
	for b.Loop() {
		s := seeds.Liveness(87)
		s.Config.CheckInvariants = false
		c, err := s.Build()
		if err != nil {
			b.Fatal(err)
		}
		if err := c.RunUntil(s.Until); err != nil {
			b.Fatal(err)
		}
		events = c.Engine().Fired()
	}
	b.ReportMetric(float64(events), "events/run")
}
