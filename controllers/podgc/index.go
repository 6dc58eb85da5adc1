package podgc

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/internal/podutil"
)

// index is what a pass would find, kept up to date from every change of
// the pod and node stores (Client.ObservePods, ObserveNodes) instead of
// found by listing every pod each pass: how many pods are terminated, the
// terminating pods, how many pods each node has, and the nodes that have
// pods but no Node object. A pass then costs what it collects, not the
// number of pods.
type index struct {
	terminated  int                                  // pods isTerminated says are
	terminating map[types.NamespacedName]*corev1.Pod // pods with a deletionTimestamp, as stored
	keep        int                                  // pods bound to a node or terminating: the pass keeps running
	nodePods    map[string]int                       // bound pods by spec.nodeName
	// missingNodes are the nodes some pod is bound to that do not exist.
	missingNodes map[string]bool
}

func newIndex() index {
	return index{terminating: map[types.NamespacedName]*corev1.Pod{}, nodePods: map[string]int{},
		missingNodes: map[string]bool{}}
}

// observePod moves a pod's contribution from its old stored version to
// its new one (either may be nil), then wakes a parked pass if it may now
// find something.
func (c *Controller) observePod(old, cur *corev1.Pod) {
	x := &c.idx
	x.terminated += b2i(cur != nil && isTerminated(cur)) - b2i(old != nil && isTerminated(old))
	x.keep += b2i(keeps(cur)) - b2i(keeps(old))
	switch {
	case cur != nil && cur.DeletionTimestamp != nil:
		x.terminating[podutil.KeyOf(cur)] = cur
	case old != nil && old.DeletionTimestamp != nil:
		delete(x.terminating, podutil.KeyOf(old))
	}
	if on, cn := nodeOf(old), nodeOf(cur); on != cn {
		x.unbind(on)
		x.bind(c, cn)
	}
	c.wakeIfBusy()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// keeps: a bound or terminating pod keeps the pass running.
func keeps(p *corev1.Pod) bool {
	return p != nil && (p.Spec.NodeName != "" || p.DeletionTimestamp != nil)
}

func nodeOf(p *corev1.Pod) string {
	if p == nil {
		return ""
	}
	return p.Spec.NodeName
}

// bind counts a pod bound to node n ("" for none).
func (x *index) bind(c *Controller, n string) {
	if n == "" {
		return
	}
	x.nodePods[n]++
	if x.nodePods[n] == 1 && c.api.Node(n) == nil {
		x.missingNodes[n] = true
	}
}

// unbind takes away a pod bound to node n ("" for none).
func (x *index) unbind(n string) {
	if n == "" {
		return
	}
	if x.nodePods[n]--; x.nodePods[n] <= 0 {
		delete(x.nodePods, n)
		delete(x.missingNodes, n)
	}
}

// observeNode keeps the missing nodes: a node deleted while pods are bound
// to it, or registered under the name pods were bound to.
func (c *Controller) observeNode(old, cur *corev1.Node) {
	switch {
	case cur == nil && old != nil && c.idx.nodePods[old.Name] > 0:
		c.idx.missingNodes[old.Name] = true
	case cur != nil && old == nil:
		delete(c.idx.missingNodes, cur.Name)
	}
	c.wakeIfBusy()
}

// terminatingPods lists the terminating pods in key order.
func (x *index) terminatingPods() []*corev1.Pod {
	if len(x.terminating) == 0 {
		return nil
	}
	out := make([]*corev1.Pod, 0, len(x.terminating))
	for _, key := range podutil.SortedObjectKeys(x.terminating) {
		out = append(out, x.terminating[key])
	}
	return out
}

// idle says that a pass would change nothing and keep running: some pod is
// bound or terminating (else the pass stops), none is terminating (a
// terminating pod may be collected), no more terminated pods than the
// threshold, no pod on a missing node and none queued.
func (c *Controller) idle() bool {
	x := &c.idx
	return x.keep > 0 && len(x.terminating) == 0 && x.terminated <= TerminatedPodThreshold &&
		len(x.missingNodes) == 0 && len(c.missingSince) == 0
}
