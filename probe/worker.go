package probe

import (
	"time"

	corev1 "k8s.io/api/core/v1"
)

// Rules selects the worker behaviours that changed between Kubernetes
// versions (see the package documentation).
type Rules struct {
	// TickerResetOnManualRun: a manual run restarts the period (PR #119089,
	// v1.29). Before, manual runs left the periodic ticks where they were.
	TickerResetOnManualRun bool
	// HoldOnAnyStartupResult: a startup probe that reaches either threshold
	// stops probing until a new container (issue #117153, about v1.29).
	// Before, only a startup Failure did.
	HoldOnAnyStartupResult bool
	// ProbeInitContainers: the worker also finds restartable init
	// (sidecar) containers among the init container statuses (v1.28).
	ProbeInitContainers bool
	// ErroredEventWithState: an errored probe's event reads "%s probe
	// errored and resulted in %s state: %s", and an Unknown result without
	// an error records no event (PR #125901, v1.33). Before: "%s probe
	// errored: %v", and Unknown gave a "probe failed" event.
	ErroredEventWithState bool
}

// Observation is what a worker reads at the start of each run: the pod
// status the kubelet's status manager holds, and the pod as the worker
// was given it.
type Observation struct {
	// HasStatus is false until the kubelet has generated a status.
	HasStatus bool
	Phase     corev1.PodPhase
	// Container is the probed container's status, nil if not found.
	Container *corev1.ContainerStatus
	// Deleting: the pod carried a deletionTimestamp.
	Deleting bool
	// RestartPolicy is the pod's restart policy.
	RestartPolicy corev1.RestartPolicy
	// RestartableInit: the container is a sidecar, always restarted.
	RestartableInit bool
	// Now is the current time on the same clock as the container's startedAt.
	Now time.Time
}

// Decision is what a worker wants done after reading an observation.
type Decision uint8

const (
	// Wait: nothing to probe now; wait for the next tick or trigger.
	Wait Decision = iota
	// Probe: run the probe and give its outcome to Record.
	Probe
	// Exit: the worker ends.
	Exit
)

// Worker is one probe of one container of one pod: the state machine of the
// kubelet's probe worker (pkg/kubelet/prober/worker.go doProbe), with the
// running of the probe and the ticker left to the caller.
type Worker struct {
	// Spec is shared, not copied: the compiled settings of a container's
	// probe, which no one changes (issue 10: a copy per worker was 96 B).
	Spec    *Spec
	Rules   Rules
	Results *Results

	containerID string
	onHold      bool
	lastResult  Result
	resultRun   int
}

// NewWorker returns a worker for spec that stores results in results. The
// worker keeps spec itself: the caller must not change it afterwards.
func NewWorker(spec *Spec, rules Rules, results *Results) *Worker {
	return &Worker{Spec: spec, Rules: rules, Results: results, lastResult: Unknown}
}

// InitialValue is the result a container starts with before any probe:
// Failure for readiness (not ready until proven), Success for liveness
// (alive until proven dead), Unknown for startup.
func (k Kind) InitialValue() Result {
	switch k {
	case Readiness:
		return Failure
	case Liveness:
		return Success
	}
	return Unknown
}

// ContainerID is the container instance the worker is following.
func (w *Worker) ContainerID() string { return w.containerID }

// LastRun is the length of the current run of identical results (0 after
// a hold or before the first probe).
func (w *Worker) LastRun() int { return w.resultRun }

// OnHold reports whether the worker waits for a new container.
func (w *Worker) OnHold() bool { return w.onHold }

// Decide is the first half of doProbe: it reads the observation, updates
// the stored result where the kubelet would, and says whether to probe.
func (w *Worker) Decide(o Observation) Decision {
	if !o.HasStatus {
		return Wait // no status yet, or already deleted
	}
	if o.Phase == corev1.PodFailed || o.Phase == corev1.PodSucceeded {
		return Exit
	}
	c := o.Container
	if c == nil || c.ContainerID == "" {
		return Wait // not created yet
	}
	if w.containerID != c.ContainerID {
		if w.containerID != "" {
			w.Results.Remove(w.containerID)
		}
		w.containerID = c.ContainerID
		w.Results.Set(w.containerID, w.Spec.Kind.InitialValue())
		w.onHold = false // a new container: resume probing
	}
	if w.onHold {
		return Wait
	}
	if c.State.Running == nil {
		w.Results.Set(w.containerID, Failure)
		// Stop only when the container will never run again.
		if c.State.Terminated != nil && o.RestartPolicy == corev1.RestartPolicyNever && !o.RestartableInit {
			return Exit
		}
		return Wait
	}
	if o.Deleting && (w.Spec.Kind == Liveness || w.Spec.Kind == Startup) {
		// A quiet shutdown: no liveness kills while the pod terminates.
		w.Results.Set(w.containerID, Success)
		return Exit
	}
	// The delay counts whole seconds since the runtime started the process.
	if int32(o.Now.Sub(c.State.Running.StartedAt.Time).Seconds()) < w.Spec.InitialDelaySeconds {
		return Wait
	}
	started := c.Started != nil && *c.Started
	if started == (w.Spec.Kind == Startup) {
		// Startup probes stop once started; the others wait for it.
		return Wait
	}
	return Probe
}

// Record is the second half of doProbe: it counts a probe result against
// the thresholds and stores it once a threshold is reached. Errored probes
// are not recorded (the kubelet throws their result away).
func (w *Worker) Record(r Result) {
	if w.lastResult == r {
		w.resultRun++
	} else {
		w.lastResult, w.resultRun = r, 1
	}
	if (r == Failure && w.resultRun < int(w.Spec.FailureThreshold)) ||
		(r == Success && w.resultRun < int(w.Spec.SuccessThreshold)) {
		return
	}
	w.Results.Set(w.containerID, r)
	hold := w.Spec.Kind == Liveness && r == Failure
	if w.Spec.Kind == Startup && (r == Failure || w.Rules.HoldOnAnyStartupResult) {
		hold = true
	}
	if hold {
		// The container will be restarted; probe again only a new one.
		w.onHold, w.resultRun = true, 0
	}
}

// Stopped cleans up after a worker ends: its container's result is
// removed, as the worker's deferred cleanup does.
func (w *Worker) Stopped() {
	if w.containerID != "" {
		w.Results.Remove(w.containerID)
	}
}

// RulesFor returns the worker rules of Kubernetes 1.<minor>.
func RulesFor(minor int) Rules {
	return Rules{
		TickerResetOnManualRun: minor >= 29,
		HoldOnAnyStartupResult: minor >= 29,
		ProbeInitContainers:    minor >= 28,
		ErroredEventWithState:  minor >= 33,
	}
}
