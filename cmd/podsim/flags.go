package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/sim"
)

// checkTimeFlags refuses a negative time given to any of the named
// duration flags: a run cannot stop, and a watch cannot start, before the
// scenario does.
func checkTimeFlags(cmd *cobra.Command, names ...string) error {
	for _, name := range names {
		fl := cmd.Flags().Lookup(name)
		if fl == nil || !fl.Changed {
			continue
		}
		d, err := time.ParseDuration(fl.Value.String())
		if err == nil && d < 0 {
			return &exitError{exitInvalid, fmt.Errorf("--%s %v: must not be negative (times count from the start of the scenario)", name, d)}
		}
		if err == nil && d == 0 && name == "until" {
			return &exitError{exitInvalid, errors.New("--until 0s: a run must last some time; leave --until out for the scenario's duration")}
		}
	}
	return nil
}

// addMaxEventsFlag adds --max-events, the bound that turns a run that never
// settles into an error.
func addMaxEventsFlag(cmd *cobra.Command, bound *uint64) {
	cmd.Flags().Uint64Var(bound, "max-events", 0, fmt.Sprintf("stop a run after this many events (default %d)", sim.DefaultMaxEvents))
}

// withBoundHint adds to an event-limit error how to raise the bound.
func withBoundHint(err error) error {
	if errors.Is(err, engine.ErrMaxEvents) {
		return fmt.Errorf("%w; if the run is meant to be this long, raise the bound with --max-events", err)
	}
	return err
}
