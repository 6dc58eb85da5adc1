package kubelet

import "github.com/podsim/podsim/engine"

// Steady-state elision of the status manager's syncBatch.
//
// The batch writes a pod's status again only when the kubelet's copy of
// the pod disagrees with its cache in a condition the kubelet owns
// (needsBatchReconcile). Both sides change only at known points — a watch
// delivery of the pod, the pod's removal, a status the kubelet caches —
// so each such point works out again whether the pod needs the batch
// (kpod.status.batchDirty), and the kubelet counts the pods that do. With
// none, a tick would find nothing: the timer is not armed again, and the
// next pod that needs the batch arms it at the next tick of its period,
// ranked as ticking would have armed it (engine.Timer.ResetRanked) — at
// this very instant if that tick is now and, ticking, would not yet have
// fired (engine.Timer.RankedPassed).
//
// Config.NoElision ticks every period; TestElisionIsInvisible (package
// scenarios) compares the two.

// statusBatchTick is one tick of the loop.
func (k *Kubelet) statusBatchTick() {
	now := k.eng.Now()
	k.unlessHalted(k.syncBatch)
	if k.cfg.NoElision || k.faults.statusDirty > 0 {
		k.faults.statusSync.ResetRanked(engine.Add(now, statusSyncPeriod), now)
	}
}

// statusBatchCheck works out again whether the pod needs the batch, after
// its copy of the pod, its removal or its cached status changed, and arms
// the batch if it is the first pod to.
func (k *Kubelet) statusBatchCheck(kp *kpod) {
	dirty := needsBatchReconcile(kp)
	if dirty == kp.status.batchDirty {
		return
	}
	kp.status.batchDirty = dirty
	if !dirty {
		k.faults.statusDirty--
		return
	}
	k.faults.statusDirty++
	t := k.faults.statusSync
	if t == nil || t.Armed() {
		return
	}
	now, origin := k.eng.Now(), k.faults.statusOrigin
	at := origin + (now-origin)/statusSyncPeriod*statusSyncPeriod // the last tick at or before now
	if at <= origin || at < now || t.RankedPassed(at, at-statusSyncPeriod) {
		at += statusSyncPeriod
	}
	t.ResetRanked(at, at-statusSyncPeriod)
}
