package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/podsim/podsim/chart"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/scenarios"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
	"github.com/spf13/cobra"
)

// runFlags are the flags of podsim run.
type runFlags struct {
	output   string
	at       time.Duration
	until    time.Duration
	seed     uint64
	pod      string
	timezone string
	from     time.Duration
	bound    uint64
	follow   bool
	speed    float64
	files    []string
	sel      selectorFlags
	strict   bool
	stderr   io.Writer
}

func newRunCommand(stdout io.Writer) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run FILE...",
		Short: "Run scenarios and print what kubectl would print",
		Long: `Run each scenario file and print its pods as kubectl would show them.

Output formats (-o):
  (default)  the lines of kubectl get pods -w
  wide       the same with IP, NODE, NOMINATED NODE and READINESS GATES
  describe   kubectl describe pod, at --at (default: the end)
  yaml, json the pod objects with their status, at --at (default: the end)
  jsonl      the whole trace as JSON Lines, for notebooks
  timeline   every pod change, event, hook, signal and exit, with its cause
  csv        one row per interval of a pod's state (one file only)
  svg, png   a chart: one lane per pod, phases, Ready, restarts and events
             (one file only; redirect it: podsim run -o svg f.yaml > f.svg)

FILE may be -, or -f -, for standard input.`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: completeFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			args, err := fileArgs(f.files, args)
			if err != nil {
				return err
			}
			f.stderr = cmd.ErrOrStderr()
			if err := checkTimeFlags(cmd, "until", "at", "from"); err != nil {
				return err
			}
			if err := f.sel.parse(); err != nil {
				return err
			}
			if !slices.Contains(scenarios.Formats, f.output) && !slices.Contains(chart.Formats, f.output) {
				return &exitError{exitInvalid, fmt.Errorf("unknown output format %q: use %s", f.output, formatList)}
			}
			if len(args) > 1 && slices.Contains(singleFileFormats, f.output) {
				return &exitError{exitInvalid, fmt.Errorf("-o %s shows one scenario: give one file", f.output)}
			}
			if f.from > 0 && f.output != scenarios.FormatWatch && f.output != scenarios.FormatWide {
				return &exitError{exitInvalid, errors.New("--from is for the watch outputs (the default and -o wide)")}
			}
			if f.at > 0 && !scenarios.PointInTime(f.output) {
				return &exitError{exitInvalid, errors.New("--at is for the point-in-time outputs (-o describe, yaml, json); use --until to stop a watch early")}
			}
			if err := checkFollow(cmd, f, args); err != nil {
				return err
			}
			loc := time.UTC
			if f.timezone != "" {
				l, err := time.LoadLocation(f.timezone)
				if err != nil {
					return &exitError{exitInvalid, fmt.Errorf("--timezone: %v", err)}
				}
				loc = l
			}
			opts := scenarios.Options{Until: f.until, MaxEvents: f.bound}
			if cmd.Flags().Changed("seed") {
				opts.Seed = &f.seed
			}
			for i, file := range args {
				// Several files: a comment line before each, except in JSON
				// Lines, where each run's header record marks its start.
				if len(args) > 1 && f.output != scenarios.FormatJSONL {
					if i > 0 {
						fmt.Fprintln(stdout)
					}
					fmt.Fprintf(stdout, "# %s\n", displayName(file))
				}
				if f.follow {
					return follow(cmd.Context(), stdout, file, f, opts)
				}
				if err := runOne(stdout, cmd.ErrOrStderr(), file, f, opts, loc); err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&f.output, "output", "o", "", "output format: "+formatList)
	cmd.Flags().DurationVar(&f.at, "at", 0, "the moment of the point-in-time outputs (describe, yaml, json)")
	cmd.Flags().DurationVar(&f.until, "until", 0, "stop the run at this time instead of the scenario's duration")
	cmd.Flags().Uint64Var(&f.seed, "seed", 0, "replace the scenario's seed")
	cmd.Flags().StringVar(&f.pod, "pod", "", "show only this pod")
	cmd.Flags().DurationVar(&f.from, "from", 0, "start the watch outputs at this time, as a kubectl get pods -w typed then")
	cmd.Flags().StringVar(&f.timezone, "timezone", "", "time zone of describe's timestamps, e.g. Asia/Shanghai (default UTC)")
	addMaxEventsFlag(cmd, &f.bound)
	cmd.Flags().BoolVar(&f.follow, "follow", false, "play the watch back live, each line at its moment, as a kubectl get pods -w would print it")
	cmd.Flags().Float64Var(&f.speed, "speed", 1, "with --follow: how many seconds of the run one second shows (10: ten times faster)")
	addFilenameFlag(cmd, &f.files)
	addStrictFlag(cmd, &f.strict)
	f.sel.add(cmd)
	_ = cmd.RegisterFlagCompletionFunc("output", completeOutputs)
	_ = cmd.RegisterFlagCompletionFunc("pod", completePods)
	return cmd
}

func runOne(w, stderr io.Writer, file string, f runFlags, opts scenarios.Options, loc *time.Location) error {
	s, err := loadChecked(file, stderr, f.strict)
	if err != nil {
		return err
	}
	if f.pod != "" && !s.HasPod(f.pod) {
		return &exitError{exitInvalid, fmt.Errorf("%s: no pod %q in this scenario", displayName(file), f.pod)}
	}
	var c *sim.Cluster
	if f.at > 0 {
		c, err = s.RunTo(f.at, opts)
	} else {
		c, err = s.Run(opts)
	}
	if err != nil {
		return &exitError{exitSimulation, withBoundHint(err)}
	}
	render := scenarios.RenderOptions{Format: f.output, Pod: f.pod, Namespace: f.sel.namespace, Selector: f.sel.parsed, Location: loc, From: f.from}
	if slices.Contains(chart.Formats, f.output) {
		var pods []string
		if f.pod != "" || f.sel.namespace != "" || f.sel.parsed != nil {
			pods = render.PodNames(c)
		}
		// The file's base name, so that the picture does not depend on the
		// directory it was run from.
		title := fmt.Sprintf("%s: Kubernetes %s, seed %d", filepath.Base(displayName(file)), c.Profile().Version, c.Config().Seed)
		return chart.Write(w, f.output, c.Trace(), c.Profile().Lifecycle, chart.Options{Title: title, Pods: pods})
	}
	return scenarios.Render(w, c, render)
}

// formatList names the output formats for messages.
const formatList = "wide, describe, yaml, json, jsonl, timeline, csv, svg or png"

// singleFileFormats are the outputs that hold one run: a table with one
// header row, a picture.
var singleFileFormats = []string{scenarios.FormatCSV, "svg", "png"}

func newTestCommand(stdout io.Writer) *cobra.Command {
	var seed, bound uint64
	var files []string
	var strict bool
	cmd := &cobra.Command{
		Use:   "test FILE...",
		Short: "Run scenarios and check their expectations",
		Long: `Run each scenario file and check the expectations of its Scenario document.
A failed expectation is shown as a diff (-want +got) on standard output; the
exit code is 1 if any failed. Files that cannot be read or run are reported
on standard error. FILE may be -, or -f -, for standard input.`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: completeFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			args, err := fileArgs(files, args)
			if err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			opts := scenarios.Options{MaxEvents: bound}
			if cmd.Flags().Changed("seed") {
				opts.Seed = &seed
			}
			var failed, invalid, broken int
			for _, file := range args {
				name := displayName(file)
				s, err := loadChecked(file, stderr, strict)
				if err != nil {
					invalid++
					fmt.Fprintf(stderr, "INVALID %s\n%s\n", name, indent(err.Error()))
					continue
				}
				failures, _, err := s.Test(opts)
				switch {
				case err != nil:
					broken++
					fmt.Fprintf(stderr, "ERROR   %s\n%s\n", name, indent(withBoundHint(err).Error()))
				case len(failures) > 0:
					failed++
					fmt.Fprintf(stdout, "FAIL    %s\n", name)
					for _, f := range failures {
						fmt.Fprintln(stdout, indent(f.String()))
					}
				default:
					fmt.Fprintf(stdout, "ok      %s (%s)\n", name, plural(s.Expectations(), "check"))
				}
			}
			switch {
			case broken > 0:
				return &exitError{exitSimulation, fmt.Errorf("%d of %d scenarios could not run", broken, len(args))}
			case invalid > 0:
				return &exitError{exitInvalid, fmt.Errorf("%d of %d scenarios are invalid", invalid, len(args))}
			case failed > 0:
				return &exitError{exitFailed, fmt.Errorf("%d of %d scenarios failed", failed, len(args))}
			}
			return nil
		},
	}
	cmd.Flags().Uint64Var(&seed, "seed", 0, "replace every scenario's seed")
	addMaxEventsFlag(cmd, &bound)
	addFilenameFlag(cmd, &files)
	addStrictFlag(cmd, &strict)
	return cmd
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n")
}

func newValidateCommand(stdout io.Writer) *cobra.Command {
	var files []string
	cmd := &cobra.Command{
		Use:               "validate FILE...",
		Short:             "Check scenario files without running them",
		Long:              "Check scenario files without running them. FILE may be -, or -f -, for standard input.",
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: completeFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			args, err := fileArgs(files, args)
			if err != nil {
				return err
			}
			var errs []string
			for _, file := range args {
				if _, err := loadChecked(file, cmd.ErrOrStderr(), false); err != nil {
					errs = append(errs, err.Error())
					continue
				}
				fmt.Fprintf(stdout, "ok      %s\n", displayName(file))
			}
			if len(errs) > 0 {
				return &exitError{exitInvalid, errors.New(strings.Join(errs, "\n"))}
			}
			return nil
		},
	}
	addFilenameFlag(cmd, &files)
	return cmd
}

func newVersionsCommand(stdout io.Writer) *cobra.Command {
	var changes bool
	cmd := &cobra.Command{
		Use:   "versions [VERSION]",
		Short: "List the Kubernetes versions podsim can follow, and what differs between them",
		Long: `List the Kubernetes versions podsim can follow, the default marked.

  podsim versions --changes   what each version changes, row by row
  podsim versions 1.35        every switch's value in 1.35

docs/versions.md explains each row.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return printProfile(stdout, args[0])
			}
			for _, v := range sim.SupportedVersions {
				suffix := ""
				if v == sim.DefaultVersion {
					suffix = " (default)"
				}
				fmt.Fprintf(stdout, "%s%s\n", v, suffix)
				if !changes {
					continue
				}
				var minor int
				fmt.Sscanf(v, "1.%d", &minor)
				for _, c := range profile.ChangesIn(minor) {
					fmt.Fprintf(stdout, "  %s: %s (%s; %s)\n", c.Field, profile.ValueString(c.ValueAt(minor)), c.Behaviour, c.Where)
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&changes, "changes", false, "under each version, the rows of docs/versions.md that change in it")
	return cmd
}

// printProfile writes every row's value in one version.
func printProfile(w io.Writer, version string) error {
	p, err := sim.ProfileFor(version)
	if err != nil {
		return &exitError{exitInvalid, err}
	}
	fmt.Fprintf(w, "Kubernetes %s\n", p.Version)
	for _, c := range profile.Changes {
		fmt.Fprintf(w, "  %s: %s (%s)\n", c.Field, profile.ValueString(c.ValueAt(p.Minor)), c.Behaviour)
	}
	return nil
}

// plural writes "1 check", "3 checks".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// newVersionCommand prints podsim's own version, as kubectl version prints
// the client's, with the Go that built it and the Kubernetes versions it
// follows.
func newVersionCommand(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print podsim's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(stdout, "podsim %s\n", trace.PodsimVersion())
			fmt.Fprintf(stdout, "built with %s for %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
			fmt.Fprintf(stdout, "follows Kubernetes %s (default %s)\n", strings.Join(sim.SupportedVersions, ", "), sim.DefaultVersion)
			return nil
		},
	}
}
