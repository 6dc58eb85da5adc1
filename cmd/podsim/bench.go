package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/podsim/podsim/scale"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

func newBenchCommand(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure podsim itself on generated clusters",
	}
	cmd.AddCommand(newBenchScaleCommand(stdout))
	return cmd
}

type benchScaleFlags struct {
	pods, nodes int
	duration    time.Duration
	kind        string
	seed        uint64
	traceFile   string
	keep        bool
	noElision   bool
	maxEvents   uint64
	memLimit    string
}

// Sizing of the event bound of podsim bench scale when --max-events is not
// given: generous for the generated workloads (a pod's creation and start,
// then under 200 events an hour for an idle healthy pod, a node's loops
// about 3,600 an hour), so that only a runaway reaches it.
const (
	benchEventsPerPod      = 1_000 // creating and starting one: about 52 by the time it runs
	benchEventsPerPodHour  = 2_000
	benchEventsPerNodeHour = 50_000
)

func newBenchScaleCommand(stdout io.Writer) *cobra.Command {
	var f benchScaleFlags
	cmd := &cobra.Command{
		Use:   "scale",
		Short: "Run many generated pods on many nodes and report what it cost",
		Long: `Build a cluster of --nodes nodes and --pods identical pods (package scale:
healthy busybox pods with liveness and readiness exec probes, or
crash-looping ones), run it for --duration of virtual time, and print the
wall time, CPU time, peak memory (RSS), engine events and trace records.

  podsim bench scale --pods 100000 --nodes 1000 --duration 24h
  podsim bench scale --pods 1000 --nodes 10 --duration 1h --trace run.jsonl

The trace streams to --trace (a JSON Lines file, - for standard output) or
is counted and dropped: a run of any length keeps no history in memory
unless --keep-trace. The Go runtime's soft memory limit is --memory-limit
(3Gi unless told otherwise), so that the collector works harder rather than
let the heap double past what is live. The figures are the machine's, not the simulation's:
they vary from run to run, unlike everything else podsim prints.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runBenchScale(stdout, f) },
	}
	fl := cmd.Flags()
	fl.IntVar(&f.pods, "pods", 1000, "pods to create")
	fl.IntVar(&f.nodes, "nodes", 10, "nodes to spread them over")
	fl.DurationVar(&f.duration, "duration", time.Hour, "virtual time to run")
	fl.StringVar(&f.kind, "kind", string(scale.Healthy), "what each pod does: healthy or crashloop")
	fl.Uint64Var(&f.seed, "seed", 1, "the run's seed")
	fl.StringVar(&f.traceFile, "trace", "", "write the trace as JSON Lines to this file as the run goes (- for standard output)")
	fl.BoolVar(&f.keep, "keep-trace", false, "keep the whole trace in memory, as podsim run does")
	fl.BoolVar(&f.noElision, "no-elision", false, "tick every probe period (sim.Config.NoElision)")
	fl.StringVar(&f.memLimit, "memory-limit", defaultBenchMemoryLimit, "the Go runtime's soft memory limit for the run (runtime/debug.SetMemoryLimit), a quantity such as 3Gi; 0 leaves it to GOMEMLIMIT")
	fl.Uint64Var(&f.maxEvents, "max-events", 0, fmt.Sprintf("bound on engine events (default %d per pod + %d per pod-hour + %d per node-hour)", benchEventsPerPod, benchEventsPerPodHour, benchEventsPerNodeHour))
	return cmd
}

// defaultBenchMemoryLimit is the soft memory limit podsim bench scale
// gives the Go runtime. Left to GOGC alone, the collector lets the heap
// grow to twice what is live before it collects, so a run whose live heap
// is 1.5 GiB peaks near 3–4 GiB of RSS; under the limit it collects more
// often as the heap nears it, trading some CPU for a bounded peak (issue
// 10: 100,000 pods in 4 GiB). A live heap above the limit is not an error:
// the collector then runs as GOGC says.
const defaultBenchMemoryLimit = "3Gi"

func runBenchScale(stdout io.Writer, f benchScaleFlags) error {
	if f.pods < 0 || f.nodes < 1 || f.duration <= 0 {
		return &exitError{exitInvalid, fmt.Errorf("bench scale: need --nodes ≥ 1, --pods ≥ 0 and a positive --duration")}
	}
	memLimit, err := resource.ParseQuantity(f.memLimit)
	if err != nil || memLimit.Sign() < 0 {
		return &exitError{exitInvalid, fmt.Errorf("bench scale: --memory-limit %q is not a size such as 3Gi or 0", f.memLimit)}
	}
	if limit := memLimit.Value(); limit > 0 {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(limit))
	}
	hours := f.duration.Hours()
	bound := f.maxEvents
	if bound == 0 {
		bound = uint64(float64(f.pods)*(benchEventsPerPod+hours*benchEventsPerPodHour)+hours*float64(f.nodes)*benchEventsPerNodeHour) + 1_000_000
	}
	w := scale.Workload{Pods: f.pods, Nodes: f.nodes, Kind: scale.Kind(f.kind),
		Config: sim.Config{Seed: f.seed, MaxEvents: bound, NoElision: f.noElision}}
	start, cpu0 := time.Now(), cpuTime()
	c, err := w.Build()
	if err != nil {
		return &exitError{exitInvalid, err}
	}
	built, cpuBuilt := time.Since(start), cpuTime()
	tr := c.Trace()
	var stream *trace.JSONLStream
	if f.traceFile != "" {
		out := stdout
		if f.traceFile != "-" {
			file, err := os.Create(f.traceFile)
			if err != nil {
				return &exitError{exitInvalid, err}
			}
			defer file.Close()
			out = file
		}
		tr.Header.Duration = f.duration
		if stream, err = trace.NewJSONLStream(out, tr.Header, c.Profile().Lifecycle); err != nil {
			return &exitError{exitInvalid, err}
		}
	}
	switch {
	case f.keep && stream != nil:
		tr.Forward = stream
		for _, r := range tr.All() {
			stream.Add(r)
		}
	case !f.keep && stream != nil:
		tr.StreamTo(stream)
	case !f.keep:
		tr.StreamTo(trace.SinkFunc(func(trace.Record) {}))
	}
	runErr := c.RunUntil(f.duration)
	wall, cpu := time.Since(start), cpuTime()
	records := tr.Len() + tr.Discarded
	report := stdout
	if f.traceFile == "-" {
		report = os.Stderr
	}
	fmt.Fprintf(report, "pods %d, nodes %d, kind %s, %v of virtual time, seed %d, elision %v\n", f.pods, f.nodes, f.kind, f.duration, f.seed, !f.noElision)
	fmt.Fprintf(report, "wall      %v (building %v)\n", wall.Round(time.Millisecond), built.Round(time.Millisecond))
	fmt.Fprintf(report, "cpu       %v (building %v)\n", (cpu - cpu0).Round(time.Millisecond), (cpuBuilt - cpu0).Round(time.Millisecond))
	fmt.Fprintf(report, "peak rss  %.1f MiB (Go soft memory limit %s)\n", float64(peakRSS())/(1<<20), memLimitText(memLimit))
	fmt.Fprintf(report, "events    %d (%.1f per pod-hour)\n", c.Engine().Fired(), perPodHour(c.Engine().Fired(), f.pods, hours))
	fmt.Fprintf(report, "records   %d (%d kept in memory)\n", records, tr.Len())
	if stream != nil && stream.Err() != nil {
		return &exitError{exitInvalid, stream.Err()}
	}
	if runErr != nil {
		return &exitError{exitSimulation, runErr}
	}
	return nil
}

func memLimitText(q resource.Quantity) string {
	if q.IsZero() {
		if env := os.Getenv("GOMEMLIMIT"); env != "" {
			return env + " (GOMEMLIMIT)"
		}
		return "none"
	}
	return q.String()
}

func perPodHour(n uint64, pods int, hours float64) float64 {
	if pods == 0 || hours == 0 {
		return 0
	}
	return float64(n) / float64(pods) / hours
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the process's peak resident set size in bytes (Linux reports
// kilobytes).
func peakRSS() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Maxrss * 1024
}
