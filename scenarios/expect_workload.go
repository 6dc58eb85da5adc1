package scenarios

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/sim"
)

// WorkloadExpect is the expected status of a workload: the counts of its
// kind's status (a field given for another kind is an error) and its
// conditions by type. Completions is kubectl get jobs' COMPLETIONS column,
// "1/1".
type WorkloadExpect struct {
	Replicas          *int32                     `json:"replicas,omitempty"`
	UpdatedReplicas   *int32                     `json:"updatedReplicas,omitempty"`
	ReadyReplicas     *int32                     `json:"readyReplicas,omitempty"`
	AvailableReplicas *int32                     `json:"availableReplicas,omitempty"`
	Active            *int32                     `json:"active,omitempty"`
	Succeeded         *int32                     `json:"succeeded,omitempty"`
	Failed            *int32                     `json:"failed,omitempty"`
	Completions       string                     `json:"completions,omitempty"`
	Conditions        map[string]ConditionExpect `json:"conditions,omitempty"`
}

func workloadExpected(e ExpectDoc) bool {
	kind, _ := expectedWorkload(e)
	return kind != "" || e.Workload != nil
}

// expectedWorkload is the kind and name of the workload an expectation is
// about, or "" (the first of them when several are given: the loader
// refuses that).
func expectedWorkload(e ExpectDoc) (kind, name string) {
	for _, w := range []struct{ kind, name string }{
		{"Deployment", e.Deployment}, {"ReplicaSet", e.ReplicaSet}, {"StatefulSet", e.StatefulSet}, {"DaemonSet", e.DaemonSet}, {"Job", e.Job},
	} {
		if w.name != "" {
			return w.kind, w.name
		}
	}
	return "", ""
}

// workloadExpectation checks an expectation of a workload's status; it
// reports whether to keep it.
func (l *loader) workloadExpectation(d *document, path string, e ExpectDoc) bool {
	n := 0
	for _, v := range []string{e.Deployment, e.ReplicaSet, e.StatefulSet, e.DaemonSet, e.Job} {
		if v != "" {
			n++
		}
	}
	kind, _ := expectedWorkload(e)
	switch {
	case n == 0:
		l.add(d, ScenarioKind, path+".workload", "Required value: workload needs the name of a deployment, replicaSet, statefulSet, daemonSet or job")
		return false
	case e.Workload == nil:
		l.add(d, ScenarioKind, path+".workload", "Required value: a %s expectation gives the status to check under workload", lowerFirst(kind))
		return false
	case n > 1 || e.Pod != "" || e.Service != "" || e.PodDisruptionBudget != "" || e.Node != "":
		l.add(d, ScenarioKind, path+"."+lowerFirst(kind), "Forbidden: an expectation is about one pod, one service, one budget, one node or one workload")
		return false
	}
	w := e.Workload
	isJob := kind == "Job"
	for _, c := range []struct {
		name   string
		n      *int32
		forJob bool
	}{{"replicas", w.Replicas, false}, {"updatedReplicas", w.UpdatedReplicas, false}, {"readyReplicas", w.ReadyReplicas, false},
		{"availableReplicas", w.AvailableReplicas, false}, {"active", w.Active, true}, {"succeeded", w.Succeeded, true}, {"failed", w.Failed, true}} {
		if c.n == nil {
			continue
		}
		if c.forJob != isJob || (c.name == "updatedReplicas" && kind != "Deployment" && kind != "StatefulSet") {
			l.add(d, ScenarioKind, path+".workload."+c.name, "Forbidden: the status of a %s has no %s", kind, c.name)
			return false
		}
		if *c.n < 0 {
			l.add(d, ScenarioKind, path+".workload."+c.name, "Invalid value: %d: must be greater than or equal to 0", *c.n)
			return false
		}
	}
	if w.Completions != "" && (!isJob || !readyRe.MatchString(w.Completions)) {
		l.add(d, ScenarioKind, path+".workload.completions", "Invalid value: %q: a job's completions, such as \"1/1\"", w.Completions)
		return false
	}
	for _, t := range sortedKeys(w.Conditions) {
		switch w.Conditions[t].Status {
		case corev1.ConditionTrue, corev1.ConditionFalse, corev1.ConditionUnknown:
		default:
			l.add(d, ScenarioKind, path+".workload.conditions["+t+"].status", `Unsupported value: %q: supported values: "True", "False", "Unknown"`, w.Conditions[t].Status)
			return false
		}
	}
	return true
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

type workloadCondition struct{ typ, status, reason, message string }

// checkWorkload compares a workload's status with an expectation; ""
// means it matches. An absent condition reads "<absent>".
func checkWorkload(c *sim.Cluster, x expectation) string {
	want := *x.Workload
	kind, name := expectedWorkload(x.ExpectDoc)
	obj := c.Workload(kind, nsOf(x.Namespace), name)
	if obj == nil {
		return diff(want, fmt.Sprintf("no such %s", kind))
	}
	var got WorkloadExpect
	pick := func(w *int32, v int32) *int32 {
		if w == nil {
			return nil
		}
		return &v
	}
	var conds []workloadCondition
	switch o := obj.(type) {
	case *appsv1.Deployment:
		st := o.Status
		got.Replicas, got.UpdatedReplicas = pick(want.Replicas, st.Replicas), pick(want.UpdatedReplicas, st.UpdatedReplicas)
		got.ReadyReplicas, got.AvailableReplicas = pick(want.ReadyReplicas, st.ReadyReplicas), pick(want.AvailableReplicas, st.AvailableReplicas)
		for _, c := range st.Conditions {
			conds = append(conds, workloadCondition{string(c.Type), string(c.Status), c.Reason, c.Message})
		}
	case *appsv1.ReplicaSet:
		st := o.Status
		got.Replicas, got.ReadyReplicas, got.AvailableReplicas = pick(want.Replicas, st.Replicas), pick(want.ReadyReplicas, st.ReadyReplicas), pick(want.AvailableReplicas, st.AvailableReplicas)
		for _, c := range st.Conditions {
			conds = append(conds, workloadCondition{string(c.Type), string(c.Status), c.Reason, c.Message})
		}
	case *appsv1.StatefulSet:
		st := o.Status
		got.Replicas, got.UpdatedReplicas = pick(want.Replicas, st.Replicas), pick(want.UpdatedReplicas, st.UpdatedReplicas)
		got.ReadyReplicas, got.AvailableReplicas = pick(want.ReadyReplicas, st.ReadyReplicas), pick(want.AvailableReplicas, st.AvailableReplicas)
		for _, c := range st.Conditions {
			conds = append(conds, workloadCondition{string(c.Type), string(c.Status), c.Reason, c.Message})
		}
	case *appsv1.DaemonSet:
		st := o.Status
		got.Replicas, got.ReadyReplicas, got.AvailableReplicas = pick(want.Replicas, st.CurrentNumberScheduled), pick(want.ReadyReplicas, st.NumberReady), pick(want.AvailableReplicas, st.NumberAvailable)
		for _, c := range st.Conditions {
			conds = append(conds, workloadCondition{string(c.Type), string(c.Status), c.Reason, c.Message})
		}
	case *batchv1.Job:
		st := o.Status
		got.Active, got.Succeeded, got.Failed = pick(want.Active, st.Active), pick(want.Succeeded, st.Succeeded), pick(want.Failed, st.Failed)
		if want.Completions != "" {
			got.Completions = jobCompletions(o)
		}
		for _, c := range st.Conditions {
			conds = append(conds, workloadCondition{string(c.Type), string(c.Status), c.Reason, c.Message})
		}
	}
	if want.Conditions != nil {
		got.Conditions = map[string]ConditionExpect{}
		for t, w := range want.Conditions {
			g := ConditionExpect{Status: "<absent>"}
			for _, c := range conds {
				if c.typ != t {
					continue
				}
				g.Status = corev1.ConditionStatus(c.status)
				if w.Reason != nil {
					g.Reason = &c.reason
				}
				if w.Message != nil {
					g.Message = &c.message
				}
			}
			got.Conditions[t] = g
		}
	}
	return diff(want, got)
}

// jobCompletions is the COMPLETIONS column of kubectl get jobs
// (pkg/printers/internalversion printJob): succeeded/completions, or
// succeeded/1 of parallelism when completions is unset.
func jobCompletions(j *batchv1.Job) string {
	if j.Spec.Completions != nil {
		return fmt.Sprintf("%d/%d", j.Status.Succeeded, *j.Spec.Completions)
	}
	parallelism := int32(0)
	if j.Spec.Parallelism != nil {
		parallelism = *j.Spec.Parallelism
	}
	if parallelism > 1 {
		return fmt.Sprintf("%d/1 of %d", j.Status.Succeeded, parallelism)
	}
	return fmt.Sprintf("%d/1", j.Status.Succeeded)
}
