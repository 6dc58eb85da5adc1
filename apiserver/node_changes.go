package apiserver

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/internal/podutil"
)

// nodeChanges summarises what a node update changed, for the trace, in the
// order a learner reads a node: spec.unschedulable, each taint added or
// removed, each label, then each condition's status. Heartbeat times,
// reasons and messages are left out: a kubelet's periodic status report
// changes only its heartbeats and so has no changes.
func nodeChanges(old, cur *corev1.Node) []string {
	var out []string
	if old.Spec.Unschedulable != cur.Spec.Unschedulable {
		out = append(out, fmt.Sprintf("spec.unschedulable: %v → %v", old.Spec.Unschedulable, cur.Spec.Unschedulable))
	}
	has := func(list []corev1.Taint, t corev1.Taint) bool {
		for _, x := range list {
			if x.Key == t.Key && x.Effect == t.Effect && x.Value == t.Value {
				return true
			}
		}
		return false
	}
	for _, t := range old.Spec.Taints {
		if !has(cur.Spec.Taints, t) {
			out = append(out, "taint "+t.ToString()+": present → absent")
		}
	}
	for _, t := range cur.Spec.Taints {
		if !has(old.Spec.Taints, t) {
			out = append(out, "taint "+t.ToString()+": absent → present")
		}
	}
	for _, k := range podutil.SortedKeys(mergeKeys(old.Labels, cur.Labels)) {
		ov, ook := old.Labels[k]
		nv, nok := cur.Labels[k]
		if ov != nv || ook != nok {
			out = append(out, fmt.Sprintf("metadata.labels[%s]: %s → %s", k, quoteOrAbsent(ov, ook), quoteOrAbsent(nv, nok)))
		}
	}
	for _, c := range cur.Status.Conditions {
		was := "absent"
		if prev := podutil.FindNodeCondition(old.Status.Conditions, c.Type); prev != nil {
			was = string(prev.Status)
		}
		if was != string(c.Status) {
			out = append(out, fmt.Sprintf("condition %s: %s → %s", c.Type, was, c.Status))
		}
	}
	return out
}
