package eviction

import (
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/types"
)

// Summary is what the kubelet's stats provider reports at one moment: the
// part of the Summary API (k8s.io/kubelet/pkg/apis/stats/v1alpha1) the
// eviction manager reads. Amounts are bytes, inodes or processes.
type Summary struct {
	// Time is when the stats were taken.
	Time time.Duration
	Node NodeStats
	Pods []PodStats
	// Lookup, when set, finds a pod's stats instead of Pods: a host that
	// keeps each pod's figures indexed spares the manager building an
	// index of every pod at every pass.
	Lookup func(uid types.UID) (*PodStats, bool)
}

// NodeStats are the node-wide figures.
type NodeStats struct {
	// MemoryCapacity and MemoryWorkingSet give memory.available =
	// capacity − working set (helpers_linux.go
	// makeMemoryAvailableSignalObservation reads AvailableBytes and
	// WorkingSetBytes, whose sum is the capacity).
	MemoryCapacity, MemoryWorkingSet int64
	// PodsMemoryLimit and PodsMemoryWorkingSet are the pods cgroup's: its
	// limit is capacity minus kube- and system-reserved.
	PodsMemoryLimit, PodsMemoryWorkingSet int64
	// NodeFs is the kubelet's filesystem; ImageFs the runtime's, which is
	// the same disk unless DedicatedImageFs.
	NodeFs, ImageFs FsStats
	// MaxPID and Processes are the rlimit figures: pid_max and the
	// processes running.
	MaxPID, Processes int64
}

// FsStats is a filesystem's capacity and use.
type FsStats struct {
	CapacityBytes, AvailableBytes int64
	Inodes, InodesFree            int64
}

// PodStats are one pod's figures.
type PodStats struct {
	UID types.UID
	// MemoryWorkingSet is the pod cgroup's working set: its containers'
	// plus what the pod cgroup itself holds.
	MemoryWorkingSet int64
	Containers       []ContainerStats
	Volumes          []VolumeStats
	// EphemeralStorage is everything the pod stores on the node's disk:
	// writable layers, logs, local volumes (summary's EphemeralStorage).
	EphemeralStorage int64
	// Processes is the pod's process count (ProcessStats).
	Processes int64
}

// ContainerStats are one container's figures (of its newest instance).
type ContainerStats struct {
	Name             string
	MemoryWorkingSet int64
	// RootfsBytes is the writable layer; LogsBytes the container's logs.
	RootfsBytes, LogsBytes int64
	// RootfsInodes and LogsInodes are the inodes they use.
	RootfsInodes, LogsInodes int64
}

// VolumeStats is one volume's use.
type VolumeStats struct {
	Name        string
	UsedBytes   int64
	InodesUsed  int64
	MemoryBased bool // a medium: Memory emptyDir (tmpfs)
}

// observation is one signal's available amount and capacity
// (helpers.go signalObservation).
type observation struct {
	available *resource.Quantity
	capacity  *resource.Quantity
	time      time.Duration
}

// Observations are the signals observed at one moment.
type Observations map[Signal]observation

// Available is the amount observed for a signal.
func (o Observations) Available(s Signal) (int64, bool) {
	ob, ok := o[s]
	if !ok {
		return 0, false
	}
	return ob.available.Value(), true
}

// Observe derives the signals from a summary (helpers.go
// makeSignalObservations). Inode signals are observed only for a
// filesystem that reports inodes.
func Observe(s Summary) Observations {
	obs := Observations{}
	bin := func(v int64) *resource.Quantity { return resource.NewQuantity(v, resource.BinarySI) }
	dec := func(v int64) *resource.Quantity { return resource.NewQuantity(v, resource.DecimalSI) }
	n := s.Node
	obs[SignalMemoryAvailable] = observation{available: bin(n.MemoryCapacity - n.MemoryWorkingSet), capacity: bin(n.MemoryCapacity), time: s.Time}
	obs[SignalAllocatableMemoryAvailable] = observation{available: bin(n.PodsMemoryLimit - n.PodsMemoryWorkingSet), capacity: bin(n.PodsMemoryLimit), time: s.Time}
	fs := func(bytes, inodes Signal, f FsStats) {
		obs[bytes] = observation{available: bin(f.AvailableBytes), capacity: bin(f.CapacityBytes), time: s.Time}
		if f.Inodes > 0 {
			obs[inodes] = observation{available: dec(f.InodesFree), capacity: dec(f.Inodes), time: s.Time}
		}
	}
	fs(SignalNodeFsAvailable, SignalNodeFsInodesFree, n.NodeFs)
	fs(SignalImageFsAvailable, SignalImageFsInodesFree, n.ImageFs)
	if n.MaxPID > 0 {
		obs[SignalPIDAvailable] = observation{available: dec(n.MaxPID - n.Processes), capacity: dec(n.MaxPID), time: s.Time}
	}
	return obs
}

// statsFunc finds a pod's stats (helpers.go statsFunc, cachedStatsFunc).
type statsFunc func(uid types.UID) (*PodStats, bool)

func podStatsFunc(s Summary) statsFunc {
	if s.Lookup != nil {
		return s.Lookup
	}
	pods := s.Pods
	byUID := make(map[types.UID]*PodStats, len(pods))
	for i := range pods {
		byUID[pods[i].UID] = &pods[i]
	}
	return func(uid types.UID) (*PodStats, bool) {
		ps, ok := byUID[uid]
		return ps, ok
	}
}
