package kubelet

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/podsim/podsim/eviction"
)

// Resources are the kubelet's settings about its node's resources, as a
// KubeletConfiguration writes them (kubeReserved, systemReserved, the
// eviction fields).
type Resources struct {
	// KubeReserved and SystemReserved are held back from pods: node
	// allocatable is capacity minus both minus the hard eviction
	// thresholds of memory.available and nodefs.available.
	KubeReserved, SystemReserved corev1.ResourceList
	// EvictionHard replaces the default hard thresholds
	// (eviction.DefaultEvictionHard) when set; EvictionSoft, its grace
	// periods and EvictionMinimumReclaim add to them.
	EvictionHard, EvictionSoft, EvictionSoftGracePeriod, EvictionMinimumReclaim map[string]string
	// EvictionMaxPodGracePeriod is the grace period of a soft eviction
	// (evictionMaxPodGracePeriod, default 0).
	EvictionMaxPodGracePeriod int64
	// EvictionPressureTransitionPeriod is how long a pressure condition
	// stays after its threshold was last met (default 5m).
	EvictionPressureTransitionPeriod time.Duration
	// EvictionPhase places the eviction loop within its 10 s period, as
	// Timing's phases place the other loops.
	EvictionPhase time.Duration

	// FeatureGates set the kubelet's feature gates that podsim follows
	// (profile.GateNames) over the version's defaults.
	FeatureGates map[string]bool
	// MaxContainerRestartPeriod is crashLoopBackOff.maxContainerRestartPeriod
	// (0: unset), read when the KubeletCrashLoopBackOffMax gate is on.
	MaxContainerRestartPeriod time.Duration
}

// Machine is what the node's machine has and uses outside the pods.
type Machine struct {
	// PIDMax is /proc/sys/kernel/pid_max (0: DefaultPIDMax).
	PIDMax int64
	// Inodes is the node filesystem's inode count (0: one per 16 KiB of
	// ephemeral-storage capacity, ext4's default).
	Inodes int64
	// SystemMemory, SystemDisk and SystemProcesses are what the operating
	// system, the kubelet and the runtime use.
	SystemMemory, SystemDisk, SystemProcesses int64
}

// DefaultPIDMax is pid_max on a 64-bit host with systemd, which raises the
// kernel's 32768 to 4194304.
const DefaultPIDMax = 4194304

// bytesPerInode is mke2fs's default inode ratio for ext4.
const bytesPerInode = 16 << 10

// EvictionThresholds are the thresholds the settings give, as the kubelet
// reads them: the default hard thresholds unless EvictionHard is set, the
// soft ones, and the allocatableMemory.available twins (node allocatable
// is enforced for pods, the default).
func (r Resources) EvictionThresholds() ([]eviction.Threshold, error) {
	hard := r.EvictionHard
	if hard == nil {
		hard = eviction.DefaultEvictionHard
	}
	return eviction.ParseThresholdConfig(eviction.ThresholdConfig{
		Hard: hard, Soft: r.EvictionSoft, SoftGracePeriod: r.EvictionSoftGracePeriod,
		MinimumReclaim: r.EvictionMinimumReclaim, EnforcePodsAllocatable: true,
	})
}

// allocatable is the node's allocatable (pkg/kubelet/nodestatus
// MachineInfo, cm GetNodeAllocatableReservation and
// hardEvictionReservation): each resource's capacity minus kube-reserved,
// system-reserved and, for memory and ephemeral-storage, the hard
// memory.available and nodefs.available thresholds; never below zero.
func (k *Kubelet) allocatable(capacity corev1.ResourceList) corev1.ResourceList {
	reserved := corev1.ResourceList{}
	add := func(name corev1.ResourceName, q resource.Quantity) {
		sum := reserved[name]
		sum.Add(q)
		reserved[name] = sum
	}
	for _, list := range []corev1.ResourceList{k.cfg.Resources.SystemReserved, k.cfg.Resources.KubeReserved} {
		for name, q := range list {
			add(name, q)
		}
	}
	for _, t := range k.thresholds {
		if !t.IsHard() {
			continue
		}
		var name corev1.ResourceName
		switch t.Signal {
		case eviction.SignalMemoryAvailable:
			name = corev1.ResourceMemory
		case eviction.SignalNodeFsAvailable:
			name = corev1.ResourceEphemeralStorage
		default:
			continue
		}
		c := capacity[name]
		add(name, *eviction.Quantity(t.Value, &c))
	}
	out := capacity.DeepCopy()
	for name, c := range capacity {
		r, ok := reserved[name]
		if !ok {
			continue
		}
		c.Sub(r)
		if c.Sign() < 0 {
			c.Set(0)
		}
		out[name] = c
	}
	return out
}

// nodeMemory is the node's memory capacity in bytes.
func (k *Kubelet) nodeMemory() int64 {
	if q, ok := k.machineCapacity()[corev1.ResourceMemory]; ok {
		return q.Value()
	}
	q := defaultNodeCapacity()[corev1.ResourceMemory]
	return q.Value()
}

// machineCapacity is the capacity the kubelet registered its node with:
// the machine's, which the kubelet knows from cAdvisor, not from the API
// server, so a deleted node object does not change it (and the eviction
// manager's stats cannot move without the kubelet knowing, which lets its
// loop park: eviction_elision.go).
func (k *Kubelet) machineCapacity() corev1.ResourceList {
	if k.evictions.capacity == nil {
		if n := k.api.Node(k.name); n != nil {
			k.evictions.capacity = n.Status.Capacity.DeepCopy()
		}
	}
	return k.evictions.capacity
}

// nodeDisk is the node's ephemeral-storage capacity in bytes: the size of
// its one disk.
func (k *Kubelet) nodeDisk() int64 {
	if q, ok := k.machineCapacity()[corev1.ResourceEphemeralStorage]; ok {
		return q.Value()
	}
	q := defaultNodeCapacity()[corev1.ResourceEphemeralStorage]
	return q.Value()
}

// podsMemoryLimit is the pods cgroup's memory limit: capacity minus
// kube- and system-reserved (cm getNodeAllocatableAbsolute; the hard
// eviction threshold is not subtracted from the cgroup, only from the
// allocatable the node reports).
func (k *Kubelet) podsMemoryLimit() int64 {
	limit := k.nodeMemory()
	for _, list := range []corev1.ResourceList{k.cfg.Resources.SystemReserved, k.cfg.Resources.KubeReserved} {
		if q, ok := list[corev1.ResourceMemory]; ok {
			limit -= q.Value()
		}
	}
	return max(limit, 0)
}

func (m Machine) pidMax() int64 {
	if m.PIDMax > 0 {
		return m.PIDMax
	}
	return DefaultPIDMax
}

// Validate checks the settings as the kubelet's configuration validation
// would: thresholds that parse, no negative period, reservations that are
// resources.
func (r Resources) Validate() error {
	if _, err := r.EvictionThresholds(); err != nil {
		return err
	}
	if r.EvictionPressureTransitionPeriod < 0 {
		return fmt.Errorf("evictionPressureTransitionPeriod %v must not be negative", r.EvictionPressureTransitionPeriod)
	}
	if r.EvictionPhase < 0 || r.EvictionPhase >= eviction.MonitoringInterval {
		return fmt.Errorf("evictionPhase %v must be in [0s, %v)", r.EvictionPhase, eviction.MonitoringInterval)
	}
	return nil
}
