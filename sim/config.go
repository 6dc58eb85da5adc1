package sim

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/podsim/podsim/kubelet"
)

// Config configures one simulation.
type Config struct {
	// Seed is the root of every random stream (retry jitter, UIDs, …).
	Seed uint64
	// Version is the Kubernetes version to follow, "1.25" to "1.37"
	// (default DefaultVersion).
	Version string
	// Epoch is the wall-clock time of virtual time zero. Its sub-second part
	// matters: the API server keeps timestamps to the second, so where in a
	// second a pod is created decides which second each later change lands in.
	// Default 2025-01-01T00:00:00Z.
	Epoch time.Time
	// MaxEvents bounds a run; 0 means DefaultMaxEvents.
	MaxEvents uint64
	// CheckInvariants makes every pod status write check the lifecycle
	// invariants and fail the run on the first violation. Tests turn it on.
	CheckInvariants bool
	// Env describes the cluster's environment: latencies, image pulls,
	// network plugin.
	Env Environment
	// NoElision makes every kubelet tick each probe period even when the
	// probe's answer cannot have changed (see kubelet.Config.NoElision).
	// The output is byte-identical either way; elision only makes idle
	// pods cheap. It exists to check that claim.
	NoElision bool
	// Strict makes every assumption an error: a container given no
	// behaviour, of an image podsim does not know and with no command, is
	// refused ("strict: podsim would assume: …", as podsim run --strict
	// says) instead of taken to be a healthy server (AssumedServer).
	Strict bool
}

// DefaultMaxEvents bounds a run unless Config.MaxEvents says otherwise.
const DefaultMaxEvents = 50_000_000

// DefaultEpoch is virtual time zero unless Config.Epoch says otherwise.
var DefaultEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// Environment is what a real cluster decides that a Pod manifest cannot:
// how long things take and what the network plugin does.
type Environment struct {
	Timing Timing
	// Images describes pulls per image; a key applies to an image by
	// ImageKey's rule (as written, same full reference, or its repository).
	// An image no key matches pulls in Timing.DefaultPull and succeeds.
	Images map[string]ImageEnv
	// Network is the pod network's behaviour.
	Network Network
	// ResyncInterval is the kubelet's syncFrequency (default 1 m).
	ResyncInterval time.Duration
	// Kubelet are every kubelet's reservations and eviction settings
	// (kubeReserved, systemReserved, evictionHard, …); the zero value is the
	// kubelet's defaults.
	Kubelet KubeletSettings
}

// KubeletSettings are the kubelet's reservations and eviction settings
// (kubelet.Resources).
type KubeletSettings = kubelet.Resources

// Machine is what a node's machine has and uses besides the pods
// (kubelet.Machine).
type Machine = kubelet.Machine

// Timing holds the durations of the steps a real cluster takes. The
// defaults are typical of a small cluster; the kubelet's own loop periods
// (1 s relist, 1 s sync tick, 2 s housekeeping) are constants of the kubelet.
type Timing struct {
	// Scheduling is the time from pod creation to binding (default 20 ms).
	Scheduling time.Duration
	// Watch is the time for an API change to reach the kubelet and the
	// controllers (default 10 ms).
	Watch time.Duration
	// SandboxCreate is RunPodSandbox, including the CNI ADD (default 750 ms).
	SandboxCreate time.Duration
	// SandboxStop is StopPodSandbox, including the CNI DEL (default 100 ms).
	SandboxStop time.Duration
	// ContainerCreate is CreateContainer (default 100 ms).
	ContainerCreate time.Duration
	// ContainerStart is StartContainer (default 300 ms).
	ContainerStart time.Duration
	// VolumeTeardown is the time a terminated pod's volumes take to unmount
	// (default 100 ms).
	VolumeTeardown time.Duration
	// DefaultPull is the pull time of an image not listed in
	// Environment.Images (default 2 s).
	DefaultPull time.Duration
	// RelistPhase places the kubelet's 1 s PLEG relist within the second:
	// relists happen at RelistPhase + k·1s (default 600 ms). The kubelet
	// started long before the scenario, so its loops have some phase; this
	// fixes it.
	RelistPhase time.Duration
	// SyncTickPhase places the kubelet's 1 s sync tick (default 300 ms).
	SyncTickPhase time.Duration
	// HousekeepingPhase places the kubelet's 2 s housekeeping (default 0).
	HousekeepingPhase time.Duration
}

// ImageEnv describes how pulling one image behaves (kubelet.ImageEnv).
type ImageEnv = kubelet.ImageEnv

// Network is the behaviour of the pod network, its CNI plugin
// (kubelet.Network).
type Network = kubelet.Network

// Known network plugins.
const (
	NetworkPlain  = kubelet.NetworkPlain
	NetworkCalico = kubelet.NetworkCalico
)

func (t *Timing) applyDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&t.Scheduling, 20*time.Millisecond)
	def(&t.Watch, 10*time.Millisecond)
	def(&t.SandboxCreate, 750*time.Millisecond)
	def(&t.SandboxStop, 100*time.Millisecond)
	def(&t.ContainerCreate, 100*time.Millisecond)
	def(&t.ContainerStart, 300*time.Millisecond)
	def(&t.VolumeTeardown, 100*time.Millisecond)
	def(&t.DefaultPull, 2*time.Second)
	def(&t.RelistPhase, 600*time.Millisecond)
	def(&t.SyncTickPhase, 300*time.Millisecond)
}

func (c *Config) normalize() error {
	if c.Epoch.IsZero() {
		c.Epoch = DefaultEpoch
	}
	if c.MaxEvents == 0 {
		c.MaxEvents = DefaultMaxEvents
	}
	if c.Env.ResyncInterval == 0 {
		c.Env.ResyncInterval = time.Minute
	}
	c.Env.Timing.applyDefaults()
	t := c.Env.Timing
	for _, p := range []struct {
		name string
		d    time.Duration
	}{{"relistPhase", t.RelistPhase}, {"syncTickPhase", t.SyncTickPhase}} {
		if p.d < 0 || p.d >= time.Second {
			return fmt.Errorf("timing.%s: %v must be in [0s, 1s)", p.name, p.d)
		}
	}
	if t.HousekeepingPhase < 0 || t.HousekeepingPhase >= 2*time.Second {
		return fmt.Errorf("timing.housekeepingPhase: %v must be in [0s, 2s)", t.HousekeepingPhase)
	}
	if c.Env.Network.PodCIDR == "" {
		c.Env.Network.PodCIDR = "10.244.0.0/24"
	}
	if pfx, err := netip.ParsePrefix(c.Env.Network.PodCIDR); err != nil || !pfx.Addr().Is4() || pfx.Bits() > 24 {
		return fmt.Errorf("network.podCIDR: %q must be an IPv4 range of /24 or wider, such as 10.244.0.0/24", c.Env.Network.PodCIDR)
	}
	if err := c.Env.Kubelet.Validate(); err != nil {
		return fmt.Errorf("kubelet: %w", err)
	}
	switch c.Env.Network.Plugin {
	case NetworkPlain, NetworkCalico:
	default:
		return fmt.Errorf("network.plugin: %q is not supported (want %q or %q)", c.Env.Network.Plugin, NetworkPlain, NetworkCalico)
	}
	return c.Env.checkDistributions()
}

// kubeletTiming is the part of the timing a kubelet and its runtime use.
func (t Timing) kubeletTiming() kubelet.Timing {
	return kubelet.Timing{
		SandboxCreate: t.SandboxCreate, SandboxStop: t.SandboxStop,
		ContainerCreate: t.ContainerCreate, ContainerStart: t.ContainerStart,
		VolumeTeardown: t.VolumeTeardown, DefaultPull: t.DefaultPull,
		RelistPhase: t.RelistPhase, SyncTickPhase: t.SyncTickPhase, HousekeepingPhase: t.HousekeepingPhase,
	}
}
