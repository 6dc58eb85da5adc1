package scenarios

import (
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/sim"
)

// nodeView is what a node expectation compares, in the expectation's own
// field names.
type nodeView struct {
	NodeConditions map[string]ConditionExpect `json:"nodeConditions,omitempty"`
	Taints         []string                   `json:"taints,omitempty"`
}

// nodeExpectation checks an expectation of a node's conditions and taints;
// it reports whether to keep it.
func (l *loader) nodeExpectation(d *document, path string, e ExpectDoc, nodes []string) bool {
	switch {
	case e.Node == "":
		l.add(d, ScenarioKind, path+".node", "Required value: nodeConditions and taints need the name of a node")
		return false
	case e.NodeConditions == nil && e.Taints == nil:
		l.add(d, ScenarioKind, path+".node", "Required value: a node expectation gives nodeConditions, taints or both")
		return false
	case e.Pod != "" || e.Service != "" || e.PodDisruptionBudget != "":
		l.add(d, ScenarioKind, path+".node", "Forbidden: an expectation is about one pod, one service, one budget or one node")
		return false
	case !slices.Contains(nodes, e.Node):
		l.add(d, ScenarioKind, path+".node", "Not found: no node %q in this scenario (nodes: %s)", e.Node, strings.Join(nodes, ", "))
		return false
	}
	for _, t := range sortedKeys(e.NodeConditions) {
		switch e.NodeConditions[t].Status {
		case corev1.ConditionTrue, corev1.ConditionFalse, corev1.ConditionUnknown:
		default:
			l.add(d, ScenarioKind, path+".nodeConditions["+t+"].status", `Unsupported value: %q: supported values: "True", "False", "Unknown"`, e.NodeConditions[t].Status)
			return false
		}
	}
	return true
}

// checkNode compares a node's conditions and taints with an expectation;
// "" means it matches. An absent condition reads "<absent>"; taints are
// written as kubectl describe writes them ("key=value:Effect").
func checkNode(c *sim.Cluster, x expectation) string {
	want := nodeView{NodeConditions: x.NodeConditions, Taints: x.Taints}
	n := c.Node(x.Node)
	if n == nil {
		return diff(want, "no such node")
	}
	var got nodeView
	if x.NodeConditions != nil {
		got.NodeConditions = map[string]ConditionExpect{}
		for t, w := range x.NodeConditions {
			g := ConditionExpect{Status: "<absent>"}
			for _, cond := range n.Status.Conditions {
				if string(cond.Type) != t {
					continue
				}
				g.Status = cond.Status
				if w.Reason != nil {
					g.Reason = strPtr(cond.Reason)
				}
				if w.Message != nil {
					g.Message = strPtr(cond.Message)
				}
			}
			got.NodeConditions[t] = g
		}
	}
	if x.Taints != nil {
		got.Taints = []string{}
		for _, t := range n.Spec.Taints {
			got.Taints = append(got.Taints, t.ToString())
		}
	}
	return diff(want, got)
}
