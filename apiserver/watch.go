package apiserver

import (
	"fmt"
	"slices"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/trace"
)

// PodHandler receives the pod watch events a watcher selected, each after
// the watch latency. The pod is the stored object: it must not be modified.
type PodHandler = func(op trace.Op, pod *corev1.Pod)

// ObjectHandler receives a change of an object of any other kind, after the
// watch latency; it reads the object from the server if it needs it.
type ObjectHandler = func(kind string, op trace.Op, key types.NamespacedName)

// FieldNodeName is the pod field a kubelet selects its pods by
// (fieldSelector=spec.nodeName=<node>, pkg/kubelet/config/apiserver.go).
const FieldNodeName = "spec.nodeName"

// podWatcher is one pod watch: its handler and where it registered.
type podWatcher struct {
	seq int
	sel fields.Selector
	fn  PodHandler
}

// podWatches indexes pod watches by what they select, so that a change
// reaches only its watchers: a watch of one node's pods costs nothing when
// another node's pod changes.
type podWatches struct {
	seq    int
	all    []podWatcher            // any other selector
	byNode map[string][]podWatcher // spec.nodeName=<node> and nothing else

	// selective is set when a watch of all has a non-empty selector, so
	// that which watchers a change reaches depends on more than its node.
	selective bool
	// toNode caches, while no watch is selective, the handlers a change
	// of a pod on each node ("" for unbound) reaches, in the order the
	// watches registered; a new watch clears it.
	toNode map[string][]PodHandler
}

// WatchPods registers fn for the pod changes that sel matches; sel may be
// fields.Everything(). As with a real field-selected watch, a pod that
// starts to match (a pod bound to the node) is delivered when it does. The
// fields a selector may use are metadata.name, metadata.namespace,
// spec.nodeName and status.phase (pkg/registry/core/pod/strategy.go
// PodToSelectableFields, in part).
func (s *Server) WatchPods(sel fields.Selector, fn PodHandler) error {
	for _, r := range sel.Requirements() {
		switch r.Field {
		case "metadata.name", "metadata.namespace", FieldNodeName, "status.phase":
		default:
			return fmt.Errorf("field label not supported: %s", r.Field)
		}
	}
	w := &s.podWatches
	w.seq++
	pw := podWatcher{seq: w.seq, sel: sel, fn: fn}
	clear(w.toNode)
	if node, ok := sel.RequiresExactMatch(FieldNodeName); ok && len(sel.Requirements()) == 1 {
		w.byNode[node] = append(w.byNode[node], pw)
		return nil
	}
	w.all = append(w.all, pw)
	w.selective = w.selective || !sel.Empty()
	return nil
}

// WatchObjects registers fn for changes of every kind but pods.
func (s *Server) WatchObjects(fn ObjectHandler) { s.WatchKinds(fn) }

// WatchKinds registers fn for the changes of objects of the given kinds
// (none: every kind but pods), as an informer watches one resource: a
// change of another kind is not delivered to it and costs it nothing. A
// kubelet's Lease renewal, the commonest write of an idle cluster, then
// reaches only the watchers that asked for Leases.
func (s *Server) WatchKinds(fn ObjectHandler, kinds ...string) {
	s.objectWatches.all = append(s.objectWatches.all, objectWatcher{fn: fn, kinds: slices.Clone(kinds)})
	clear(s.objectWatches.byKind)
}

// objectWatcher is one watch of non-pod objects: its handler and the kinds
// it selects (nil: all).
type objectWatcher struct {
	fn    ObjectHandler
	kinds []string
}

// objectWatches are the watches of non-pod objects in the order they
// registered, and for each kind seen so far the handlers that select it,
// in that order.
type objectWatches struct {
	all    []objectWatcher
	byKind map[string][]ObjectHandler
}

// watchersOf lists the handlers a change of kind goes to.
func (w *objectWatches) watchersOf(kind string) []ObjectHandler {
	if fns, ok := w.byKind[kind]; ok {
		return fns
	}
	var fns []ObjectHandler
	for _, ow := range w.all {
		if ow.kinds == nil || slices.Contains(ow.kinds, kind) {
			fns = append(fns, ow.fn)
		}
	}
	if w.byKind == nil {
		w.byKind = map[string][]ObjectHandler{}
	}
	w.byKind[kind] = fns
	return fns
}

// tellObjectWatchers delivers a change of a non-pod object to the watchers
// of its kind, after the watch latency, in the order they registered.
func (s *Server) tellObjectWatchers(kind string, op trace.Op, key types.NamespacedName) {
	for _, w := range s.objectWatches.watchersOf(kind) {
		s.eng.After(s.cfg.WatchLatency, engine.PriorityAPI, func() { w(kind, op, key) })
	}
}

// deliverPod delivers the change to each matching watcher after the watch
// latency, in the order the watchers registered. Each delivery was an
// event of its own, all scheduled here one after the other for one
// instant at the API's priority, the highest: nothing a watcher does when
// it is told can run between two of them (what it schedules for that
// instant comes after the last), so one event calling the watchers in turn
// is the same run with fewer events (one per write instead of one per
// watcher: 13 for a pod in a cluster with every controller). It stops, as
// the run would, when a watcher makes the run fail. NoElision keeps an
// event per watcher.
func (s *Server) deliverPod(op trace.Op, pod *corev1.Pod) {
	if s.cfg.NoElision {
		s.eachPodWatcher(pod, func(fn PodHandler) { s.schedulePod(fn, op, pod) })
		return
	}
	fns := s.podWatchersOf(pod)
	if len(fns) == 0 {
		return
	}
	s.eng.After(s.cfg.WatchLatency, engine.PriorityAPI, func() {
		for _, fn := range fns {
			fn(op, pod)
			if s.eng.Err() != nil {
				return
			}
		}
	})
}

// podWatchersOf lists the handlers of the watchers a change of pod
// reaches, in the order they registered. The list is shared: it must not
// be modified.
func (s *Server) podWatchersOf(pod *corev1.Pod) []PodHandler {
	w := &s.podWatches
	if w.selective {
		var fns []PodHandler
		s.eachPodWatcher(pod, func(fn PodHandler) { fns = append(fns, fn) })
		return fns
	}
	if fns, ok := w.toNode[pod.Spec.NodeName]; ok {
		return fns
	}
	fns := make([]PodHandler, 0, len(w.all)+len(w.byNode[pod.Spec.NodeName]))
	s.eachPodWatcher(pod, func(fn PodHandler) { fns = append(fns, fn) })
	if w.toNode == nil {
		w.toNode = map[string][]PodHandler{}
	}
	w.toNode[pod.Spec.NodeName] = fns
	return fns
}

// eachPodWatcher calls do with the handler of each watcher whose selector
// matches pod, in the order the watchers registered.
func (s *Server) eachPodWatcher(pod *corev1.Pod, do func(PodHandler)) {
	w := &s.podWatches
	node := w.byNode[pod.Spec.NodeName]
	var set fields.Set
	i := 0
	for _, pw := range w.all {
		for ; i < len(node) && node[i].seq < pw.seq; i++ {
			do(node[i].fn)
		}
		if !pw.sel.Empty() {
			if set == nil {
				set = podFields(pod)
			}
			if !pw.sel.Matches(set) {
				continue
			}
		}
		do(pw.fn)
	}
	for ; i < len(node); i++ {
		do(node[i].fn)
	}
}

func (s *Server) schedulePod(fn PodHandler, op trace.Op, pod *corev1.Pod) {
	s.eng.After(s.cfg.WatchLatency, engine.PriorityAPI, func() { fn(op, pod) })
}

func podFields(p *corev1.Pod) fields.Set {
	return fields.Set{
		"metadata.name":      p.Name,
		"metadata.namespace": p.Namespace,
		FieldNodeName:        p.Spec.NodeName,
		"status.phase":       string(p.Status.Phase),
	}
}

// PodObserver is told of every change of the pod store as it is made:
// old is the pod as stored before (nil for a new pod), cur as stored after
// (nil once it is removed). Both are stored objects: they must not be
// modified.
type PodObserver = func(old, cur *corev1.Pod)

// NodeObserver is PodObserver for nodes.
type NodeObserver = func(old, cur *corev1.Node)

// ObservePods registers fn for every change of the pod store, at once,
// without the watch latency: it is not a watch but an index kept beside
// the store, for a controller that reads the store when it acts (as
// podsim's controllers do) and wants to know what it would find without
// looking at every pod. fn must not write to the server.
func (s *Server) ObservePods(fn PodObserver) { s.podObservers = append(s.podObservers, fn) }

// ObserveNodes is ObservePods for nodes.
func (s *Server) ObserveNodes(fn NodeObserver) { s.nodeObservers = append(s.nodeObservers, fn) }

// ObserveLeases registers fn for every Lease written (created or renewed),
// at once: cur is the stored object.
func (s *Server) ObserveLeases(fn func(cur *coordinationv1.Lease)) {
	s.leaseObservers = append(s.leaseObservers, fn)
}

func (s *Server) observeLease(cur *coordinationv1.Lease) {
	for _, fn := range s.leaseObservers {
		fn(cur)
	}
}

func (s *Server) observePod(old, cur *corev1.Pod) {
	for _, fn := range s.podObservers {
		fn(old, cur)
	}
}

func (s *Server) observeNode(old, cur *corev1.Node) {
	for _, fn := range s.nodeObservers {
		fn(old, cur)
	}
}
