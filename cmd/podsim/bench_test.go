package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// podsim bench scale runs a generated cluster, streams its trace to a file
// without keeping it, and reports the run's cost.
func TestBenchScale(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.jsonl")
	code, out, errOut := podsim("bench", "scale", "--pods", "20", "--nodes", "2", "--duration", "10m", "--trace", path)
	require.Equal(t, exitOK, code, errOut)
	for _, want := range []string{"pods 20, nodes 2, kind healthy, 10m0s of virtual time, seed 1, elision true", "wall ", "cpu ", "peak rss ", "events ", "(0 kept in memory)"} {
		require.Contains(t, out, want)
	}
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	lines, pods := 0, map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec struct{ Record, Kind, Name string }
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec))
		if lines == 0 {
			require.Equal(t, "header", rec.Record)
		}
		if rec.Kind == "Pod" {
			pods[rec.Name] = true
		}
		lines++
	}
	require.Len(t, pods, 20, "every pod is in the streamed trace")
	require.Contains(t, out, "records   "+itoa(lines-1)+" ", "the report counts the records written")

	require.Contains(t, out, "(Go soft memory limit 3Gi)")

	code, _, errOut = podsim("bench", "scale", "--nodes", "0")
	require.Equal(t, exitInvalid, code)
	require.True(t, strings.Contains(errOut, "need --nodes"), errOut)
}

// --memory-limit sets the Go runtime's soft limit for the run only; 0
// leaves it alone, and a size it cannot read is an invalid flag.
func TestBenchScaleMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	code, out, errOut := podsim("bench", "scale", "--pods", "2", "--nodes", "1", "--duration", "1m", "--memory-limit", "0")
	require.Equal(t, exitOK, code, errOut)
	if os.Getenv("GOMEMLIMIT") == "" {
		require.Contains(t, out, "(Go soft memory limit none)")
	}
	code, _, errOut = podsim("bench", "scale", "--pods", "2", "--nodes", "1", "--duration", "1m", "--memory-limit", "lots")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, errOut, `--memory-limit "lots" is not a size`)
	require.Equal(t, before, debug.SetMemoryLimit(-1), "the run gives the limit back")
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
