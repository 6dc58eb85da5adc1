package kubelet

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"net/netip"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/eviction"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// Kubelet constants (pkg/kubelet/kubelet.go, pkg/kubelet/pod_workers.go).
const (
	relistPeriod        = time.Second      // genericPlegRelistPeriod
	syncTickPeriod      = time.Second      // syncLoop's syncTicker
	housekeepingPeriod  = 2 * time.Second  // housekeepingPeriod
	backOffPeriod       = 10 * time.Second // backOffPeriod: container and image back-off start
	maxContainerBackOff = 300 * time.Second
	maxImageBackOff     = 300 * time.Second
	workerJitterFactor  = 0.5 // workerResyncIntervalJitterFactor, workerBackOffPeriodJitterFactor
	errorBackOffPeriod  = 10 * time.Second
)

// Kubelet is one node's kubelet: it registers its node, admits the pods
// bound to it and runs a pod worker, probe workers and the container
// runtime for each.
type Kubelet struct {
	eng  *engine.Engine
	prof *profile.Profile
	cfg  Config
	api  Client
	rec  *record.Recorder
	tr   trace.Sink

	name   string
	actor  string // "kubelet/<node>", the trace's actor of its writes
	index  int
	nodeIP string // the node's InternalIP, once known (status.go hostIP)
	rt     *containerRuntime
	// clockOffset is the node's clock minus the control plane's
	// (Config.ClockOffset).
	clockOffset time.Duration

	pods  map[types.UID]*kpod
	order []*kpod // in admission order

	workQueue    map[types.UID]requeue
	workQueueDue time.Duration // no entry of workQueue is due before (syncTick's fast path)
	deadlinePods bool          // a pod with spec.activeDeadlineSeconds has been seen (active_deadline.go)
	crashBackoff *lifecycle.Backoff
	imageBackoff *lifecycle.Backoff
	reasons      map[string]syncFailure

	// The node loops (loop_elision.go).
	relistLoop, syncLoop, housekeepingLoop *nodeLoop

	// PLEG cache global timestamp (pkg/kubelet/container/cache.go); while
	// the relist is parked, the time of its last tick (plegTimestamp).
	cacheTS      time.Duration
	cacheTSValid bool
	waiting      int // pods whose worker waits for the next relist (kpod.waiter)
	probeResults probeResults
	ipam         *ipam

	nodeStatus nodeStatusState // node_status.go, node_lease.go
	faults     faultState      // node_faults.go

	// thresholds are the eviction thresholds; evictions the eviction
	// manager (eviction_manager.go); hostPaths the node's directories
	// that hostPath volumes mount (volumes.go).
	thresholds []eviction.Threshold
	evictions  evictionState
	hostPaths  map[string]*behavior.Volume
	// execScratch is the process read-only exec probes run in
	// (runReadOnlyExec): they end within the step that starts them, so one
	// process a node serves them all without an allocation per run.
	execScratch behavior.Process
}

// kpod is everything the kubelet keeps about one pod.
type kpod struct {
	k    *Kubelet
	uid  types.UID
	key  types.NamespacedName
	pod  *corev1.Pod // the pod manager's copy of the API object
	spec *podSpec    // compiled at admission

	// PLEG cache entry.
	cached      *podSnapshot
	cachedAt    time.Duration
	plegRecord  []plegEntry   // pleg.go
	plegListing []plegListed  // the last relist's listing, for its fast path (pleg.go)
	plegCause   string        // what the last relist with events for this pod saw
	plegAt      time.Duration // when
	waiter      *cacheWaiter

	w podWorker
	// jitter is the pod worker's jitter stream (pod_workers.go
	// jitterDuration), seeded at its first draw.
	jitter rand.PCG
	// inputs moves whenever something a sync of the pod reads may have
	// changed; resyncParked: the pod's periodic resync, due at resyncDue,
	// is kept here instead of in the work queue (resync_elision.go).
	inputs       uint32
	resyncParked bool
	jitterSeeded bool
	removed      bool // gone from the API server
	plegDirty    bool // the runtime changed the pod\'s sandboxes or containers since the last relist
	resyncDue    time.Duration
	status       statusEntry
	probes       []*probeWorker
	vols         *podVolumes // volumes.go
	stats        statsEntry  // stats_cache.go
	// onTerminated run when the pod worker has stopped every container.
	onTerminated []func()
}

// New registers the node with the API server (filling in what a kubelet
// reports of its node: capacity, addresses, labels, the Ready condition),
// starts watching the node's pods and arms the kubelet's loops.
func New(cfg Config) (*Kubelet, error) {
	node := cfg.Node
	k := &Kubelet{
		eng:          cfg.Engine,
		prof:         cfg.Profile,
		cfg:          cfg,
		api:          cfg.Client,
		tr:           cfg.Trace,
		name:         node.Name,
		actor:        "kubelet/" + node.Name,
		index:        cfg.Index,
		clockOffset:  cfg.ClockOffset,
		pods:         map[types.UID]*kpod{},
		workQueue:    map[types.UID]requeue{},
		crashBackoff: lifecycle.NewBackoff(backOffPeriod, maxContainerBackOff),
		imageBackoff: lifecycle.NewBackoff(backOffPeriod, maxImageBackOff),
		reasons:      map[string]syncFailure{},
	}
	cidr, err := netip.ParsePrefix(cfg.Network.PodCIDR)
	if err != nil {
		return nil, fmt.Errorf("network.podCIDR: %w", err)
	}
	if k.ipam, err = newIPAM(cidr, cfg.Index); err != nil {
		return nil, fmt.Errorf("node %q: %w", node.Name, err)
	}
	if k.thresholds, err = cfg.Resources.EvictionThresholds(); err != nil {
		return nil, fmt.Errorf("node %q: eviction thresholds: %w", node.Name, err)
	}
	k.rec = cfg.Events.NewRecorder(record.Source{Component: "kubelet", Host: node.Name, ClockOffset: cfg.ClockOffset})
	// cmd/kubelet/app/server.go RunKubelet: BirthCry.
	k.rec.Event(k.nodeRef(), corev1.EventTypeNormal, "Starting", "Starting kubelet.")
	k.nodeStatus.setters = k.defaultNodeStatusSetters()
	k.nodeStatus.pressure = map[corev1.NodeConditionType]func() bool{}
	k.nodeStatus.readyErrors = k.readyErrors
	k.newEvictionManager()
	if err := k.registerNode(node); err != nil {
		return nil, err
	}
	k.startNodeStatus()
	k.startLease()
	if errs := k.prof.CheckKubeletGates(cfg.Resources.FeatureGates, cfg.Resources.MaxContainerRestartPeriod); len(errs) > 0 {
		return nil, fmt.Errorf("node %q: kubelet configuration: %s", node.Name, strings.Join(errs, "; "))
	}
	// kubelet.go newCrashLoopBackOff: KEP-4603's gates and setting.
	k.crashBackoff.Initial, k.crashBackoff.Max = k.prof.CrashLoopBackOff(cfg.Resources.FeatureGates, cfg.Resources.MaxContainerRestartPeriod)
	k.crashBackoff.ResetAfter = k.prof.CrashLoopResetAfter
	k.rt = newRuntime(k, cfg.PresentImages)
	if err := k.api.WatchPods(fields.OneTermEqualSelector(apiFieldNodeName, node.Name), k.onPod); err != nil {
		return nil, err
	}
	k.startLoops()
	k.startStatusSync()
	return k, nil
}

// Name is the name of the kubelet's node.
func (k *Kubelet) Name() string { return k.name }

// startLoops arms the kubelet's loops at their configured phases
// (kubelet.go syncLoop: the syncTicker and housekeepingTicker; the PLEG's
// relist, pleg/generic.go Start). Each is armed only for the ticks that
// can find something to do (loop_elision.go).
func (k *Kubelet) startLoops() {
	eng := k.eng
	t := k.cfg.Timing
	k.cacheTS, k.cacheTSValid = eng.Now(), true
	k.relistLoop = k.newNodeLoop(relistPeriod, t.RelistPhase, kubeletLoop{k.name, "PLEG relist"}, k.relist, k.relistNeed)
	k.syncLoop = k.newNodeLoop(syncTickPeriod, t.SyncTickPhase, kubeletLoop{k.name, "sync loop"}, k.syncTick, k.syncTickNeed)
	k.housekeepingLoop = k.newNodeLoop(housekeepingPeriod, t.HousekeepingPhase, kubeletLoop{k.name, "housekeeping"}, k.housekeeping, k.housekeepingNeed)
	first := func(phase, period time.Duration) time.Duration {
		now := eng.Now()
		at := engine.Add(now-now%period, phase)
		if at < now {
			at = engine.Add(at, period) // phase < period, so once is enough
		}
		return at
	}
	k.startEvictionLoop(first(k.cfg.Resources.EvictionPhase, eviction.MonitoringInterval))
}

// wall is the node's clock at virtual time t.
func (k *Kubelet) wall(t time.Duration) time.Time { return k.eng.Wall(t).Add(k.clockOffset) }

// event records an event from this kubelet.
func (k *Kubelet) event(ref corev1.ObjectReference, eventType, reason, message string) {
	k.rec.Event(ref, eventType, reason, message)
}

// runtimeRecord adds to the trace something the runtime did to a container:
// what in words, act as fields.
func (k *Kubelet) runtimeRecord(ct *container, what string, act *trace.RuntimeAction) {
	kp := k.pods[ct.podUID]
	if kp == nil {
		return
	}
	k.tr.Add(trace.Record{T: k.eng.Now(), Kind: "Container", Op: trace.Runtime, Namespace: kp.key.Namespace, Name: kp.key.Name,
		Container: ct.name, Actor: "runtime/" + k.name, Cause: what, Runtime: act})
}

// hookAction is the structured form of a hook's runtime record.
func hookAction(hook, result string, took time.Duration) *trace.RuntimeAction {
	return &trace.RuntimeAction{Kind: trace.RuntimeHook, Hook: hook, HookResult: result, Duration: took}
}

func (k *Kubelet) podKey(uid types.UID) string {
	if kp, ok := k.pods[uid]; ok {
		return kp.key.String()
	}
	return string(uid)
}

func containerRefFor(p *corev1.Pod, name string) corev1.ObjectReference {
	return podutil.PodRef(p, podutil.ContainerFieldPath(p, name))
}

// onPod is the kubelet's pod config source: the API watch filtered to its
// node (pkg/kubelet/config). New pods are added, spec or metadata changes
// (a deletion included) are updates, status-only changes are reconciled.
func (k *Kubelet) onPod(op trace.Op, p *corev1.Pod) {
	kp, known := k.pods[p.UID]
	if p.Spec.NodeName != k.name {
		return
	}
	if p.Spec.ActiveDeadlineSeconds != nil {
		k.deadlinePods = true
		// Its deadline, or when it counts from, may have changed: the
		// sync tick looks when it falls (at the next tick while it
		// cannot be known).
		defer k.pullSyncTickForDeadline(p.UID)
	}
	switch {
	case op == trace.Deleted:
		if known {
			kp.pod = p
			k.handlePodRemove(kp)
		}
	case !known:
		k.handlePodAdd(p)
	default:
		old := kp.pod
		kp.pod = p
		k.podChanged(kp)
		k.statusBatchCheck(kp)
		switch {
		case old.DeletionTimestamp == nil && p.DeletionTimestamp != nil:
			k.updatePod(kp, updateOptions{kind: syncPodUpdate, cause: fmt.Sprintf("pod deleted (grace period %ds)", ptrValue(p.DeletionGracePeriodSeconds))})
		case podsDifferSemantically(old, p):
			if imagesChanged(old, p) {
				// An update changed an image (kubectl apply, set image): the
				// containers are compiled again, with new hashes and so new
				// crash-loop back-off keys.
				kp.spec = compilePodSpec(p, k.cfg.Behaviors(p))
			}
			k.updatePod(kp, updateOptions{kind: syncPodUpdate, cause: "pod metadata or spec changed"})
		case needToReconcilePodReadiness(p, k.prof.Lifecycle):
			k.updatePod(kp, updateOptions{kind: syncPodSync, cause: "readiness gate condition changed"})
		}
	}
}

// podsDifferSemantically follows pkg/kubelet/config/config.go: spec,
// labels, annotations and the deletion fields matter; status does not. Of
// a bound pod's spec only what an update may change (ValidatePodUpdate) is
// compared: images, activeDeadlineSeconds and tolerations.
func podsDifferSemantically(a, b *corev1.Pod) bool {
	return a.Spec.NodeName != b.Spec.NodeName || imagesChanged(a, b) ||
		!podutil.Int64PtrEqual(a.Spec.ActiveDeadlineSeconds, b.Spec.ActiveDeadlineSeconds) ||
		len(a.Spec.Tolerations) != len(b.Spec.Tolerations) ||
		!maps.Equal(a.Labels, b.Labels) || !maps.Equal(a.Annotations, b.Annotations) ||
		!podutil.TimeEqual(a.DeletionTimestamp, b.DeletionTimestamp) ||
		!podutil.Int64PtrEqual(a.DeletionGracePeriodSeconds, b.DeletionGracePeriodSeconds)
}

// needToReconcilePodReadiness follows pkg/kubelet/status
// NeedToReconcilePodReadiness: a readiness-gate condition changed, so the
// Ready condition the kubelet wrote is out of date.
func needToReconcilePodReadiness(p *corev1.Pod, r lifecycle.Rules) bool {
	if len(p.Spec.ReadinessGates) == 0 {
		return false
	}
	want := lifecycle.ReadyCondition(&p.Spec, p.Status.Conditions, p.Status.InitContainerStatuses, p.Status.ContainerStatuses, p.Status.Phase, r)
	cur := podutil.FindCondition(p.Status.Conditions, corev1.PodReady)
	return cur != nil && (cur.Status != want.Status || cur.Message != want.Message)
}

// handlePodAdd admits a pod and starts its worker
// (kubelet.go HandlePodAdditions).
func (k *Kubelet) handlePodAdd(p *corev1.Pod) {
	kp := &kpod{k: k, uid: p.UID, key: podutil.KeyOf(p), pod: p, spec: compilePodSpec(p, k.cfg.Behaviors(p))}
	k.pods[p.UID] = kp
	k.order = append(k.order, kp)
	k.statsPodAdded(kp) // stats_cache.go
	if p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
		return
	}
	if reason, msg := k.admit(kp); reason != "" {
		k.rejectPod(kp, reason, msg)
		return
	}
	k.updatePod(kp, updateOptions{kind: syncPodCreate, cause: "pod admitted"})
}

// admit checks that the node has room for the pod's requests beside the
// pods already admitted (pkg/kubelet/lifecycle/predicate.go); it returns the
// first failure's reason and message.
func (k *Kubelet) admit(kp *kpod) (string, string) {
	if reason, msg := k.admitUnderPressure(kp.pod); reason != "" {
		return reason, msg
	}
	node := k.api.Node(k.name)
	req := podutil.Requests(kp.pod)
	used := corev1.ResourceList{}
	count := int64(0)
	for _, other := range k.order {
		if other == kp || other.w.finished || other.w.rejected || other.w.terminating {
			continue
		}
		count++
		addRequests(used, other.pod)
	}
	podsCap := node.Status.Allocatable[corev1.ResourcePods]
	if count+1 > podsCap.Value() {
		return "OutOfpods", fmt.Sprintf("Node didn't have enough resource: pods, requested: 1, used: %d, capacity: %d", count, podsCap.Value())
	}
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourceEphemeralStorage} {
		r, u, a := req[name], used[name], node.Status.Allocatable[name]
		value := func(q *resource.Quantity) int64 { return q.Value() }
		if name == corev1.ResourceCPU {
			value = func(q *resource.Quantity) int64 { return q.MilliValue() }
		}
		if r.IsZero() {
			continue
		}
		if value(&r)+value(&u) > value(&a) {
			return "OutOf" + string(name), fmt.Sprintf("Node didn't have enough resource: %s, requested: %d, used: %d, capacity: %d", name, value(&r), value(&u), value(&a))
		}
	}
	return "", ""
}

// addRequests adds the pod's effective request (podutil.Requests) to used.
// Admission sums the requests of every pod of the node, so a pod without
// init containers, whose request is the sum of its containers', has its
// containers' added one by one instead of a list of its own built first:
// a sum of Quantities is exact, in whatever order it is added.
func addRequests(used corev1.ResourceList, p *corev1.Pod) {
	add := func(reqs corev1.ResourceList) {
		for name, q := range reqs {
			sum := used[name]
			sum.Add(q)
			used[name] = sum
		}
	}
	if len(p.Spec.InitContainers) > 0 {
		add(podutil.Requests(p))
		return
	}
	for i := range p.Spec.Containers {
		add(p.Spec.Containers[i].Resources.Requests)
	}
}

// rejectPod fails a pod the kubelet will not run (kubelet.go rejectPod).
func (k *Kubelet) rejectPod(kp *kpod, reason, message string) {
	kp.w.rejected = true
	k.event(podutil.PodRef(kp.pod, ""), corev1.EventTypeWarning, reason, message)
	status := kp.pod.Status.DeepCopy()
	status.Phase = corev1.PodFailed
	status.Reason = reason
	status.Message = "Pod was rejected: " + message
	k.setPodStatus(kp, *status, "admission: "+reason)
}

// handlePodRemove handles a pod gone from the API server
// (kubelet.go HandlePodRemoves): its worker is told to kill it.
func (k *Kubelet) handlePodRemove(kp *kpod) {
	kp.removed = true
	k.housekeepingLoop.pull(k.eng.Now()) // to forget it once its worker is done
	k.statusBatchCheck(kp)
	if kp.w.rejected {
		return
	}
	k.updatePod(kp, updateOptions{kind: syncPodKill, cause: "pod removed from the API server"})
}

// handlePodSyncs asks the pod's worker for a sync (kubelet.go HandlePodSyncs).
func (k *Kubelet) handlePodSyncs(kp *kpod, cause string) {
	if kp.w.rejected {
		return
	}
	k.updatePod(kp, updateOptions{kind: syncPodSync, cause: cause})
}

// requeue is a pod's entry in the kubelet's work queue: when it is due and why.
type requeue struct {
	due time.Duration
	why string
}

func ptrValue(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// syncTick is the 1 s tick of syncLoop: pods whose requeue time has come
// are synced (kubelet.go getPodsToSync).
func (k *Kubelet) syncTick() {
	now := k.eng.Now()
	k.syncPastDeadline()
	if now < k.workQueueDue {
		return // nothing is due: no pod to look at
	}
	k.workQueueDue = engine.Forever
	for _, kp := range k.order {
		q, ok := k.workQueue[kp.uid]
		if ok && q.due > now {
			k.workQueueDue = min(k.workQueueDue, q.due)
		}
		if !ok || q.due > now {
			continue
		}
		delete(k.workQueue, kp.uid)
		if !kp.removed || !kp.w.finished {
			k.handlePodSyncs(kp, q.why)
		}
	}
}

// syncTickNeed is the earliest moment at which the sync tick can find a
// pod to sync: a work-queue entry falling due, or a pod reaching its
// active deadline (getPodsToSync's two sources); a pod whose deadline
// cannot be known yet, because it has no start time, keeps it ticking.
func (k *Kubelet) syncTickNeed() time.Duration {
	need := k.workQueueDue
	if k.deadlinePods {
		for _, kp := range k.order {
			if kp.pod.Spec.ActiveDeadlineSeconds == nil || kp.removed || kp.w.terminating || kp.w.rejected {
				continue // as syncPastDeadline skips it
			}
			at, known := k.activeDeadlineAt(kp)
			if !known {
				return k.eng.Now() // the next tick
			}
			need = min(need, at)
		}
	}
	return need
}

// pullSyncTickForDeadline has the sync tick run when the pod's active
// deadline falls, or at the next tick while the pod has no start time.
func (k *Kubelet) pullSyncTickForDeadline(uid types.UID) {
	kp := k.pods[uid]
	if kp == nil {
		return
	}
	at, known := k.activeDeadlineAt(kp)
	if !known {
		at = k.eng.Now()
	}
	k.syncLoop.pull(at)
}

// rearmSyncTick is called when a work-queue entry is due at due: the sync
// tick runs at the first tick at or after it (kubelet.go getPodsToSync
// takes the entries whose time has come on each tick).
func (k *Kubelet) rearmSyncTick(due time.Duration) { k.syncLoop.pull(due) }

// housekeeping runs every 2 s: back-off garbage collection and forgetting
// pods that are gone and finished (kubelet.go HandlePodCleanups).
func (k *Kubelet) housekeeping() {
	now := k.eng.Now()
	k.crashBackoff.GC(now)
	keep := k.order[:0]
	for _, kp := range k.order {
		if kp.removed && (kp.w.finished || kp.w.rejected) {
			delete(k.pods, kp.uid)
			delete(k.workQueue, kp.uid)
			k.statsPodGone(kp) // stats_cache.go
			continue
		}
		keep = append(keep, kp)
	}
	k.order = keep
}

// housekeepingNeed is the earliest moment at which housekeeping can find
// something to do: while a pod removed from the API server is still known
// (it is forgotten at the first housekeeping after its worker finishes),
// the next tick; else when the first crash-loop back-off entry expires
// (kubelet_pods.go HandlePodCleanups ends with kl.backOff.GC()).
func (k *Kubelet) housekeepingNeed() time.Duration {
	for _, kp := range k.order {
		if kp.removed {
			return k.eng.Now()
		}
	}
	return k.crashBackoff.NextGC()
}

// backOffUpdated is called when a crash-loop back-off entry was updated:
// housekeeping runs again when it can be garbage collected.
func (k *Kubelet) backOffUpdated() { k.housekeepingLoop.pull(k.crashBackoff.NextGC()) }

// kubeletLoop names one of the kubelet's periodic loops for a person, as
// the engine's event-bound message shows what was busy.
type kubeletLoop struct{ node, loop string }

func (l kubeletLoop) String() string { return fmt.Sprintf("the kubelet's %s on %s", l.loop, l.node) }

// imagesChanged reports whether an update changed a container's image.
func imagesChanged(a, b *corev1.Pod) bool {
	ca, cb := podutil.AllContainers(&a.Spec), podutil.AllContainers(&b.Spec)
	if len(ca) != len(cb) {
		return true
	}
	for i := range ca {
		if ca[i].Image != cb[i].Image {
			return true
		}
	}
	return false
}
