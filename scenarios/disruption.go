package scenarios

import (
	"fmt"

	policyv1 "k8s.io/api/policy/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/podsim/podsim/sim"
)

// DrainDoc is `kubectl drain NODE` with its flags.
type DrainDoc struct {
	Node string `json:"node"`
	// Force is --force: drain pods that declare no controller.
	Force bool `json:"force,omitempty"`
	// IgnoreDaemonSets is --ignore-daemonsets.
	IgnoreDaemonSets bool `json:"ignoreDaemonSets,omitempty"`
	// DeleteEmptyDirData is --delete-emptydir-data.
	DeleteEmptyDirData bool `json:"deleteEmptyDirData,omitempty"`
	// GracePeriodSeconds is --grace-period (default: each pod's own).
	GracePeriodSeconds *int64 `json:"gracePeriodSeconds,omitempty"`
	// Timeout is --timeout (default: wait forever).
	Timeout *Duration `json:"timeout,omitempty"`
	// DisableEviction is --disable-eviction: delete, bypassing budgets.
	DisableEviction bool `json:"disableEviction,omitempty"`
}

// BudgetExpect is the expected status of a PodDisruptionBudget, as
// `kubectl get pdb -o yaml` shows it; each count given is checked.
type BudgetExpect struct {
	ExpectedPods       *int32 `json:"expectedPods,omitempty"`
	DesiredHealthy     *int32 `json:"desiredHealthy,omitempty"`
	CurrentHealthy     *int32 `json:"currentHealthy,omitempty"`
	DisruptionsAllowed *int32 `json:"disruptionsAllowed,omitempty"`
	// DisruptedPods are the names in status.disruptedPods.
	DisruptedPods []string `json:"disruptedPods,omitempty"`
}

// newPolicyObject is an empty object of a policy kind a scenario may hold,
// or nil.
func newPolicyObject(apiVersion, kind string) any {
	switch apiVersion + " " + kind {
	case "policy/v1 PodDisruptionBudget":
		return &policyv1.PodDisruptionBudget{}
	case "scheduling.k8s.io/v1 PriorityClass":
		return &schedulingv1.PriorityClass{}
	}
	return nil
}

func isPolicy(obj any) bool {
	switch obj.(type) {
	case *policyv1.PodDisruptionBudget, *schedulingv1.PriorityClass:
		return true
	}
	return false
}

// clusterScoped reports whether objects of a kind a scenario holds have no
// namespace (Nodes are handled on their own).
func clusterScoped(kind string) bool { return kind == "Namespace" || kind == "PriorityClass" }

// policyObject checks a PodDisruptionBudget or PriorityClass as the API
// server would, naming the field and line.
func (l *loader) policyObject(s *Scenario, obj any, d *document) {
	var errs field.ErrorList
	var object string
	switch o := obj.(type) {
	case *policyv1.PodDisruptionBudget:
		object = fmt.Sprintf("PodDisruptionBudget %q", o.Name)
		errs, _ = sim.ValidatePodDisruptionBudget(o, s.Config.Version)
	case *schedulingv1.PriorityClass:
		object = fmt.Sprintf("PriorityClass %q", o.Name)
		errs = sim.ValidatePriorityClass(o)
	}
	var keep field.ErrorList
	for _, e := range errs {
		if e.Field != "metadata.name" { // validateMeta checked it
			keep = append(keep, e)
		}
	}
	l.addFieldErrors(d, object, keep)
}

// drainAction checks a drain action: a node the scenario has, and sane
// flags.
func (l *loader) drainAction(s *Scenario, d *document, path string, dr *DrainDoc) (string, func(*sim.Cluster) error) {
	if dr.Node == "" {
		l.add(d, ScenarioKind, path+".node", "Required value")
		return "", nil
	}
	known := false
	for _, n := range s.nodes {
		known = known || n.node.Name == dr.Node
	}
	if !known {
		l.add(d, ScenarioKind, path+".node", "Not found: no node %q in this scenario", dr.Node)
		return "", nil
	}
	opts := sim.DrainOptions{Force: dr.Force, IgnoreDaemonSets: dr.IgnoreDaemonSets, DeleteEmptyDirData: dr.DeleteEmptyDirData,
		GracePeriodSeconds: dr.GracePeriodSeconds, DisableEviction: dr.DisableEviction}
	if dr.Timeout != nil {
		if dr.Timeout.Duration < 0 {
			l.add(d, ScenarioKind, path+".timeout", "Invalid value: %q: must not be negative", dr.Timeout.String())
		}
		opts.Timeout = dr.Timeout.Duration
	}
	return "drain node " + dr.Node, func(c *sim.Cluster) error {
		_, err := c.Drain(dr.Node, opts)
		return err
	}
}

// budgetExpectation checks an expectation of a budget's status; it
// reports whether to keep it.
func (l *loader) budgetExpectation(d *document, path string, e ExpectDoc) bool {
	switch {
	case e.PodDisruptionBudget == "":
		l.add(d, ScenarioKind, path+".podDisruptionBudget", "Required value: budget needs the name of a PodDisruptionBudget")
		return false
	case e.Budget == nil:
		l.add(d, ScenarioKind, path+".budget", "Required value: a podDisruptionBudget expectation gives the status counts to check")
		return false
	case e.Pod != "" || e.Service != "":
		l.add(d, ScenarioKind, path+".podDisruptionBudget", "Forbidden: an expectation is about one pod, one service or one budget")
		return false
	}
	b := e.Budget
	for _, c := range []struct {
		name string
		n    *int32
	}{{"expectedPods", b.ExpectedPods}, {"desiredHealthy", b.DesiredHealthy}, {"currentHealthy", b.CurrentHealthy}, {"disruptionsAllowed", b.DisruptionsAllowed}} {
		if c.n != nil && *c.n < 0 {
			l.add(d, ScenarioKind, path+".budget."+c.name, "Invalid value: %d: must be greater than or equal to 0", *c.n)
			return false
		}
	}
	return true
}

// checkBudget compares a budget's status with an expectation.
func checkBudget(c *sim.Cluster, x expectation) string {
	want := *x.Budget
	var got BudgetExpect
	pdb := c.PodDisruptionBudget(nsOf(x.Namespace), x.PodDisruptionBudget)
	if pdb == nil {
		return diff(want, "no such PodDisruptionBudget")
	}
	st := pdb.Status
	pick := func(w *int32, v int32) *int32 {
		if w == nil {
			return nil
		}
		return &v
	}
	got.ExpectedPods = pick(want.ExpectedPods, st.ExpectedPods)
	got.DesiredHealthy = pick(want.DesiredHealthy, st.DesiredHealthy)
	got.CurrentHealthy = pick(want.CurrentHealthy, st.CurrentHealthy)
	got.DisruptionsAllowed = pick(want.DisruptionsAllowed, st.DisruptionsAllowed)
	if want.DisruptedPods != nil {
		got.DisruptedPods = sortedKeys(st.DisruptedPods)
		if got.DisruptedPods == nil {
			got.DisruptedPods = []string{}
		}
	}
	return diff(want, got)
}
