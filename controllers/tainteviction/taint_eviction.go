// Package tainteviction is the taint eviction controller
// (pkg/controller/tainteviction/taint_eviction.go; before 1.29 the
// NoExecuteTaintManager inside the node lifecycle controller): it deletes
// the pods of nodes with NoExecute taints they do not tolerate for long
// enough.
//
// For each pod bound to a node with NoExecute taints (processPodOnNode):
//
//   - a taint the pod does not tolerate: delete it now;
//   - every taint tolerated: the minimum tolerationSeconds of the matching
//     tolerations (getMinTolerationTime: none with a value → forever, any
//     value ≤ 0 → now); the deletion is planned that long after the
//     controller saw the taint. A deletion already planned is kept as it
//     is: a toleration lengthened after the taint came does not postpone
//     it (the planned work's CreatedAt is kept);
//   - the node loses its NoExecute taints, or the pod goes: the planned
//     deletion is cancelled, with the event "Cancelling deletion of Pod
//     ns/name".
//
// A deletion is the event Normal TaintManagerEviction "Marking for
// deletion Pod ns/name", then (1.26 and later, PodDisruptionConditions) the
// DisruptionTarget condition, reason DeletionByTaintManager, "Taint
// manager: deleting due to NoExecute taint", then a DELETE with the pod's
// own grace period. A pod whose node cannot be reached stays Terminating
// until the node comes back, someone force-deletes it, or pod GC removes
// it. kubectl prints such a pod Unknown only when its status.reason is
// NodeLost (lifecycle.PrintPod, as printPod does); that reason came from the
// node controller's legacy DeletePods path (SetPodTerminationReason), which
// does not run in the versions podsim follows, so these pods print
// Terminating.
//
// The events name the pod without its UID (emitPodDeletionEvent), so
// kubectl describe pod, which selects events by UID, does not list them.
//
// It reaches the cluster only through its [Client].
package tainteviction

import (
	"fmt"
	"math"
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"
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

// Actor is the name the controller writes under.
const Actor = "taint-eviction-controller"

// Component is the controller's event source: its name since it runs on
// its own (SeparateTaintEvictionController, beta and on in 1.29), the
// taint manager's before.
func Component(p *profile.Profile) string {
	if p.Disruption.SeparateTaintEvictionController {
		return "taint-eviction-controller"
	}
	return "taint-controller" // nodelifecycle/scheduler/taint_manager.go
}

// DisruptionTarget's reason and message (taint_eviction.go
// addConditionAndDeletePod).
const (
	ReasonDeletionByTaintManager = "DeletionByTaintManager"
	messageDeletionByTaint       = "Taint manager: deleting due to NoExecute taint"
)

// Client is what the controller asks of the API server.
type Client interface {
	WatchPods(sel fields.Selector, fn func(op trace.Op, pod *corev1.Pod)) error
	WatchKinds(fn func(kind string, op trace.Op, key types.NamespacedName), kinds ...string)
	Node(name string) *corev1.Node
	Pod(key types.NamespacedName) *corev1.Pod
	UpdatePod(key types.NamespacedName, uid types.UID, actor, cause string, mutate func(*corev1.Pod)) bool
	DeletePod(key types.NamespacedName, uid types.UID, grace *int64, actor, cause string) bool
	Stamp(t time.Duration) metav1.Time
}

// Config is what a controller is built from.
type Config struct {
	Engine  *engine.Engine
	Client  Client
	Profile *profile.Profile
	// Events records the controller's events (source Component(Profile)).
	Events *record.Recorder
}

// Controller is the taint eviction controller.
type Controller struct {
	eng    *engine.Engine
	api    Client
	prof   *profile.Profile
	events *record.Recorder

	// taintedNodes are the NoExecute taints of each node that has some.
	taintedNodes map[string][]corev1.Taint
	// podsByNode holds, under each node ("" for the pods not bound yet),
	// the version of each of its pods the controller last saw (a stored
	// pod is never modified): its node and tolerations, which PodUpdated
	// compares. A pod is looked for under its own spec.nodeName, then, just
	// bound, under "": that field, once set, does not change (the binding
	// refuses a bound pod, pkg/registry/core/pod/storage/storage.go
	// setPodHostAndAnnotations; an update may not change it,
	// pkg/apis/core/validation ValidatePodUpdate).
	podsByNode map[string]map[types.NamespacedName]*corev1.Pod
	// work is the TimedWorkerQueue: a planned deletion per pod; a nil
	// timer is one already done, kept so that it is not planned again.
	work map[types.NamespacedName]*plannedDeletion
}

type plannedDeletion struct {
	createdAt, fireAt time.Duration
	timer             *engine.Timer // nil once fired
}

// New returns a controller watching pods and nodes.
func New(cfg Config) (*Controller, error) {
	c := &Controller{eng: cfg.Engine, api: cfg.Client, prof: cfg.Profile, events: cfg.Events,
		taintedNodes: map[string][]corev1.Taint{},
		podsByNode:   map[string]map[types.NamespacedName]*corev1.Pod{}, work: map[types.NamespacedName]*plannedDeletion{}}
	if err := cfg.Client.WatchPods(fields.Everything(), c.onPod); err != nil {
		return nil, err
	}
	cfg.Client.WatchKinds(c.onObject, "Node")
	return c, nil
}

// onPod is PodUpdated and handlePodUpdate: a pod added, moved to a node or
// given other tolerations is processed against its node's taints; a pod
// gone has its planned deletion cancelled.
func (c *Controller) onPod(op trace.Op, p *corev1.Pod) {
	key := podutil.KeyOf(p)
	node := p.Spec.NodeName
	old, had := c.podsByNode[node][key]
	if !had && node != "" {
		old, had = c.podsByNode[""][key]
	}
	if had && (op == trace.Deleted || old.Spec.NodeName != node) {
		delete(c.podsByNode[old.Spec.NodeName], key)
	}
	if op == trace.Deleted {
		c.cancelWithEvent(key)
		return
	}
	set := c.podsByNode[node]
	if set == nil {
		set = map[types.NamespacedName]*corev1.Pod{}
		c.podsByNode[node] = set
	}
	set[key] = p
	if had && old.Spec.NodeName == node && apiequality.Semantic.DeepEqual(old.Spec.Tolerations, p.Spec.Tolerations) {
		return
	}
	if node == "" {
		return
	}
	taints, ok := c.taintedNodes[node]
	if !ok {
		return
	}
	c.processPodOnNode(key, node, p.Spec.Tolerations, taints, c.eng.Now())
}

// onObject is NodeUpdated and handleNodeUpdate: a node whose NoExecute
// taints changed has every pod processed again.
func (c *Controller) onObject(kind string, op trace.Op, key types.NamespacedName) {
	if kind != "Node" {
		return
	}
	node := c.api.Node(key.Name)
	if op == trace.Deleted || node == nil {
		delete(c.taintedNodes, key.Name)
		return
	}
	taints := noExecuteTaints(node.Spec.Taints)
	old, had := c.taintedNodes[key.Name]
	if (had || len(taints) == 0) && apiequality.Semantic.DeepEqual(old, taints) {
		return
	}
	if len(taints) == 0 {
		delete(c.taintedNodes, key.Name)
	} else {
		c.taintedNodes[key.Name] = taints
	}
	onNode := c.podsByNode[key.Name]
	pods := podutil.SortedObjectKeys(onNode)
	if len(taints) == 0 {
		for _, pk := range pods {
			c.cancelWithEvent(pk)
		}
		return
	}
	now := c.eng.Now()
	for _, pk := range pods {
		var tols []corev1.Toleration
		if p := onNode[pk]; p != nil {
			tols = p.Spec.Tolerations
		}
		c.processPodOnNode(pk, key.Name, tols, taints, now)
	}
}

func noExecuteTaints(taints []corev1.Taint) []corev1.Taint {
	var out []corev1.Taint
	for _, t := range taints {
		if t.Effect == corev1.TaintEffectNoExecute {
			out = append(out, t)
		}
	}
	return out
}

// getMatchingTolerations is v1helper.GetMatchingTolerations: whether every
// taint is tolerated, and the tolerations that match one.
func getMatchingTolerations(taints []corev1.Taint, tols []corev1.Toleration) (bool, []corev1.Toleration) {
	if len(taints) == 0 {
		return true, nil
	}
	if len(tols) == 0 {
		return false, nil
	}
	var used []corev1.Toleration
	for _, t := range taints {
		found := false
		for _, tol := range tols {
			if podutil.ToleratesTaint([]corev1.Toleration{tol}, t) {
				used = append(used, tol)
				found = true
				break
			}
		}
		if !found {
			return false, nil
		}
	}
	return true, used
}

// getMinTolerationTime: the minimum tolerationSeconds, 0 with no
// tolerations or one ≤ 0, -1 (forever) with none that has a value.
func getMinTolerationTime(tols []corev1.Toleration) time.Duration {
	if len(tols) == 0 {
		return 0
	}
	minSeconds := int64(math.MaxInt64)
	for _, t := range tols {
		if t.TolerationSeconds != nil {
			s := *t.TolerationSeconds
			if s <= 0 {
				return 0
			}
			minSeconds = min(minSeconds, s)
		}
	}
	if minSeconds == math.MaxInt64 {
		return -1
	}
	return time.Duration(minSeconds) * time.Second
}

// processPodOnNode plans, keeps or cancels a pod's deletion.
func (c *Controller) processPodOnNode(key types.NamespacedName, node string, tols []corev1.Toleration, taints []corev1.Taint, now time.Duration) {
	if len(taints) == 0 {
		c.cancelWithEvent(key)
	}
	allTolerated, used := getMatchingTolerations(taints, tols)
	if !allTolerated {
		c.cancelWithEvent(key)
		c.addWork(key, now, now)
		return
	}
	minTime := getMinTolerationTime(used)
	if minTime < 0 {
		c.cancelWithEvent(key)
		return
	}
	start, trigger := now, now+minTime
	if w := c.work[key]; w != nil && w.timer != nil {
		start = w.createdAt
		if start+minTime < trigger {
			return // a deletion already planned keeps its time
		}
		c.cancelWithEvent(key)
	}
	c.addWork(key, start, trigger)
}

// addWork is TimedWorkerQueue.AddWork: nothing if work for the pod exists
// (or was done).
func (c *Controller) addWork(key types.NamespacedName, createdAt, fireAt time.Duration) {
	if _, ok := c.work[key]; ok {
		return
	}
	w := &plannedDeletion{createdAt: createdAt, fireAt: fireAt}
	w.timer = c.eng.At(max(fireAt, c.eng.Now()), engine.PriorityNormal, func() {
		w.timer = nil
		c.deletePod(key)
	})
	c.work[key] = w
}

// cancelWithEvent is cancelWorkWithEvent: a planned deletion is cancelled
// with an event; a done one is only forgotten.
func (c *Controller) cancelWithEvent(key types.NamespacedName) {
	w, ok := c.work[key]
	if !ok {
		return
	}
	delete(c.work, key)
	if w.timer != nil {
		w.timer.Stop()
		c.event(key, fmt.Sprintf("Cancelling deletion of Pod %s", key))
	}
}

// event is emitPodDeletionEvent's kind of event: about the pod by name,
// without its UID.
func (c *Controller) event(key types.NamespacedName, message string) {
	c.events.Event(corev1.ObjectReference{APIVersion: "v1", Kind: "Pod", Namespace: key.Namespace, Name: key.Name},
		corev1.EventTypeNormal, "TaintManagerEviction", message)
}

// deletePod is deletePodHandler: the event, the DisruptionTarget condition
// where the version sets it, and the delete with the pod's grace period.
func (c *Controller) deletePod(key types.NamespacedName) {
	c.event(key, fmt.Sprintf("Marking for deletion Pod %s", key))
	p := c.api.Pod(key)
	if p == nil {
		return
	}
	cause := "NoExecute taint of node " + p.Spec.NodeName + " not tolerated for longer"
	if c.prof.Disruption.PodDisruptionConditions {
		now := c.api.Stamp(c.eng.Now())
		c.api.UpdatePod(key, p.UID, Actor, cause, func(q *corev1.Pod) {
			cond := corev1.PodCondition{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue,
				Reason: ReasonDeletionByTaintManager, Message: messageDeletionByTaint, LastTransitionTime: now}
			i := slices.IndexFunc(q.Status.Conditions, func(pc corev1.PodCondition) bool { return pc.Type == corev1.DisruptionTarget })
			if i < 0 {
				q.Status.Conditions = append(q.Status.Conditions, cond)
				return
			}
			if q.Status.Conditions[i].Status == cond.Status {
				cond.LastTransitionTime = q.Status.Conditions[i].LastTransitionTime
			}
			q.Status.Conditions[i] = cond
		})
	}
	c.api.DeletePod(key, "", nil, Actor, cause)
}
