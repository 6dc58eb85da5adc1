package nodelifecycle

import (
	"slices"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// Actor is the name the controller writes under.
const Actor = "node-lifecycle-controller"

// Component is the event source of the controller
// (node_lifecycle_controller.go: v1.EventSource{Component: "node-controller"}).
const Component = "node-controller"

// kube-controller-manager's defaults (pkg/controller/nodelifecycle/config/v1alpha1/defaults.go,
// cmd/kube-controller-manager options) and the scheduler package's
// constants (pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go).
const (
	// MonitorPeriod is --node-monitor-period.
	MonitorPeriod = 5 * time.Second
	// StartupGracePeriod is --node-startup-grace-period.
	StartupGracePeriod = time.Minute
	// NoExecutePeriod is NodeEvictionPeriod: how often the NoExecute
	// tainting pass runs.
	NoExecutePeriod = 100 * time.Millisecond
	// evictionRate is --node-eviction-rate (nodes per second);
	// secondaryEvictionRate is --secondary-node-eviction-rate.
	evictionRate          = 0.1
	secondaryEvictionRate = 0.01
	// largeClusterThreshold is --large-cluster-size-threshold;
	// unhealthyZoneThreshold is --unhealthy-zone-threshold.
	largeClusterThreshold  = 50
	unhealthyZoneThreshold = 0.55
)

// The NoExecute taints of node_lifecycle_controller.go
// (UnreachableTaintTemplate, NotReadyTaintTemplate).
var (
	unreachableNoExecute = corev1.Taint{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoExecute}
	notReadyNoExecute    = corev1.Taint{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoExecute}
)

// conditionTaints is nodeConditionToTaintKeyStatusMap: which condition in
// which status gives which NoSchedule taint, in upstream's order.
var conditionTaints = []struct {
	cond   corev1.NodeConditionType
	status corev1.ConditionStatus
	key    string
}{
	{corev1.NodeReady, corev1.ConditionFalse, corev1.TaintNodeNotReady},
	{corev1.NodeReady, corev1.ConditionUnknown, corev1.TaintNodeUnreachable},
	{corev1.NodeMemoryPressure, corev1.ConditionTrue, corev1.TaintNodeMemoryPressure},
	{corev1.NodeDiskPressure, corev1.ConditionTrue, corev1.TaintNodeDiskPressure},
	{corev1.NodeNetworkUnavailable, corev1.ConditionTrue, corev1.TaintNodeNetworkUnavailable},
	{corev1.NodePIDPressure, corev1.ConditionTrue, corev1.TaintNodePIDPressure},
}

// conditionTaintKey is taintKeyToNodeConditionMap's key set.
func conditionTaintKey(key string) bool {
	for _, ct := range conditionTaints {
		if ct.key == key {
			return true
		}
	}
	return false
}

// Client is what the node lifecycle controller asks of the API server.
type Client interface {
	WatchPods(sel fields.Selector, fn func(op trace.Op, pod *corev1.Pod)) error
	WatchKinds(fn func(kind string, op trace.Op, key types.NamespacedName), kinds ...string)
	// NodeNames lists the nodes in the order they registered.
	NodeNames() []string
	Node(name string) *corev1.Node
	UpdateNode(name, actor, cause string, mutate func(*corev1.Node)) bool
	Lease(key types.NamespacedName) *coordinationv1.Lease
	// ObserveNodes and ObserveLeases tell of every change of the stores
	// as it is made (apiserver.Server.ObservePods): the lazy pass's index.
	ObserveNodes(fn func(old, cur *corev1.Node))
	ObserveLeases(fn func(cur *coordinationv1.Lease))
	Pod(key types.NamespacedName) *corev1.Pod
	UpdatePod(key types.NamespacedName, uid types.UID, actor, cause string, mutate func(*corev1.Pod)) bool
	Stamp(t time.Duration) metav1.Time
}

// Config is what a controller is built from.
type Config struct {
	Engine  *engine.Engine
	Client  Client
	Profile *profile.Profile
	// Events records the controller's events (source node-controller).
	Events *record.Recorder
	// MonitorPhase is when, within the monitor period, the health passes
	// run (0 ≤ MonitorPhase < MonitorPeriod): the first at MonitorPhase.
	MonitorPhase time.Duration
	// NoElision makes every health pass look at every node (lazy.go).
	NoElision bool
}

// Controller is the node lifecycle controller.
type Controller struct {
	eng    *engine.Engine
	api    Client
	events *record.Recorder
	grace  time.Duration

	known  map[string]*corev1.Node // knownNodeSet
	health map[string]*nodeHealth  // nodeHealthMap
	retry  map[string]bool         // nodesToRetry

	zoneStates map[string]zoneState
	tainters   map[string]*timedQueue // zoneNoExecuteTainter
	noExecute  *engine.Timer          // the NoExecute pass, armed while a queue holds a node
	// monitor is the health pass, armed while the cluster has a node (an
	// idle cluster without nodes then runs out of events); phase is its
	// place in the period.
	monitor *engine.Timer
	phase   time.Duration

	// podsByNode is the pod informer's spec.nodeName index. A pod is found
	// in it under its own spec.nodeName: that field, once set, does not
	// change (the binding refuses a bound pod, pkg/registry/core/pod/storage/
	// storage.go setPodHostAndAnnotations; an update may not change it,
	// pkg/apis/core/validation ValidatePodUpdate), so no map of pod to
	// node is kept; podsOn checks the stored pod's node anyway.
	podsByNode map[string]map[types.NamespacedName]struct{}
	// noSchedule are the nodes whose NoSchedule pass is due.
	noSchedule map[string]bool
	// lazy is the health pass's elision (lazy.go); nil with NoElision.
	lazy *lazyHealth
}

// New returns a controller watching nodes and pods, its health pass armed.
func New(cfg Config) (*Controller, error) {
	c := &Controller{
		eng: cfg.Engine, api: cfg.Client, events: cfg.Events, grace: cfg.Profile.NodeMonitorGracePeriod,
		known: map[string]*corev1.Node{}, health: map[string]*nodeHealth{}, retry: map[string]bool{},
		zoneStates: map[string]zoneState{}, tainters: map[string]*timedQueue{},
		podsByNode: map[string]map[types.NamespacedName]struct{}{},
		noSchedule: map[string]bool{},
	}
	if err := cfg.Client.WatchPods(fields.Everything(), c.onPod); err != nil {
		return nil, err
	}
	cfg.Client.WatchKinds(c.onObject, "Node")
	if !cfg.NoElision {
		c.startLazy(cfg.Client)
	}
	c.noExecute = c.eng.NewTimer(engine.PriorityNormal, c.doNoExecuteTaintingPass)
	c.phase = cfg.MonitorPhase % MonitorPeriod
	c.monitor = c.eng.NewTimer(engine.PriorityNormal, func() {
		if c.lazy != nil {
			c.lazy.parked = false // the passes skipped are behind
		}
		c.monitorNodeHealth()
		if len(c.known) > 0 || len(c.api.NodeNames()) > 0 {
			// Ranked, so that a pass armed again after skipped ones
			// (lazy_park.go) keeps the place ticking gives it.
			c.monitor.ResetRanked(engine.Add(c.eng.Now(), MonitorPeriod), c.eng.Now())
			c.parkMonitorIfQuiet()
		}
	})
	c.armMonitor()
	return c, nil
}

// armMonitor arms the health pass at the next point of its grid
// (MonitorPhase + k·MonitorPeriod) if it is not armed.
func (c *Controller) armMonitor() {
	if c.monitor.Armed() || (c.lazy != nil && c.lazy.parked) {
		return
	}
	now := c.eng.Now()
	at := engine.Add(now-now%MonitorPeriod, c.phase)
	if at < now {
		at = engine.Add(at, MonitorPeriod)
	}
	c.monitor.Reset(at)
}

// onObject runs the NoSchedule pass of a node that was added or changed
// (the node informer's add and update handlers queue it).
func (c *Controller) onObject(kind string, op trace.Op, key types.NamespacedName) {
	if kind != "Node" || op == trace.Deleted {
		if kind == "Node" {
			delete(c.retry, key.Name)
		}
		return
	}
	c.armMonitor()
	if c.noSchedule[key.Name] {
		return
	}
	c.noSchedule[key.Name] = true
	c.eng.After(0, engine.PriorityNormal, func() {
		delete(c.noSchedule, key.Name)
		c.doNoScheduleTaintingPass(key.Name)
	})
}

// onPod keeps the index of pods by node and marks a pod newly bound to a
// node that is not Ready as not ready (podUpdated, processPod).
func (c *Controller) onPod(op trace.Op, p *corev1.Pod) {
	key := podutil.KeyOf(p)
	node := p.Spec.NodeName
	if node == "" {
		return
	}
	set := c.podsByNode[node]
	if op == trace.Deleted {
		delete(set, key)
		return
	}
	if set == nil {
		set = map[types.NamespacedName]struct{}{}
		c.podsByNode[node] = set
	}
	if _, ok := set[key]; ok {
		return
	}
	set[key] = struct{}{}
	c.processPod(key, node)
}

// processPod marks a pod just bound to a node whose last seen Ready is not
// True as not ready.
func (c *Controller) processPod(key types.NamespacedName, node string) {
	h := c.health[node]
	if h == nil || c.api.Node(node) == nil || h.ready == nil {
		return
	}
	if h.ready.Status != corev1.ConditionTrue {
		if p := c.api.Pod(key); p != nil {
			c.markPodsNotReady([]*corev1.Pod{p}, node)
		}
	}
}

// podsOn lists the pods bound to a node, by key.
func (c *Controller) podsOn(node string) []*corev1.Pod {
	var out []*corev1.Pod
	for _, key := range podutil.SortedObjectKeys(c.podsByNode[node]) {
		if p := c.api.Pod(key); p != nil && p.Spec.NodeName == node {
			out = append(out, p)
		}
	}
	return out
}

// doNoScheduleTaintingPass mirrors a node's conditions and
// spec.unschedulable as NoSchedule taints.
func (c *Controller) doNoScheduleTaintingPass(name string) {
	node := c.api.Node(name)
	if node == nil {
		return
	}
	var want []corev1.Taint
	for _, cond := range node.Status.Conditions {
		for _, ct := range conditionTaints {
			if ct.cond == cond.Type && ct.status == cond.Status {
				want = append(want, corev1.Taint{Key: ct.key, Effect: corev1.TaintEffectNoSchedule})
			}
		}
	}
	if node.Spec.Unschedulable {
		want = append(want, corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule})
	}
	var have []corev1.Taint
	for _, t := range node.Spec.Taints {
		if t.Effect == corev1.TaintEffectNoSchedule && (t.Key == corev1.TaintNodeUnschedulable || conditionTaintKey(t.Key)) {
			have = append(have, t)
		}
	}
	add, del := taintSetDiff(want, have)
	if len(add) == 0 && len(del) == 0 {
		return
	}
	c.swapTaints(node, add, del, "node conditions: "+conditionsSummary(node))
}

// taintSetDiff is taintutils.TaintSetDiff: the taints of want not in have
// and of have not in want, matched by key and effect.
func taintSetDiff(want, have []corev1.Taint) (add, del []corev1.Taint) {
	for _, t := range want {
		if !taintExists(have, t) {
			add = append(add, t)
		}
	}
	for _, t := range have {
		if !taintExists(want, t) {
			del = append(del, t)
		}
	}
	return add, del
}

// taintExists is taintutils.TaintExists: a taint of the same key and effect.
func taintExists(list []corev1.Taint, t corev1.Taint) bool {
	return slices.ContainsFunc(list, func(x corev1.Taint) bool { return x.MatchTaint(&t) })
}

// swapTaints is SwapNodeControllerTaint: the added taints get timeAdded
// now; one write adds and removes them.
func (c *Controller) swapTaints(node *corev1.Node, add, del []corev1.Taint, cause string) bool {
	now := c.api.Stamp(c.eng.Now())
	return c.api.UpdateNode(node.Name, Actor, cause, func(n *corev1.Node) {
		taints := slices.DeleteFunc(slices.Clone(n.Spec.Taints), func(t corev1.Taint) bool { return taintExists(del, t) })
		for _, t := range add {
			t.TimeAdded = &now
			if i := slices.IndexFunc(taints, func(x corev1.Taint) bool { return x.MatchTaint(&t) }); i >= 0 {
				taints[i] = t
				continue
			}
			taints = append(taints, t)
		}
		if len(taints) == 0 {
			taints = nil
		}
		n.Spec.Taints = taints
	})
}

// conditionsSummary names the node's conditions that are not as a healthy
// node has them, for a write's cause.
func conditionsSummary(n *corev1.Node) string {
	out := ""
	for _, cond := range n.Status.Conditions {
		healthy := (cond.Type == corev1.NodeReady) == (cond.Status == corev1.ConditionTrue)
		if healthy {
			continue
		}
		if out != "" {
			out += ", "
		}
		out += string(cond.Type) + "=" + string(cond.Status)
	}
	if n.Spec.Unschedulable {
		if out != "" {
			out += ", "
		}
		out += "unschedulable"
	}
	if out == "" {
		return "healthy"
	}
	return out
}
