package podgc

// Steady-state elision of the pass.
//
// In a cluster whose pods run and nothing is being deleted, a pass finds
// nothing to collect, changes nothing and arms the next one: it is the
// price of simulating time. So after such a pass (idle, index.go) the
// timer is stopped and the time of its next tick kept (parked). Whatever
// can give a pass something to do is a change of the pod or node store —
// a pod terminating, terminated beyond the threshold, bound to a missing
// node, a node deleted, the last bound pod gone (the pass then stops) —
// and the index sees each as it is made: the pass is armed again at the
// next tick of its grid, ranked as ticking would have armed it
// (engine.Timer.ResetRanked), so it takes the same place among the
// events of its instant. Config.NoElision turns it off.

// parkIfIdle parks the pass after a pass that found the index idle.
func (c *Controller) parkIfIdle() {
	if c.noElision || !c.idle() || !c.timer.Armed() {
		return
	}
	c.parked, c.parkedNext = true, c.timer.When()
	c.timer.Stop()
}

// wakeIfBusy ends a park when the index is no longer idle: the pass is
// armed at the first tick of its grid not yet passed. A tick that falls
// now is passed if ticking would have fired it before the change being
// made (it ran on the idle state and found nothing): ordered before the
// greatest event fired at this instant, not only the one firing now
// (engine.Timer.RankedPassed). The pass does its work in its own event.
func (c *Controller) wakeIfBusy() {
	if !c.parked || c.idle() {
		return
	}
	c.parked = false
	next := c.timer.NextGridTick(c.parkedNext, CheckPeriod)
	c.timer.ResetRanked(next, next-CheckPeriod)
}
