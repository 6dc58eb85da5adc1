package playback

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/liggitt/tabwriter"

	"github.com/podsim/podsim/trace"
)

// Clock is the time playback is paced by. benbjohnson/clock's Clock
// satisfies it: clock.New() for real time, a *clock.Mock in tests.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// Row is a row of the table, due at a virtual time.
type Row struct {
	At    time.Duration
	Cells []string
}

// Table is a watch to play back.
type Table struct {
	// Header is printed with the first row written.
	Header []string
	// Listed are the rows of the list a watch prints when it starts (the
	// pods that exist at From), printed at once, in one flush with the
	// header.
	Listed [][]string
	// Rows are the watch events, in order of At, each flushed on its own.
	Rows []Row
}

// Options say how fast to play and over what span.
type Options struct {
	// Speed is how many seconds of virtual time one second of real time
	// shows: 10 plays a 13-minute run in 78 s. It must be greater than 0.
	Speed float64
	// From is the virtual time the watch starts at: the Listed rows, and a
	// row due at From, are written at once.
	From time.Duration
	// End is the virtual time the run ends: Play returns (End − From)/Speed
	// after it began, or after the last row if that is later.
	End time.Duration
	// Clock paces the playback.
	Clock Clock
}

// kubectl's tab writer (k8s.io/cli-runtime/pkg/printers/tabwriter.go).
const (
	tabwriterMinWidth = 6
	tabwriterWidth    = 4
	tabwriterPadding  = 3
	tabwriterPadChar  = ' '
	tabwriterFlags    = tabwriter.RememberWidths
)

// Play writes the table to w as a watching kubectl would, each row at its
// moment. It returns when the run's end is reached, when ctx is done (with
// ctx's error), or when a write fails.
func Play(ctx context.Context, w io.Writer, t Table, o Options) error {
	if !(o.Speed > 0) || math.IsInf(o.Speed, 0) {
		return fmt.Errorf("playback: speed %v must be a number greater than 0", o.Speed)
	}
	if o.Clock == nil {
		return errors.New("playback: no clock")
	}
	start := o.Clock.Now()
	due := func(at time.Duration) time.Time {
		return start.Add(time.Duration(float64(at-o.From) / o.Speed))
	}
	tw := tabwriter.NewWriter(w, tabwriterMinWidth, tabwriterWidth, tabwriterPadding, tabwriterPadChar, tabwriterFlags)
	header := t.Header
	writeRow := func(cells []string) {
		if header != nil {
			io.WriteString(tw, strings.Join(header, "\t")+"\n")
			header = nil
		}
		io.WriteString(tw, strings.Join(cells, "\t")+"\n")
	}
	for _, cells := range t.Listed {
		writeRow(cells)
	}
	if len(t.Listed) > 0 {
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	for _, r := range t.Rows {
		if err := wait(ctx, o.Clock, due(r.At)); err != nil {
			return err
		}
		writeRow(r.Cells)
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return wait(ctx, o.Clock, due(o.End))
}

// wait blocks until the clock reaches t or ctx is done.
func wait(ctx context.Context, c Clock, t time.Time) error {
	d := t.Sub(c.Now())
	if d <= 0 {
		return ctx.Err()
	}
	select {
	case <-c.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// FromWatch makes a Table of trace.WatchTimedRows's rows for a watch
// started at from: the header, then at from > 0 the rows a watch lists
// when it starts (those at from), then the events.
func FromWatch(rows []trace.TimedRow, from time.Duration) Table {
	if len(rows) == 0 {
		return Table{}
	}
	t := Table{Header: rows[0].Cells}
	rest := rows[1:]
	if from > 0 {
		for len(rest) > 0 && rest[0].At == from {
			t.Listed = append(t.Listed, rest[0].Cells)
			rest = rest[1:]
		}
	}
	for _, r := range rest {
		t.Rows = append(t.Rows, Row{At: r.At, Cells: r.Cells})
	}
	return t
}
