package kubelet

import (
	"errors"
	"fmt"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/probe"
)

// errCrashLoopBackOff is kubecontainer.ErrCrashLoopBackOff.
var errCrashLoopBackOff = errors.New("CrashLoopBackOff")

// killInfo is a container computePodActions decided to kill.
type killInfo struct {
	ct      *container
	message string
	reason  string
}

// podActions is what SyncPod will do (kuberuntime_manager.go podActions).
type podActions struct {
	killPod        bool
	createSandbox  bool
	sandboxChanged bool // an existing sandbox is being replaced
	attempt        int
	initToStart    []int // init containers to start, in order
	toStart        []int // regular containers to start, in order
	toKill         []killInfo
}

func shouldRestartOnFailure(p *corev1.Pod) bool {
	return p.Spec.RestartPolicy != corev1.RestartPolicyNever
}

// shouldRestart is kubecontainer.ShouldContainerBeRestarted on a snapshot.
func shouldRestart(p *corev1.Pod, snap *podSnapshot, name string) bool {
	cs := snap.newest(name)
	if cs == nil {
		return lifecycle.ShouldContainerBeRestarted(p.DeletionTimestamp != nil, false, lifecycle.StateUnknown, 0, p.Spec.RestartPolicy)
	}
	return lifecycle.ShouldContainerBeRestarted(p.DeletionTimestamp != nil, true, cs.state, cs.exitCode, p.Spec.RestartPolicy)
}

// isInitContainerFailed: exited non-zero, or unknown
// (kuberuntime_container.go isInitContainerFailed).
func isInitContainerFailed(cs *containerStatus) bool {
	return (cs.state == lifecycle.StateExited && cs.exitCode != 0) || cs.state == lifecycle.StateUnknown
}

// podSandboxChanged decides whether the pod needs a new sandbox
// (kuberuntime_manager.go podSandboxChanged): none yet, or the newest one is
// not ready.
func podSandboxChanged(snap *podSnapshot) (changed bool, attempt int, existing bool) {
	if len(snap.sandboxes) == 0 {
		return true, 0, false
	}
	latest := snap.sandboxes[0]
	if !latest.ready || latest.ip == "" {
		return true, latest.attempt + 1, true
	}
	return false, latest.attempt, true
}

// computePodActions decides what SyncPod does, from the snapshot the sync
// started with.
func (k *Kubelet) computePodActions(kp *kpod, snap *podSnapshot) podActions {
	pod := kp.pod
	var a podActions
	changed, attempt, existing := podSandboxChanged(snap)
	if changed {
		a.killPod, a.createSandbox, a.attempt, a.sandboxChanged = true, true, attempt, existing
		// A pod that must not restart and has already run gets no new sandbox.
		if !shouldRestartOnFailure(pod) && attempt != 0 && len(snap.containers) != 0 {
			a.createSandbox = false
			return a
		}
		for i := range pod.Spec.Containers {
			c := &pod.Spec.Containers[i]
			if pod.Spec.RestartPolicy == corev1.RestartPolicyOnFailure && containerSucceeded(snap, c.Name) {
				continue
			}
			a.toStart = append(a.toStart, i)
		}
		if len(pod.Spec.InitContainers) != 0 {
			a.initToStart, a.toStart = []int{0}, nil
		}
		return a
	}
	if k.useSidecarPath(pod) {
		if initialized := k.computeInitActions(kp, snap, &a); a.killPod || !initialized {
			return a
		}
	} else {
		last, next, done := findNextInitContainerToRun(pod, snap)
		if !done {
			if next >= 0 {
				if last != nil && isInitContainerFailed(last) && !shouldRestartOnFailure(pod) {
					a.killPod = true
				} else {
					a.initToStart = []int{next}
				}
			}
			return a
		}
	}
	keep := 0
	for i := range pod.Spec.Containers {
		c := &pod.Spec.Containers[i]
		cs := snap.newest(c.Name)
		if cs == nil || cs.state != lifecycle.StateRunning {
			if shouldRestart(pod, snap, c.Name) {
				a.toStart = append(a.toStart, i)
			}
			continue
		}
		var msg, reason string
		switch {
		case cs.hash != kp.spec.byName(c.Name).hash:
			// containerChanged: the spec changed (an image update); it is
			// restarted whatever the restart policy.
			msg, reason = fmt.Sprintf("Container %s definition changed, will be restarted", c.Name), lifecycle.KillReasonUnknown
			a.toStart = append(a.toStart, i)
			a.toKill = append(a.toKill, killInfo{ct: k.rt.byID(kp.uid, cs.id), message: msg, reason: reason})
			continue
		case k.probeResult(kp, probe.Liveness, cs.statusID) == probe.Failure:
			msg, reason = fmt.Sprintf("Container %s failed liveness probe", c.Name), lifecycle.KillReasonLivenessProbe
		case k.probeResult(kp, probe.Startup, cs.statusID) == probe.Failure:
			msg, reason = fmt.Sprintf("Container %s failed startup probe", c.Name), lifecycle.KillReasonStartupProbe
		default:
			keep++
			continue
		}
		if shouldRestartOnFailure(pod) {
			msg += ", will be restarted"
			a.toStart = append(a.toStart, i)
		}
		a.toKill = append(a.toKill, killInfo{ct: k.rt.byID(kp.uid, cs.id), message: msg, reason: reason})
	}
	if keep == 0 && len(a.toStart) == 0 {
		a.killPod = true
		a.initToStart = nil
	}
	return a
}

func containerSucceeded(snap *podSnapshot, name string) bool {
	cs := snap.newest(name)
	return cs != nil && cs.state == lifecycle.StateExited && cs.exitCode == 0
}

// useSidecarPath: pods with restartable init containers take
// computeInitContainerActions (1.29+); others keep the classic path.
func (k *Kubelet) useSidecarPath(p *corev1.Pod) bool {
	return k.prof.SidecarContainers && podutil.HasSidecars(p)
}

// findNextInitContainerToRun follows kuberuntime_container.go: nothing to
// do once a regular container runs; rerun the last failed init container;
// wait for a running one; else start the one after the last that exited.
func findNextInitContainerToRun(p *corev1.Pod, snap *podSnapshot) (last *containerStatus, next int, done bool) {
	inits := p.Spec.InitContainers
	if len(inits) == 0 {
		return nil, -1, true
	}
	for i := range p.Spec.Containers {
		c := &p.Spec.Containers[i] // not a copy of the whole Container
		if cs := snap.newest(c.Name); cs != nil && cs.state == lifecycle.StateRunning {
			return nil, -1, true
		}
	}
	for i := len(inits) - 1; i >= 0; i-- {
		if cs := snap.newest(inits[i].Name); cs != nil && isInitContainerFailed(cs) {
			return cs, i, false
		}
	}
	for i := len(inits) - 1; i >= 0; i-- {
		cs := snap.newest(inits[i].Name)
		if cs == nil {
			continue
		}
		if cs.state == lifecycle.StateRunning {
			return nil, -1, false
		}
		if cs.state == lifecycle.StateExited {
			if i == len(inits)-1 {
				return nil, -1, true
			}
			return nil, i + 1, false
		}
	}
	return nil, 0, false
}

// computeInitActions is computeInitContainerActions (1.29+), the sidecar
// path: walk the init containers from the last, restart exited sidecars,
// start the next init container once the previous has succeeded or (a
// sidecar) started, and report whether the pod has initialized.
func (k *Kubelet) computeInitActions(kp *kpod, snap *podSnapshot, a *podActions) bool {
	pod := kp.pod
	inits := pod.Spec.InitContainers
	initialized := false
	for i := range pod.Spec.Containers {
		c := &pod.Spec.Containers[i] // not a copy of the whole Container
		if cs := snap.newest(c.Name); cs != nil && (cs.state == lifecycle.StateCreated || cs.state == lifecycle.StateRunning) {
			initialized = true
		}
	}
	if len(inits) == 0 {
		return true
	}
	var start []int
	seenAny := false
	prevInit := initialized
walk:
	for i := len(inits) - 1; i >= 0; i-- {
		c := &inits[i]
		cs := snap.newest(c.Name)
		sidecar := podutil.IsRestartableInit(c)
		if cs == nil {
			if prevInit && sidecar {
				start = append(start, i)
			}
			continue
		}
		seenAny = true
		if prevInit && !sidecar {
			continue
		}
		switch cs.state {
		case lifecycle.StateCreated:
			start = append(start, i)
		case lifecycle.StateRunning:
			if !sidecar {
				break walk // wait for it to finish
			}
			if c.StartupProbe != nil {
				switch k.probeResult(kp, probe.Startup, cs.statusID) {
				case probe.Success:
				case probe.Failure:
					a.toKill = append(a.toKill, killInfo{ct: k.rt.byID(kp.uid, cs.id), message: fmt.Sprintf("Init container %s failed startup probe", c.Name), reason: lifecycle.KillReasonStartupProbe})
					start = append(start, i)
					break walk
				default:
					break walk // not started yet: wait
				}
			}
			if i == len(inits)-1 {
				initialized = true
			} else if !prevInit {
				start = append(start, i+1)
			}
			if k.probeResult(kp, probe.Liveness, cs.statusID) == probe.Failure {
				a.toKill = append(a.toKill, killInfo{ct: k.rt.byID(kp.uid, cs.id), message: fmt.Sprintf("Init container %s failed liveness probe", c.Name), reason: lifecycle.KillReasonLivenessProbe})
				start = append(start, i)
			}
		case lifecycle.StateExited:
			switch {
			case sidecar:
				start = append(start, i)
			case cs.exitCode != 0:
				if !shouldRestartOnFailure(pod) {
					a.killPod, a.initToStart = true, nil
					return false
				}
				start = append(start, i)
			case i == len(inits)-1:
				initialized = true
			default:
				start = append(start, i+1)
			}
		default:
			a.toKill = append(a.toKill, killInfo{ct: k.rt.byID(kp.uid, cs.id), message: fmt.Sprintf("Init container is in %q state, try killing it before restart", cs.state), reason: lifecycle.KillReasonUnknown})
			start = append(start, i)
		}
		prevInit = true
	}
	if !seenAny {
		start = append(start, 0)
	}
	for i := len(start) - 1; i >= 0; i-- {
		a.initToStart = append(a.initToStart, start[i])
	}
	return initialized
}

// runtimeSyncPod is kubeGenericRuntimeManager.SyncPod: kill what must go,
// create the sandbox, start init containers, then start the regular
// containers one after another. Each start first asks doBackOff.
func (k *Kubelet) runtimeSyncPod(kp *kpod, snap *podSnapshot, done func(*syncResult)) {
	a := k.computePodActions(kp, snap)
	res := &syncResult{noop: !a.killPod && !a.createSandbox && len(a.toKill) == 0 && len(a.initToStart) == 0 && len(a.toStart) == 0}
	pod := kp.pod
	if a.createSandbox && a.sandboxChanged {
		k.event(podutil.PodRef(pod, ""), corev1.EventTypeNormal, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.")
	}
	if res.noop {
		// Nothing to kill, create or start: the steps below would be the
		// prune and the sandbox config alone, each calling the next at
		// once. Run inline, they are the same sync without its closures.
		k.pruneInitOf(kp.uid, pod)
		res.configPodSandbox = true
		done(res)
		return
	}
	steps := make([]step, 0, 4+len(a.toKill)+len(a.initToStart)+len(a.toStart)) // its final size, not grown
	if a.killPod {
		steps = append(steps, func(next func(bool)) {
			k.killPod(kp, nil, func() { next(!a.createSandbox) })
		})
	} else {
		for _, ki := range a.toKill {
			ki := ki
			steps = append(steps, func(next func(bool)) {
				if ki.ct == nil {
					next(false)
					return
				}
				k.killContainer(kp, ki.ct, ki.message, ki.reason, nil, nil, func() { next(false) })
			})
		}
	}
	steps = append(steps, func(next func(bool)) {
		k.pruneInitOf(kp.uid, pod)
		next(false)
	})
	if a.createSandbox {
		steps = append(steps, func(next func(bool)) {
			k.createSandbox(kp, a.attempt, func(err error) {
				if err != nil {
					// kuberuntime_manager.go SyncPod: the sync stops here and is retried.
					k.event(podutil.PodRef(pod, ""), corev1.EventTypeWarning, "FailedCreatePodSandBox", fmt.Sprintf("Failed to create pod sandbox: %v", err))
					res.err = err
				}
				next(err != nil)
			})
		})
	}
	steps = append(steps, func(next func(bool)) {
		res.configPodSandbox = true // generatePodSandboxConfig for the containers to start
		next(false)
	})
	startOne := func(c *corev1.Container, isInit bool) step {
		return func(next func(bool)) {
			k.start(kp, snap, c, isInit, res, func(err error) {
				// A failed regular init container stops the sync; a sidecar or
				// a regular container does not stop the others.
				next(err != nil && isInit && !podutil.IsRestartableInit(c))
			})
		}
	}
	for _, i := range a.initToStart {
		steps = append(steps, startOne(&pod.Spec.InitContainers[i], true))
	}
	for _, i := range a.toStart {
		steps = append(steps, startOne(&pod.Spec.Containers[i], false))
	}
	runSteps(steps, func() { done(res) })
}

// pruneInitOf prunes the pod's exited init containers but the newest of
// each (kuberuntime_container.go pruneInitContainersBeforeStart).
func (k *Kubelet) pruneInitOf(uid types.UID, pod *corev1.Pod) {
	inits := pod.Spec.InitContainers
	if len(inits) == 0 {
		return
	}
	names := make([]string, 0, len(inits))
	for i := range inits {
		names = append(names, inits[i].Name)
	}
	k.rt.pruneInit(uid, names)
}

// step is one blocking operation of a sync; it calls next when finished,
// with stop true to skip the remaining steps.
type step func(next func(stop bool))

func runSteps(steps []step, done func()) {
	i := 0
	var next func(bool)
	next = func(stop bool) {
		if stop || i == len(steps) {
			done()
			return
		}
		s := steps[i]
		i++
		s(next)
	}
	next(false)
}

// start is SyncPod's start helper: doBackOff, then startContainer.
func (k *Kubelet) start(kp *kpod, snap *podSnapshot, c *corev1.Container, isInit bool, res *syncResult, done func(error)) {
	if inBackOff, msg, err := k.doBackOff(kp, c, snap); inBackOff {
		res.starts = append(res.starts, startResult{container: c.Name, err: err, message: msg})
		done(err)
		return
	}
	k.startContainer(kp, snap, c, func(err error, msg string) {
		res.starts = append(res.starts, startResult{container: c.Name, err: err, message: msg})
		done(err)
	})
}

// doBackOff checks the crash-loop back-off of a container before a start
// (kuberuntime_manager.go doBackOff): against the newest exited instance in
// the snapshot the sync began with. In back-off it refuses the start with
// CrashLoopBackOff; otherwise it moves the back-off on (Next) and allows it.
// A container that never exited starts without touching the back-off.
func (k *Kubelet) doBackOff(kp *kpod, c *corev1.Container, snap *podSnapshot) (bool, string, error) {
	var exited *containerStatus
	for i := range snap.containers {
		if cs := &snap.containers[i]; cs.name == c.Name && cs.state == lifecycle.StateExited {
			exited = cs
			break
		}
	}
	if exited == nil {
		return false, "", nil
	}
	now := k.eng.Now()
	key := stableKey(kp, kp.spec.byName(c.Name))
	if k.crashBackoff.IsInBackOffSince(key, exited.finishedAt, now) {
		msg := "Back-off restarting failed container"
		if k.prof.BackOffEventNamesContainer {
			msg = fmt.Sprintf("Back-off restarting failed container %s in pod %s", c.Name, podutil.FormatPod(kp.pod))
		}
		k.event(containerRefFor(kp.pod, c.Name), corev1.EventTypeWarning, "BackOff", msg)
		msg = fmt.Sprintf("back-off %s restarting failed container=%s pod=%s", k.crashBackoff.Get(key), c.Name, podutil.FormatPod(kp.pod))
		if k.prof.CrashLoopRetryAtExpiry {
			// kuberuntime_manager.go doBackOff since PR #133066:
			// NewBackoffError(ErrCrashLoopBackOff, ts.Add(backoff)).
			return true, msg, &backoffError{error: errCrashLoopBackOff, until: k.crashBackoff.Expiry(key, exited.finishedAt)}
		}
		return true, msg, errCrashLoopBackOff
	}
	k.crashBackoff.Next(key, exited.finishedAt, now)
	k.backOffUpdated() // housekeeping's GC will drop it one day
	return false, "", nil
}

// stableKey is the crash-loop back-off key (kuberuntime helpers.go
// GetStableKey): pod name, namespace, UID, container name and spec hash,
// the hash of the spec compiled at admission. Made when a container has
// exited, not kept: most never do (issue 10: 80 B a container).
func stableKey(kp *kpod, cs *containerSpec) string {
	return fmt.Sprintf("%s_%s_%s_%s_%s", kp.key.Name, kp.key.Namespace, kp.uid, cs.api.Name, cs.hash)
}

// containerHash stands for kubecontainer.HashContainer: it changes when the
// container's name or image does.
func containerHash(c *corev1.Container) string {
	return strconv.FormatUint(fnv64(c.Name+"\x00"+c.Image), 16)
}

func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
