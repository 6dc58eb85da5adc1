package kubelet

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"

	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/trace"
)

// containerRuntime is the node's container runtime (containerd behind the CRI): pod
// sandboxes, container instances and the processes in them.
type containerRuntime struct {
	k          *Kubelet
	sandboxes  map[types.UID][]*sandbox
	containers map[types.UID][]*container
	images     *imageStore
	// anyChanged: some pod's sandboxes or containers changed since the
	// last relist (changed, pleg.go).
	anyChanged bool
	// programs: the node's containers share the compiled main process of
	// one behaviour (issue 10).
	programs behavior.ProgramCache
}

type sandbox struct {
	id        string
	attempt   int
	ready     bool
	ip        string
	createdAt time.Duration
}

// container is one container instance: a run of a container spec.
type container struct {
	id         string
	statusID   string // "containerd://" + id, the ID a pod status shows (id is its tail)
	podUID     types.UID
	name       string
	hash       string
	image      string
	imageID    string
	createdAt  time.Duration
	startedAt  time.Duration
	finishedAt time.Duration
	exitCode   int
	signal     int
	reason     string

	pod    types.NamespacedName // for what a person reads: see String
	inst   *behavior.Instance
	wake   *engine.Timer
	killT  *engine.Timer
	onExit []func()
	env    behavior.Env
	// The small fields side by side: 280 B, not 296, puts the struct in
	// the 288 B size class instead of 320 (issue 10).
	state        lifecycle.RuntimeState
	restartCount int32
	stopped      bool // the runtime was asked to stop it
	// oomKilled: the kernel's OOM killer acted in the container's cgroup.
	oomKilled bool
	// message is the termination message read when it exited.
	message string
	// lastMemory is the memory use last recorded.
	lastMemory int64
}

func newRuntime(k *Kubelet, images []string) *containerRuntime {
	return &containerRuntime{
		k:          k,
		sandboxes:  map[types.UID][]*sandbox{},
		containers: map[types.UID][]*container{},
		images:     newImageStore(k, images),
	}
}

func (r *containerRuntime) now() time.Duration { return r.k.eng.Now() }

// running returns the running instance of a pod's container, or nil.
func (r *containerRuntime) running(uid types.UID, name string) *container {
	for _, ct := range r.containers[uid] {
		if ct.name == name && ct.state == lifecycle.StateRunning {
			return ct
		}
	}
	return nil
}

// byID finds a container instance of a pod.
func (r *containerRuntime) byID(uid types.UID, id string) *container {
	for _, ct := range r.containers[uid] {
		if ct.id == id {
			return ct
		}
	}
	return nil
}

// createSandbox runs a new sandbox for the pod with the given IP.
func (r *containerRuntime) createSandbox(uid types.UID, attempt int, ip string) *sandbox {
	sb := &sandbox{
		id:        runtimeID("sandbox", uid, attempt),
		attempt:   attempt,
		ready:     true,
		ip:        ip,
		createdAt: r.now(),
	}
	r.sandboxes[uid] = append(r.sandboxes[uid], sb)
	r.changed(uid)
	return sb
}

// createContainer makes a new instance in state created.
func (r *containerRuntime) createContainer(uid types.UID, name, hash, image, imageID string, restartCount int32, env behavior.Env) *container {
	sid := statusID(runtimeID("container", uid, name, restartCount, r.now()))
	ct := &container{
		id:           sid[len(statusIDPrefix):],
		statusID:     sid,
		podUID:       uid,
		name:         name,
		hash:         hash,
		image:        image,
		imageID:      imageID,
		state:        lifecycle.StateCreated,
		createdAt:    r.now(),
		restartCount: restartCount,
		env:          env,
	}
	r.containers[uid] = append(r.containers[uid], ct)
	r.changed(uid)
	return ct
}

// start runs the container's process from spec, with the pod's volumes
// mounted. The application takes appStart to get going: the container is
// running now, and its entrypoint's first step comes appStart later (the
// process sleeps until then).
func (r *containerRuntime) start(ct *container, spec *behavior.Spec, mounts []behavior.Mount, appStart time.Duration) {
	now := r.now()
	ct.state = lifecycle.StateRunning
	r.changed(ct.podUID)
	ct.startedAt = now
	ct.inst = spec.StartProgram(now+appStart, mounts, r.programs.Compile(spec.Main))
	r.k.podChangedByUID(ct)
	if appStart > 0 {
		r.k.runtimeRecord(ct, fmt.Sprintf("the application takes %v to start", appStart), &trace.RuntimeAction{Kind: trace.RuntimeAppStart, Duration: appStart})
	}
	ct.wake = r.k.eng.NewTimer(engine.PriorityRuntime, func() { r.advance(ct) }).SetOwner(ct)
	r.advance(ct)
}

// advance runs the container's main process up to now and handles its exit.
func (r *containerRuntime) advance(ct *container) {
	if ct.state != lifecycle.StateRunning {
		return
	}
	next, err := ct.inst.Main.Advance(r.now(), ct.env)
	r.k.podChangedByUID(ct)   // its steps may change what a parked probe reads
	r.k.statsMoved(ct.podUID) // and the pod's memory, disk and logs
	if err != nil {
		r.k.eng.Fail(fmt.Errorf("pod %s container %q: %w", r.k.podKey(ct.podUID), ct.name, err))
		return
	}
	if r.recordUsage(ct) {
		r.checkMemory(ct)
		if ct.state != lifecycle.StateRunning {
			return // the OOM killer took it
		}
	}
	if code, exited := ct.inst.Main.Exited(); exited {
		r.exit(ct, code, ct.inst.Main.Signaled())
		return
	}
	if next != behavior.Never {
		ct.wake.Reset(next)
	}
}

// recordUsage puts in the trace each change of the memory and disk use the
// container's processes reported: they show in the timeline and the JSON
// Lines now, and are what OOM kills and eviction will act on.
// It reports whether memory use grew, which the kernel may answer with
// an OOM kill.
func (r *containerRuntime) recordUsage(ct *container) (memoryGrew bool) {
	prev := ct.lastMemory
	for _, u := range ct.inst.Container.TakeUsageChanges() {
		amount := resource.NewQuantity(u.Bytes, resource.BinarySI).String()
		switch {
		case u.Processes:
			r.k.runtimeRecord(ct, fmt.Sprintf("processes %d", u.Bytes), &trace.RuntimeAction{Kind: trace.RuntimeUsage, Processes: &u.Bytes})
		case u.Path == "":
			memoryGrew = memoryGrew || u.Bytes > prev
			prev = u.Bytes
			r.k.runtimeRecord(ct, "memory use "+amount, &trace.RuntimeAction{Kind: trace.RuntimeUsage, Bytes: &u.Bytes})
		default:
			r.k.runtimeRecord(ct, fmt.Sprintf("disk use under %s %s", u.Path, amount), &trace.RuntimeAction{Kind: trace.RuntimeUsage, Path: u.Path, Bytes: &u.Bytes})
		}
	}
	ct.lastMemory = prev
	return memoryGrew
}

// exit records the end of the container's process. The runtime names the
// reason (containerd's CRI: Completed for exit 0, Error otherwise).
func (r *containerRuntime) exit(ct *container, code, signal int) {
	how := fmt.Sprintf("exited with code %d", code)
	if signal > 0 {
		how = fmt.Sprintf("killed by signal %d (exit code %d)", signal, code)
	}
	act := &trace.RuntimeAction{Kind: trace.RuntimeExit, ExitCode: &code}
	if signal > 0 {
		act.Signal = trace.SignalName(signal)
	}
	r.k.runtimeRecord(ct, how, act)
	ct.state = lifecycle.StateExited
	r.changed(ct.podUID)
	r.k.podChangedByUID(ct)
	ct.finishedAt = r.now()
	ct.exitCode = code
	ct.signal = signal
	ct.reason = "Error"
	switch {
	case ct.oomKilled:
		ct.reason = reasonOOMKilled
	case code == 0:
		ct.reason = "Completed"
	}
	ct.message = r.k.terminationMessage(ct)
	if ct.wake != nil {
		ct.wake.Stop()
	}
	if ct.killT != nil {
		ct.killT.Stop()
	}
	waiters := ct.onExit
	ct.onExit = nil
	for _, f := range waiters {
		f()
	}
}

// stopContainer is CRI StopContainer: the stop signal, then SIGKILL after
// timeout seconds if the process is still alive. done runs once it is dead;
// a container that is not running is done at once.
func (r *containerRuntime) stopContainer(ct *container, timeoutSeconds int64, done func()) {
	if ct.state != lifecycle.StateRunning {
		done()
		return
	}
	ct.onExit = append(ct.onExit, done)
	if ct.stopped {
		return // a stop is already under way; wait for it
	}
	ct.stopped = true
	now := r.now()
	r.k.podChangedByUID(ct)
	if timeoutSeconds <= 0 {
		// containerd: no time to stop gracefully, so SIGKILL at once
		r.k.runtimeRecord(ct, "SIGKILL (no grace period left)", &trace.RuntimeAction{Kind: trace.RuntimeSignal, Signal: "SIGKILL"})
		ct.inst.Main.Signal(behavior.SIGKILL, now)
		r.advance(ct)
		return
	}
	r.k.runtimeRecord(ct, fmt.Sprintf("SIGTERM, then SIGKILL in %ds if it is still running", timeoutSeconds),
		&trace.RuntimeAction{Kind: trace.RuntimeSignal, Signal: "SIGTERM", GracePeriodSeconds: &timeoutSeconds})
	if at := ct.inst.Main.Signal(behavior.SIGTERM, now); at != behavior.Never {
		ct.wake.Reset(at)
	}
	ct.killT = r.k.eng.NewTimer(engine.PriorityRuntime, func() {
		if ct.state == lifecycle.StateRunning {
			r.k.runtimeRecord(ct, fmt.Sprintf("SIGKILL: still running after %ds", timeoutSeconds), &trace.RuntimeAction{Kind: trace.RuntimeSignal, Signal: "SIGKILL"})
			ct.inst.Main.Signal(behavior.SIGKILL, r.now())
			r.advance(ct)
		}
	})
	ct.killT.SetOwner(ct)
	ct.killT.Reset(engine.Add(now, engine.Seconds(timeoutSeconds)))
}

// stopSandboxes stops every sandbox of the pod.
func (r *containerRuntime) stopSandboxes(uid types.UID) {
	for _, sb := range r.sandboxes[uid] {
		sb.ready = false
	}
	r.changed(uid)
}

// removeInitContainers keeps only the newest instance of each init
// container (kuberuntime_container.go pruneInitContainersBeforeStart).
func (r *containerRuntime) pruneInit(uid types.UID, initNames []string) {
	if len(initNames) == 0 {
		return // no init container: nothing to prune, no map to build
	}
	list := r.containers[uid]
	var seen map[string]bool
	var drop map[int]bool
	for i := len(list) - 1; i >= 0; i-- {
		ct := list[i]
		if slices.Contains(initNames, ct.name) && ct.state != lifecycle.StateRunning {
			if seen[ct.name] {
				if drop == nil {
					drop = map[int]bool{}
				}
				drop[i] = true
			}
			if seen == nil {
				seen = map[string]bool{}
			}
			seen[ct.name] = true
		}
	}
	if len(drop) == 0 {
		return // nothing changed: every sync asks, and most find nothing to prune
	}
	keep := make([]*container, 0, len(list))
	for i, ct := range list {
		if !drop[i] {
			keep = append(keep, ct)
		}
	}
	r.containers[uid] = keep
	r.changed(uid)
}

// snapshot is the runtime's status of a pod, as GetPodStatus returns it:
// containers newest first.
func (r *containerRuntime) snapshot(uid types.UID) *podSnapshot {
	s := &podSnapshot{}
	for i := len(r.sandboxes[uid]) - 1; i >= 0; i-- {
		sb := r.sandboxes[uid][i]
		s.sandboxes = append(s.sandboxes, sandboxStatus{id: sb.id, attempt: sb.attempt, ready: sb.ready, ip: sb.ip, createdAt: sb.createdAt})
	}
	list := r.containers[uid]
	for i := len(list) - 1; i >= 0; i-- {
		ct := list[i]
		s.containers = append(s.containers, containerStatus{
			id: ct.id, statusID: ct.statusID, name: ct.name, hash: ct.hash, image: ct.image, imageID: ct.imageID, state: ct.state,
			createdAt: ct.createdAt, startedAt: ct.startedAt, finishedAt: ct.finishedAt,
			exitCode: ct.exitCode, signal: ct.signal, reason: ct.reason, message: ct.message, restartCount: ct.restartCount,
		})
	}
	return s
}

// podSnapshot is kubecontainer.PodStatus: what the runtime says about a
// pod at one moment.
type podSnapshot struct {
	sandboxes  []sandboxStatus   // newest first
	containers []containerStatus // newest created first
}

type sandboxStatus struct {
	id        string
	attempt   int
	ready     bool
	ip        string
	createdAt time.Duration
}

type containerStatus struct {
	id, statusID, name, hash, image, imageID string
	state                                    lifecycle.RuntimeState
	restartCount                             int32 // beside state: 176 B, not 184 (issue 10)
	createdAt, startedAt                     time.Duration
	finishedAt                               time.Duration
	exitCode, signal                         int
	reason, message                          string
}

// newest returns the newest instance of a container, or nil
// (kubecontainer.PodStatus.FindContainerStatusByName).
func (s *podSnapshot) newest(name string) *containerStatus {
	if s == nil {
		return nil
	}
	for i := range s.containers {
		if s.containers[i].name == name {
			return &s.containers[i]
		}
	}
	return nil
}

// ip is the pod IP of the newest sandbox that has one.
func (s *podSnapshot) ip() string {
	if s == nil {
		return ""
	}
	for _, sb := range s.sandboxes {
		if sb.ip != "" {
			return sb.ip
		}
	}
	return ""
}

// runtimeID is a 64-hex-digit identifier derived from its parts, as stable
// as the inputs: the same run gives the same container IDs.
func runtimeID(parts ...any) string {
	h := sha256.Sum256([]byte(fmt.Sprint(parts...)))
	return hex.EncodeToString(h[:])
}

// String names the container for a person, as the engine's event-bound
// message shows what was busy.
func (ct *container) String() string {
	return fmt.Sprintf("container %s of pod %s", ct.name, ct.pod)
}
