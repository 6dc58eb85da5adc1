package kubelet

import (
	"time"

	corev1 "k8s.io/api/core/v1"
)

// Steady-state elision of the periodic resync.
//
// After every sync that went well the pod worker asks for another in 60–90
// s (pod_workers.go completeWork), and the sync tick that finds it due runs
// it. For a pod whose containers all run and are ready, a sync that took no
// action and wrote no status finds the same the next time, as long as
// nothing it reads has changed: the pod object, the PLEG cache, the
// runtime's containers, the probe results, the cached status. So after such
// a sync the pod's resync parks (kpod.resyncParked): its work-queue entry
// is kept in the pod, not in the queue, and no tick looks at it. Anything
// that could change what a sync finds wakes it (resyncWake): the pod's
// inputs version moves, and the resyncs that would have run before now are
// worked out as ticking would have run them — the first tick at or after
// each due time, the sync ending there (lastSync), the next due time drawn
// from the pod's own jitter stream in the same order — and the entry they
// leave goes into the work queue. A resync at this very instant counts as
// run if the sync tick of this instant has run (syncTickRan); a periodic
// resync runs within the tick that finds it due (dispatch), so there is no
// moment in between.
//
// Not parked, as the next resync may act or its answer depend on time or
// on something outside the pod: a pod with an active deadline, being
// deleted or terminating, with a ConfigMap, Secret, downward API or
// projected volume (refreshed from the API at each sync), a container not
// running, not started or not ready (a readiness run is asked for), a
// halted kubelet. Config.NoElision turns it off; TestElisionIsInvisible
// (package scenarios) and TestElisionMatchesTickingForResyncs (package sim)
// compare both ways.

// resyncCause is why the work queue holds a pod after a sync that went
// well: its periodic resync (pod_workers.go completeWork).
const resyncCause = "periodic resync"

// cacheNewer is waitForCache's test: the PLEG cache is newer than the end
// of the pod's last sync, so a sync may start at once.
func (k *Kubelet) cacheNewer(kp *kpod) bool {
	w := &kp.w
	return !w.synced || (kp.cached != nil && kp.cachedAt > w.lastSync) || (k.cacheTSValid && k.plegTimestamp() > w.lastSync)
}

// cachedOrEmpty is the pod's PLEG cache entry, or an empty one.
func (kp *kpod) cachedOrEmpty() *podSnapshot {
	if kp.cached == nil {
		return &podSnapshot{}
	}
	return kp.cached
}

// parkResync parks the pod's resync, due at due, if the sync that just
// ended cannot differ from the next one; it reports whether it did.
func (k *Kubelet) parkResync(kp *kpod, due time.Duration) bool {
	if !k.resyncParkable(kp) {
		return false
	}
	kp.resyncParked, kp.resyncDue = true, due
	delete(k.workQueue, kp.uid) // the entry this sync's requeue would have replaced
	return true
}

func (k *Kubelet) resyncParkable(kp *kpod) bool {
	w := &kp.w
	switch {
	case k.cfg.NoElision, k.faults.halted:
		return false
	case !w.noop || kp.inputs != w.inputsAtDispatch:
		return false // it acted, or something changed while it ran
	case w.pending != nil, w.terminating, w.rejected, kp.removed, kp.waiter != nil:
		return false
	}
	pod := kp.pod
	if pod.DeletionTimestamp != nil || pod.Spec.ActiveDeadlineSeconds != nil {
		return false
	}
	for i := range pod.Spec.Volumes {
		if v := &pod.Spec.Volumes[i]; v.ConfigMap != nil || v.Secret != nil || v.DownwardAPI != nil || v.Projected != nil {
			return false // refreshVolumes reads the API at every sync
		}
	}
	return kp.status.cached != nil && allRunningAndReady(kp.status.cached)
}

// allRunningAndReady: the pod runs, each regular container and sidecar is
// running, started and ready, each other init container has succeeded —
// so a sync starts nothing, kills nothing and asks for no readiness run
// (probeUpdatePodStatus).
func allRunningAndReady(s *corev1.PodStatus) bool {
	if s.Phase != corev1.PodRunning {
		return false
	}
	up := func(cs *corev1.ContainerStatus) bool {
		return cs.State.Running != nil && cs.Ready && cs.Started != nil && *cs.Started
	}
	for i := range s.ContainerStatuses {
		if !up(&s.ContainerStatuses[i]) {
			return false
		}
	}
	for i := range s.InitContainerStatuses {
		cs := &s.InitContainerStatuses[i]
		if t := cs.State.Terminated; (t == nil || t.ExitCode != 0) && !up(cs) {
			return false
		}
	}
	return true
}

// resyncWake says that something a sync of the pod reads has changed (or
// may have): the pod's inputs version moves, and a parked resync wakes.
func (k *Kubelet) resyncWake(kp *kpod) {
	if kp == nil {
		return
	}
	kp.inputs++
	if kp.resyncParked {
		k.unparkResync(kp)
	}
}

// unparkResync works out the resyncs that ticking would have run by now —
// each a sync that found nothing, at the first sync tick at or after its
// due time — and puts the entry they leave in the work queue.
func (k *Kubelet) unparkResync(kp *kpod) {
	w := &kp.w
	now, due := k.eng.Now(), kp.resyncDue
	kp.resyncParked = false
	for {
		at := k.syncTickAtOrAfter(due)
		if at > now || (at == now && !k.syncTickRan(now)) {
			break
		}
		// The tick at at: handlePodSyncs, updatePod, dispatch and a sync
		// that ends at once (pod_workers.go), with nothing else to do.
		opts := updateOptions{kind: syncPodSync, cause: resyncCause, at: at}
		w.active, w.cancelled = &opts, false
		w.lastSync, w.synced = at, true
		due = at + kp.jitterDuration(k.cfg.ResyncInterval)
	}
	k.requeue(kp, requeue{due, resyncCause})
}

// wakeAllResyncs wakes every parked resync of the kubelet, as it halts: a
// halted kubelet's ticks sync nothing, so its pods' entries wait in the
// queue as they would have.
func (k *Kubelet) wakeAllResyncs() {
	for _, kp := range k.order {
		k.resyncWake(kp)
	}
}

// syncTickAtOrAfter is the first sync tick at or after t (loop_elision.go).
func (k *Kubelet) syncTickAtOrAfter(t time.Duration) time.Duration { return k.syncLoop.atOrAfter(t) }

// syncTickRan reports whether ticking would already have run the sync tick
// of instant t (now), whether or not the tick is armed (loop_elision.go).
func (k *Kubelet) syncTickRan(t time.Duration) bool { return k.syncLoop.ran(t) }
