package kubelet

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/probe"
)

// probeWorker runs one probe of one container (pkg/kubelet/prober/worker.go):
// a ticker started when the pod was admitted, a manual trigger with room for
// one request, and the pure state machine of package probe.
type probeWorker struct {
	k      *Kubelet
	kp     *kpod
	c      *corev1.Container
	isInit bool
	w      *probe.Worker

	ticker  *engine.Timer
	runT    *engine.Timer // schedule's
	queued  bool          // a run is scheduled
	busy    bool          // a probe is running (an exec that takes time)
	tickBuf bool          // a tick arrived while busy (the ticker channel holds one)
	trigBuf bool          // a manual trigger arrived while busy
	stopped bool
	exited  bool

	// execProg is the exec handler's command, compiled on the first run:
	// what it does depends only on the command line and the container's
	// behaviour, not on the run of the container.
	execProg     *behavior.Program
	execReadOnly bool

	// Steady-state elision (prober_elision.go): plainSuccess says the last
	// run succeeded without an event; a parked worker's ticker is stopped
	// and parkedNext is when it would have fired.
	plainSuccess bool
	parked       bool
	parkedNext   time.Duration
}

// results holds the kubelet's three results managers.
type probeResults struct {
	byKind [3]*probe.Results
}

func (k *Kubelet) results(kind probe.Kind) *probe.Results {
	if k.probeResults.byKind[kind] == nil {
		for i := range k.probeResults.byKind {
			k.probeResults.byKind[i] = probe.NewResults()
		}
	}
	return k.probeResults.byKind[kind]
}

// statusID is a runtime container ID as the pod status shows it, the key of
// the results managers.
func statusID(runtimeID string) string { return statusIDPrefix + runtimeID }

const statusIDPrefix = "containerd://"

// probeResult is what computePodActions reads from a results manager, for a
// container ID as the status shows it (containerStatus.statusID).
func (k *Kubelet) probeResult(kp *kpod, kind probe.Kind, statusID string) probe.Result {
	r, ok := k.results(kind).Get(statusID)
	if !ok {
		return probe.Unknown
	}
	return r
}

// addProbes is probeManager.AddPod: a worker per probe of each container
// (and of each sidecar, where the version probes them), started now; the
// first run happens at once, then every period.
func (k *Kubelet) addProbes(kp *kpod) {
	if kp.probes != nil {
		return
	}
	kp.probes = []*probeWorker{}
	specs := kp.spec.regular
	if k.prof.ProbeInitContainers {
		for _, cs := range kp.spec.init {
			if cs.sidecar {
				specs = append(specs, cs)
			}
		}
	}
	for _, cs := range specs {
		for i := range cs.probes {
			spec := &cs.probes[i] // shared by the pod's worker and its compiled spec
			pw := &probeWorker{k: k, kp: kp, c: cs.api, isInit: cs.isInit,
				w: probe.NewWorker(spec, k.prof.Probe, k.results(spec.Kind))}
			pw.ticker = k.eng.NewTimer(engine.PriorityNormal, pw.tick).SetOwner(pw)
			pw.rearm()
			kp.probes = append(kp.probes, pw)
			pw.schedule()
		}
	}
}

// rearm starts a new period of the ticker now. The ticker is ranked (see
// engine.Timer.ResetRanked): its own ticks keep its rank, and so does a
// wake from a park (prober_elision.go), so that a woken worker takes the
// place among simultaneous events that ticking would have given it; being
// armed by anything else (the worker's start, a manual run) draws a new
// rank, the place an ordinary arming now would have.
func (pw *probeWorker) rearm() {
	pw.ticker.Rerank()
	pw.tickAgain()
}

// tickAgain is the ticker's own re-arming, one period from now.
func (pw *probeWorker) tickAgain() {
	now := pw.k.eng.Now()
	pw.ticker.ResetRanked(engine.Add(now, pw.w.Spec.Period), now)
}

func (pw *probeWorker) tick() {
	if pw.stopped {
		return
	}
	pw.tickAgain()
	if pw.k.faults.halted { // node_faults.go: the kubelet is not running
		return
	}
	if pw.queued || pw.busy {
		pw.tickBuf = true
		return
	}
	pw.schedule()
}

// trigger is the manual run UpdatePodStatus asks for when a running,
// started container is not yet known to be ready.
func (pw *probeWorker) trigger() {
	if pw.stopped || pw.w.Spec.Kind != probe.Readiness {
		return
	}
	pw.wake()
	if pw.queued || pw.busy {
		pw.trigBuf = true // the channel holds one request; more are dropped
		return
	}
	pw.manualRun()
}

func (pw *probeWorker) manualRun() {
	if pw.k.prof.Probe.TickerResetOnManualRun {
		pw.rearm()
	}
	pw.schedule()
}

func (pw *probeWorker) schedule() {
	pw.queued = true
	// One timer for the worker's runs: a run is never scheduled while one
	// is (queued), and re-arming a fired timer is the same event as a new
	// one (the next sequence number), without a timer and a method value
	// allocated per run. (Were it still armed, a new one keeps both runs.)
	if pw.runT == nil {
		pw.runT = pw.k.eng.NewTimer(engine.PriorityNormal, pw.run)
	}
	if pw.runT.Armed() {
		pw.k.eng.After(0, engine.PriorityNormal, pw.run)
		return
	}
	pw.runT.ResetAfter(0)
}

// run is one doProbe.
func (pw *probeWorker) run() {
	pw.queued = false
	if pw.stopped {
		pw.exit()
		return
	}
	switch pw.w.Decide(pw.observe()) {
	case probe.Exit:
		pw.exit()
	case probe.Probe:
		pw.busy = true
		pw.k.runProbe(pw)
		return
	}
	pw.publish()
	pw.afterRun()
}

// ran takes the result of a probe run (runProbe): recorded unless the
// probe errored, published, and the worker's next pass.
func (pw *probeWorker) ran(r probe.Result, errored bool) {
	pw.busy = false
	if !errored {
		pw.w.Record(r)
	}
	pw.publish()
	pw.afterRun()
	pw.parkIfSteady()
}

// afterRun takes a buffered tick or trigger, as the worker's select would
// on its next pass (a random choice when both are ready).
func (pw *probeWorker) afterRun() {
	if pw.stopped {
		pw.exit()
		return
	}
	switch {
	case pw.tickBuf && pw.trigBuf:
		if pw.k.eng.Stream("prober/select").IntN(2) == 0 {
			pw.tickBuf = false
			pw.schedule()
		} else {
			pw.trigBuf = false
			pw.manualRun()
		}
	case pw.tickBuf:
		pw.tickBuf = false
		pw.schedule()
	case pw.trigBuf:
		pw.trigBuf = false
		pw.manualRun()
	}
}

func (pw *probeWorker) stop() {
	pw.stopped = true
	if !pw.busy && !pw.queued {
		pw.exit()
	}
}

// exit is the worker's deferred cleanup: its result is forgotten.
func (pw *probeWorker) exit() {
	if pw.exited {
		return
	}
	pw.exited, pw.stopped = true, true
	pw.ticker.Stop()
	pw.w.Stopped()
	pw.publish()
}

// observe reads what doProbe reads: the status manager's copy of the pod
// status (timestamps to the second) and the pod as given to AddPod.
func (pw *probeWorker) observe() probe.Observation {
	kp := pw.kp
	o := probe.Observation{
		RestartPolicy:   kp.pod.Spec.RestartPolicy,
		RestartableInit: podutil.IsRestartableInit(pw.c) && pw.isInit,
		Now:             pw.k.wall(pw.k.eng.Now()),
	}
	s := kp.status.cached
	if s == nil {
		return o
	}
	o.HasStatus, o.Phase = true, s.Phase
	if cs := podutil.FindContainerStatus(s.ContainerStatuses, pw.c.Name); cs != nil && cs.ContainerID != "" {
		o.Container = cs
	} else if pw.k.prof.ProbeInitContainers {
		if cs := podutil.FindContainerStatus(s.InitContainerStatuses, pw.c.Name); cs != nil {
			o.Container = cs
		}
	}
	return o
}

// publish hands changed results to the kubelet's sync loop
// (kubelet.go syncLoopIteration): a liveness failure syncs the pod;
// readiness and startup results update the status at once, then sync.
func (pw *probeWorker) publish() {
	k, kp := pw.k, pw.kp
	for _, u := range pw.w.Results.Drain() {
		k.resyncWake(kp) // resync_elision.go: a sync reads the stored results
		u := u
		id := u.ContainerID
		kind := pw.w.Spec.Kind
		k.eng.After(0, engine.PriorityNormal, func() {
			switch kind {
			case probe.Liveness:
				if u.Result == probe.Failure {
					k.updatePod(kp, updateOptions{kind: syncPodSync, cause: pw.resultCause()})
				}
			case probe.Readiness:
				cause := pw.resultCause()
				k.setContainerReadiness(kp, id, u.Result == probe.Success, cause)
				k.handlePodSyncs(kp, cause)
			case probe.Startup:
				cause := pw.resultCause()
				k.setContainerStartup(kp, id, u.Result == probe.Success, cause)
				k.handlePodSyncs(kp, cause)
			}
		})
	}
}

// resultCause says why a probe's stored result changed.
func (pw *probeWorker) resultCause() string {
	kind := strings.ToLower(pw.w.Spec.Kind.String())
	r, _ := pw.w.Results.Get(pw.w.ContainerID())
	switch {
	case r == probe.Failure && pw.w.LastRun() > 0:
		return fmt.Sprintf("%s probe of %s failed %d times", kind, pw.c.Name, pw.w.LastRun())
	case r == probe.Failure:
		return fmt.Sprintf("%s of %s: container not running", kind, pw.c.Name)
	case r == probe.Success && pw.w.LastRun() > 0:
		return fmt.Sprintf("%s probe of %s succeeded", kind, pw.c.Name)
	}
	return fmt.Sprintf("%s of %s: %s", kind, pw.c.Name, r)
}

// probeUpdatePodStatus is probeManager.UpdatePodStatus: started and ready
// for each container, and a manual readiness run for a started, running
// container not yet known to be ready.
func (k *Kubelet) probeUpdatePodStatus(kp *kpod, s *corev1.PodStatus) {
	worker := func(name string, kind probe.Kind) *probeWorker {
		for _, pw := range kp.probes {
			if pw.c.Name == name && pw.w.Spec.Kind == kind && !pw.stopped {
				return pw
			}
		}
		return nil
	}
	started := func(cs *corev1.ContainerStatus) bool {
		if cs.State.Running == nil {
			return false
		}
		if r, ok := k.results(probe.Startup).Get(cs.ContainerID); ok {
			return r == probe.Success
		}
		return worker(cs.Name, probe.Startup) == nil
	}
	ready := func(cs *corev1.ContainerStatus) {
		if cs.State.Running == nil {
			cs.Ready = false
			return
		}
		if r, ok := k.results(probe.Readiness).Get(cs.ContainerID); ok && r == probe.Success {
			cs.Ready = true
			return
		}
		pw := worker(cs.Name, probe.Readiness)
		cs.Ready = pw == nil
		if pw != nil {
			pw.trigger()
		}
	}
	for i := range s.ContainerStatuses {
		cs := &s.ContainerStatuses[i]
		st := started(cs)
		cs.Started = ptr.To(st)
		if st {
			ready(cs)
		}
	}
	for i := range s.InitContainerStatuses {
		cs := &s.InitContainerStatuses[i]
		spec := k.containerSpec(kp, cs.Name)
		if spec == nil || !podutil.IsRestartableInit(spec) || !k.prof.SidecarContainers {
			cs.Ready = cs.State.Terminated != nil && cs.State.Terminated.ExitCode == 0
			if k.prof.SidecarContainers {
				cs.Started = ptr.To(started(cs))
			}
			continue
		}
		st := started(cs)
		cs.Started = ptr.To(st)
		if st {
			ready(cs)
		}
	}
}

// stopLivenessAndStartup stops those workers of the regular containers when
// the pod starts terminating; readiness keeps probing.
func (k *Kubelet) stopLivenessAndStartup(kp *kpod) {
	for _, pw := range kp.probes {
		if !pw.isInit && pw.w.Spec.Kind != probe.Readiness {
			pw.stop()
		}
	}
}

// removeProbes stops every worker of the pod.
func (k *Kubelet) removeProbes(kp *kpod) {
	for _, pw := range kp.probes {
		pw.stop()
	}
}

// String names the probe for a person, as the engine's event-bound message
// shows what was busy.
func (pw *probeWorker) String() string {
	return fmt.Sprintf("%s probe of container %s of pod %s", strings.ToLower(pw.w.Spec.Kind.String()), pw.c.Name, pw.kp.key)
}
