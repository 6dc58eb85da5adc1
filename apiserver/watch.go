package apiserver

import (
	"fmt"

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
	if node, ok := sel.RequiresExactMatch(FieldNodeName); ok && len(sel.Requirements()) == 1 {
		w.byNode[node] = append(w.byNode[node], pw)
		return nil
	}
	w.all = append(w.all, pw)
	return nil
}

// WatchObjects registers fn for changes of every kind but pods.
func (s *Server) WatchObjects(fn ObjectHandler) { s.objectWatchers = append(s.objectWatchers, fn) }

// deliverPod schedules the change for each matching watcher, in the order
// the watchers registered.
func (s *Server) deliverPod(op trace.Op, pod *corev1.Pod) {
	w := &s.podWatches
	node := w.byNode[pod.Spec.NodeName]
	var set fields.Set
	i := 0
	for _, pw := range w.all {
		for ; i < len(node) && node[i].seq < pw.seq; i++ {
			s.schedulePod(node[i].fn, op, pod)
		}
		if !pw.sel.Empty() {
			if set == nil {
				set = podFields(pod)
			}
			if !pw.sel.Matches(set) {
				continue
			}
		}
		s.schedulePod(pw.fn, op, pod)
	}
	for ; i < len(node); i++ {
		s.schedulePod(node[i].fn, op, pod)
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
