package engine

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const engineForeverish = 1 << 62

// The 4-ary heap pops items in (time, priority, sequence) order, whatever
// the mix of pushes, pops and removals that leave a hole, priorities (negative ones too) and ties.
func TestQueuePopsInOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	prios := []Priority{PriorityAPI, PriorityRuntime, PriorityNormal, PriorityAction, -128, 127}
	var q queue
	var ref []item
	var seq uint64
	var got, want []item
	for round := range 20_000 {
		if rng.IntN(3) > 0 || q.len() == 0 {
			seq++
			it := item{at: time.Duration(rng.IntN(50)), when: packWhen(prios[rng.IntN(len(prios))], time.Duration(rng.IntN(3))), seq: seq}
			q.push(it)
			ref = append(ref, it)
			continue
		}
		slices.SortFunc(ref, func(a, b item) int {
			if a.before(&b) {
				return -1
			}
			return 1
		})
		if rng.IntN(2) == 0 {
			got = append(got, q.pop())
		} else { // as Step does: the head leaves a hole that the next push may fill
			got = append(got, *q.top())
			q.removeTop()
		}
		want = append(want, ref[0])
		require.Equal(t, len(ref)-1, q.len())
		ref = ref[1:]
		_ = round
	}
	require.Equal(t, want, got)
	require.Less(t, packWhen(-128, 1<<timeBits-1), packWhen(-127, 0), "the priority outranks the arming time")
	require.Less(t, packWhen(PriorityAPI, 9), packWhen(PriorityNormal, 1))
	require.Equal(t, packWhen(PriorityNormal, 1<<timeBits-1), packWhen(PriorityNormal, engineForeverish), "arming times saturate")
}

// Two periodic loops that fall due together run in the same order whether
// both tick every period or one of them skips ticks and is armed again
// later, as of the tick that would have armed it; an event scheduled for
// the same instant by an ordinary arming runs after both when it was armed
// after their last ticks, as it would have.
func TestResetRankedKeepsALoopsPlace(t *testing.T) {
	const period = 10 * time.Second
	run := func(skip bool) []string {
		e := New(1)
		var got []string
		var a, b *Timer
		a = e.NewTimer(PriorityNormal, func() {
			got = append(got, "a@"+e.Now().String())
			a.ResetRanked(e.Now()+period, e.Now())
		})
		b = e.NewTimer(PriorityNormal, func() {
			got = append(got, "b@"+e.Now().String())
			if skip && e.Now() == 10*time.Second {
				return // parked: armed again at 35 s for 40 s
			}
			b.ResetRanked(e.Now()+period, e.Now())
		})
		b.ResetRanked(10*time.Second, 0) // b's rank is older than a's
		a.ResetRanked(10*time.Second, 0)
		if skip {
			e.At(35*time.Second, PriorityNormal, func() { b.ResetRanked(40*time.Second, 30*time.Second) })
		}
		e.At(33*time.Second, PriorityNormal, func() {
			e.At(40*time.Second, PriorityNormal, func() { got = append(got, "other@"+e.Now().String()) })
		})
		require.NoError(t, e.RunUntil(45*time.Second))
		return got
	}
	ticked := run(false)
	require.Equal(t, []string{"b@10s", "a@10s", "b@20s", "a@20s", "b@30s", "a@30s", "b@40s", "a@40s", "other@40s"}, ticked)
	skipped := run(true)
	require.Equal(t, []string{"b@10s", "a@10s", "a@20s", "a@30s", "b@40s", "a@40s", "other@40s"}, skipped)
}

// A loop armed now for a tick many periods ahead, as of the tick before
// that one, runs among the events of that instant where ticking would have
// run it: after what was scheduled before that tick, before what was
// scheduled after it.
func TestResetRankedAheadKeepsALoopsPlace(t *testing.T) {
	run := func(skip bool) []string {
		e := New(1)
		var got []string
		var loop *Timer
		loop = e.NewTimer(PriorityNormal, func() {
			got = append(got, "loop@"+e.Now().String())
			if skip && e.Now() == time.Second {
				loop.ResetRanked(10*time.Second, 9*time.Second) // skips 2 s … 9 s
				return
			}
			loop.ResetRanked(e.Now()+time.Second, e.Now())
		})
		loop.ResetRanked(time.Second, 0)
		at := func(when, fireAt time.Duration, name string) {
			e.At(when, PriorityNormal, func() {
				e.At(fireAt, PriorityNormal, func() { got = append(got, name+"@"+e.Now().String()) })
			})
		}
		at(5*time.Second, 10*time.Second, "early")
		at(9*time.Second, 10*time.Second, "same") // armed at 9 s, as the loop's tick at 9 s arms it: the rank decides
		at(9500*time.Millisecond, 10*time.Second, "late")
		require.NoError(t, e.RunUntil(10*time.Second))
		return got
	}
	ticked := run(false)
	require.Equal(t, []string{"loop@1s", "loop@2s", "loop@3s", "loop@4s", "loop@5s", "loop@6s", "loop@7s", "loop@8s", "loop@9s",
		"early@10s", "loop@10s", "same@10s", "late@10s"}, ticked)
	require.Equal(t, []string{"loop@1s", "early@10s", "loop@10s", "same@10s", "late@10s"}, run(true))
}

// RankedPassed tells an event whether a loop's tick at its instant has
// run: it has for the events after it in the queue's order, not for those
// before, and every tick of an instant a RunUntil reached has.
func TestRankedPassed(t *testing.T) {
	e := New(1)
	var loop *Timer
	loop = e.NewTimer(PriorityNormal, func() { loop.ResetRanked(e.Now()+time.Second, e.Now()) })
	loop.ResetRanked(time.Second, 0)
	got := map[string]bool{}
	ask := func(name string) func() {
		return func() { got[name] = loop.RankedPassed(5*time.Second, 4*time.Second) }
	}
	e.At(5*time.Second, PriorityRuntime, ask("runtime priority"))
	e.At(5*time.Second, PriorityAction, ask("action priority"))
	e.At(3*time.Second, PriorityNormal, func() { e.At(5*time.Second, PriorityNormal, ask("armed before the tick that armed it")) })
	e.At(4500*time.Millisecond, PriorityNormal, func() { e.At(5*time.Second, PriorityNormal, ask("armed after it")) })
	e.At(4*time.Second, PriorityNormal, ask("an instant before"))
	e.At(5*time.Second, PriorityAction, func() { e.After(0, PriorityRuntime, ask("scheduled after it, at a lower priority")) })
	require.NoError(t, e.RunUntil(5*time.Second))
	require.Equal(t, map[string]bool{"runtime priority": false, "action priority": true,
		"armed before the tick that armed it": false, "armed after it": true, "an instant before": false,
		"scheduled after it, at a lower priority": true}, got)
	require.True(t, loop.RankedPassed(5*time.Second, 4*time.Second), "RunUntil(5s) ran every event of 5 s")
	require.True(t, loop.RankedPassed(4*time.Second, 3*time.Second))
	require.False(t, loop.RankedPassed(6*time.Second, 5*time.Second))
	unranked := e.NewTimer(PriorityNormal, func() {})
	require.False(t, unranked.RankedPassed(5*time.Second, 4*time.Second), "a first ranked arming would come after everything")
}

// RankedFollowerPassed: the run a tick schedules for its own instant has
// fired only once an event of a later priority has; an event of the tick's
// priority may have been scheduled before the tick fired, so its follower
// is still to come.
func TestRankedFollowerPassed(t *testing.T) {
	e := New(1)
	var loop *Timer
	loop = e.NewTimer(PriorityNormal, func() { loop.ResetRanked(e.Now()+time.Second, e.Now()) })
	loop.ResetRanked(time.Second, 0)
	got := map[string]bool{}
	ask := func(name string) func() {
		return func() { got[name] = loop.RankedFollowerPassed(5*time.Second, 4*time.Second) }
	}
	e.At(5*time.Second, PriorityRuntime, ask("before the tick"))
	e.At(4500*time.Millisecond, PriorityNormal, func() { e.At(5*time.Second, PriorityNormal, ask("after the tick, same priority")) })
	e.At(5*time.Second, PriorityAction, ask("a later priority"))
	e.At(6*time.Second, PriorityNormal, ask("an instant later"))
	require.NoError(t, e.RunUntil(6*time.Second))
	require.Equal(t, map[string]bool{"before the tick": false, "after the tick, same priority": false,
		"a later priority": true, "an instant later": true}, got)
}
