package kubelet

import (
	"errors"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/engine"
)

// updateKind is kubetypes.SyncPodType.
type updateKind uint8

const (
	syncPodCreate updateKind = iota
	syncPodUpdate
	syncPodSync
	syncPodKill
)

// updateOptions is UpdatePodOptions with its KillPodOptions.
type updateOptions struct {
	kind          updateKind
	graceOverride *int64                  // PodTerminationGracePeriodSecondsOverride
	statusFn      func(*corev1.PodStatus) // PodStatusFunc, e.g. the eviction message
	cause         string
	at            time.Duration // when the update was made
}

type workType uint8

const (
	workSync workType = iota
	workTerminating
	workTerminated
)

func (w workType) String() string {
	return [...]string{"sync", "terminating", "terminated"}[w]
}

// podWorker is the state pod_workers.go keeps per pod (podSyncStatus).
type podWorker struct {
	pending       *updateOptions
	active        *updateOptions
	lastSync      time.Duration // lastSyncTime: when the previous sync returned
	terminatingAt time.Duration
	gracePeriod   int64
	statusFns     []func(*corev1.PodStatus)
	// inputsAtDispatch: the pod's inputs version when the last sync
	// started; noop: that sync's runtime SyncPod had nothing to do
	// (resync_elision.go).
	inputsAtDispatch uint32

	// The flags side by side: 80 B, not 112 (issue 10).
	working     bool
	synced      bool // a sync has finished, so lastSyncTime is set
	terminating bool // termination requested
	terminated  bool // SyncTerminatingPod finished: no containers can run
	finished    bool // SyncTerminatedPod finished: the worker is done
	deleted     bool
	cancelled   bool // the running sync's context was cancelled
	rejected    bool // admission rejected the pod: no worker runs
	noop        bool
	volumesGone bool // volumes unmounted after termination
}

func (w *podWorker) work() workType {
	switch {
	case w.terminated:
		return workTerminated
	case w.terminating:
		return workTerminating
	}
	return workSync
}

// updatePod is podWorkers.UpdatePod: it records the newest update (one
// pending slot, newest wins), notes a request to terminate and its grace
// period (which can only shrink), and starts the worker if it is idle. A
// sync already running is cancelled when the pod starts terminating or its
// grace period shrinks.
func (k *Kubelet) updatePod(kp *kpod, opts updateOptions) {
	w := &kp.w
	if w.finished || w.rejected {
		return
	}
	k.resyncWake(kp) // resync_elision.go: the resyncs before this update ran first
	now := k.eng.Now()
	opts.at = now
	pod := kp.pod
	becameTerminating := false
	if !w.terminating {
		switch {
		case pod.DeletionTimestamp != nil || kp.removed:
			w.deleted = true
			w.terminating, w.terminatingAt, becameTerminating = true, now, true
		case pod.Status.Phase == corev1.PodFailed || pod.Status.Phase == corev1.PodSucceeded:
			w.terminating, w.terminatingAt, becameTerminating = true, now, true
		case opts.kind == syncPodKill:
			w.terminating, w.terminatingAt, becameTerminating = true, now, true
		}
	}
	shortened := false
	if w.terminating && !w.terminated {
		if opts.statusFn != nil {
			w.statusFns = append(w.statusFns, opts.statusFn)
		}
		grace, short := calculateEffectiveGracePeriod(w.gracePeriod, pod, opts.graceOverride)
		w.gracePeriod, shortened = grace, short
	}
	w.pending = &opts
	if !w.working {
		w.working = true
		k.dispatch(kp)
		return
	}
	if becameTerminating || shortened {
		w.cancelled = true
	}
}

// calculateEffectiveGracePeriod follows pod_workers.go: the smallest of the
// grace period in use, the pod's deletionGracePeriodSeconds and an override;
// zero counts as unset and falls back to the pod's
// terminationGracePeriodSeconds (so a force-deleted pod still gets its full
// grace period, issue #115819); never below 1 s.
func calculateEffectiveGracePeriod(current int64, pod *corev1.Pod, override *int64) (int64, bool) {
	g := current
	if d := pod.DeletionGracePeriodSeconds; d != nil && (g == 0 || *d < g) {
		g = *d
	}
	if override != nil && (g == 0 || *override < g) {
		g = *override
	}
	if g == 0 && pod.Spec.TerminationGracePeriodSeconds != nil {
		g = *pod.Spec.TerminationGracePeriodSeconds
	}
	if g < 1 {
		g = 1
	}
	return g, current != 0 && current != g
}

// dispatch starts the pending work once the PLEG cache has seen the pod
// after the previous sync ended (podWorkerLoop's GetNewerThan).
func (k *Kubelet) dispatch(kp *kpod) {
	w := &kp.w
	opts := *w.pending
	w.pending = nil
	w.active = &opts
	w.cancelled = false
	w.noop, w.inputsAtDispatch = false, kp.inputs
	work := w.work()
	run := func(snap *podSnapshot) {
		// The relist that let the sync start may bring newer news than the
		// update that asked for it; say so in what the sync writes.
		if kp.plegCause != "" && kp.plegAt >= opts.at {
			opts.cause = kp.plegCause
		}
		done := func(isTerminal bool, err error) { k.completeWork(kp, work, isTerminal, err) }
		switch work {
		case workTerminated:
			k.syncTerminatedPod(kp, snap, func(err error) { done(false, err) })
		case workTerminating:
			k.syncTerminatingPod(kp, snap, w.gracePeriod, func(err error) { done(false, err) })
		default:
			k.syncPod(kp, snap, opts, done)
		}
	}
	if work == workSync && opts.cause == resyncCause && k.cacheNewer(kp) {
		// A periodic resync whose cache is already newer runs within the
		// sync tick that found it due (resync_elision.go says why).
		run(kp.cachedOrEmpty())
		return
	}
	k.waitForCache(kp, run)
}

// errNetworkNotReady marks the transient error that is retried after 1 s.
var errNetworkNotReady = errors.New("network is not ready")

// completeWork is the end of one pass of podWorkerLoop plus completeWork:
// the phase moves on, the pod is requeued (at once after a phase
// transition, after resync with jitter after success, after 10 s with
// jitter after an error), and the next pending update starts.
func (k *Kubelet) completeWork(kp *kpod, work workType, isTerminal bool, err error) {
	w := &kp.w
	now := k.eng.Now()
	w.lastSync, w.synced = now, true
	phaseTransition := false
	switch {
	case err != nil:
		// retried below
	case work == workTerminated:
		w.finished, w.working = true, false
		w.pending = nil
		return
	case work == workTerminating:
		w.terminated = true
		k.requeueLastUpdate(kp)
		phaseTransition = true
		// KillPodOptions.CompletedCh: whoever asked for the kill (the
		// eviction manager) learns it is done.
		done := kp.onTerminated
		kp.onTerminated = nil
		defer func() {
			for _, f := range done {
				f()
			}
		}()
	case isTerminal:
		if !w.terminating {
			w.terminating, w.terminatingAt = true, now
		}
		k.requeueLastUpdate(kp)
		phaseTransition = true
	}
	env := k.cfg
	switch {
	case phaseTransition:
		k.requeue(kp, requeue{now, "phase transition"})
	case err == nil:
		if due := now + kp.jitterDuration(env.ResyncInterval); !k.parkResync(kp, due) {
			k.requeue(kp, requeue{due, resyncCause})
		}
	case errors.Is(err, errNetworkNotReady):
		k.requeue(kp, requeue{now + kp.jitterDuration(time.Second), "retry: network not ready"})
	default:
		k.requeue(kp, requeue{now + kp.jitterDuration(k.errorRetryDelay(err, now)), "retry after sync error: " + err.Error()})
	}
	if w.pending != nil {
		k.dispatch(kp)
		return
	}
	w.working = false
}

// requeueLastUpdate replays the active update so the next phase runs at
// once (pod_workers.go requeueLastPodUpdate).
func (k *Kubelet) requeueLastUpdate(kp *kpod) {
	w := &kp.w
	if w.pending != nil || w.active == nil {
		return
	}
	cp := *w.active
	w.pending = &cp
}

// jitterDuration is wait.Jitter(d, 0.5): d plus up to half of d
// (pod_workers.go completeWork: the resync, the error back-off and the
// network-not-ready retry all jitter by workerJitterFactor). Upstream
// draws from a global generator, so any stream is as faithful; podsim
// draws from the pod's own stream ("kubelet/<node>/pod/<uid>/jitter"),
// seeded at its first draw, so that a pod's requeue times do not depend on
// its neighbours' syncs — which lets an idle pod's resyncs be skipped
// exactly, their draws made later in the same order (resync_elision.go).
func (kp *kpod) jitterDuration(d time.Duration) time.Duration {
	if !kp.jitterSeeded {
		kp.jitter = kp.k.eng.Source("kubelet/" + kp.k.name + "/pod/" + string(kp.uid) + "/jitter")
		kp.jitterSeeded = true
	}
	return d + time.Duration(engine.Float64(&kp.jitter)*workerJitterFactor*float64(d))
}

// couldHaveRunningContainers is podWorkers.CouldHaveRunningContainers.
func (w *podWorker) couldHaveRunningContainers() bool { return !w.terminated && !w.rejected }

// requeue puts the pod in the work queue, to be synced by the first sync
// tick at or after q.due.
func (k *Kubelet) requeue(kp *kpod, q requeue) {
	k.workQueue[kp.uid] = q
	k.workQueueDue = min(k.workQueueDue, q.due)
	k.rearmSyncTick(q.due)
}
