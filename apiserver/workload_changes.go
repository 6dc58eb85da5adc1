package apiserver

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// workloadChanges summarises a write of a workload object for the trace:
// the replica counts of its spec and status and its conditions.
func workloadChanges(old, cur workloadObject) []string {
	if old == nil {
		return []string{"created"}
	}
	var out []string
	a, b := countsOf(old), countsOf(cur)
	for _, f := range b {
		was := "absent"
		for _, g := range a {
			if g.name == f.name {
				was = g.value
			}
		}
		if was != f.value {
			out = append(out, fmt.Sprintf("%s: %s → %s", f.name, was, f.value))
		}
	}
	oc, cc := conditionsOf(old), conditionsOf(cur)
	for _, c := range cc {
		was := "absent"
		for _, o := range oc {
			if o[0] == c[0] {
				was = o[1]
			}
		}
		if was != c[1] {
			out = append(out, fmt.Sprintf("condition %s: %s → %s", c[0], was, c[1]))
		}
	}
	if old.GetGeneration() != cur.GetGeneration() {
		out = append(out, fmt.Sprintf("metadata.generation: %d → %d", old.GetGeneration(), cur.GetGeneration()))
	}
	return out
}

type count struct{ name, value string }

func int32Or(p *int32) string {
	if p == nil {
		return "absent"
	}
	return fmt.Sprint(*p)
}

func countsOf(o runtime.Object) []count {
	c := func(name string, v any) count { return count{name, fmt.Sprint(v)} }
	switch v := o.(type) {
	case *appsv1.ReplicaSet:
		return []count{{"spec.replicas", int32Or(v.Spec.Replicas)}, c("status.replicas", v.Status.Replicas),
			c("status.readyReplicas", v.Status.ReadyReplicas), c("status.availableReplicas", v.Status.AvailableReplicas)}
	case *appsv1.Deployment:
		return []count{{"spec.replicas", int32Or(v.Spec.Replicas)}, c("status.replicas", v.Status.Replicas),
			c("status.updatedReplicas", v.Status.UpdatedReplicas), c("status.readyReplicas", v.Status.ReadyReplicas),
			c("status.availableReplicas", v.Status.AvailableReplicas), c("status.unavailableReplicas", v.Status.UnavailableReplicas)}
	case *appsv1.StatefulSet:
		return []count{{"spec.replicas", int32Or(v.Spec.Replicas)}, c("status.replicas", v.Status.Replicas),
			c("status.readyReplicas", v.Status.ReadyReplicas), c("status.availableReplicas", v.Status.AvailableReplicas)}
	case *appsv1.DaemonSet:
		return []count{c("status.desiredNumberScheduled", v.Status.DesiredNumberScheduled),
			c("status.currentNumberScheduled", v.Status.CurrentNumberScheduled), c("status.numberReady", v.Status.NumberReady),
			c("status.numberAvailable", v.Status.NumberAvailable)}
	case *batchv1.Job:
		return []count{c("status.active", v.Status.Active), {"status.ready", int32Or(v.Status.Ready)},
			{"status.terminating", int32Or(v.Status.Terminating)}, c("status.succeeded", v.Status.Succeeded), c("status.failed", v.Status.Failed)}
	case *corev1.Namespace:
		return []count{c("status.phase", v.Status.Phase)}
	}
	return nil
}

// conditionsOf lists (type, status) of an object's conditions.
func conditionsOf(o runtime.Object) [][2]string {
	var out [][2]string
	switch v := o.(type) {
	case *appsv1.ReplicaSet:
		for _, c := range v.Status.Conditions {
			out = append(out, [2]string{string(c.Type), string(c.Status)})
		}
	case *appsv1.Deployment:
		for _, c := range v.Status.Conditions {
			out = append(out, [2]string{string(c.Type), string(c.Status) + " (" + c.Reason + ")"})
		}
	case *appsv1.StatefulSet:
		for _, c := range v.Status.Conditions {
			out = append(out, [2]string{string(c.Type), string(c.Status)})
		}
	case *appsv1.DaemonSet:
		for _, c := range v.Status.Conditions {
			out = append(out, [2]string{string(c.Type), string(c.Status)})
		}
	case *batchv1.Job:
		for _, c := range v.Status.Conditions {
			out = append(out, [2]string{string(c.Type), string(c.Status) + reasonSuffix(c.Reason)})
		}
	}
	return out
}

func reasonSuffix(r string) string {
	if r == "" {
		return ""
	}
	return " (" + r + ")"
}
