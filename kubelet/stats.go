package kubelet

import (
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

// summary is what the kubelet's stats provider reports now (pkg/kubelet
// server/stats summary.go, with the CRI stats provider's rules): a pod's
// stats count its running containers (terminated ones are left out of
// usage), its logs and its volumes; the node counts every container
// instance still on the disk, the images, the volumes and what the
// system itself uses.
func (k *Kubelet) summary() eviction.Summary {
	m := k.cfg.Machine
	s := eviction.Summary{Time: k.eng.Now()}
	n := &s.Node
	n.MemoryCapacity = k.nodeMemory()
	n.PodsMemoryLimit = k.podsMemoryLimit()
	n.MemoryWorkingSet = m.SystemMemory
	n.MaxPID = m.pidMax()
	n.Processes = m.SystemProcesses
	diskUsed := m.SystemDisk + k.rt.images.bytes()
	var inodesUsed int64
	if len(k.order) > 0 {
		s.Pods = make([]eviction.PodStats, 0, len(k.order))
	}
	for _, kp := range k.order {
		ps := eviction.PodStats{UID: kp.uid}
		var logs int64
		for _, ct := range k.rt.containers[kp.uid] {
			logs += ct.logBytes()
			if ct.inst != nil {
				diskUsed += ct.inst.Container.RootfsBytes()
				inodesUsed += ct.inst.Container.RootfsInodes()
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
		diskUsed += logs
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
						diskUsed += used
						inodesUsed += v.Inodes()
					}
				}
			}
		}
		n.MemoryWorkingSet += ps.MemoryWorkingSet
		n.PodsMemoryWorkingSet += ps.MemoryWorkingSet
		n.Processes += ps.Processes
		s.Pods = append(s.Pods, ps)
	}
	for _, path := range podutil.SortedKeys(k.hostPaths) {
		v := k.hostPaths[path]
		diskUsed += v.UsedBytes()
		inodesUsed += v.Inodes()
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
// a container's memory.
func (k *Kubelet) nodeMemoryUsed() int64 {
	n := k.cfg.Machine.SystemMemory
	for _, kp := range k.order {
		n += k.podMemoryWorkingSet(kp)
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
// write until it is full.
func (k *Kubelet) diskSpaceLeft() int64 { return k.summary().Node.NodeFs.AvailableBytes }
