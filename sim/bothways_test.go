package sim_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

// bothWaysRuns is what bothWays found: the elided run's output, the events
// each run fired (elided, ticked) and the elided run's cluster.
type bothWaysRuns struct {
	out    string
	fired  [2]uint64
	elided *sim.Cluster
}

// bothWays runs build twice to until, with elision and with
// sim.Config.NoElision (ticking every period), and requires the same
// output from both: the trace as JSON Lines and as a timeline, then what
// also (if not nil) writes of each run — its events, say; also may check
// each run as well. On a difference it names the first line that differs
// and, with PODSIM_ELISION_DUMP=dir, keeps both outputs in dir as
// name-elided.txt and name-ticked.txt.
func bothWays(t *testing.T, name string, until time.Duration, build func(t *testing.T, noElision bool) *sim.Cluster, also func(w io.Writer, c *sim.Cluster, noElision bool)) bothWaysRuns {
	t.Helper()
	var out [2]bytes.Buffer
	var runs bothWaysRuns
	for i, noElision := range []bool{false, true} {
		c := build(t, noElision)
		require.NoError(t, c.RunUntil(until))
		require.NoError(t, trace.WriteJSONL(&out[i], c.Trace(), c.Profile().Lifecycle))
		require.NoError(t, trace.Timeline(&out[i], c.Trace(), trace.TimelineOptions{}))
		if also != nil {
			also(&out[i], c, noElision)
		}
		runs.fired[i] = c.Engine().Fired()
		if !noElision {
			runs.elided = c
		}
	}
	if elided, ticked := out[0].String(), out[1].String(); elided != ticked {
		if dir := os.Getenv("PODSIM_ELISION_DUMP"); dir != "" {
			_ = os.WriteFile(filepath.Join(dir, name+"-elided.txt"), out[0].Bytes(), 0o644)
			_ = os.WriteFile(filepath.Join(dir, name+"-ticked.txt"), out[1].Bytes(), 0o644)
		}
		e, k := strings.Split(elided, "\n"), strings.Split(ticked, "\n")
		for j := range min(len(e), len(k)) {
			if e[j] != k[j] {
				t.Fatalf("%s: the run with elision differs from the one ticking every period at line %d (set PODSIM_ELISION_DUMP=dir to keep both):\nticked: %s\nelided: %s", name, j+1, k[j], e[j])
			}
		}
		t.Fatalf("%s: the run with elision differs from the one ticking every period in length: %d against %d lines", name, len(e), len(k))
	}
	runs.out = out[0].String()
	return runs
}
