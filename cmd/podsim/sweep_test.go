package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	batchv1 "k8s.io/api/batch/v1"
	"sigs.k8s.io/yaml"
)

// asCLI is set in the environment of the test binary run as podsim: the
// re-exec pattern, so that a test can run shards as separate processes
// without building a binary.
const asCLI = "PODSIM_TEST_AS_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(asCLI) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// podsimProcess runs podsim as a process of its own and returns its stdout.
func podsimProcess(t *testing.T, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), asCLI+"=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "podsim %s: %s", strings.Join(args, " "), stderr.String())
	require.Empty(t, stderr.String(), "nothing on stderr when it is not a terminal")
	return stdout.Bytes()
}

// The acceptance's shard test: a sweep run as four shards, each a process
// of its own running at the same time, as the pods of an Indexed Job would;
// their outputs merged by a fifth process equal the sweep run whole, byte
// for byte — the results and the summary.
func TestShardsAsProcessesMergeToTheWholeSweep(t *testing.T) {
	dir := t.TempDir()
	sweepArgs := []string{"sweep", "--seeds", "15", "--until", "3m",
		"--set", "Pod/liveness:spec.containers[liveness].livenessProbe.periodSeconds=5,10",
		scenario("stochastic-liveness.yaml")}
	whole := podsimProcess(t, append(sweepArgs, "-o", "jsonl")...)
	wholeTable := podsimProcess(t, sweepArgs...)

	const n = 4
	shards := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		shards[i] = filepath.Join(dir, "shard-"+string(rune('0'+i))+".jsonl")
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := podsimProcess(t, append(sweepArgs, "--shard", string(rune('0'+i))+"/4")...)
			require.NoError(t, os.WriteFile(shards[i], out, 0o644))
		}()
	}
	wg.Wait()

	merged := podsimProcess(t, append([]string{"sweep", "merge", "-o", "jsonl"}, shards...)...)
	require.Equal(t, string(whole), string(merged))
	// In any order of the files.
	mergedTable := podsimProcess(t, "sweep", "merge", shards[3], shards[1], shards[0], shards[2])
	require.Equal(t, string(wholeTable), string(mergedTable))
	require.Contains(t, string(wholeTable), "time to first restart")
	require.Equal(t, 31, strings.Count(string(whole), "\n"), "a header and 30 runs")
}

// The acceptance's sweep: quantiles of the time to the first restart over
// seeds of seed 1b (fewer here than the 1,000 of docs/performance.md, to
// keep the test short; the command is the same).
func TestSweepSeed1b(t *testing.T) {
	code, out, errOut := podsim("sweep", "--seeds", "20", scenario("1b-liveness.yaml"))
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(out, "\n")
	require.Equal(t, "# podsim sweep ../../scenarios/1b-liveness.yaml: 20 runs: seeds 1 to 20", lines[0])
	require.Equal(t, strings.Fields("POD METRIC RUNS MEAN MIN P5 P25 P50 P75 P95 P99 MAX"), strings.Fields(lines[1]))
	require.Equal(t, strings.Fields("liveness time to first restart 20/20 1m17.6s 1m17.6s 1m17.6s 1m17.6s 1m17.6s 1m17.6s 1m17.6s 1m17.6s 1m17.6s"), strings.Fields(lines[3]))
}

func TestSweepRefusals(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "--seeds", "0", scenario("1b-liveness.yaml")}, "error: --seeds, --set: seeds: 0: must be at least 1\n"},
		{[]string{"sweep", "--set", "periodSeconds", scenario("1b-liveness.yaml")}, "error: --set \"periodSeconds\": want PATH=VALUE[,VALUE…]\n"},
		{[]string{"sweep", "--shard", "4/4", scenario("1b-liveness.yaml")}, "error: --shard \"4/4\": want i/N with 0 ≤ i < N, such as 0/4\n"},
		{[]string{"sweep", "--shard", "0/4", "-o", "table", scenario("1b-liveness.yaml")}, "error: a shard writes -o jsonl, for podsim sweep merge: its summary would be of part of the sweep only\n"},
		{[]string{"sweep", "-o", "yaml", scenario("1b-liveness.yaml")}, "error: unknown output format \"yaml\": use table, jsonl or csv\n"},
		{[]string{"sweep", "--set", "Pod/nothere:spec.restartPolicy=Never", scenario("1b-liveness.yaml")}, "error: with restartPolicy=Never: Pod/nothere:spec.restartPolicy: the file has no Pod \"nothere\"\n"},
		{[]string{"sweep", "no-such-file.yaml"}, "error: open no-such-file.yaml: no such file or directory\n"},
		{[]string{"sweep", "merge", scenario("1b-liveness.yaml")}, "error: ../../scenarios/1b-liveness.yaml:1: not a podsim sweep record (invalid character '#' looking for beginning of value); the file must hold only what podsim sweep -o jsonl wrote\n"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := podsim(tc.args...)
			require.Equal(t, exitInvalid, code)
			require.Empty(t, out)
			require.Equal(t, tc.want, errOut)
		})
	}
}

// The Indexed Job of examples/sweep runs one shard per pod: its command
// is a podsim sweep whose --shard is JOB_COMPLETION_INDEX of as many shards
// as the Job has completions, writing -o jsonl for podsim sweep merge.
func TestIndexedJobExample(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "sweep", "job.yaml"))
	require.NoError(t, err)
	var job batchv1.Job
	require.NoError(t, yaml.UnmarshalStrict(data, &job))
	require.Equal(t, batchv1.IndexedCompletion, *job.Spec.CompletionMode)
	n := *job.Spec.Completions
	require.Equal(t, n, *job.Spec.Parallelism)
	c := job.Spec.Template.Spec.Containers[0]
	args := strings.Join(append(c.Command, c.Args...), " ")
	require.Contains(t, args, "podsim sweep ")
	require.Contains(t, args, "--shard $(JOB_COMPLETION_INDEX)/"+string(rune('0'+n)))
	require.Contains(t, args, "-o jsonl")
}

// The progress bar redraws one line, at most once per percent, and leaves
// nothing behind. (It is drawn only when stderr is a terminal: the tests'
// stderr is a buffer, so the other sweep tests see none.)
func TestProgressBar(t *testing.T) {
	var b bytes.Buffer
	bar := &progressBar{w: &b}
	for done := 1; done <= 400; done++ {
		bar.update(done, 400)
	}
	require.Equal(t, 101, strings.Count(b.String(), "\r"), "0% to 100%, once each")
	require.True(t, strings.HasSuffix(b.String(), "\r[==============================] 400/400 runs"))
	bar.clear()
	require.True(t, strings.HasSuffix(b.String(), "\r\033[K"))
	var none bytes.Buffer
	(&progressBar{w: &none}).clear()
	require.Empty(t, none.String())
	require.False(t, terminal(&none))
}

// Runs that fail are counted in the summary, which is still written, and
// the exit code is 3 with the first failure and the way out named.
func TestSweepFailedRuns(t *testing.T) {
	code, out, errOut := podsim("sweep", "--seeds", "3", "--max-events", "50", scenario("1a-initial-delay.yaml"))
	require.Equal(t, exitSimulation, code)
	require.True(t, strings.HasPrefix(out, "# podsim sweep ../../scenarios/1a-initial-delay.yaml: 3 runs: seeds 1 to 3, 3 failed\n"), out)
	require.True(t, strings.HasPrefix(errOut, "error: 3 of 3 runs failed; the first, run 0 (seed 1, point 0): ../../scenarios/1a-initial-delay.yaml: at "), errOut)
	require.True(t, strings.HasSuffix(errOut, "; if the runs are meant to be this long, raise the bound with --max-events\n"), errOut)
}
