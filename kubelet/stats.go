package kubelet

import (
	"fmt"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/eviction"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/lifecycle"
)

// maxLogBytes is the most a container's logs hold: the kubelet rotates
// them at containerLogMaxSize (10Mi) and keeps containerLogMaxFiles (5)
// (pkg/kubelet/apis/config/v1beta1/defaults.go). podsim caps the count at
// once; the kubelet checks every 10 s.
const maxLogBytes = 5 * 10 << 20

// logBytes is what a container instance's log holds on the node.
func (ct *container) logBytes() int64 {
	if ct.inst == nil {
		return 0
	}
	return min(ct.inst.Main.LoggedBytes(), maxLogBytes)
}

// podFigures are one pod's stats and what the pod adds to the node's
// figures: its disk bytes and inodes (every container instance still on
// the disk, its logs, its volumes on the node's disk). Memory and
// processes add what ps says.
type podFigures struct {
	ps           *eviction.PodStats
	disk, inodes int64
}

// summary is what the kubelet's stats provider reports now (pkg/kubelet
// server/stats summary.go, with the CRI stats provider's rules): a pod's
// stats count its running containers (terminated ones are left out of
// usage), its logs and its volumes; the node counts every container
// instance still on the disk, the images, the volumes and what the
// system itself uses.
//
// Each pod's figures are cached (stats_cache.go) and worked out again only
// when something that moves them happened, so a summary costs the pods
// that changed, not every pod.
func (k *Kubelet) summary() eviction.Summary {
	sc := k.refreshStats()
	s := k.nodeSummary(sc.memory, sc.processes, sc.disk+sc.images, sc.inodes)
	s.Lookup = k.statsLookup()
	if k.cfg.CheckInvariants {
		k.checkStatsCache(s)
	}
	return s
}

// nodeSummary is a summary's node figures from the pods' sums and what
// the machine and the node's directories add.
func (k *Kubelet) nodeSummary(podsMemory, podsProcesses, diskUsed, inodesUsed int64) eviction.Summary {
	m := k.cfg.Machine
	s := eviction.Summary{Time: k.eng.Now()}
	n := &s.Node
	n.MemoryCapacity = k.nodeMemory()
	n.PodsMemoryLimit = k.podsMemoryLimit()
	n.MemoryWorkingSet = m.SystemMemory + podsMemory
	n.PodsMemoryWorkingSet = podsMemory
	n.MaxPID = m.pidMax()
	n.Processes = m.SystemProcesses + podsProcesses
	diskUsed += m.SystemDisk
	if len(k.hostPaths) > 0 {
		for _, path := range podutil.SortedKeys(k.hostPaths) {
			v := k.hostPaths[path]
			diskUsed += v.UsedBytes()
			inodesUsed += v.Inodes()
		}
	}
	capacity := k.nodeDisk()
	fs := eviction.FsStats{CapacityBytes: capacity, AvailableBytes: max(capacity-diskUsed, 0)}
	fs.Inodes = m.Inodes
	if fs.Inodes == 0 {
		fs.Inodes = capacity / bytesPerInode
	}
	fs.InodesFree = max(fs.Inodes-inodesUsed, 0)
	n.NodeFs, n.ImageFs = fs, fs // one disk: the imagefs is the nodefs
	return s
}

// freshSummary is summary worked out from nothing, every pod's figures
// computed now: what a process asks in the middle of its step (its own
// writes are not yet marked), and what CheckInvariants compares the
// cached summary with.
func (k *Kubelet) freshSummary() eviction.Summary {
	var memory, processes, disk, inodes int64
	pods := make([]eviction.PodStats, 0, len(k.order))
	for _, kp := range k.order {
		f := k.podFigures(kp)
		memory += f.ps.MemoryWorkingSet
		processes += f.ps.Processes
		disk += f.disk
		inodes += f.inodes
		pods = append(pods, *f.ps)
	}
	s := k.nodeSummary(memory, processes, disk+k.rt.images.bytes(), inodes)
	s.Pods = pods
	return s
}

// podFigures works out one pod's stats.
func (k *Kubelet) podFigures(kp *kpod) podFigures {
	ps := &eviction.PodStats{UID: kp.uid}
	f := podFigures{ps: ps}
	var logs int64
	for _, ct := range k.rt.containers[kp.uid] {
		logs += ct.logBytes()
		if ct.inst != nil {
			f.disk += ct.inst.Container.RootfsBytes()
			f.inodes += ct.inst.Container.RootfsInodes()
		}
		if ct.state != lifecycle.StateRunning {
			continue
		}
		c := ct.inst.Container
		ps.Containers = append(ps.Containers, eviction.ContainerStats{
			Name: ct.name, MemoryWorkingSet: c.MemoryBytes(),
			RootfsBytes: c.RootfsBytes(), LogsBytes: ct.logBytes(), RootfsInodes: c.RootfsInodes(),
		})
		ps.Processes += c.Processes()
		ps.EphemeralStorage += c.RootfsBytes()
	}
	f.disk += logs
	ps.EphemeralStorage += logs
	ps.MemoryWorkingSet = k.podMemoryWorkingSet(kp)
	if kp.vols != nil {
		if len(kp.vols.sorted) > 0 {
			ps.Volumes = make([]eviction.VolumeStats, 0, len(kp.vols.sorted))
		}
		for _, sv := range kp.vols.sorted {
			v := sv.vol
			used := v.UsedBytes()
			ps.Volumes = append(ps.Volumes, eviction.VolumeStats{Name: sv.name, UsedBytes: used, InodesUsed: v.Inodes(), MemoryBased: v.Memory})
			switch {
			case v.Memory:
			case sv.local:
				ps.EphemeralStorage += used
				fallthrough
			default:
				if !sv.hostPath {
					f.disk += used
					f.inodes += v.Inodes()
				}
			}
		}
	}
	return f
}

// podMemoryWorkingSet is the pod cgroup's working set: its running
// containers' memory, and what its memory-backed volumes (emptyDir medium
// Memory, /dev/shm) hold that no running container is charged for.
func (k *Kubelet) podMemoryWorkingSet(kp *kpod) int64 {
	var n int64
	for _, ct := range k.rt.containers[kp.uid] {
		if ct.state == lifecycle.StateRunning {
			n += ct.inst.Container.MemoryBytes()
		}
	}
	if kp.vols != nil {
		for _, sv := range kp.vols.sorted {
			if v := sv.vol; v.Memory {
				n += v.UsedBytes() - k.chargedToRunning(kp, v)
			}
		}
		n += kp.vols.shm.UsedBytes() - k.chargedToRunning(kp, kp.vols.shm)
	}
	return n
}

// nodeMemoryUsed is the node's memory working set now, as summary counts
// it, without the rest of the summary: the kernel asks at every change of
// a container's memory, after the step that made it was marked.
func (k *Kubelet) nodeMemoryUsed() int64 {
	n := k.cfg.Machine.SystemMemory + k.refreshStats().memory
	if k.cfg.CheckInvariants {
		if fresh := k.freshSummary().Node.MemoryWorkingSet; n != fresh {
			k.eng.Fail(fmt.Errorf("kubelet %s: the cached stats give the node's memory as %d, worked out now %d", k.name, n, fresh))
		}
	}
	return n
}

// chargedToRunning is how much of a tmpfs the pod's running containers
// are charged for (the rest is the pod cgroup's, after its writer died).
func (k *Kubelet) chargedToRunning(kp *kpod, v *behavior.Volume) int64 {
	var n int64
	for _, ct := range k.rt.containers[kp.uid] {
		if ct.state == lifecycle.StateRunning {
			n += ct.inst.Container.TmpfsCharge(v)
		}
	}
	return min(n, v.UsedBytes())
}

func (k *Kubelet) isHostPath(kp *kpod, name string) bool {
	for _, v := range kp.pod.Spec.Volumes {
		if v.Name == name {
			return v.HostPath != nil
		}
	}
	return false
}

// diskSpaceLeft is what the node's disk has free now, for processes that
// write until it is full. It is asked in the middle of a process's step,
// before the step's writes are marked, so it does not trust the cache.
func (k *Kubelet) diskSpaceLeft() int64 { return k.freshSummary().Node.NodeFs.AvailableBytes }
