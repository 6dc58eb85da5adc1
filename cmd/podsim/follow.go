package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/benbjohnson/clock"
	"github.com/spf13/cobra"

	"github.com/podsim/podsim/playback"
	"github.com/podsim/podsim/scenarios"
	"github.com/podsim/podsim/trace"
)

// followClock paces podsim run --follow: real time. Tests run the command
// inside a testing/synctest bubble, where this clock's time is fake.
var followClock = func() playback.Clock { return clock.New() }

// checkFollow refuses --follow and --speed where they mean nothing.
func checkFollow(cmd *cobra.Command, f runFlags, files []string) error {
	if !f.follow {
		if cmd.Flags().Changed("speed") {
			return &exitError{exitInvalid, errors.New("--speed is for --follow")}
		}
		return nil
	}
	switch {
	case f.output != scenarios.FormatWatch && f.output != scenarios.FormatWide:
		return &exitError{exitInvalid, errors.New("--follow plays the watch outputs (the default and -o wide)")}
	case len(files) > 1:
		return &exitError{exitInvalid, errors.New("--follow plays one file at a time")}
	case !(f.speed > 0) || math.IsInf(f.speed, 0):
		return &exitError{exitInvalid, fmt.Errorf("--speed %v: must be a number greater than 0", f.speed)}
	}
	return nil
}

// follow runs the scenario to its end in virtual time, then plays its watch
// lines back at f.speed times real time, as a kubectl get pods -w started
// at --from would print them.
func follow(ctx context.Context, w io.Writer, file string, f runFlags, opts scenarios.Options) error {
	s, err := loadChecked(file, f.stderr, f.strict)
	if err != nil {
		return err
	}
	if f.pod != "" && !s.HasPod(f.pod) {
		return &exitError{exitInvalid, fmt.Errorf("%s: no pod %q in this scenario", displayName(file), f.pod)}
	}
	c, err := s.Run(opts)
	if err != nil {
		return &exitError{exitSimulation, withBoundHint(err)}
	}
	sel := scenarios.RenderOptions{Pod: f.pod, Namespace: f.sel.namespace, Selector: f.sel.parsed}
	rows := trace.WatchTimedRows(sel.Trace(c), trace.WatchOptions{
		Wide: f.output == scenarios.FormatWide, Rules: c.Profile().Lifecycle, Since: f.from,
	})
	return playback.Play(ctx, w, playback.FromWatch(rows, f.from), playback.Options{
		Speed: f.speed, From: f.from, End: s.End(opts), Clock: followClock(),
	})
}
