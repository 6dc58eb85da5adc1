package apiserver

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// Kinds of the policy/v1 and scheduling.k8s.io/v1 objects the server
// stores, as trace records name them.
const (
	KindPodDisruptionBudget = "PodDisruptionBudget"
	KindPriorityClass       = "PriorityClass"
)

// policyStores are the PodDisruptionBudgets and PriorityClasses.
type policyStores struct {
	pdbs            map[types.NamespacedName]*policyv1.PodDisruptionBudget
	priorityClasses map[string]*schedulingv1.PriorityClass
}

func (s *Server) policy() *policyStores {
	if s.pol == nil {
		s.pol = &policyStores{pdbs: map[types.NamespacedName]*policyv1.PodDisruptionBudget{}, priorityClasses: map[string]*schedulingv1.PriorityClass{}}
	}
	return s.pol
}

// CreatePodDisruptionBudget stores a new PDB, as a POST of one does: the
// namespace defaulted, refused if invalid or if the name is taken, then
// generation 1 and an empty status (the disruption controller fills it).
// pdb becomes the stored object.
func (s *Server) CreatePodDisruptionBudget(pdb *policyv1.PodDisruptionBudget, actor, cause string) error {
	if pdb.Namespace == "" {
		pdb.Namespace = corev1.NamespaceDefault
	}
	if errs := ValidatePodDisruptionBudget(pdb, s.prof); len(errs) > 0 {
		return fmt.Errorf("poddisruptionbudget %s: %w", podutil.KeyOf(pdb), errs.ToAggregate())
	}
	key := podutil.KeyOf(pdb)
	st := s.policy()
	if _, ok := st.pdbs[key]; ok {
		return fmt.Errorf("poddisruptionbudgets.policy %q already exists", pdb.Name)
	}
	pdb.UID = s.NewUID()
	pdb.CreationTimestamp = s.Stamp(s.eng.Now())
	pdb.Generation = 1
	pdb.ResourceVersion = s.nextRV()
	pdb.Status = policyv1.PodDisruptionBudgetStatus{}
	st.pdbs[key] = pdb
	s.notifyObject(KindPodDisruptionBudget, trace.Added, key, pdb, actor, cause)
	return nil
}

// PodDisruptionBudget returns the stored PDB, or nil. It must not be
// modified.
func (s *Server) PodDisruptionBudget(key types.NamespacedName) *policyv1.PodDisruptionBudget {
	return s.policy().pdbs[key]
}

// PodDisruptionBudgets lists every PDB in namespace/name order.
func (s *Server) PodDisruptionBudgets() []*policyv1.PodDisruptionBudget {
	st := s.policy()
	out := make([]*policyv1.PodDisruptionBudget, 0, len(st.pdbs))
	for _, k := range podutil.SortedObjectKeys(st.pdbs) {
		out = append(out, st.pdbs[k])
	}
	return out
}

// UpdatePodDisruptionBudgetStatus applies mutate to a copy of the stored
// PDB's status and stores it if anything changed (the status
// subresource). It reports whether the PDB exists.
func (s *Server) UpdatePodDisruptionBudgetStatus(key types.NamespacedName, actor, cause string, mutate func(*policyv1.PodDisruptionBudgetStatus)) bool {
	st := s.policy()
	cur, ok := st.pdbs[key]
	if !ok {
		return false
	}
	next := cur.DeepCopy()
	mutate(&next.Status)
	if apiequality.Semantic.DeepEqual(cur.Status, next.Status) {
		return true
	}
	next.ResourceVersion = s.nextRV()
	st.pdbs[key] = next
	s.notifyObject(KindPodDisruptionBudget, trace.Modified, key, next, actor, cause)
	return true
}

// UpdatePodDisruptionBudgetSpec changes a PDB's spec, as kubectl apply
// would; a change bumps metadata.generation, so that evictions wait for
// the disruption controller to see it.
func (s *Server) UpdatePodDisruptionBudgetSpec(key types.NamespacedName, actor, cause string, mutate func(*policyv1.PodDisruptionBudgetSpec)) error {
	st := s.policy()
	cur, ok := st.pdbs[key]
	if !ok {
		return fmt.Errorf("poddisruptionbudgets.policy %q not found", key.Name)
	}
	next := cur.DeepCopy()
	mutate(&next.Spec)
	if apiequality.Semantic.DeepEqual(cur.Spec, next.Spec) {
		return nil
	}
	if errs := ValidatePodDisruptionBudget(next, s.prof); len(errs) > 0 {
		return fmt.Errorf("poddisruptionbudget %s: %w", key, errs.ToAggregate())
	}
	next.Generation++
	next.ResourceVersion = s.nextRV()
	st.pdbs[key] = next
	s.notifyObject(KindPodDisruptionBudget, trace.Modified, key, next, actor, cause)
	return nil
}

// DeletePodDisruptionBudget removes a PDB.
func (s *Server) DeletePodDisruptionBudget(key types.NamespacedName, actor, cause string) error {
	st := s.policy()
	if _, ok := st.pdbs[key]; !ok {
		return fmt.Errorf("poddisruptionbudgets.policy %q not found", key.Name)
	}
	delete(st.pdbs, key)
	s.notifyObject(KindPodDisruptionBudget, trace.Deleted, key, nil, actor, cause)
	return nil
}

// ValidatePodDisruptionBudget checks a PDB as the API server does
// (pkg/apis/policy/validation ValidatePodDisruptionBudgetSpec).
func ValidatePodDisruptionBudget(pdb *policyv1.PodDisruptionBudget, prof *profile.Profile) field.ErrorList {
	var errs field.ErrorList
	meta := field.NewPath("metadata")
	if pdb.Name == "" {
		errs = append(errs, field.Required(meta.Child("name"), "name or generateName is required"))
	}
	for _, msg := range validation.IsDNS1123Subdomain(pdb.Name) {
		if pdb.Name != "" {
			errs = append(errs, field.Invalid(meta.Child("name"), pdb.Name, msg))
		}
	}
	spec := field.NewPath("spec")
	if pdb.Spec.MinAvailable != nil && pdb.Spec.MaxUnavailable != nil {
		errs = append(errs, field.Invalid(spec, pdb.Spec, "minAvailable and maxUnavailable cannot be both set"))
	}
	for _, v := range []struct {
		name string
		val  *intstr.IntOrString
	}{{"minAvailable", pdb.Spec.MinAvailable}, {"maxUnavailable", pdb.Spec.MaxUnavailable}} {
		if v.val != nil {
			errs = append(errs, validateIntOrPercent(*v.val, spec.Child(v.name))...)
		}
	}
	if sel := pdb.Spec.Selector; sel != nil {
		if _, err := metav1.LabelSelectorAsSelector(sel); err != nil {
			errs = append(errs, field.Invalid(spec.Child("selector"), sel, err.Error()))
		}
	}
	if p := pdb.Spec.UnhealthyPodEvictionPolicy; p != nil {
		switch {
		case !prof.Disruption.UnhealthyPodEvictionPolicy:
			errs = append(errs, field.Forbidden(spec.Child("unhealthyPodEvictionPolicy"), "needs Kubernetes 1.27 or later; this cluster follows "+prof.Version))
		case *p != policyv1.IfHealthyBudget && *p != policyv1.AlwaysAllow:
			errs = append(errs, field.NotSupported(spec.Child("unhealthyPodEvictionPolicy"), *p, []string{string(policyv1.AlwaysAllow), string(policyv1.IfHealthyBudget)}))
		}
	}
	return errs
}

// validateIntOrPercent is appsvalidation.ValidatePositiveIntOrPercent and
// IsNotMoreThan100Percent.
func validateIntOrPercent(v intstr.IntOrString, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch v.Type {
	case intstr.String:
		for _, msg := range validation.IsValidPercent(v.StrVal) {
			errs = append(errs, field.Invalid(path, v, msg))
		}
		if len(errs) == 0 {
			var pct int
			if _, err := fmt.Sscanf(strings.TrimSuffix(v.StrVal, "%"), "%d", &pct); err == nil && pct > 100 {
				errs = append(errs, field.Invalid(path, v, "must not be greater than 100%"))
			}
		}
	case intstr.Int:
		if v.IntVal < 0 {
			errs = append(errs, field.Invalid(path, v.IntVal, "must be greater than or equal to 0"))
		}
	}
	return errs
}

// System priority classes, which every cluster has
// (pkg/apis/scheduling/types.go).
const (
	// HighestUserDefinablePriority is the highest value a user's
	// PriorityClass may have.
	HighestUserDefinablePriority = 1000000000
	systemPriorityClassPrefix    = "system-"
)

var systemPriorityClasses = map[string]int32{
	"system-node-critical":    2000001000,
	"system-cluster-critical": 2000000000,
}

// CreatePriorityClass stores a PriorityClass (scheduling.k8s.io/v1), as
// the API server validates and admits it (pkg/apis/scheduling/validation,
// plugin/pkg/admission/priority). pc becomes the stored object.
func (s *Server) CreatePriorityClass(pc *schedulingv1.PriorityClass, actor, cause string) error {
	if errs := ValidatePriorityClass(pc); len(errs) > 0 {
		return fmt.Errorf("priorityclass %q: %w", pc.Name, errs.ToAggregate())
	}
	st := s.policy()
	if _, ok := st.priorityClasses[pc.Name]; ok {
		return fmt.Errorf("priorityclasses.scheduling.k8s.io %q already exists", pc.Name)
	}
	if pc.GlobalDefault {
		if d := s.defaultPriorityClass(); d != nil {
			return fmt.Errorf("priorityclasses.scheduling.k8s.io %q is forbidden: PriorityClass %v is already marked as default. Only one default can exist", pc.Name, d.Name)
		}
	}
	if pc.PreemptionPolicy == nil {
		// pkg/apis/scheduling/v1/defaults.go
		p := corev1.PreemptLowerPriority
		pc.PreemptionPolicy = &p
	}
	pc.UID = s.NewUID()
	pc.CreationTimestamp = s.Stamp(s.eng.Now())
	pc.ResourceVersion = s.nextRV()
	st.priorityClasses[pc.Name] = pc
	s.notifyObject(KindPriorityClass, trace.Added, types.NamespacedName{Name: pc.Name}, pc, actor, cause)
	return nil
}

// PriorityClass returns the stored PriorityClass, or nil.
func (s *Server) PriorityClass(name string) *schedulingv1.PriorityClass {
	return s.policy().priorityClasses[name]
}

// ValidatePriorityClass follows pkg/apis/scheduling/validation.
func ValidatePriorityClass(pc *schedulingv1.PriorityClass) field.ErrorList {
	var errs field.ErrorList
	name := field.NewPath("metadata", "name")
	if pc.Name == "" {
		errs = append(errs, field.Required(name, "name or generateName is required"))
	}
	for _, msg := range validation.IsDNS1123Subdomain(pc.Name) {
		if pc.Name != "" {
			errs = append(errs, field.Invalid(name, pc.Name, msg))
		}
	}
	if strings.HasPrefix(pc.Name, systemPriorityClassPrefix) {
		errs = append(errs, field.Forbidden(name, "priority class names with '"+systemPriorityClassPrefix+"' prefix are reserved for system use only"))
	} else if pc.Value > HighestUserDefinablePriority {
		errs = append(errs, field.Forbidden(field.NewPath("value"), fmt.Sprintf("maximum allowed value of a user defined priority is %v", HighestUserDefinablePriority)))
	}
	if p := pc.PreemptionPolicy; p != nil && *p != corev1.PreemptLowerPriority && *p != corev1.PreemptNever {
		errs = append(errs, field.NotSupported(field.NewPath("preemptionPolicy"), *p, []string{string(corev1.PreemptLowerPriority), string(corev1.PreemptNever)}))
	}
	return errs
}

// defaultPriorityClass is the global default class; of several (a race
// in a real cluster), the lowest (getDefaultPriorityClass).
func (s *Server) defaultPriorityClass() *schedulingv1.PriorityClass {
	var out *schedulingv1.PriorityClass
	for _, name := range podutil.SortedKeys(s.policy().priorityClasses) {
		pc := s.policy().priorityClasses[name]
		if pc.GlobalDefault && (out == nil || pc.Value < out.Value) {
			out = pc
		}
	}
	return out
}

// admitPriority is the Priority admission plugin on a pod's creation
// (plugin/pkg/admission/priority/admission.go admitPod): the priority and
// preemption policy come from the pod's PriorityClass, or the default
// class, or are 0 and PreemptLowerPriority; a pod may not set them itself
// to anything else.
func (s *Server) admitPriority(p *corev1.Pod) error {
	var priority int32
	var policy *corev1.PreemptionPolicy
	switch name := p.Spec.PriorityClassName; {
	case name == "":
		if d := s.defaultPriorityClass(); d != nil {
			p.Spec.PriorityClassName, priority, policy = d.Name, d.Value, d.PreemptionPolicy
		} else {
			lower := corev1.PreemptLowerPriority
			policy = &lower
		}
	case systemPriorityClasses[name] != 0:
		priority = systemPriorityClasses[name]
		lower := corev1.PreemptLowerPriority
		policy = &lower
	default:
		pc := s.policy().priorityClasses[name]
		if pc == nil {
			return fmt.Errorf("pods %q is forbidden: no PriorityClass with name %v was found", p.Name, name)
		}
		priority, policy = pc.Value, pc.PreemptionPolicy
	}
	if p.Spec.Priority != nil && *p.Spec.Priority != priority {
		return fmt.Errorf("pods %q is forbidden: the integer value of priority (%d) must not be provided in pod spec; priority admission controller computed %d from the given PriorityClass name", p.Name, *p.Spec.Priority, priority)
	}
	p.Spec.Priority = &priority
	if policy != nil {
		if p.Spec.PreemptionPolicy != nil && *p.Spec.PreemptionPolicy != *policy {
			return fmt.Errorf("pods %q is forbidden: the string value of PreemptionPolicy (%s) must not be provided in pod spec; priority admission controller computed %s from the given PriorityClass name", p.Name, *p.Spec.PreemptionPolicy, *policy)
		}
		pol := *policy
		p.Spec.PreemptionPolicy = &pol
	}
	return nil
}

// validateSchedulingGates follows validateSchedulingGates
// (pkg/apis/core/validation/validation.go): qualified names, no
// duplicates; the field needs PodSchedulingReadiness (1.27).
func validateSchedulingGates(gates []corev1.PodSchedulingGate, path *field.Path, prof *profile.Profile) field.ErrorList {
	var errs field.ErrorList
	if len(gates) > 0 && !prof.Disruption.SchedulingGates {
		return append(errs, field.Forbidden(path, "scheduling gates need Kubernetes 1.27 or later; this cluster follows "+prof.Version))
	}
	seen := map[string]bool{}
	for i, g := range gates {
		for _, msg := range validation.IsQualifiedName(g.Name) {
			errs = append(errs, field.Invalid(path.Index(i).Child("name"), g.Name, msg))
		}
		if seen[g.Name] {
			errs = append(errs, field.Duplicate(path.Index(i), g.Name))
		}
		seen[g.Name] = true
	}
	return errs
}
