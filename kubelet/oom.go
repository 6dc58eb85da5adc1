package kubelet

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/qos"
	"github.com/podsim/podsim/trace"
)

// reasonOOMKilled is the reason containerd gives a container whose cgroup
// saw an OOM kill (pkg/cri oomExitReason).
const reasonOOMKilled = "OOMKilled"

// memoryLimit is the container's cgroup memory limit in bytes, 0 for none.
func (k *Kubelet) memoryLimit(ct *container) int64 {
	spec := k.containerSpec(k.pods[ct.podUID], ct.name)
	if spec == nil {
		return 0
	}
	if q, ok := spec.Resources.Limits[corev1.ResourceMemory]; ok {
		return q.Value()
	}
	return 0
}

// checkMemory is the kernel watching the container's memory: over its
// cgroup limit, the memcg OOM killer acts at once; then the node as a
// whole may be out of memory.
func (r *containerRuntime) checkMemory(ct *container) {
	if ct.state != lifecycle.StateRunning || r.k.pods[ct.podUID] == nil {
		return
	}
	if limit := r.k.memoryLimit(ct); limit > 0 {
		if used := ct.inst.Container.MemoryBytes(); used > limit {
			r.oomKill(ct, fmt.Sprintf("memory cgroup out of memory: using %s, over its limit of %s",
				quantity(used), quantity(limit)))
			return
		}
	}
	r.k.checkNodeMemory()
}

func quantity(b int64) string { return resource.NewQuantity(b, resource.BinarySI).String() }

// oomKill is the kernel's OOM killer in the container's cgroup: with
// memory.oom.group (the kubelet sets it on cgroup v2 since 1.28) every
// process dies, SIGKILL, exit 137; before, the process holding the most
// memory, which may be a worker child (stress then reports it and exits
// 1). Either way containerd reports the reason OOMKilled.
func (r *containerRuntime) oomKill(ct *container, why string) {
	ct.oomKilled = true
	whole := r.k.prof.OOMKillsWholeContainer
	r.k.runtimeRecord(ct, "OOM killer: "+why, &trace.RuntimeAction{Kind: trace.RuntimeSignal, Signal: "SIGKILL"})
	if ct.inst.Container.OOMKill(whole) {
		ct.inst.Main.Signal(behavior.SIGKILL, r.now())
	} else {
		ct.inst.Main.Interrupt(r.now())
	}
	r.advance(ct)
}

// checkNodeMemory is the kernel running out of memory on the node before
// the kubelet evicts: the global OOM killer takes the process of highest
// badness — its resident memory plus oom_score_adj thousandths of the
// machine's memory (mm/oom_kill.c oom_badness) — until the node fits
// again. Equal scores go to the process created last, as the kernel's
// walk of the task list leaves them. The kubelet's OOM watcher reports it
// on the node (pkg/kubelet/oom oom_watcher_linux.go, SystemOOM).
func (k *Kubelet) checkNodeMemory() {
	capacity := k.nodeMemory()
	for k.nodeMemoryUsed() > capacity {
		var victim *container
		var best int64
		for _, kp := range k.order {
			for _, ct := range k.rt.containers[kp.uid] {
				if ct.state != lifecycle.StateRunning {
					continue
				}
				spec := k.containerSpec(kp, ct.name)
				if spec == nil {
					continue
				}
				adj := int64(qos.ContainerOOMScoreAdj(kp.pod, spec, capacity))
				points := max(ct.inst.Container.ProcessMemory()+adj*capacity/1000, 1)
				if victim == nil || points >= best {
					victim, best = ct, points
				}
			}
		}
		if victim == nil {
			return
		}
		k.rec.Event(k.nodeRef(), corev1.EventTypeWarning, "SystemOOM", "System OOM encountered")
		k.rt.oomKill(victim, "the node is out of memory")
	}
}
