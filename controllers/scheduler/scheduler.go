// Package scheduler is the simulated cluster's kube-scheduler: it binds
// each pending pod to a node, or says why no node will do, in the
// scheduler's words ("0/3 nodes are available: 1 Insufficient cpu, 2
// node(s) had untolerated taint {gpu: true}. preemption: 0/3 nodes are
// available: 1 No preemption victims found for incoming pod, 2 Preemption
// is not helpful for scheduling.").
//
// # How it is built
//
// As pkg/scheduler is, around a queue and a cache:
//
//   - The scheduling queue (pkg/scheduler/backend/queue) holds pending pods.
//     A pod is due for an attempt the scheduling delay after it enters the
//     active queue; pods due at one instant go in PrioritySort's order,
//     higher priority first. A pod no node fits is parked as unschedulable
//     with the set of plugins that rejected it, and only a cluster event
//     one of them cares about (a node added or changed, a bound pod gone
//     or added) moves it back — after its back-off of 1 s doubling to 10 s,
//     which 1.33 skips when the scheduler is idle, as it always is here —
//     or the leftover flush after 5 minutes. Gated pods
//     (spec.schedulingGates) wait there until their gates are removed.
//   - The cache keeps, per node, the sums of the bound pods' requests,
//     updated pod by pod from the watch and from the scheduler's own
//     bindings, which it counts at once rather than when the watch
//     confirms them. A fit check is a few integer comparisons, so 10,000
//     pending pods on 1,000 nodes are placed in well under a second of CPU
//     (docs/performance.md).
//
// # What an attempt does
//
// The filters of the default profile, in its order: NodeUnschedulable,
// TaintToleration (NoSchedule and NoExecute taints), NodeAffinity
// (nodeSelector and required node affinity), NodePorts, NodeResourcesFit
// (cpu, memory, ephemeral-storage, extended resources and the pod count,
// with the requests of pods nominated to the node), and InterPodAffinity
// (required affinity and anti-affinity on any topology key). It stops
// after finding as many feasible nodes as percentageOfNodesToScore allows
// (all below 100 nodes), starting where the last attempt stopped. Among
// feasible nodes it scores LeastAllocated and BalancedAllocation on cpu and
// memory, PreferNoSchedule taints and preferred node affinity, with the
// default weights; ties go to the first node examined, where the real
// scheduler picks one at random. Not modelled: ImageLocality,
// PodTopologySpread (and its default constraints), preferred inter-pod
// affinity, volumes.
//
// When no node fits, DefaultPreemption looks, node by node, for the
// fewest lower-priority victims whose removal makes room (respecting
// PodDisruptionBudgets where it can), evicts them and nominates the node
// (status.nominatedNodeName).
//
// It reaches the cluster only through its [Client], as a real scheduler
// reaches the API server through informers and a clientset.
package scheduler

import (
	"maps"
	"time"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// Actor is the name the scheduler writes under: its scheduler name.
const Actor = corev1.DefaultSchedulerName

// Client is what the scheduler asks of the API server.
type Client interface {
	WatchPods(sel fields.Selector, fn func(op trace.Op, pod *corev1.Pod)) error
	WatchKinds(fn func(kind string, op trace.Op, key types.NamespacedName), kinds ...string)
	NodeNames() []string
	Node(name string) *corev1.Node
	BindPod(key types.NamespacedName, uid types.UID, node, actor string) bool
	UpdatePod(key types.NamespacedName, uid types.UID, actor, cause string, mutate func(*corev1.Pod)) bool
	// DeletePod deletes a preemption's victim with its own grace period.
	DeletePod(key types.NamespacedName, uid types.UID, grace *int64, actor, cause string) bool
	// PodDisruptionBudgets lists every PDB, which preemption tries not to
	// violate.
	PodDisruptionBudgets() []*policyv1.PodDisruptionBudget
	// Stamp is the API server's timestamp of a virtual time.
	Stamp(t time.Duration) metav1.Time
}

// Config is what a scheduler is built from.
type Config struct {
	Engine *engine.Engine
	Client Client
	// Profile is the Kubernetes version whose scheduler this is.
	Profile *profile.Profile
	// Events records the scheduler's events (events.k8s.io).
	Events *record.EventsRecorder
	// Delay is the time from a pod's entering the active queue to its
	// attempt (and binding).
	Delay time.Duration
}

// Scheduler binds pending pods to nodes.
type Scheduler struct {
	eng    *engine.Engine
	api    Client
	prof   *profile.Profile
	events *record.EventsRecorder
	delay  time.Duration

	cache *cache
	queue *schedulingQueue
	// nominated are the pending pods preemption nominated, by node.
	nominated   map[string]map[types.NamespacedName]*podInfo
	nominatedAt map[types.NamespacedName]string
	// nextStart is where the next attempt starts looking at nodes
	// (nextStartNodeIndex).
	nextStart int
	feasible  []*nodeInfo // scratch
}

// New returns a scheduler watching every pod and node.
func New(cfg Config) (*Scheduler, error) {
	prof := cfg.Profile
	if prof == nil {
		var err error
		if prof, err = profile.For(""); err != nil {
			return nil, err
		}
	}
	s := &Scheduler{eng: cfg.Engine, api: cfg.Client, prof: prof, events: cfg.Events, delay: cfg.Delay,
		cache: newCache(), queue: newSchedulingQueue(),
		nominated: map[string]map[types.NamespacedName]*podInfo{}, nominatedAt: map[types.NamespacedName]string{}}
	if err := cfg.Client.WatchPods(fields.Everything(), s.onPod); err != nil {
		return nil, err
	}
	cfg.Client.WatchKinds(s.onObject, "Node")
	s.NodesChanged()
	return s, nil
}

// NodesChanged adds the nodes the scheduler has not heard of and retries
// the pods that did not fit. The facade calls it when a node registers, so
// that pods waiting for a node bind at the scheduling delay after it joins
// (a simplification: the watch would add its latency).
func (s *Scheduler) NodesChanged() {
	added := false
	for _, name := range s.api.NodeNames() {
		if _, ok := s.cache.byName[name]; !ok {
			if n := s.api.Node(name); n != nil {
				s.cache.setNode(n)
				added = true
			}
		}
	}
	if added {
		s.move(movedByNodeChange)
	}
}

func (s *Scheduler) onObject(kind string, op trace.Op, key types.NamespacedName) {
	if kind != "Node" {
		return
	}
	n := s.api.Node(key.Name)
	if op == trace.Deleted || n == nil {
		s.cache.removeNode(key.Name)
		return
	}
	var old *corev1.Node
	if ni := s.cache.byName[key.Name]; ni != nil {
		old = ni.node
	}
	s.cache.setNode(n)
	if old == nil || schedulingPropertiesChanged(old, n) {
		s.move(movedByNodeChange)
	}
}

// schedulingPropertiesChanged says whether a node update may make a pod
// fit: a change of spec.unschedulable, allocatable, labels or taints
// (eventhandlers.go nodeSchedulingPropertiesChange). A heartbeat — a new
// condition time, a new Lease — moves nothing.
func schedulingPropertiesChanged(old, cur *corev1.Node) bool {
	return old.Spec.Unschedulable != cur.Spec.Unschedulable ||
		!apiequality.Semantic.DeepEqual(old.Status.Allocatable, cur.Status.Allocatable) ||
		!maps.Equal(old.Labels, cur.Labels) ||
		!apiequality.Semantic.DeepEqual(old.Spec.Taints, cur.Spec.Taints)
}

// onPod follows the scheduler's two pod informers: bound pods feed the
// cache (a finished pod leaves it, as the informer's field selector
// status.phase!=Succeeded,status.phase!=Failed drops it), pending pods of
// this scheduler feed the queue.
func (s *Scheduler) onPod(op trace.Op, p *corev1.Pod) {
	key := podutil.KeyOf(p)
	gone := op == trace.Deleted || podutil.IsTerminal(p.Status.Phase)
	if gone || p.Spec.NodeName != "" {
		s.queue.remove(key)
		s.unnominate(key)
	}
	if gone {
		if s.cache.removePod(key) != "" {
			s.move(movedByAssignedPodDelete)
		}
		return
	}
	if p.Spec.NodeName != "" {
		prev := s.cache.podOn(key)
		if prev != nil && prev.pod.UID == p.UID && prev.pod.Generation == p.Generation && maps.Equal(prev.pod.Labels, p.Labels) {
			prev.pod = p // a status change: the requests are the same
			return
		}
		s.cache.addPod(newPodInfo(p), p.Spec.NodeName)
		if prev == nil {
			s.move(movedByAssignedPodAdd)
		}
		return
	}
	if p.Spec.SchedulerName != Actor {
		return
	}
	qp := s.queue.pods[key]
	if qp == nil {
		s.add(p)
		return
	}
	s.update(qp, p)
}

// add queues a new pending pod: due after the scheduling delay, or held
// by its scheduling gates (the SchedulingGates PreEnqueue plugin).
func (s *Scheduler) add(p *corev1.Pod) {
	now := s.eng.Now()
	s.queue.seq++
	qp := &queuedPod{pi: newPodInfo(p), heapIndex: -1, seq: s.queue.seq}
	s.queue.pods[qp.pi.key()] = qp
	if len(p.Spec.SchedulingGates) > 0 {
		qp.gated = true
		qp.rejectedBy = pluginSchedulingGates
		s.queue.park(qp, now)
		return
	}
	s.activate(qp, now+s.delay)
}

// update takes a new version of a queued pod. A parked pod whose gates
// are gone, or whose spec or labels changed, is tried again.
func (s *Scheduler) update(qp *queuedPod, p *corev1.Pod) {
	old := qp.pi.pod
	qp.pi = newPodInfo(p)
	if _, parked := s.queue.unschedulable[qp.pi.key()]; !parked {
		return
	}
	if qp.gated {
		if len(p.Spec.SchedulingGates) > 0 {
			return
		}
		qp.gated = false
		s.activate(qp, s.eng.Now()+s.delay)
		return
	}
	if p.Generation != old.Generation || !maps.Equal(p.Labels, old.Labels) {
		s.moveOne(qp)
	}
}

// activate puts a pod in the active queue, due at readyAt, and arms the
// attempt.
func (s *Scheduler) activate(qp *queuedPod, readyAt time.Duration) {
	s.queue.activate(qp, s.eng.Now(), readyAt)
	s.eng.At(readyAt, engine.PriorityNormal, s.runDue)
}

// move moves back the unschedulable pods one of these plugins rejected.
func (s *Scheduler) move(by plugins) {
	if len(s.queue.unschedulable) == 0 {
		return
	}
	for _, qp := range s.queue.unschedulableRejectedBy(by) {
		s.moveOne(qp)
	}
}

// moveOne moves an unschedulable pod to the active queue, after what is
// left of its back-off (the backoff queue, flushed every second), or at
// once where the idle scheduler pops the backoff queue (1.33).
func (s *Scheduler) moveOne(qp *queuedPod) {
	now := s.eng.Now()
	ready := now
	if !s.prof.Disruption.PopFromBackoffQ {
		if expiry := qp.timestamp + backoff(qp.attempts); expiry > now {
			ready = (expiry + backoffFlushPeriod - 1).Truncate(backoffFlushPeriod)
		}
	}
	s.activate(qp, ready+s.delay)
}

// runDue runs the attempt of the best pod due now, if any (one timer per
// activation, so every due pod gets its turn).
func (s *Scheduler) runDue() {
	if qp := s.queue.popDue(s.eng.Now()); qp != nil {
		s.scheduleOne(qp)
	}
}

// armLeftoverFlush moves an unschedulable pod back after 5 minutes
// whatever happens, at the first 30 s tick of flushUnschedulablePodsLeftover
// after that.
func (s *Scheduler) armLeftoverFlush(qp *queuedPod) {
	gen := qp.generation
	due := qp.timestamp + podMaxInUnschedulablePods
	tick := (due/unschedulableFlushPeriod + 1) * unschedulableFlushPeriod
	s.eng.At(tick, engine.PriorityNormal, func() {
		if _, parked := s.queue.unschedulable[qp.pi.key()]; parked && qp.generation == gen && !qp.gated {
			s.moveOne(qp)
		}
	})
}

func (s *Scheduler) nominate(pi *podInfo, node string) {
	s.unnominate(pi.key())
	if node == "" {
		return
	}
	if s.nominated[node] == nil {
		s.nominated[node] = map[types.NamespacedName]*podInfo{}
	}
	s.nominated[node][pi.key()] = pi
	s.nominatedAt[pi.key()] = node
}

func (s *Scheduler) unnominate(key types.NamespacedName) {
	node, ok := s.nominatedAt[key]
	if !ok {
		return
	}
	delete(s.nominatedAt, key)
	delete(s.nominated[node], key)
	if len(s.nominated[node]) == 0 {
		delete(s.nominated, node)
	}
}
