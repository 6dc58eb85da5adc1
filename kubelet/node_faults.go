package kubelet

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/lifecycle"
)

// Constants of the faults a node can suffer.
const (
	// maxWaitForContainerRuntime is how long the runtime may miss its
	// status checks before the node reports "container runtime is down"
	// (kubelet.go newRuntimeState(maxWaitForContainerRuntime), 30 s).
	maxWaitForContainerRuntime = 30 * time.Second
	// statusSyncPeriod is the status manager's syncBatch period
	// (status_manager.go syncPeriod, 10 s).
	statusSyncPeriod = 10 * time.Second
)

// faultState is what the kubelet knows of the faults a scenario applied to
// its node.
type faultState struct {
	// halted: the kubelet process is not running (stopped, or the node
	// is powered off); its loops tick but do nothing.
	halted           bool
	runtimeDown      bool
	runtimeDownSince time.Duration

	// The status manager's syncBatch loop (status_batch.go): its timer,
	// the time its ticks count from, and how many pods it would write.
	statusSync   *engine.Timer
	statusOrigin time.Duration
	statusDirty  int
}

// SetRuntimeDown makes the container runtime stop (true) or come back
// (false). While it is down the node's Ready condition turns False with
// "container runtime is down" once the runtime has missed its checks for
// maxWaitForContainerRuntime, at the next node status sync. The containers
// themselves keep running (their shims outlive the daemon).
func (k *Kubelet) SetRuntimeDown(down bool) {
	if down && !k.faults.runtimeDown {
		k.faults.runtimeDownSince = k.eng.Now()
	}
	k.faults.runtimeDown = down
	k.wakeNodeStatus() // node_status_elision.go: the Ready errors will change
}

// runtimeErrors is runtimeState.runtimeErrors as far as podsim models it.
func (k *Kubelet) runtimeErrors() []string {
	if k.faults.runtimeDown && k.eng.Now()-k.faults.runtimeDownSince >= maxWaitForContainerRuntime {
		return []string{"container runtime is down"}
	}
	return nil
}

// Restarted is the kubelet process starting again after it was stopped
// (its containers kept running, or not, if the node lost power): the
// BirthCry event, then a node status sync and a Lease renewal, as a kubelet
// that starts posts both at once. Its pods' statuses follow from the syncs
// its first relist starts, and from the status manager's next syncBatch.
func (k *Kubelet) Restarted() {
	// cmd/kubelet/app/server.go RunKubelet: BirthCry.
	k.rec.Event(k.nodeRef(), corev1.EventTypeNormal, "Starting", "Starting kubelet.")
	k.syncNodeStatus()
	k.syncLease()
}

// Reconnected is the kubelet reaching the API server again after its
// network came back: it posts its node status and renews its Lease at
// once (the failed attempts are retried), and the status manager's next
// syncBatch puts back what others changed of its pods' statuses.
func (k *Kubelet) Reconnected() {
	k.syncNodeStatus()
	k.syncLease()
	k.reconcileStatuses("status manager: status written again after the API server came back")
}

// startStatusSync starts the status manager's syncBatch loop: every
// statusSyncPeriod from now, each tick armed ranked (engine.Timer.ResetRanked)
// so that it keeps its place among simultaneous events whether it ticked
// every period or was armed again after skipping some (status_batch.go).
func (k *Kubelet) startStatusSync() {
	now := k.eng.Now()
	k.faults.statusOrigin = now
	k.faults.statusSync = k.eng.NewTimer(engine.PriorityNormal, k.statusBatchTick).SetOwner(kubeletLoop{k.name, "status manager batch"})
	k.faults.statusSync.ResetRanked(engine.Add(now, statusSyncPeriod), now)
}

// syncBatch is the status manager's periodic reconciliation
// (status_manager.go syncBatch with needsReconcile) of the conditions the
// kubelet owns: a pod whose Ready condition someone else changed — the
// node lifecycle controller marked it not ready — is written again. Like
// needsReconcile it compares with the pod manager's copy of the pod (the
// kubelet's watch), which "in fact comes from apiserver".
//
// Fidelity note: upstream compares the whole status, so a terminal phase
// held back while containers stopped would also be written at the next
// batch; podsim leaves that write to the pod worker, as before, and
// compares whole statuses only when the node's connection comes back
// (Reconnected).
func (k *Kubelet) syncBatch() {
	const cause = "status manager: the API status differs from the kubelet's (syncBatch)"
	for _, kp := range k.order {
		if needsBatchReconcile(kp) {
			k.syncStatus(kp, cause)
		}
	}
}

// needsBatchReconcile: a condition the kubelet owns has another status in
// the kubelet's copy of the pod than in its cache.
func needsBatchReconcile(kp *kpod) bool {
	return !kp.removed && kp.status.cached != nil && kubeletConditionsDiffer(kp.pod.Status.Conditions, kp.status.cached.Conditions)
}

// reconcileStatuses writes again the status of every pod whose API status
// differs in anything from what the kubelet last set (the batch after the
// API server came back).
func (k *Kubelet) reconcileStatuses(cause string) {
	for _, kp := range k.order {
		if kp.removed || kp.status.cached == nil {
			continue
		}
		cur := k.api.Pod(kp.key)
		if cur == nil || cur.UID != kp.uid {
			continue
		}
		if merged := mergePodStatus(cur.Status, *kp.status.cached, kp.w.couldHaveRunningContainers(), metav1.NewTime(k.wall(k.eng.Now()))); podutil.PodStatusEqual(&cur.Status, &merged) {
			continue
		}
		k.syncStatus(kp, cause)
	}
}

// kubeletConditionsDiffer reports whether a condition the kubelet owns has
// another status in the API than in the kubelet's cache.
func kubeletConditionsDiffer(api, cached []corev1.PodCondition) bool {
	for i := range cached {
		c := &cached[i]
		if !podutil.KubeletOwnsCondition(c.Type) {
			continue
		}
		if a := podutil.FindCondition(api, c.Type); a == nil || a.Status != c.Status {
			return true
		}
	}
	return false
}

// unlessHalted runs fn unless the kubelet is halted.
func (k *Kubelet) unlessHalted(fn func()) {
	if !k.faults.halted {
		fn()
	}
}

// Stop halts the kubelet process (systemctl stop kubelet): its loops —
// PLEG, pod syncs, probes, the status manager, the eviction manager, node
// status and Lease — stop; the containers keep running under the runtime.
// A pod sync under way when it stops finishes what it was doing.
func (k *Kubelet) Stop() {
	k.faults.halted = true
	k.wakeAllProbes()  // prober_elision.go: a halted kubelet's ticks do not probe
	k.haltRelist()     // pleg.go: nor do they move the PLEG cache's timestamp
	k.wakeAllResyncs() // resync_elision.go: nor do they sync
}

// Start starts a halted kubelet again: Restarted's event and heartbeats,
// and its next relist sees whatever the containers did meanwhile.
//
// Fidelity note: a real kubelet starts with empty memory (back-off, probe
// results, the status manager's cache); podsim's keeps them.
func (k *Kubelet) Start() {
	if !k.faults.halted {
		return
	}
	k.faults.halted = false
	k.restartLoops()  // loop_elision.go: they parked while it was halted
	k.wakeEvictions() // eviction_elision.go: its halted ticks parked it
	k.Restarted()
}

// PowerOff is the node losing power: the kubelet halts and every process
// of every container is gone at once — the runtime finds them exited, exit
// code 255, reason Unknown, as containerd reports a container whose task
// vanished with the machine — and the pod sandboxes are down.
func (k *Kubelet) PowerOff() {
	k.faults.halted = true
	k.haltRelist()     // pleg.go: a halted kubelet's relists do not move the PLEG cache's timestamp
	k.wakeAllResyncs() // resync_elision.go: nor do its ticks sync
	for _, kp := range k.order {
		for _, ct := range k.rt.containers[kp.uid] {
			if ct.state != lifecycle.StateRunning {
				continue
			}
			k.runtimeRecord(ct, "node powered off: the process is gone", nil)
			k.rt.exit(ct, 255, 0)
			ct.reason = "Unknown"
		}
		k.rt.stopSandboxes(kp.uid)
	}
}

// PowerOn boots a powered-off node: the kubelet starts (Start), finds the
// sandboxes down and re-creates each pod's sandbox and containers
// (SandboxChanged), each container with one more restart.
func (k *Kubelet) PowerOn() { k.Start() }

// Halted reports whether the kubelet is stopped or its node powered off.
func (k *Kubelet) Halted() bool { return k.faults.halted }
