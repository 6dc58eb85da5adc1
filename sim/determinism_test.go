package sim_test

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/internal/seeds"
	"github.com/podsim/podsim/trace"
)

// runTrace runs a scenario and returns its whole trace as JSON Lines and
// its watch table.
func runTrace(t *testing.T, s *seeds.Scenario) []byte {
	t.Helper()
	c, err := s.Build()
	require.NoError(t, err)
	require.NoError(t, c.RunUntil(s.Until))
	var b bytes.Buffer
	require.NoError(t, trace.WriteJSONL(&b, c.Trace(), c.Profile().Lifecycle))
	require.NoError(t, trace.Watch(&b, c.Trace(), trace.WatchOptions{Wide: true, Rules: c.Profile().Lifecycle}))
	return b.Bytes()
}

// The same scenario and seed give byte-identical traces: run after run (Go
// randomizes map order per run, so a decision that depended on it would
// show here), and whatever GOMAXPROCS is.
func TestSameInputSameTrace(t *testing.T) {
	builders := map[string]func(uint64) *seeds.Scenario{
		"1a": seeds.InitialDelay, "1b": seeds.Liveness, "1d": seeds.NoSigterm, "1e": seeds.ReadinessGate,
	}
	for _, name := range []string{"1a", "1b", "1d", "1e"} {
		t.Run(name, func(t *testing.T) {
			build := builders[name]
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
			runtime.GOMAXPROCS(1)
			first := runTrace(t, build(6))
			require.NotEmpty(t, first)
			for i, procs := range []int{1, 8, 8, 2} {
				runtime.GOMAXPROCS(procs)
				again := runTrace(t, build(6))
				if !bytes.Equal(first, again) {
					t.Fatalf("run %d (GOMAXPROCS=%d) differs:\n%s", i+2, procs, cmp.Diff(string(first), string(again)))
				}
			}
			other := runTrace(t, build(7))
			if name == "1b" {
				require.NotEqual(t, first, other, "a different seed should change the 1b trace (UIDs, jitter)")
			}
		})
	}
}
