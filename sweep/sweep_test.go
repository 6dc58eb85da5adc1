package sweep_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/sweep"
)

func plan(t testing.TB, file string, seeds int, sets ...string) *sweep.Plan {
	t.Helper()
	data, err := os.ReadFile(bundled(file))
	require.NoError(t, err)
	p := &sweep.Plan{File: file, Data: data, Seeds: sweep.Seeds{First: 1, Count: seeds}}
	for _, s := range sets {
		g, err := sweep.ParseSet(s)
		require.NoError(t, err)
		p.Grid = append(p.Grid, g)
	}
	return p
}

func jsonl(t *testing.T, r *sweep.Results) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, r.WriteJSONL(&b))
	return b.String()
}

func execute(t *testing.T, p *sweep.Plan, o sweep.Options) *sweep.Results {
	t.Helper()
	r, err := sweep.Execute(context.Background(), p, o)
	require.NoError(t, err)
	return r
}

// One core or eight, the results are the same bytes: each run is put at
// its number, whatever order the goroutines finish in.
func TestResultsDoNotDependOnParallelism(t *testing.T) {
	p := plan(t, "stochastic-liveness.yaml", 12, "Pod/liveness:spec.containers[liveness].livenessProbe.periodSeconds=5,10")
	one := jsonl(t, execute(t, p, sweep.Options{Parallel: 1, Until: sweepUntil}))
	for range 3 {
		require.Equal(t, one, jsonl(t, execute(t, p, sweep.Options{Parallel: 8, Until: sweepUntil})))
	}
	require.Equal(t, 25, strings.Count(one, "\n"), "a header and 24 runs")
}

// sweepUntil keeps the tests short.
const sweepUntil = 150e9

// Every bundled scenario gives the same results in parallel as one run at a
// time: the runs of a point share its loaded scenario, and nothing of it
// may change while they run. (Run with -race to also catch a write that
// happens not to change a result.)
func TestBundledScenariosInParallel(t *testing.T) {
	files, err := filepath.Glob(bundled("*.yaml"))
	require.NoError(t, err)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			p := plan(t, filepath.Base(f), 4)
			serial := execute(t, p, sweep.Options{Parallel: 1})
			require.Zero(t, serial.Failed(), "%+v", serial.Runs)
			require.Equal(t, jsonl(t, serial), jsonl(t, execute(t, p, sweep.Options{Parallel: 4})))
		})
	}
}

// Shards run apart, then merged, are the whole sweep: the same results,
// byte for byte, and the same summary.
func TestShardsMergeToTheWholeSweep(t *testing.T) {
	p := plan(t, "stochastic-liveness.yaml", 10, "environment.images[centos].probeLatency.exponential.mean=10ms,500ms")
	whole := execute(t, p, sweep.Options{Until: sweepUntil})
	var parts []*sweep.Results
	var names []string
	for i := range 3 {
		part := execute(t, p, sweep.Options{Shard: sweep.Shard{Index: i, Count: 3}, Until: sweepUntil})
		require.Equal(t, strings.Split(jsonl(t, part), "\n")[0], strings.Replace(strings.Split(jsonl(t, whole), "\n")[0], `"runs":20}`, `"runs":20,"shard":"`+part.Header.Shard+`"}`, 1))
		// Through the bytes a machine would send.
		back, err := sweep.ReadJSONL("part", strings.NewReader(jsonl(t, part)))
		require.NoError(t, err)
		parts, names = append(parts, back), append(names, part.Header.Shard)
	}
	merged, err := sweep.Merge([]*sweep.Results{parts[2], parts[0], parts[1]}, []string{names[2], names[0], names[1]})
	require.NoError(t, err)
	require.Equal(t, jsonl(t, whole), jsonl(t, merged))
	var a, b bytes.Buffer
	require.NoError(t, sweep.WriteTable(&a, whole))
	require.NoError(t, sweep.WriteTable(&b, merged))
	require.Equal(t, a.String(), b.String())
}

func TestMergeRefusals(t *testing.T) {
	p := plan(t, "1a-initial-delay.yaml", 4)
	shard := func(i, n int) *sweep.Results {
		return execute(t, p, sweep.Options{Shard: sweep.Shard{Index: i, Count: n}, Until: 60e9})
	}
	other := execute(t, plan(t, "1a-initial-delay.yaml", 5), sweep.Options{Shard: sweep.Shard{Index: 1, Count: 2}, Until: 60e9})
	whole := execute(t, p, sweep.Options{Until: 60e9})
	cut := shard(1, 2)
	cut.Runs = cut.Runs[:1]
	for _, tc := range []struct {
		name  string
		parts []*sweep.Results
		want  string
	}{
		{"a missing shard", []*sweep.Results{shard(0, 3), shard(2, 3)}, "2 shards given, the sweep has 3: missing [1/3]"},
		{"a shard twice", []*sweep.Results{shard(0, 2), shard(0, 2)}, "a and b: both are shard 0/2"},
		{"another sweep", []*sweep.Results{shard(0, 2), other}, "b: a shard of another sweep than a (the file's content, the seeds, the grid, the run length or the event bound differ)"},
		{"not a shard", []*sweep.Results{whole}, `a: not the results of a shard (no "shard" in its header)`},
		{"split two ways", []*sweep.Results{shard(0, 2), shard(1, 3)}, "b: shard 1/3 of a sweep split 3 ways, a was split 2 ways"},
		{"cut short", []*sweep.Results{shard(0, 2), cut}, "run 3 is in no shard: a shard's results are cut short"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sweep.Merge(tc.parts, []string{"a", "b", "c"}[:len(tc.parts)])
			require.EqualError(t, err, tc.want)
		})
	}
}

func TestReadJSONLRefusesOtherLines(t *testing.T) {
	r := execute(t, plan(t, "1a-initial-delay.yaml", 1), sweep.Options{Shard: sweep.Shard{Index: 0, Count: 1}, Until: 60e9})
	text := jsonl(t, r)
	_, err := sweep.ReadJSONL("shard-0.jsonl", strings.NewReader(text+"warning: something on stderr\n"))
	require.ErrorContains(t, err, "shard-0.jsonl:3: not a podsim sweep record")
	_, err = sweep.ReadJSONL("empty.jsonl", strings.NewReader(""))
	require.EqualError(t, err, "empty.jsonl: empty: no podsim sweep header")
}

// A point whose file cannot be read stops the sweep before any run, with
// the point's values in front of the loader's error.
func TestPointErrors(t *testing.T) {
	p := plan(t, "1b-liveness.yaml", 2, "Pod/liveness:spec.containers[liveness].livenessProbe.periodSeconds=5,-1")
	_, err := sweep.Execute(context.Background(), p, sweep.Options{})
	var pe *sweep.PointError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, 1, pe.Point)
	require.Contains(t, err.Error(), "with periodSeconds=-1: 1b-liveness.yaml:")
	require.Contains(t, err.Error(), "spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0")
}

// A cancelled sweep stops starting runs and says why.
func TestExecuteCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := sweep.Execute(ctx, plan(t, "1a-initial-delay.yaml", 50), sweep.Options{Parallel: 2})
	require.ErrorIs(t, err, context.Canceled)
}

// Progress is reported once per run, from the caller's goroutine, up to
// the total.
func TestProgress(t *testing.T) {
	var seen []int
	execute(t, plan(t, "1a-initial-delay.yaml", 6), sweep.Options{Parallel: 3, Until: 60e9, Progress: func(done, total int) {
		require.Equal(t, 6, total)
		seen = append(seen, done)
	}})
	require.Equal(t, []int{1, 2, 3, 4, 5, 6}, seen)
}
