package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A skipped ranked tick at an instant has passed for every event that
// fires after where it would have fired — the later event itself, and an
// event of lower priority that the later one schedules for the same
// instant — and not for the events before it.
func TestRankedPassedFollowsWhereTheTickWouldHaveFired(t *testing.T) {
	const s = time.Second
	e := New(1)
	type seen struct {
		name   string
		passed bool
	}
	var got []seen
	var tick *Timer
	tick = e.NewTimer(PriorityNormal, func() { tick.ResetRanked(e.Now()+s, e.Now()) })
	look := func(name string) func() {
		return func() { got = append(got, seen{name, tick.RankedPassed(2*s, s)}) }
	}
	e.At(2*s, PriorityAPI, look("api before"))
	early := e.NewTimer(PriorityNormal, look("normal armed earlier"))
	early.ResetRanked(2*s, 0)
	tick.ResetRanked(s, 0) // its rank: after early's
	e.At(1500*time.Millisecond, PriorityNormal, func() {
		e.At(2*s, PriorityNormal, func() {
			got = append(got, seen{"normal armed later", tick.RankedPassed(2*s, s)})
			e.At(2*s, PriorityAPI, look("api scheduled after the tick's place"))
		})
	})
	require.NoError(t, e.RunUntil(s)) // the tick at 1 s runs and re-arms for 2 s
	tick.Stop()                       // then skips it
	require.NoError(t, e.RunUntil(3*s))
	require.Equal(t, []seen{
		{"api before", false},
		{"normal armed earlier", false},
		{"normal armed later", true},
		{"api scheduled after the tick's place", true},
	}, got)
	require.True(t, tick.RankedPassed(2*s, s), "an instant gone by has passed")
	require.False(t, tick.RankedPassed(4*s, 3*s))
}

// A parked loop woken between ticks fires at the next tick of its grid;
// woken at a tick that has run (after RunUntil stopped there), at the one
// after; woken before its parked tick, at that tick.
func TestNextGridTick(t *testing.T) {
	const s = time.Second
	e := New(1)
	loop := e.NewTimer(PriorityNormal, func() {})
	loop.ResetRanked(10*s, 0)
	require.NoError(t, e.RunUntil(5*s))
	require.Equal(t, 10*s, loop.NextGridTick(10*s, 10*s), "before the parked tick")
	loop.Stop()
	require.NoError(t, e.RunUntil(35*s))
	require.Equal(t, 40*s, loop.NextGridTick(10*s, 10*s), "between ticks")
	loop.ResetRanked(40*s, 30*s)
	require.NoError(t, e.RunUntil(40*s))
	loop.Stop()
	require.Equal(t, 50*s, loop.NextGridTick(10*s, 10*s), "at a tick that has run")
}
