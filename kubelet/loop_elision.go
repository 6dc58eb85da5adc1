package kubelet

import (
	"time"

	"github.com/podsim/podsim/engine"
)

// Steady-state elision of the kubelet's node loops.
//
// The kubelet's syncLoop (pkg/kubelet/kubelet.go syncLoop) wakes on a 1 s
// syncTicker and a 2 s housekeepingTicker, and its PLEG relists every 1 s
// (pkg/kubelet/pleg/generic.go, wait.Until(g.Relist, relistPeriod)). On an
// idle node almost every one of those wake-ups finds nothing: the sync tick
// no pod whose work-queue time has come and none past its active deadline
// (syncLoopIteration's syncCh case: getPodsToSync is empty, so nothing is
// handled), the relist no container that changed, housekeeping no pod to
// forget and no back-off entry to drop. Such a tick changes nothing but the
// PLEG cache's timestamp.
//
// So each loop is armed only at the first tick of its grid (its phase plus
// whole periods) at or after the earliest moment it can find something,
// and every change that could make that moment earlier pulls it forward
// (nodeLoop.pull). The relist's timestamp, which waitForCache reads, is
// worked out on demand as the time of the last tick that ticking would
// have run (nodeLoop.lastRun). The loops' timers are ranked in both modes
// (engine.Timer.ResetRanked), as of the tick before the one they are armed
// for, so that a loop armed again after skipping ticks runs at its tick's
// place among the events of that instant, and a tick that falls at the
// instant of the change that pulls it is known to have run already or not
// (engine.Timer.RankedPassed). A halted kubelet's loops would tick doing
// nothing: they park until it starts again (restartLoops), and the relist's
// timestamp stays where its last tick before the halt left it.
//
// Config.NoElision turns it off: every loop ticks every period.

// nodeLoop is one of the kubelet's periodic loops, ticking at phase + n·period.
type nodeLoop struct {
	k      *Kubelet
	timer  *engine.Timer
	period time.Duration
	phase  time.Duration
	// start is when the loop was first armed, which its first tick's
	// ranked arming says as its arming time.
	start time.Duration
	// need is the earliest moment after its tick at which the loop may
	// find something to do (Forever: nothing until something changes).
	need func() time.Duration
	// firing: the loop's tick is running; it re-arms itself when done,
	// after what it changed.
	firing bool
	// halted: the kubelet halted while the loop was parked or since; its
	// ticks are not running, so lastRun says nothing (restartLoops clears it).
	halted bool
}

// newNodeLoop arms the loop's first tick, the first of its grid at or
// after now; run is what it does on each tick.
func (k *Kubelet) newNodeLoop(period, phase time.Duration, owner kubeletLoop, run func(), need func() time.Duration) *nodeLoop {
	l := &nodeLoop{k: k, period: period, phase: phase, start: k.eng.Now(), need: need}
	l.timer = k.eng.NewTimer(engine.PriorityNormal, func() {
		// A halted kubelet (node_faults.go: stopped, or its node
		// powered off) keeps its loops' phases but does nothing on them.
		l.firing = true
		k.unlessHalted(run)
		l.firing = false
		l.again()
	}).SetOwner(owner)
	first := l.atOrAfter(l.start)
	l.timer.ResetRanked(first, l.armedAt(first))
	return l
}

// atOrAfter is the first tick of the loop's grid at or after t.
func (l *nodeLoop) atOrAfter(t time.Duration) time.Duration {
	r := (t - l.phase) % l.period
	if r < 0 {
		r += l.period
	}
	if r == 0 {
		return t
	}
	return engine.Add(t, l.period-r)
}

// armedAt is when ticking would have armed the tick at t: at the tick
// before it, or at the loop's start for its first.
func (l *nodeLoop) armedAt(t time.Duration) time.Duration { return max(t-l.period, l.start) }

// ran reports whether ticking would already have run the tick at t.
func (l *nodeLoop) ran(t time.Duration) bool { return l.timer.RankedPassed(t, l.armedAt(t)) }

// again re-arms the loop at the end of its tick: one period on without
// elision, else at the first tick at or after need; a halted kubelet's
// loop parks.
func (l *nodeLoop) again() {
	next := engine.Add(l.k.eng.Now(), l.period)
	switch {
	case l.k.cfg.NoElision:
	case l.k.faults.halted:
		return
	default:
		if need := l.need(); need > next {
			next = l.atOrAfter(need)
		}
	}
	if next == engine.Forever {
		return // parked: a change pulls it
	}
	l.timer.ResetRanked(next, l.armedAt(next))
}

// pull makes the loop run at its first tick at or after t that has not
// run yet (a tick falling now may have), unless it is armed earlier.
func (l *nodeLoop) pull(t time.Duration) {
	if l.firing || l.k.cfg.NoElision || l.k.faults.halted {
		return // again, after the tick, asks need; ticking needs no pull; restartLoops pulls
	}
	now := l.k.eng.Now()
	next := l.atOrAfter(max(t, now))
	if next == now && l.ran(next) {
		next = engine.Add(next, l.period)
	}
	if l.timer.Armed() && l.timer.When() <= next {
		return
	}
	l.timer.ResetRanked(next, l.armedAt(next))
}

// lastRun is the time of the last tick that has run by now, as ticking
// would have run them; the loop's start if none has.
func (l *nodeLoop) lastRun() time.Duration {
	now := l.k.eng.Now()
	t := l.atOrAfter(now)
	if t > now || !l.ran(t) {
		t -= l.period
	}
	return max(t, l.start)
}

// parked reports whether the loop's timer is stopped until a change pulls it.
func (l *nodeLoop) parked() bool { return !l.firing && !l.timer.Armed() }

// restartLoops is the kubelet starting again after a halt: each loop runs
// at its first tick that has not run yet, as its ticks through the halt
// found nothing they could do.
func (k *Kubelet) restartLoops() {
	for _, l := range []*nodeLoop{k.relistLoop, k.syncLoop, k.housekeepingLoop} {
		l.halted = false
		l.pull(k.eng.Now())
	}
}
