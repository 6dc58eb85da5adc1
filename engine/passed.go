package engine

import "time"

// RankedPassed reports whether a ranked arming of the timer for at, as if
// armed at armedAt (see ResetRanked), would already have fired by now: at
// is before now, or at is now and the arming is ordered before the event
// now firing or before one fired earlier at this instant (after RunUntil,
// every arming for the instant it stopped at has fired). A loop that
// skips its ticks (steady-state elision) asks it when something wakes it
// at one of its instants: ticking, that instant's tick either ran before
// the wake, with what was true then, or runs after it. It is meaningful
// only for a timer armed ranked from its first arming, so that its rank is
// the one ticking gives it; a timer without a rank has not passed.
//
// The greatest item fired at the instant is what counts, not the current
// one: an event of a lower priority scheduled by a later one (a watch
// delivery at the same instant) sorts before the tick but fires after it.
func (t *Timer) RankedPassed(at, armedAt time.Duration) bool {
	e := t.eng
	switch {
	case at < e.now:
		return true
	case at > e.now || e.high.at != e.now || t.rank == 0:
		return false
	}
	virtual := item{at: at, when: packWhen(t.prio, min(armedAt, e.now)), seq: t.rank}
	return virtual.before(&e.high)
}

// RankedFollowerPassed reports whether the work a tick starts — an event
// the ranked arming of RankedPassed would have scheduled, when it fired,
// for its own instant at its own priority (After(0)) — would have fired by
// now as well: the tick has passed and an event of a later priority (a
// scenario action) has fired at this instant. An event of the tick's own
// priority armed at this instant may have been scheduled before the tick
// fired, and so run before its follower, or after it: the engine does not
// know which, and answers false, the follower still to come.
func (t *Timer) RankedFollowerPassed(at, armedAt time.Duration) bool {
	e := t.eng
	if at < e.now {
		return true
	}
	return t.RankedPassed(at, armedAt) && e.high.when > packWhen(t.prio, at)
}

// NextGridTick is the tick a loop that ticks every period, and skipped
// its ticks from parked on (steady-state elision), fires next when woken
// now: the first tick of its grid at or after now, or the one after it if
// the tick of now has already run (RankedPassed, each tick armed by the
// one before). The loop re-arms with ResetRanked(next, next-period).
func (t *Timer) NextGridTick(parked, period time.Duration) time.Duration {
	now, next := t.eng.now, parked
	if next < now {
		next += (now - next + period - 1) / period * period
	}
	if next == now && t.RankedPassed(next, next-period) {
		next = Add(next, period)
	}
	return next
}
