package nodelifecycle

import (
	"time"

	"github.com/podsim/podsim/engine"
)

// Skipping the health passes that would find nothing.
//
// When every node is quiet and none was written, a lazy pass looks only
// at the nodes whose heartbeat may have gone stale (lazy.go). Until the
// first of them can, the passes find nothing: the monitor timer is then
// armed at the first pass after that time (ranked, as the pass before it
// would have armed it) and the ones between are skipped. A write of a node
// wakes it at the next pass of its grid not yet run; a Lease renewal is
// noted as read by that pass, as when the monitor ticks.

// nextPass is when the next health pass runs while ticking: the one the
// monitor is armed for, or, while parked, the first of its grid not yet
// run — one that falls now has run if ticking would have fired it by now
// (engine.Timer.RankedPassed: ordered before the greatest event fired at
// this instant; the pass does its work in its own event). ok is false when
// no pass is to come.
func (c *Controller) nextPass() (at time.Duration, ok bool) {
	lz := c.lazy
	if !lz.parked {
		return c.monitor.When(), c.monitor.Armed()
	}
	return c.monitor.NextGridTick(lz.parkedNext, MonitorPeriod), true
}

// parkMonitorIfQuiet skips the passes that can find nothing after the one
// that just ran: no node written, none loud, the zone states as the last
// pass left them; the first pass to run is the first after a quiet node's
// heartbeat can go stale (the stale heap, brought up to date first).
func (c *Controller) parkMonitorIfQuiet() {
	lz := c.lazy
	if lz == nil || lz.parked || len(lz.dirty) > 0 || len(lz.loud) > 0 || lz.zonesChanged || !c.monitor.Armed() {
		return
	}
	next := c.monitor.When()
	for len(lz.stale) > 0 {
		e := lz.stale[0]
		if e.gen != lz.gen[e.name] || c.health[e.name] == nil {
			lz.stale.pop()
			continue
		}
		if after := c.staleAfter(e.name); after > e.after {
			lz.stale.pop()
			c.pushStale(e.name) // moved on by its Leases
			continue
		}
		break
	}
	target := engine.Forever
	if len(lz.stale) > 0 {
		// The first pass strictly after the time the heartbeat is fresh for.
		after := lz.stale[0].after
		target = next
		if target <= after {
			target += (after-target)/MonitorPeriod*MonitorPeriod + MonitorPeriod
		}
	}
	if target == next {
		return
	}
	lz.parked, lz.parkedNext = true, next
	if target == engine.Forever {
		c.monitor.Stop()
		return
	}
	c.monitor.ResetRanked(target, target-MonitorPeriod)
}

// wakeMonitor ends a park: the next pass of the grid not yet run is armed.
func (c *Controller) wakeMonitor() {
	lz := c.lazy
	if !lz.parked {
		return
	}
	at, _ := c.nextPass()
	lz.parked = false
	if c.monitor.Armed() && c.monitor.When() == at {
		return
	}
	c.monitor.ResetRanked(at, at-MonitorPeriod)
}
