package explain

import (
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/profile"
)

// Input is what Explain reads: a pod, what its containers do, the version
// whose rules apply and how long a cluster takes for each step.
type Input struct {
	Pod *corev1.Pod
	// Behaviors say what each container's process does, by name; a
	// container not named does what its manifest says
	// (behavior.FromContainer).
	Behaviors map[string]behavior.Spec
	// Profile is the Kubernetes version's rules (default profile.Default).
	Profile *profile.Profile
	// Timing is how long the cluster's steps take (DefaultTiming if zero).
	Timing Timing
	// Horizon is how far the restart timeline goes (default 15 minutes).
	Horizon time.Duration
	// Notes are said with the report: what the input holds that explain
	// does not follow (a scenario's timed actions, say).
	Notes []string
}

// Timing holds the durations of the steps before a container runs, as
// sim.Timing has them, and what image pulls take.
type Timing struct {
	Scheduling, Watch, SandboxCreate, ContainerCreate, ContainerStart time.Duration
	// Pulls returns the durations of an image's successive pulls, the last
	// repeating; nil means DefaultPull.
	Pulls func(image string) []time.Duration
	// Present reports whether the image is on the node from the start.
	Present func(image string) bool
	// PullFails says whether pulls of an image fail: every one (always),
	// or the first n.
	PullFails   func(image string) (always bool, n int)
	DefaultPull time.Duration
}

// DefaultTiming is podsim's default environment (sim.Timing's defaults):
// a small, quiet cluster.
func DefaultTiming() Timing {
	return Timing{
		Scheduling: 20 * time.Millisecond, Watch: 10 * time.Millisecond, SandboxCreate: 750 * time.Millisecond,
		ContainerCreate: 100 * time.Millisecond, ContainerStart: 300 * time.Millisecond, DefaultPull: 2 * time.Second,
	}
}

// withDefaults fills the durations left zero from DefaultTiming.
func (t Timing) withDefaults() Timing {
	def := DefaultTiming()
	for _, f := range []struct{ v, d *time.Duration }{
		{&t.Scheduling, &def.Scheduling}, {&t.Watch, &def.Watch}, {&t.SandboxCreate, &def.SandboxCreate},
		{&t.ContainerCreate, &def.ContainerCreate}, {&t.ContainerStart, &def.ContainerStart}, {&t.DefaultPull, &def.DefaultPull},
	} {
		if *f.v == 0 {
			*f.v = *f.d
		}
	}
	return t
}

// pull is the duration of the n-th pull (from 0) of an image.
func (t Timing) pull(image string, n int) time.Duration {
	var seq []time.Duration
	if t.Pulls != nil {
		seq = t.Pulls(image)
	}
	if len(seq) == 0 {
		return t.DefaultPull
	}
	return seq[min(n, len(seq)-1)]
}

func (t Timing) present(image string) bool { return t.Present != nil && t.Present(image) }

// The kubelet's constants that bound the times explain states.
const (
	// relistPeriod: the PLEG notices a container's exit within a relist
	// (pkg/kubelet/kubelet.go genericPlegRelistPeriod).
	relistPeriod = time.Second
	// syncTick: the sync loop picks up due pod workers every second
	// (pkg/kubelet/kubelet.go syncLoop's syncTicker).
	syncTick = time.Second
	// backOffPeriod is the first crash-loop back-off and the pod worker's
	// retry after a failed sync (pkg/kubelet/kubelet.go backOffPeriod).
	backOffPeriod = 10 * time.Second
	// maxContainerBackOff caps the crash-loop back-off
	// (pkg/kubelet/kubelet.go MaxContainerBackOff).
	maxContainerBackOff = 300 * time.Second
	// retryJitter: a failed sync is retried after wait.Jitter(backOffPeriod,
	// 0.5), 10–15 s (pkg/kubelet/pod_workers.go workerBackOffPeriodJitterFactor).
	retryJitter = 0.5
	// startSlack is what the kubelet's loops and status writes may add to
	// a sum of step durations: the phases of the 1 s relist and sync tick.
	startSlack = time.Second
	// statusSlack is the time from a probe result to the API write.
	statusSlack = 100 * time.Millisecond
)

// retryWindow is the range of times from a failed sync to its retry: the
// jittered wait plus up to one sync tick.
func retryWindow() Interval {
	return Between(backOffPeriod, backOffPeriod+time.Duration(retryJitter*float64(backOffPeriod))+syncTick)
}
