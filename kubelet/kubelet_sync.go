package kubelet

import (
	"errors"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/engine"
)

// syncFailure is a reason cache entry: why the last start of a container
// failed (pkg/kubelet/reason_cache.go).
type syncFailure struct {
	err     error
	message string
}

func reasonKey(kp *kpod, container string) string { return string(kp.uid) + "_" + container }

// syncResult collects what one runtime SyncPod did
// (kubecontainer.PodSyncResult): the result of each container start, and
// whether the sync reached the point where it records its ConfigPodSandbox
// result (kuberuntime_manager.go SyncPod adds it, with no error, before it
// starts any container).
type syncResult struct {
	starts           []startResult
	configPodSandbox bool
	noop             bool  // computePodActions found nothing to do
	err              error // a failure that is not a start result (a kill error, a sandbox error)
}

type startResult struct {
	container string
	err       error
	message   string
}

// updateReasons is reasonCache.Update: a failed start records its reason, a
// successful one clears it.
func (k *Kubelet) updateReasons(kp *kpod, res *syncResult) {
	for _, s := range res.starts {
		if s.err != nil {
			k.reasons[reasonKey(kp, s.container)] = syncFailure{err: s.err, message: s.message}
		} else {
			delete(k.reasons, reasonKey(kp, s.container))
		}
	}
}

// errorExceptBackOff is the error the kubelet's SyncPod returns
// (kubelet.go SyncPod): "Do not return error if the only failures were
// pods in backoff". The check walks every sync result, and the
// ConfigPodSandbox result — present with no error whenever containers were
// started — is not a back-off result, so in practice a CrashLoopBackOff or
// ImagePullBackOff error is returned too and the pod worker retries it after
// the 10–15 s error back-off (issue #123602). podsim keeps that behaviour.
func (r *syncResult) errorExceptBackOff() error {
	if r.err != nil {
		return r.err
	}
	var first error
	for _, s := range r.starts {
		if s.err != nil && first == nil {
			first = s.err
		}
	}
	if first == nil {
		return nil
	}
	if r.configPodSandbox {
		return r.withBackoffExpiry(first) // the ConfigPodSandbox result is not a back-off
	}
	for _, s := range r.starts {
		if s.err != nil && !errors.Is(s.err, errCrashLoopBackOff) && !errors.Is(s.err, ErrImagePullBackOff) {
			return r.withBackoffExpiry(first)
		}
	}
	return nil
}

// syncPod is the kubelet's SyncPod (pkg/kubelet/kubelet.go): generate and
// store the status, make sure the pod is probed, then let the runtime bring
// the containers to the desired state.
func (k *Kubelet) syncPod(kp *kpod, snap *podSnapshot, opts updateOptions, done func(isTerminal bool, err error)) {
	status := k.generateAPIPodStatus(kp, snap, false)
	if status.Phase == corev1.PodSucceeded || status.Phase == corev1.PodFailed {
		k.setPodStatus(kp, status, "all containers finished")
		done(true, nil)
		return
	}
	k.setPodStatus(kp, status, syncCause(opts))
	k.addProbes(kp)
	k.mountVolumes(kp)
	k.runtimeSyncPod(kp, snap, func(res *syncResult) {
		k.updateReasons(kp, res)
		kp.w.noop = res.noop
		done(false, res.errorExceptBackOff())
	})
}

func syncCause(opts updateOptions) string {
	if opts.cause != "" {
		return opts.cause
	}
	return "kubelet sync"
}

// syncTerminatingPod stops every container of a pod that is being deleted,
// evicted or has finished (kubelet.go SyncTerminatingPod). Liveness and
// startup probes stop first; readiness keeps probing until the containers
// are gone. Since 1.27 the kubelet then writes the pod's terminal phase.
func (k *Kubelet) syncTerminatingPod(kp *kpod, snap *podSnapshot, grace int64, done func(error)) {
	status := k.generateAPIPodStatus(kp, snap, false)
	for _, fn := range kp.w.statusFns {
		fn(&status)
	}
	k.setPodStatus(kp, status, "pod terminating")
	k.stopLivenessAndStartup(kp)
	k.killPod(kp, &grace, func() {
		k.removeProbes(kp)
		if k.prof.TerminalPhaseOnTermination {
			stopped := k.rt.snapshot(kp.uid)
			status := k.generateAPIPodStatus(kp, stopped, true)
			for _, fn := range kp.w.statusFns {
				fn(&status)
			}
			k.setPodStatus(kp, status, "all containers stopped")
		}
		done(nil)
	})
}

// syncTerminatedPod finishes a pod whose containers are all stopped: a last
// status, volumes unmounted, and the status manager told the pod is done,
// after which it deletes the API object if the pod was deleted
// (kubelet.go SyncTerminatedPod, status_manager.go TerminatePod).
func (k *Kubelet) syncTerminatedPod(kp *kpod, snap *podSnapshot, done func(error)) {
	status := k.generateAPIPodStatus(kp, snap, k.prof.TerminalPhaseOnTermination)
	k.setPodStatus(kp, status, "pod terminated")
	k.eng.After(k.cfg.Timing.VolumeTeardown, engine.PriorityNormal, func() {
		kp.w.volumesGone = true
		k.tearDownVolumes(kp)
		k.terminatePod(kp)
		done(nil)
	})
}
