package kubelet

import "github.com/podsim/podsim/engine"

// Steady-state elision of the node status loop.
//
// Every 10 s (plus jitter) the loop syncs the node's status; on an idle
// node the sync finds what the last one found, nothing to post, until the
// report is due 5 minutes after the last post (syncNodeStatus). So after
// such a sync the loop parks: it draws the jitter of the ticks to come, in
// order, up to the first at which the report is due, arms its timer there
// (ranked, as the tick before it would have armed it), and skips the ticks
// between. Whatever can change a sync's inputs (statusInputs) — a write of
// the node or its kubelet's link to the API server coming back (the
// Cluster tells NodeStatusInputsChanged), the eviction manager's pass (the
// pressure answers), the container runtime going down or up — wakes it:
// the timer is armed at the first skipped tick not yet passed, and the
// ticks drawn beyond it are armed in turn, so that the loop ticks at the
// times and draws the jitter it would have. It does not park while the
// kubelet is halted (its ticks do nothing, but a restart syncs at once) or
// the runtime is down (the Ready error appears with time alone).
// Config.NoElision turns it off.

// nextNodeStatusTick arms the loop's next tick after the one that fired
// now (or the first sync): the next one drawn, or one period plus jitter
// from now.
func (k *Kubelet) nextNodeStatusTick() {
	ns := &k.nodeStatus
	now := k.eng.Now()
	i := 0
	for i < len(ns.ticks) && ns.ticks[i] <= now {
		i++
	}
	ns.ticks = append(ns.ticks[:0], ns.ticks[i:]...)
	if len(ns.ticks) == 0 {
		ns.ticks = append(ns.ticks, engine.Add(now, jittered(ns.jitter, nodeStatusUpdateFrequency)))
	}
	ns.prev, ns.armed = now, 0
	ns.statusTimer.ResetRanked(ns.ticks[0], now)
}

// parkNodeStatusIfIdle parks the loop after a tick whose sync found the
// node as the last one did and nothing to post: the ticks are drawn up to
// the first at which the report is due, and the timer armed there.
func (k *Kubelet) parkNodeStatusIfIdle() {
	ns := &k.nodeStatus
	if k.cfg.NoElision || ns.parked || !ns.valid || !ns.reported || k.faults.halted || k.faults.runtimeDown || !ns.statusTimer.Armed() {
		return
	}
	due := engine.Add(ns.lastReport, nodeStatusReportFrequency)
	for last := ns.ticks[len(ns.ticks)-1]; last < due; last = ns.ticks[len(ns.ticks)-1] {
		ns.ticks = append(ns.ticks, engine.Add(last, jittered(ns.jitter, nodeStatusUpdateFrequency)))
	}
	i := 0
	for ns.ticks[i] < due {
		i++
	}
	if i == 0 {
		return // the next tick reports anyway
	}
	ns.parked, ns.armed = true, i
	ns.statusTimer.ResetRanked(ns.ticks[i], ns.ticks[i-1])
}

// NodeStatusInputsChanged tells the kubelet that something a node status
// sync reads may have changed: its node was written, or its link to the
// API server came back. A parked loop wakes.
func (k *Kubelet) NodeStatusInputsChanged() { k.wakeNodeStatus() }

// wakeNodeStatus ends a park: the first skipped tick not yet passed is
// armed — a tick that falls now is passed if ticking would have run it
// before the change being made (it found nothing): ordered before the
// greatest event fired at this instant (engine.Timer.RankedPassed; the
// sync runs in the tick's own event) — and the ticks before it are dropped.
func (k *Kubelet) wakeNodeStatus() {
	ns := &k.nodeStatus
	if !ns.parked {
		return
	}
	ns.parked = false
	now, prev := k.eng.Now(), ns.prev
	j := 0
	for ; j < ns.armed; j++ {
		t := ns.ticks[j]
		if t > now || (t == now && !ns.statusTimer.RankedPassed(t, prev)) {
			break
		}
		prev = t
	}
	if j < ns.armed {
		ns.statusTimer.ResetRanked(ns.ticks[j], prev)
	}
	ns.ticks = append(ns.ticks[:0], ns.ticks[j:]...)
	ns.prev, ns.armed = prev, 0
}

// nodeStatusPressureMayHaveChanged wakes a parked loop if the eviction
// manager's pass changed a pressure answer (eviction_manager.go calls it
// after each pass).
func (k *Kubelet) nodeStatusPressureMayHaveChanged() {
	ns := &k.nodeStatus
	if !ns.parked {
		return
	}
	for i, t := range pressureTypes {
		if f := ns.pressure[t]; f != nil && f() != ns.unchanged.pressure[i] {
			k.wakeNodeStatus()
			return
		}
	}
}
