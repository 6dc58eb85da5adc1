package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/scenarios"
	"github.com/podsim/podsim/sweep"
)

// Output formats of podsim sweep.
const (
	sweepTable = "table"
	sweepJSONL = "jsonl"
	sweepCSV   = "csv"
)

type sweepFlags struct {
	seeds        int
	firstSeed    uint64
	set          []string
	shard        string
	parallel     int
	output       string
	until        time.Duration
	noInvariants bool
	bound        uint64
}

func newSweepCommand(stdout, stderr io.Writer) *cobra.Command {
	var f sweepFlags
	cmd := &cobra.Command{
		Use:   "sweep [flags] FILE",
		Short: "Run a scenario over many seeds and a grid of parameters, and summarize",
		Long: `Run one scenario file once per seed (--seeds) at every point of a grid
(--set, repeated: their cartesian product), on every core, and print per
pod the quantiles of time to Ready, time to the first restart, restarts and
the kubelet's detection times.

  podsim sweep --seeds 1000 scenarios/1b-liveness.yaml
  podsim sweep --seeds 200 \
    --set 'Pod/liveness:spec.containers[liveness].livenessProbe.periodSeconds=5,10' \
    --set 'Pod/liveness:spec.containers[liveness].livenessProbe.failureThreshold=1,3' \
    scenarios/stochastic-liveness.yaml

A --set PATH is a field of the Scenario document (environment.images[centos].startTime.uniform.max)
or, after Kind/name:, of a manifest; its values are YAML, split at commas
outside brackets and quotes. Results come in run order whatever the cores
do, so the output is the same on any machine.

For many machines, run each shard (--shard i/N, from 0) with -o jsonl and
join them with podsim sweep merge: the merge prints what the whole sweep
would have printed.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSweep(cmd, stdout, stderr, args[0], f)
		},
	}
	cmd.Flags().IntVar(&f.seeds, "seeds", 100, "how many seeds each point runs")
	cmd.Flags().Uint64Var(&f.firstSeed, "first-seed", 1, "the first seed; the others follow it")
	cmd.Flags().StringArrayVar(&f.set, "set", nil, "a grid dimension, PATH=V1,V2,… (repeat for more)")
	cmd.Flags().StringVar(&f.shard, "shard", "", "run only shard i/N of the runs (i from 0, as JOB_COMPLETION_INDEX)")
	cmd.Flags().IntVar(&f.parallel, "parallel", 0, "simulations at once (default: one per core)")
	cmd.Flags().StringVarP(&f.output, "output", "o", "", "table (the default), jsonl (every run, for merge and notebooks) or csv (every run and pod)")
	cmd.Flags().DurationVar(&f.until, "until", 0, "run each simulation this long instead of the scenario's duration")
	cmd.Flags().BoolVar(&f.noInvariants, "no-invariants", false, "skip the lifecycle invariant checks (faster)")
	addMaxEventsFlag(cmd, &f.bound)
	cmd.AddCommand(newSweepMergeCommand(stdout))
	return cmd
}

func runSweep(cmd *cobra.Command, stdout, stderr io.Writer, file string, f sweepFlags) error {
	var shard sweep.Shard
	if f.shard != "" {
		s, err := sweep.ParseShard(f.shard)
		if err != nil {
			return &exitError{exitInvalid, err}
		}
		shard = s
	}
	format, err := sweepFormat(f.output, shard.Count > 1)
	if err != nil {
		return err
	}
	plan := &sweep.Plan{File: file, Seeds: sweep.Seeds{First: f.firstSeed, Count: f.seeds}}
	for _, s := range f.set {
		p, err := sweep.ParseSet(s)
		if err != nil {
			return &exitError{exitInvalid, err}
		}
		plan.Grid = append(plan.Grid, p)
	}
	if err := plan.Check(); err != nil {
		return &exitError{exitInvalid, fmt.Errorf("--seeds, --set: %w", err)}
	}
	data, err := in.bytes(file)
	if err != nil {
		return err
	}
	plan.Data = data
	// The file as written first, so that its own mistakes are reported
	// with its own line numbers.
	if _, err := scenarios.Parse(displayName(file), data); err != nil {
		return &exitError{exitInvalid, err}
	}
	opts := sweep.Options{Parallel: f.parallel, Shard: shard, Until: f.until, NoInvariants: f.noInvariants, MaxEvents: f.bound}
	bar := &progressBar{w: stderr}
	if terminal(stderr) {
		opts.Progress = bar.update
	}
	res, err := sweep.Execute(cmd.Context(), plan, opts)
	bar.clear() // before the results, which may go to the same terminal
	if err != nil {
		return &exitError{exitInvalid, err}
	}
	return writeSweep(stdout, res, format)
}

// sweepFormat checks -o: a shard writes its runs (its summary would be of
// part of the sweep only).
func sweepFormat(o string, isShard bool) (string, error) {
	switch {
	case o == "" && isShard:
		return sweepJSONL, nil
	case o == "":
		return sweepTable, nil
	case o != sweepTable && o != sweepJSONL && o != sweepCSV:
		return "", &exitError{exitInvalid, fmt.Errorf("unknown output format %q: use table, jsonl or csv", o)}
	case isShard && o != sweepJSONL:
		return "", &exitError{exitInvalid, errors.New("a shard writes -o jsonl, for podsim sweep merge: its summary would be of part of the sweep only")}
	}
	return o, nil
}

// writeSweep writes the results and turns failed runs into exit code 3,
// naming the first so that it can be run again alone.
func writeSweep(w io.Writer, res *sweep.Results, format string) error {
	var err error
	switch format {
	case sweepJSONL:
		err = res.WriteJSONL(w)
	case sweepCSV:
		err = sweep.WriteCSV(w, res)
	default:
		err = sweep.WriteTable(w, res)
	}
	if err != nil {
		return err
	}
	if n := res.Failed(); n > 0 {
		for _, r := range res.Runs {
			if r.Error != "" {
				msg := r.Error
				if strings.Contains(msg, engine.ErrMaxEvents.Error()) {
					msg += "; if the runs are meant to be this long, raise the bound with --max-events"
				}
				return &exitError{exitSimulation, fmt.Errorf("%d of %d runs failed; the first, run %d (seed %d, point %d): %s", n, len(res.Runs), r.Run, r.Seed, r.Point, msg)}
			}
		}
	}
	return nil
}

func newSweepMergeCommand(stdout io.Writer) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "merge [-o table|jsonl|csv] SHARD.jsonl...",
		Short: "Join the shards of a sweep and print what the whole sweep would have printed",
		Long: `Read the -o jsonl results of every shard of one sweep (podsim sweep --shard
i/N), check that they are the shards of the same sweep — the same file
content, seeds, grid and run length, each shard once, every run once — and
print the whole sweep's summary (or, with -o jsonl, its results, byte for
byte as an unsharded podsim sweep -o jsonl writes them).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := sweepFormat(output, false)
			if err != nil {
				return err
			}
			var parts []*sweep.Results
			for _, name := range args {
				fh, err := os.Open(name)
				if err != nil {
					return &exitError{exitInvalid, err}
				}
				r, err := sweep.ReadJSONL(name, fh)
				fh.Close()
				if err != nil {
					return &exitError{exitInvalid, err}
				}
				parts = append(parts, r)
			}
			res, err := sweep.Merge(parts, args)
			if err != nil {
				return &exitError{exitInvalid, err}
			}
			return writeSweep(stdout, res, format)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "table (the default), jsonl or csv")
	return cmd
}

// terminal reports whether w is a terminal: the progress bar is for people
// watching, never for a file, a pipe or a pod's log.
func terminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressBar redraws one line on a terminal: a bar and the runs done.
type progressBar struct {
	w       io.Writer
	drawn   int // the last percentage drawn, +1 (0: nothing yet)
	visible bool
}

func (b *progressBar) update(done, total int) {
	pct := done * 100 / total
	if pct+1 == b.drawn {
		return
	}
	b.drawn = pct + 1
	const width = 30
	fill := done * width / total
	fmt.Fprintf(b.w, "\r[%s%s] %d/%d runs", strings.Repeat("=", fill), strings.Repeat(" ", width-fill), done, total)
	b.visible = true
}

// clear erases the bar, leaving the terminal as it was.
func (b *progressBar) clear() {
	if b.visible {
		fmt.Fprint(b.w, "\r\033[K")
	}
}
