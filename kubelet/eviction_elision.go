package kubelet

import (
	"github.com/podsim/podsim/eviction"
)

// Steady-state elision of the eviction manager's loop.
//
// Every 10 s the eviction manager takes the stats summary and compares it
// with its thresholds (pkg/kubelet/eviction/eviction_manager.go
// synchronize). On a node with room to spare the pass finds nothing: no
// threshold met (helpers.go thresholdsMet), none waiting out its grace
// period or minimum reclaim, no pressure condition still on for the
// pressure transition period, no pod over a local storage limit
// (eviction.Manager.Quiet). Another pass over the same stats would find
// the same nothing and leave the manager as it is. And the stats cannot
// move on their own: memory, disk, logs and processes change only at a
// step of a process, a container's creation, start, exit or removal, a
// volume's set-up, refresh or tear-down, a pod's admission or removal, an
// image pulled or removed (everything stats_cache.go marks) — even a
// program whose memory grows over time grows it one step at a time. So
// after a quiet pass the loop parks: its timer stops, and the first mark
// wakes it, arming the timer at the next tick of its old period with
// engine.Timer.ResetRanked, at the place among simultaneous events that
// ticking would have given it. If the tick that falls now has already had
// its turn before the change (engine.Timer.RankedPassed), it saw the
// stats unchanged and did nothing, so the next one is armed. A pass of the
// manager records nothing when it does nothing (no event, no condition,
// no first-observed time), so the skipped ticks need no accounting.
//
// A halted kubelet's ticks do nothing either, whatever the stats: the loop
// parks at its first halted tick, and the kubelet's start wakes it (as
// does any mark meanwhile, for one more halted tick); its first pass after
// the start decides whether it parks again.
//
// Config.NoElision turns it off; TestEvictionElisionMatchesTicking
// (package sim) and TestElisionIsInvisible (package scenarios) run nodes
// under memory, disk, ephemeral-storage and PID pressure both ways.

// parkEvictionsIfQuiet parks the loop after a pass whose tick is armed,
// when the pass found nothing to act on.
func (k *Kubelet) parkEvictionsIfQuiet() {
	es := &k.evictions
	if k.cfg.NoElision || es.parked || !es.timer.Armed() || !es.m.Quiet() || k.faults.halted {
		return
	}
	es.parked, es.parkedNext = true, es.timer.When()
	es.timer.Stop()
}

// parkEvictionsWhileHalted parks the loop after a halted tick: until the
// kubelet starts again its ticks do nothing (node_faults.go Start wakes
// it).
func (k *Kubelet) parkEvictionsWhileHalted() {
	es := &k.evictions
	if k.cfg.NoElision || es.parked || !es.timer.Armed() {
		return
	}
	es.parked, es.parkedNext = true, es.timer.When()
	es.timer.Stop()
}

// wakeEvictions ends a park: the stats may have moved, or the kubelet
// started again.
func (k *Kubelet) wakeEvictions() {
	es := &k.evictions
	if !es.parked {
		return
	}
	es.parked = false
	period := eviction.MonitoringInterval
	next := es.timer.NextGridTick(es.parkedNext, period)
	es.timer.ResetRanked(next, next-period) // as the tick before it would have
}
