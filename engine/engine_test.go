package engine

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestEngineOrdersByTimePrioritySequence(t *testing.T) {
	e := New(1)
	var got []string
	add := func(at time.Duration, p Priority, name string) {
		e.At(at, p, func() { got = append(got, name) })
	}
	add(2*time.Second, PriorityNormal, "t2-normal-first")
	add(1*time.Second, PriorityAction, "t1-action")
	add(1*time.Second, PriorityNormal, "t1-normal-a")
	add(1*time.Second, PriorityAPI, "t1-api")
	add(1*time.Second, PriorityNormal, "t1-normal-b")
	add(2*time.Second, PriorityNormal, "t2-normal-second")
	require.NoError(t, e.Run())
	want := []string{"t1-api", "t1-normal-a", "t1-normal-b", "t1-action", "t2-normal-first", "t2-normal-second"}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("firing order (-want +got):\n%s", d)
	}
	require.Equal(t, 2*time.Second, e.Now())
}

func TestTimerResetAndStopDropLazily(t *testing.T) {
	e := New(1)
	var fired []time.Duration
	tm := e.NewTimer(PriorityNormal, func() { fired = append(fired, e.Now()) })
	tm.Reset(5 * time.Second)
	tm.Reset(3 * time.Second) // moves it: the 5 s item is now stale
	require.Equal(t, 2, e.Pending(), "the stale item stays queued until it surfaces")
	require.NoError(t, e.RunUntil(10*time.Second))
	require.Equal(t, []time.Duration{3 * time.Second}, fired)

	tm.Reset(12 * time.Second)
	require.True(t, tm.Stop())
	require.False(t, tm.Stop())
	require.NoError(t, e.RunUntil(20*time.Second))
	require.Equal(t, []time.Duration{3 * time.Second}, fired, "a stopped timer never fires")
	require.Equal(t, uint64(1), e.Fired())
}

func TestTimerCanRearmItselfWhileFiring(t *testing.T) {
	e := New(1)
	var ticks []time.Duration
	var tm *Timer
	tm = e.NewTimer(PriorityNormal, func() {
		ticks = append(ticks, e.Now())
		tm.ResetAfter(time.Second)
	})
	tm.Reset(0)
	require.NoError(t, e.RunUntil(3500*time.Millisecond))
	require.Equal(t, []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second}, ticks)
	require.Equal(t, 3500*time.Millisecond, e.Now())
}

func TestSchedulingInThePastIsAnError(t *testing.T) {
	e := New(1)
	e.At(2*time.Second, PriorityNormal, func() {
		e.At(time.Second, PriorityNormal, func() { t.Fatal("must not fire") })
	})
	err := e.Run()
	require.True(t, errors.Is(err, ErrPastEvent), "got %v", err)
}

func TestMaxEventsTurnsARunawayIntoAnError(t *testing.T) {
	e := New(1)
	e.MaxEvents = 10
	var tm *Timer
	tm = e.NewTimer(PriorityNormal, func() { tm.ResetAfter(time.Millisecond) })
	tm.Reset(0)
	err := e.Run()
	require.True(t, errors.Is(err, ErrMaxEvents), "got %v", err)
	require.Equal(t, uint64(10), e.Fired())
}

func TestMaxEventsIsNotAnErrorWhenTheQueueDrainsExactly(t *testing.T) {
	e := New(1)
	e.MaxEvents = 2
	e.At(time.Second, PriorityNormal, func() {})
	e.At(2*time.Second, PriorityNormal, func() {})
	require.NoError(t, e.Run())
}

func TestStreamsAreSeededAndIndependent(t *testing.T) {
	draw := func(seed uint64, warmOther bool) []uint64 {
		e := New(seed)
		if warmOther {
			other := e.Stream("other")
			for range 100 {
				other.Uint64()
			}
		}
		s := e.Stream("kubelet/node-a/requeue")
		return []uint64{s.Uint64(), s.Uint64(), s.Uint64()}
	}
	require.Equal(t, draw(7, false), draw(7, false), "same seed, same draws")
	require.Equal(t, draw(7, false), draw(7, true), "draws on one stream do not shift another")
	require.NotEqual(t, draw(7, false), draw(8, false), "the seed matters")
	e := New(7)
	require.Same(t, e.Stream("x"), e.Stream("x"))
	require.NotEqual(t, e.Stream("x").Uint64(), e.Stream("y").Uint64())
}

func FuzzEngineOrder(f *testing.F) {
	f.Add([]byte{3, 1, 4, 1, 5, 9, 2, 6})
	f.Fuzz(func(t *testing.T, data []byte) {
		e := New(1)
		type fire struct {
			at   time.Duration
			prio Priority
			seq  int
		}
		var got []fire
		timers := make([]*Timer, 0, len(data))
		for i, b := range data {
			at := time.Duration(b%16) * time.Second
			prio := Priority(b/16%3) - 1
			i := i
			tm := e.At(at, prio, func() { got = append(got, fire{e.Now(), prio, i}) })
			timers = append(timers, tm)
			if b%5 == 0 && i > 0 {
				timers[i-1].Stop()
			}
		}
		require.NoError(t, e.Run())
		for i := 1; i < len(got); i++ {
			a, b := got[i-1], got[i]
			ordered := a.at < b.at || (a.at == b.at && (a.prio < b.prio || (a.prio == b.prio && a.seq < b.seq)))
			require.True(t, ordered, "events out of order: %+v then %+v", a, b)
		}
	})
}

// A failure stops the run at once, wins over the engine's own errors and
// is reported by Err; the first one is kept.
func TestFailStopsTheRun(t *testing.T) {
	e := New(1)
	first, second := errors.New("first"), errors.New("second")
	var fired []time.Duration
	for _, at := range []time.Duration{time.Second, 2 * time.Second, 3 * time.Second} {
		e.At(at, PriorityNormal, func() {
			fired = append(fired, e.Now())
			if e.Now() == 2*time.Second {
				e.Fail(first)
				e.Fail(second)
				e.At(0, PriorityNormal, func() {}) // in the past: ErrPastEvent, but the failure wins
			}
		})
	}
	err := e.RunUntil(10 * time.Second)
	require.ErrorIs(t, err, first)
	require.Equal(t, []time.Duration{time.Second, 2 * time.Second}, fired)
	require.Equal(t, 2*time.Second, e.Now(), "the clock stays where the run failed")
	require.False(t, e.Step())
}

func TestWallIsEpochPlusVirtualTime(t *testing.T) {
	e := New(1)
	e.Epoch = time.Date(2022, 8, 29, 11, 24, 0, 500_000_000, time.UTC)
	require.Equal(t, time.Date(2022, 8, 29, 11, 25, 30, 500_000_000, time.UTC), e.Wall(90*time.Second))
}

// A ranked periodic timer, stopped (parked) at 10 s when it would next
// tick at 20 s, learns in each event of 20 s whether its tick there would
// already have fired: for the events ordered before it, no; for those
// after it, yes — and for an event of a higher priority that one after it
// schedules for the same instant, yes too: it sorts before the tick but
// fires after it. The answer agrees with where a ticking copy of it fires.
func TestRankedPassedInEachEventOfTheInstant(t *testing.T) {
	e := New(1)
	var got []string
	var parked, ticking *Timer
	parked = e.NewTimer(PriorityNormal, func() {})
	ticking = e.NewTimer(PriorityNormal, func() {
		got = append(got, "tick")
		ticking.ResetRanked(e.Now()+10*time.Second, e.Now())
	})
	ask := func(name string) func() {
		return func() {
			got = append(got, name+" "+map[bool]string{false: "before", true: "after"}[parked.RankedPassed(20*time.Second, 10*time.Second)])
		}
	}
	parked.ResetRanked(10*time.Second, 0) // its rank is drawn first
	ticking.ResetRanked(10*time.Second, 0)
	e.At(20*time.Second, PriorityAPI, ask("api"))      // a higher priority: before
	e.At(20*time.Second, PriorityNormal, ask("early")) // armed at 0, before the tick armed at 10 s
	e.At(10*time.Second, PriorityNormal, func() {
		parked.Stop()
		e.At(20*time.Second, PriorityNormal, ask("same-arming")) // armed at 10 s like the tick, but a later sequence than its rank
		e.At(20*time.Second, PriorityAction, func() {            // a lower priority: after
			ask("action")()
			e.After(0, PriorityAPI, ask("api-late")) // sorts before the tick, fires after it
		})
	})
	e.At(15*time.Second, PriorityNormal, func() { e.At(20*time.Second, PriorityNormal, ask("late")) }) // armed at 15 s: after
	require.NoError(t, e.RunUntil(20*time.Second))
	require.Equal(t, []string{"tick", "api before", "early before", "tick", "same-arming after", "late after", "action after", "api-late after"}, got)
	require.True(t, parked.RankedPassed(20*time.Second, 10*time.Second), "between events, after RunUntil, the tick of now has fired")
}
