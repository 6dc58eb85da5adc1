package nodelifecycle

import (
	"fmt"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/internal/podutil"
)

// nodeHealth is nodeHealthData: when the controller last saw the node's
// heartbeat move (probe), when its Ready condition last changed as the
// controller saw it, the Ready condition and the Lease it last saw.
type nodeHealth struct {
	probe           time.Duration
	readyTransition time.Duration
	ready           *corev1.NodeCondition // nil: the status had no Ready condition
	lease           *coordinationv1.Lease
}

// labelNodeDisruptionExclusion excludes a node from the zone states
// (node_lifecycle_controller.go).
const labelNodeDisruptionExclusion = "node.kubernetes.io/exclude-disruption"

// monitorNodeHealth is one health pass over every node; with elision
// (lazy.go) a pass looks only at the nodes where it can find something.
func (c *Controller) monitorNodeHealth() {
	if c.lazy != nil {
		c.monitorLazily()
		return
	}
	var nodes []*corev1.Node
	seen := map[string]bool{}
	for _, name := range c.api.NodeNames() {
		if n := c.api.Node(name); n != nil {
			nodes = append(nodes, n)
			seen[name] = true
		}
	}
	c.registerNodes(nodes)
	for _, name := range podutil.SortedKeys(c.known) {
		if !seen[name] {
			c.removeNode(name)
		}
	}
	zones := zoneCounts{}
	for _, node := range nodes {
		if z, ready, ok := c.monitorNode(node); ok {
			zones.add(z, ready, 1)
		}
	}
	c.handleDisruption(zones, func() []*corev1.Node { return nodes })
}

// registerNodes is the first loop of monitorNodeHealth over the nodes
// listed: a node not known yet is registered, a known one whose zone the
// controller lost gets it back.
func (c *Controller) registerNodes(nodes []*corev1.Node) {
	for _, n := range nodes {
		if _, ok := c.known[n.Name]; !ok {
			c.nodeEvent(n.Name, n.UID, "RegisteredNode", fmt.Sprintf("Registered Node %v in Controller", n.Name))
			c.known[n.Name] = n
			c.addZone(n)
			c.markNodeAsReachable(n)
		} else if _, ok := c.zoneStates[zoneKey(n)]; !ok {
			c.addZone(n)
		}
	}
}

// removeNode forgets a known node that is no longer listed.
func (c *Controller) removeNode(name string) {
	gone := c.known[name]
	c.nodeEvent(name, gone.UID, "RemovingNode", fmt.Sprintf("Removing Node %v from Controller", name))
	delete(c.known, name)
}

// monitorNode is the health pass of one node: its health, its NoExecute
// taint, its pods marked not ready when its Ready stops being True. It
// returns the node's zone and whether its Ready condition is True now, for
// the zone states; ok is false when the node is left out of them (its
// health could not be written, or it is excluded from disruption).
func (c *Controller) monitorNode(node *corev1.Node) (zone string, ready, ok bool) {
	observed, current, node, written := c.tryUpdateNodeHealth(node)
	if !written {
		return "", false, false
	}
	_, excluded := node.Labels[labelNodeDisruptionExclusion]
	if current != nil {
		// The pods are listed before the taints change, as upstream
		// lists them before processTaintBaseEviction; only when needed.
		var pods []*corev1.Pod
		notReady := current.Status != corev1.ConditionTrue && observed.Status == corev1.ConditionTrue
		retry := c.retry[node.Name] && observed.Status != corev1.ConditionTrue
		if notReady || retry {
			pods = c.podsOn(node.Name)
		}
		c.processTaintBaseEviction(node, observed)
		if notReady {
			// RecordNodeStatusChange (pkg/controller/util/node/controller_utils.go).
			c.events.Event(corev1.ObjectReference{APIVersion: "v1", Kind: "Node", Name: node.Name, UID: node.UID},
				corev1.EventTypeNormal, "NodeNotReady", fmt.Sprintf("Node %s status is now: %s", node.Name, "NodeNotReady"))
		}
		if notReady || retry {
			c.markPodsNotReady(pods, node.Name)
		}
	}
	delete(c.retry, node.Name)
	return zoneKey(node), current != nil && current.Status == corev1.ConditionTrue, !excluded
}

// nodeEvent is RecordNodeEvent: "Node <name> event: <what>".
func (c *Controller) nodeEvent(name string, uid types.UID, reason, what string) {
	c.events.Event(corev1.ObjectReference{APIVersion: "v1", Kind: "Node", Name: name, UID: uid},
		corev1.EventTypeNormal, reason, fmt.Sprintf("Node %s event: %s", name, what))
}

// tryUpdateNodeHealth is upstream's: it moves the probe timestamp when the
// Ready heartbeat or the Lease moved, and past the grace period writes
// every kubelet-owned condition Unknown. It returns the Ready condition as
// observed before and as it is now, and the node as it now is (the stored
// object, which it does not modify, or the copy it wrote); ok is false
// when the write failed.
func (c *Controller) tryUpdateNodeHealth(node *corev1.Node) (observed corev1.NodeCondition, current *corev1.NodeCondition, _ *corev1.Node, ok bool) {
	now := c.eng.Now()
	created := node.CreationTimestamp.Sub(c.eng.Wall(0))
	h := c.health[node.Name]
	defer func() {
		c.health[node.Name] = h
		if c.lazy != nil {
			c.lazy.node(node.Name).h = h // mirrored for the Lease observer (lazy.go)
		}
	}()
	grace := c.grace
	current = podutil.FindNodeCondition(node.Status.Conditions, corev1.NodeReady)
	if current == nil {
		observed = corev1.NodeCondition{Type: corev1.NodeReady, Status: corev1.ConditionUnknown,
			LastHeartbeatTime: node.CreationTimestamp, LastTransitionTime: node.CreationTimestamp}
		grace = StartupGracePeriod
		if h != nil {
			h.ready = nil
		} else {
			h = &nodeHealth{probe: created, readyTransition: created}
		}
	} else {
		observed = *current
	}
	var saved *corev1.NodeCondition
	var savedLease *coordinationv1.Lease
	if h != nil {
		saved, savedLease = h.ready, h.lease
	}
	switch {
	case h == nil, saved == nil && current != nil, saved != nil && current == nil:
		h = &nodeHealth{probe: now, readyTransition: now, ready: copyCondition(current)}
	case saved != nil && current != nil && !saved.LastHeartbeatTime.Equal(&current.LastHeartbeatTime):
		transition := h.readyTransition
		if !saved.LastTransitionTime.Equal(&current.LastTransitionTime) {
			transition = now
		}
		h = &nodeHealth{probe: now, readyTransition: transition, ready: copyCondition(current)}
	}
	// Always update the probe time if the node lease is renewed.
	lease := c.api.Lease(types.NamespacedName{Namespace: corev1.NamespaceNodeLease, Name: node.Name})
	if lease != nil && (savedLease == nil || renewedAfter(lease, savedLease)) {
		h.lease = lease
		h.probe = now
	}
	if now <= h.probe+grace {
		return observed, current, node, true
	}
	node = node.DeepCopy() // its conditions are changed below
	// The heartbeat is older than the grace period: every condition the
	// kubelet owns becomes Unknown (NodeNetworkUnavailable is left alone).
	stamp := c.api.Stamp(now)
	for _, t := range []corev1.NodeConditionType{corev1.NodeReady, corev1.NodeMemoryPressure, corev1.NodeDiskPressure, corev1.NodePIDPressure} {
		cond := podutil.FindNodeCondition(node.Status.Conditions, t)
		switch {
		case cond == nil:
			node.Status.Conditions = append(node.Status.Conditions, corev1.NodeCondition{Type: t, Status: corev1.ConditionUnknown,
				Reason: "NodeStatusNeverUpdated", Message: "Kubelet never posted node status.",
				LastHeartbeatTime: node.CreationTimestamp, LastTransitionTime: stamp})
		case cond.Status != corev1.ConditionUnknown:
			cond.Status, cond.Reason, cond.Message, cond.LastTransitionTime = corev1.ConditionUnknown, "NodeStatusUnknown", "Kubelet stopped posting node status.", stamp
		}
	}
	current = podutil.FindNodeCondition(node.Status.Conditions, corev1.NodeReady)
	if apiequality.Semantic.DeepEqual(current, &observed) {
		return observed, current, node, true
	}
	conds := node.Status.Conditions
	cause := fmt.Sprintf("no heartbeat for %v (grace period %v)", now-h.probe, grace)
	if !c.api.UpdateNode(node.Name, Actor, cause, func(n *corev1.Node) { n.Status.Conditions = conds }) {
		return observed, current, node, false
	}
	h = &nodeHealth{probe: h.probe, readyTransition: now, ready: copyCondition(current), lease: lease}
	return observed, current, node, true
}

func copyCondition(c *corev1.NodeCondition) *corev1.NodeCondition {
	if c == nil {
		return nil
	}
	cp := *c
	return &cp
}

// renewedAfter is savedLease.Spec.RenewTime.Before(observedLease.Spec.RenewTime).
func renewedAfter(cur, saved *coordinationv1.Lease) bool {
	a, b := saved.Spec.RenewTime, cur.Spec.RenewTime
	if b == nil {
		return false
	}
	if a == nil {
		return true
	}
	return a.Before(b)
}

// processTaintBaseEviction queues a node that is not Ready for its
// NoExecute taint (or swaps the one it has at once), and takes both off a
// node that is Ready.
func (c *Controller) processTaintBaseEviction(node *corev1.Node, observed corev1.NodeCondition) {
	switch observed.Status {
	case corev1.ConditionFalse:
		if taintExists(node.Spec.Taints, unreachableNoExecute) {
			c.swapTaints(node, []corev1.Taint{notReadyNoExecute}, []corev1.Taint{unreachableNoExecute}, "node is not ready")
		} else {
			c.markNodeForTainting(node, corev1.ConditionFalse)
		}
	case corev1.ConditionUnknown:
		if taintExists(node.Spec.Taints, notReadyNoExecute) {
			c.swapTaints(node, []corev1.Taint{unreachableNoExecute}, []corev1.Taint{notReadyNoExecute}, "node is unreachable")
		} else {
			c.markNodeForTainting(node, corev1.ConditionUnknown)
		}
	case corev1.ConditionTrue:
		c.markNodeAsReachable(node)
	}
}

// markNodeForTainting puts the node on its zone's NoExecute queue (again,
// if the taint its state calls for is missing).
func (c *Controller) markNodeForTainting(node *corev1.Node, status corev1.ConditionStatus) {
	q := c.tainters[zoneKey(node)]
	if status == corev1.ConditionFalse && !taintExists(node.Spec.Taints, notReadyNoExecute) ||
		status == corev1.ConditionUnknown && !taintExists(node.Spec.Taints, unreachableNoExecute) {
		q.remove(node.Name)
	}
	if q.add(node.Name, c.eng.Now()) {
		c.armNoExecute()
	}
}

// markNodeAsReachable removes both NoExecute taints and takes the node off
// its zone's queue.
func (c *Controller) markNodeAsReachable(node *corev1.Node) {
	if taintExists(node.Spec.Taints, unreachableNoExecute) || taintExists(node.Spec.Taints, notReadyNoExecute) {
		c.swapTaints(node, nil, []corev1.Taint{unreachableNoExecute, notReadyNoExecute}, "node is Ready: NoExecute taints removed")
	}
	if q := c.tainters[zoneKey(node)]; q != nil {
		q.remove(node.Name)
	}
}

// markPodsNotReady is MarkPodsNotReady: each pod's Ready condition becomes
// False (its transition time now), with a Warning NodeNotReady event.
func (c *Controller) markPodsNotReady(pods []*corev1.Pod, node string) {
	stamp := c.api.Stamp(c.eng.Now())
	for _, p := range pods {
		if p.Spec.NodeName != node {
			continue
		}
		cond := podutil.FindCondition(p.Status.Conditions, corev1.PodReady)
		if cond == nil || cond.Status == corev1.ConditionFalse {
			continue
		}
		c.api.UpdatePod(podutil.KeyOf(p), p.UID, Actor, "node "+node+" is not ready", func(q *corev1.Pod) {
			if cc := podutil.FindCondition(q.Status.Conditions, corev1.PodReady); cc != nil {
				cc.Status, cc.LastTransitionTime = corev1.ConditionFalse, stamp
			}
		})
		c.events.Event(podutil.PodRef(p, ""), corev1.EventTypeWarning, "NodeNotReady", "Node is not ready")
	}
}
