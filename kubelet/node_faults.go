package kubelet

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
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
	runtimeDown      bool
	runtimeDownSince time.Duration
	statusSync       *engine.Timer
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
}

// runtimeErrors is runtimeState.runtimeErrors as far as podsim models it.
func (k *Kubelet) runtimeErrors() []string {
	if k.faults.runtimeDown && k.eng.Now()-k.faults.runtimeDownSince >= maxWaitForContainerRuntime {
		return []string{"container runtime is down"}
	}
	return nil
}

// Restarted is the kubelet process starting again after it was stopped
// (its containers kept running): the BirthCry event, then a node status
// sync and a Lease renewal, as a kubelet that starts posts both at once.
func (k *Kubelet) Restarted() {
	// cmd/kubelet/app/server.go RunKubelet: BirthCry.
	k.rec.Event(k.nodeRef(), corev1.EventTypeNormal, "Starting", "Starting kubelet.")
	k.Reconnected()
}

// Reconnected is the kubelet reaching the API server again after its
// network came back: it posts its node status and renews its Lease at
// once (the failed attempts are retried), and the status manager's next
// syncBatch puts back what others changed of its pods' statuses.
func (k *Kubelet) Reconnected() {
	k.syncNodeStatus()
	k.syncLease()
	k.reconcileStatuses(false, "status manager: status written again after the API server came back")
}

// startStatusSync starts the status manager's syncBatch loop.
func (k *Kubelet) startStatusSync() {
	k.faults.statusSync = k.eng.NewTimer(engine.PriorityNormal, func() {
		k.syncBatch()
		k.faults.statusSync.ResetAfter(statusSyncPeriod)
	})
	k.faults.statusSync.ResetAfter(statusSyncPeriod)
}

// syncBatch is the status manager's periodic reconciliation
// (status_manager.go syncBatch with needsReconcile) of the conditions the
// kubelet owns: a pod whose Ready condition someone else changed — the
// node lifecycle controller marked it not ready — is written again.
//
// Fidelity note: upstream compares the whole status, so a terminal phase
// held back while containers stopped would also be written at the next
// batch; podsim leaves that write to the pod worker, as before, and
// compares whole statuses only when the node's connection comes back
// (Reconnected).
func (k *Kubelet) syncBatch() {
	k.reconcileStatuses(true, "status manager: the API status differs from the kubelet's (syncBatch)")
}

// reconcileStatuses writes again the status of every pod whose API status
// differs from what the kubelet last set: in its kubelet-owned conditions
// only, or in anything.
func (k *Kubelet) reconcileStatuses(conditionsOnly bool, cause string) {
	for _, kp := range k.order {
		if kp.removed || kp.status.cached == nil {
			continue
		}
		cur := k.api.Pod(kp.key)
		if cur == nil || cur.UID != kp.uid {
			continue
		}
		if conditionsOnly {
			if !kubeletConditionsDiffer(cur.Status.Conditions, kp.status.cached.Conditions) {
				continue
			}
		} else if merged := mergePodStatus(cur.Status, *kp.status.cached, kp.w.couldHaveRunningContainers(), metav1.NewTime(k.wall(k.eng.Now()))); podutil.PodStatusEqual(&cur.Status, &merged) {
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
