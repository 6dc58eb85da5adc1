package sweep_test

import (
	"context"
	"testing"

	"github.com/podsim/podsim/sweep"
)

// BenchmarkSweepSeed1b is podsim sweep of seed 1b on every core: one op
// is one run (simulation, metrics, result), so ns/op is the sweep's cost
// per run divided by the cores that share it.
func BenchmarkSweepSeed1b(b *testing.B) {
	p := plan(b, "1b-liveness.yaml", b.N)
	b.ResetTimer()
	if _, err := sweep.Execute(context.Background(), p, sweep.Options{}); err != nil {
		b.Fatal(err)
	}
}
