package sweep_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/sweep"
)

// ten runs whose first restart came at 1 s, 2 s, … 10 s (in reverse run
// order, so the summary must sort), one run that failed, and one pod that
// was Ready in half of them.
func tenRuns() *sweep.Results {
	r := &sweep.Results{Header: sweep.Header{Schema: sweep.Schema, File: "t.yaml", Seeds: sweep.Seeds{First: 1, Count: 11}, Grid: []sweep.Param{}, Runs: 11}}
	for i := range 10 {
		restart := sweep.Seconds(10 - i)
		m := sweep.PodMetrics{Namespace: "default", Pod: "app", FirstRestart: &restart, Restarts: int32(i % 3)}
		if i%2 == 0 {
			ready := sweep.Seconds(2.5)
			m.Ready = &ready
		}
		r.Runs = append(r.Runs, sweep.Result{Run: i, Seed: uint64(i + 1), Params: map[string]string{}, Pods: []sweep.PodMetrics{m}})
	}
	r.Runs = append(r.Runs, sweep.Result{Run: 10, Seed: 11, Params: map[string]string{}, Pods: []sweep.PodMetrics{}, Error: "boom"})
	return r
}

// The quantiles are empirical (gonum's stat.Quantile, stat.Empirical): the
// smallest value whose share of the runs at or below it reaches p, so each
// is a value some run gave. Failed runs are left out; a metric counts the
// runs where it happened.
func TestSummarize(t *testing.T) {
	stats := sweep.Summarize(tenRuns())
	require.Len(t, stats, len(sweep.Metrics))
	byName := map[string]sweep.Stat{}
	for _, st := range stats {
		byName[st.Metric.Name] = st
	}
	fr := byName["time to first restart"]
	require.Equal(t, "default/app", fr.Pod)
	require.Equal(t, 10, fr.N)
	require.Equal(t, 10, fr.Of)
	require.Equal(t, 5.5, fr.Mean)
	require.Equal(t, 1.0, fr.Min)
	require.Equal(t, 10.0, fr.Max)
	require.Equal(t, []float64{1, 3, 5, 8, 10, 10}, fr.Quantiles, "P5 P25 P50 P75 P95 P99")
	require.Equal(t, 5, byName["time to ready"].N)
	require.Equal(t, 0, byName["liveness detection"].N)
}

func TestWriteTable(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, sweep.WriteTable(&b, tenRuns()))
	require.Equal(t, `# podsim sweep t.yaml: 11 runs: seeds 1 to 11, 1 failed
POD   METRIC                  RUNS    MEAN   MIN    P5     P25    P50    P75    P95    P99    MAX
app   time to ready           5/10    2.5s   2.5s   2.5s   2.5s   2.5s   2.5s   2.5s   2.5s   2.5s
app   time to first restart   10/10   5.5s   1s     1s     3s     5s     8s     10s    10s    10s
app   restarts                10/10   0.90   0      0      0      1      2      2      2      2
app   liveness detection      0/10    -      -      -      -      -      -      -      -      -
app   readiness detection     0/10    -      -      -      -      -      -      -      -      -
`, b.String())
}

func TestWriteCSV(t *testing.T) {
	r := tenRuns()
	r.Runs = r.Runs[8:]
	var b bytes.Buffer
	require.NoError(t, sweep.WriteCSV(&b, r))
	require.Equal(t, `run,seed,point,namespace,pod,ready_s,first_restart_s,restarts,liveness_detection_s,readiness_detection_s,error
8,9,0,default,app,2.5,2,2,,,
9,10,0,default,app,,1,0,,,
10,11,0,,,,,,,,boom
`, b.String())
}

// A sweep of seed 1a over two periods of its readiness probe: with 5 s the
// pod is Ready at 35 s and loses it 10 s after the first failure, with
// 10 s at 40 s and 20 s after. The seeds change nothing here (1a draws no
// random number that matters), so every quantile is the same.
func ExampleWriteTable() {
	data, err := os.ReadFile("../scenarios/1a-initial-delay.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	grid, _ := sweep.ParseSet("Pod/initial-delay:spec.containers[0].readinessProbe.periodSeconds=5,10")
	plan := &sweep.Plan{File: "1a-initial-delay.yaml", Data: data, Seeds: sweep.Seeds{First: 1, Count: 3}, Grid: []sweep.Param{grid}}
	res, err := sweep.Execute(context.Background(), plan, sweep.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	sweep.WriteTable(os.Stdout, res)
	// Output:
	// # podsim sweep 1a-initial-delay.yaml: 6 runs: seeds 1 to 3 at each of 2 points
	// PERIODSECONDS   POD             METRIC                  RUNS   MEAN     MIN      P5       P25      P50      P75      P95      P99      MAX
	// 5               initial-delay   time to ready           3/3    35.04s   35.04s   35.04s   35.04s   35.04s   35.04s   35.04s   35.04s   35.04s
	// 5               initial-delay   time to first restart   0/3    -        -        -        -        -        -        -        -        -
	// 5               initial-delay   restarts                3/3    0.00     0        0        0        0        0        0        0        0
	// 5               initial-delay   liveness detection      0/3    -        -        -        -        -        -        -        -        -
	// 5               initial-delay   readiness detection     3/3    10s      10s      10s      10s      10s      10s      10s      10s      10s
	// 10              initial-delay   time to ready           3/3    40.04s   40.04s   40.04s   40.04s   40.04s   40.04s   40.04s   40.04s   40.04s
	// 10              initial-delay   time to first restart   0/3    -        -        -        -        -        -        -        -        -
	// 10              initial-delay   restarts                3/3    0.00     0        0        0        0        0        0        0        0
	// 10              initial-delay   liveness detection      0/3    -        -        -        -        -        -        -        -        -
	// 10              initial-delay   readiness detection     3/3    20s      20s      20s      20s      20s      20s      20s      20s      20s
}
