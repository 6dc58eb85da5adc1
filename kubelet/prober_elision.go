package kubelet

import "time"

// Steady-state elision of probes.
//
// A healthy container's probe gives the same answer every period, and a
// Success changes nothing anyone can see: no event, no stored result, no
// status write — only the worker's count of Successes in a row grows. So
// once a worker is steady (probe.Worker.Steady) and its command cannot
// change anything (a read-only exec, without a drawn latency), the worker
// parks: its ticker is stopped and the time of its next tick kept. Whatever
// could change the answer — a step of any process of the pod (a file
// written or removed, an exit, a signal), a status write, an update of the
// pod — wakes it: the ticks that would have passed before now are counted
// (probe.Worker.Repeat), and the ticker is armed again at the next tick of
// its old phase, which runs the probe as ticking would have. A run of a
// year of healthy probing costs one run.
//
// Config.NoElision turns it off; TestElisionIsInvisible (package sim) runs
// every bundled scenario and the examples both ways and compares every
// output byte for byte.

// parkIfSteady parks the worker after a run, when nothing but a change of
// the pod can make the next run differ.
func (pw *probeWorker) parkIfSteady() {
	k := pw.k
	if k.cfg.NoElision || pw.parked || pw.stopped || pw.busy || pw.queued || pw.tickBuf || pw.trigBuf || !pw.plainSuccess {
		return
	}
	if !pw.ticker.Armed() || !pw.w.Steady() || pw.execProg == nil || !pw.execReadOnly {
		return
	}
	if cs := pw.kp.spec.byName(pw.c.Name); cs == nil || k.varying(cs).probeLatency != nil {
		return // each run draws its latency: the draws must go on
	}
	if k.faults.halted {
		return
	}
	if !onlyPodLocalVolumes(pw.kp) {
		return // a hostPath, or files the kubelet refreshes, can change from outside the pod
	}
	pw.parked, pw.parkedNext = true, pw.ticker.When()
	pw.ticker.Stop()
	pw.runT = nil // not queued, so unarmed: a parked worker keeps no run timer (memory per idle pod)
}

// wake ends a park: the ticks before now count as the Successes they would
// have been, and the ticker is armed at the next tick of its phase — now,
// if a tick falls now whose run ticking would make after what wakes the
// worker (engine.Timer.RankedFollowerPassed).
func (pw *probeWorker) wake() {
	if !pw.parked {
		return
	}
	pw.parked = false
	if pw.stopped {
		return
	}
	now, next, period := pw.k.eng.Now(), pw.parkedNext, pw.w.Spec.Period
	skipped := time.Duration(0)
	if next < now {
		skipped = (now - next + period - 1) / period // the ticks in [next, now)
		next += skipped * period
	}
	if next == now && pw.ticker.RankedFollowerPassed(next, next-period) {
		// Ticking, the tick of this instant and the run it scheduled
		// both came before what wakes the worker (a scenario action),
		// and found the pod as it was: one more Success. Otherwise the
		// tick is armed now, and its run comes after the wake, as the
		// run of a tick that already fired would (it was scheduled after
		// the events of this instant then queued).
		skipped++
		next += period
	}
	pw.w.Repeat(int(skipped))
	pw.ticker.ResetRanked(next, next-period) // as the tick before it would have
}

// podChanged wakes the pod's parked probe workers: something their answer
// may depend on has changed.
func (k *Kubelet) podChanged(kp *kpod) {
	if kp == nil {
		return
	}
	k.resyncWake(kp) // resync_elision.go: a sync reads it too
	for _, pw := range kp.probes {
		if pw.parked {
			pw.wake()
		}
	}
}

// wakeAllProbes wakes every parked worker of the kubelet, as it halts: the
// ticks of a halted kubelet run no probe, so they must not be counted as
// Successes; ticking through the halt, as without elision, counts none.
func (k *Kubelet) wakeAllProbes() {
	for _, kp := range k.order {
		k.podChanged(kp)
	}
}

// podChangedByUID is podChanged for a runtime container's pod.
func (k *Kubelet) podChangedByUID(ct *container) {
	if kp := k.pods[ct.podUID]; kp != nil {
		k.podChanged(kp)
	}
}

// onlyPodLocalVolumes: every volume of the pod is an emptyDir, which only
// the pod's own processes write.
func onlyPodLocalVolumes(kp *kpod) bool {
	for _, v := range kp.pod.Spec.Volumes {
		if v.EmptyDir == nil {
			return false
		}
	}
	return true
}

// parkedUntil is, for tests, when a parked worker's next tick falls.
func (pw *probeWorker) parkedUntil() (time.Duration, bool) { return pw.parkedNext, pw.parked }
