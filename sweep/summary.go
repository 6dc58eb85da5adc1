package sweep

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/podsim/podsim/trace"
)

// Metric names a measure of PodMetrics, as the summary shows it.
type Metric struct {
	Name string
	// Count says the values are counts, not durations.
	Count bool
	get   func(PodMetrics) (float64, bool)
}

func timeMetric(name string, f func(PodMetrics) *Seconds) Metric {
	return Metric{Name: name, get: func(m PodMetrics) (float64, bool) {
		if s := f(m); s != nil {
			return float64(*s), true
		}
		return 0, false
	}}
}

// Metrics are the measures a summary shows, in its order.
var Metrics = []Metric{
	timeMetric("time to ready", func(m PodMetrics) *Seconds { return m.Ready }),
	timeMetric("time to first restart", func(m PodMetrics) *Seconds { return m.FirstRestart }),
	{Name: "restarts", Count: true, get: func(m PodMetrics) (float64, bool) { return float64(m.Restarts), true }},
	timeMetric("liveness detection", func(m PodMetrics) *Seconds { return m.LivenessDetection }),
	timeMetric("readiness detection", func(m PodMetrics) *Seconds { return m.ReadinessDetection }),
}

// Quantiles are the probabilities a summary shows, besides the mean, the
// minimum and the maximum.
var Quantiles = []float64{0.05, 0.25, 0.5, 0.75, 0.95, 0.99}

// Stat is one metric of one pod at one point, over the runs where it
// happened.
type Stat struct {
	Point  int
	Params []string // the point's values, in grid order
	Pod    string   // namespace/name
	Metric Metric
	// N is the number of runs where it happened, of Of runs of the point
	// that ended without an error.
	N, Of int
	// Mean, Min, Max and Quantiles (one per package Quantiles) are
	// meaningful when N > 0. Quantiles are empirical: each is a value some
	// run gave (gonum's stat.Quantile with stat.Empirical).
	Mean, Min, Max float64
	Quantiles      []float64
}

// Summarize computes the Stats of every point, pod and metric, in that
// order, from results in run order, so the same results always give the
// same numbers to the last bit.
func Summarize(r *Results) []Stat {
	points := r.Header.points()
	type key struct {
		point int
		pod   string
	}
	values := map[key][][]float64{}
	ok := make([]int, points)
	pods := make([][]string, points) // per point, in first-seen order
	for _, run := range r.Runs {
		if run.Error != "" {
			continue
		}
		ok[run.Point]++
		for _, m := range run.Pods {
			k := key{run.Point, m.Namespace + "/" + m.Pod}
			if _, seen := values[k]; !seen {
				values[k] = make([][]float64, len(Metrics))
				pods[run.Point] = append(pods[run.Point], k.pod)
			}
			for i, metric := range Metrics {
				if v, happened := metric.get(m); happened {
					values[k][i] = append(values[k][i], v)
				}
			}
		}
	}
	var out []Stat
	for point := range points {
		names := slices.Clone(pods[point])
		slices.Sort(names)
		for _, pod := range names {
			for i, metric := range Metrics {
				x := slices.Clone(values[key{point, pod}][i])
				slices.Sort(x) // stat.Quantile needs sorted data
				st := Stat{Point: point, Pod: pod, Metric: metric, N: len(x), Of: ok[point]}
				if len(x) > 0 {
					st.Mean, st.Min, st.Max = stat.Mean(x, nil), x[0], x[len(x)-1]
					for _, q := range Quantiles {
						st.Quantiles = append(st.Quantiles, stat.Quantile(q, stat.Empirical, x, nil))
					}
				}
				out = append(out, st)
			}
		}
	}
	return out
}

// WriteTable writes the summary as a table: a comment line that says what
// ran, then one row per point, pod and metric. Times are Go durations
// rounded to the millisecond; counts are numbers.
func WriteTable(w io.Writer, r *Results) error {
	h := r.Header
	points := h.points()
	what := fmt.Sprintf("%d runs: seeds %d to %d", h.Runs, h.Seeds.First, h.Seeds.First+uint64(h.Seeds.Count)-1)
	if points > 1 {
		what += fmt.Sprintf(" at each of %d points", points)
	}
	if failed := r.Failed(); failed > 0 {
		what += fmt.Sprintf(", %d failed", failed)
	}
	if _, err := fmt.Fprintf(w, "# podsim sweep %s: %s\n", h.File, what); err != nil {
		return err
	}
	header := []string{}
	for _, g := range h.Grid {
		header = append(header, strings.ToUpper(g.Name))
	}
	header = append(header, "POD", "METRIC", "RUNS", "MEAN", "MIN")
	for _, q := range Quantiles {
		header = append(header, "P"+strconv.FormatFloat(q*100, 'f', -1, 64))
	}
	header = append(header, "MAX")
	rows := [][]string{header}
	p := &Plan{Seeds: h.Seeds, Grid: h.Grid}
	for _, st := range Summarize(r) {
		row := slices.Clone(p.Point(st.Point))
		row = append(row, strings.TrimPrefix(st.Pod, "default/"), st.Metric.Name, fmt.Sprintf("%d/%d", st.N, st.Of))
		if st.N == 0 {
			for range 3 + len(Quantiles) {
				row = append(row, "-")
			}
		} else {
			f := func(v float64) string { return formatValue(st.Metric, v) }
			mean := f(st.Mean)
			if st.Metric.Count {
				mean = strconv.FormatFloat(st.Mean, 'f', 2, 64)
			}
			row = append(row, mean, f(st.Min))
			for _, q := range st.Quantiles {
				row = append(row, f(q))
			}
			row = append(row, f(st.Max))
		}
		rows = append(rows, row)
	}
	return trace.WriteTable(w, rows)
}

// points is the number of points of the header's grid.
func (h Header) points() int {
	p := Plan{Grid: h.Grid}
	return p.Points()
}

func formatValue(m Metric, v float64) string {
	if m.Count {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return Seconds(v).Duration().Round(time.Millisecond).String()
}
