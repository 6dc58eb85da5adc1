package apiserver

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/podsim/podsim/profile"
)

// ValidateWorkload checks a workload object after the API defaults (on a
// copy), as the API server of the profile's version does
// (pkg/apis/apps/validation, pkg/apis/batch/validation), limited to what
// podsim gives meaning to.
func ValidateWorkload(obj workloadObject, prof *profile.Profile) field.ErrorList {
	o := obj.DeepCopyObject().(workloadObject)
	defaultWorkload(o, prof)
	return validateWorkload(o, prof)
}

func validateWorkload(o workloadObject, prof *profile.Profile) field.ErrorList {
	var errs field.ErrorList
	meta := field.NewPath("metadata")
	nameRule := validation.IsDNS1123Subdomain
	if _, ok := o.(*corev1.Namespace); ok {
		nameRule = validation.IsDNS1123Label
	}
	if o.GetName() == "" {
		errs = append(errs, field.Required(meta.Child("name"), "name or generateName is required"))
	} else {
		for _, msg := range nameRule(o.GetName()) {
			errs = append(errs, field.Invalid(meta.Child("name"), o.GetName(), msg))
		}
	}
	spec := field.NewPath("spec")
	switch v := o.(type) {
	case *appsv1.ReplicaSet:
		errs = append(errs, validateReplicas(v.Spec.Replicas, spec)...)
		errs = append(errs, validateSelectorAndTemplate(v.Spec.Selector, &v.Spec.Template, spec, true, prof)...)
	case *appsv1.Deployment:
		errs = append(errs, validateReplicas(v.Spec.Replicas, spec)...)
		errs = append(errs, validateSelectorAndTemplate(v.Spec.Selector, &v.Spec.Template, spec, true, prof)...)
		errs = append(errs, validateDeploymentStrategy(&v.Spec.Strategy, spec.Child("strategy"))...)
		if v.Spec.MinReadySeconds < 0 {
			errs = append(errs, field.Invalid(spec.Child("minReadySeconds"), v.Spec.MinReadySeconds, "must be greater than or equal to 0"))
		}
		if d := v.Spec.ProgressDeadlineSeconds; d != nil && *d <= v.Spec.MinReadySeconds {
			errs = append(errs, field.Invalid(spec.Child("progressDeadlineSeconds"), *d, "must be greater than minReadySeconds"))
		}
		if v.Spec.Paused {
			errs = append(errs, field.Forbidden(spec.Child("paused"), "podsim does not simulate paused Deployments"))
		}
	case *appsv1.StatefulSet:
		errs = append(errs, validateReplicas(v.Spec.Replicas, spec)...)
		errs = append(errs, validateSelectorAndTemplate(v.Spec.Selector, &v.Spec.Template, spec, true, prof)...)
		switch v.Spec.PodManagementPolicy {
		case appsv1.OrderedReadyPodManagement, appsv1.ParallelPodManagement:
		default:
			errs = append(errs, field.NotSupported(spec.Child("podManagementPolicy"), v.Spec.PodManagementPolicy, []string{string(appsv1.OrderedReadyPodManagement), string(appsv1.ParallelPodManagement)}))
		}
		if len(v.Spec.VolumeClaimTemplates) > 0 {
			errs = append(errs, field.Forbidden(spec.Child("volumeClaimTemplates"), "podsim does not simulate persistent volumes"))
		}
	case *appsv1.DaemonSet:
		errs = append(errs, validateSelectorAndTemplate(v.Spec.Selector, &v.Spec.Template, spec, true, prof)...)
	case *batchv1.Job:
		errs = append(errs, validateJob(v, spec, prof)...)
	}
	return errs
}

func validateReplicas(r *int32, spec *field.Path) field.ErrorList {
	if r != nil && *r < 0 {
		return field.ErrorList{field.Invalid(spec.Child("replicas"), *r, "must be greater than or equal to 0")}
	}
	return nil
}

// validateSelectorAndTemplate follows ValidateDeploymentSpec and its kin:
// a non-empty selector that selects the template's labels, a valid pod
// template, restartPolicy Always for the apps kinds.
func validateSelectorAndTemplate(sel *metav1.LabelSelector, t *corev1.PodTemplateSpec, spec *field.Path, apps bool, prof *profile.Profile) field.ErrorList {
	var errs field.ErrorList
	tpath := spec.Child("template")
	if sel == nil {
		errs = append(errs, field.Required(spec.Child("selector"), ""))
	} else if len(sel.MatchLabels)+len(sel.MatchExpressions) == 0 {
		errs = append(errs, field.Invalid(spec.Child("selector"), sel, "empty selector is invalid for deployment"))
	} else if s, err := metav1.LabelSelectorAsSelector(sel); err != nil {
		errs = append(errs, field.Invalid(spec.Child("selector"), sel, err.Error()))
	} else if !s.Matches(labels.Set(t.Labels)) {
		errs = append(errs, field.Invalid(tpath.Child("metadata", "labels"), t.Labels, "`selector` does not match template `labels`"))
	}
	if apps && t.Spec.RestartPolicy != corev1.RestartPolicyAlways {
		errs = append(errs, field.NotSupported(tpath.Child("spec", "restartPolicy"), t.Spec.RestartPolicy, []string{string(corev1.RestartPolicyAlways)}))
	}
	if t.Spec.ActiveDeadlineSeconds != nil && apps {
		errs = append(errs, field.Invalid(tpath.Child("spec", "activeDeadlineSeconds"), *t.Spec.ActiveDeadlineSeconds, "activeDeadlineSeconds in ReplicaSet is not Supported"))
	}
	return append(errs, ValidatePodTemplate(t, tpath, prof)...)
}

// ValidatePodTemplate checks a defaulted pod template as the pod it makes
// would be checked, with paths under path (spec.template).
func ValidatePodTemplate(t *corev1.PodTemplateSpec, path *field.Path, prof *profile.Profile) field.ErrorList {
	p := &corev1.Pod{ObjectMeta: *t.ObjectMeta.DeepCopy(), Spec: *t.Spec.DeepCopy()}
	p.Name = "template" // the pods get their names later
	var errs field.ErrorList
	for _, e := range validatePod(p, prof) {
		e.Field = path.String() + "." + e.Field
		errs = append(errs, e)
	}
	return errs
}

// validateDeploymentStrategy follows ValidateDeploymentStrategy and
// ValidateRollingUpdateDeployment.
func validateDeploymentStrategy(s *appsv1.DeploymentStrategy, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch s.Type {
	case appsv1.RecreateDeploymentStrategyType:
		if s.RollingUpdate != nil {
			errs = append(errs, field.Forbidden(path.Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"))
		}
	case appsv1.RollingUpdateDeploymentStrategyType:
		ru := s.RollingUpdate
		rp := path.Child("rollingUpdate")
		errs = append(errs, validateNonnegativeIntOrPercent(ru.MaxUnavailable, rp.Child("maxUnavailable"))...)
		errs = append(errs, validateNonnegativeIntOrPercent(ru.MaxSurge, rp.Child("maxSurge"))...)
		if len(errs) == 0 && isZero(ru.MaxUnavailable) && isZero(ru.MaxSurge) {
			errs = append(errs, field.Invalid(rp.Child("maxUnavailable"), *ru.MaxUnavailable, "may not be 0 when `maxSurge` is 0"))
		}
		if ru.MaxUnavailable != nil && ru.MaxUnavailable.Type == intstr.String {
			if n, err := percent(ru.MaxUnavailable.StrVal); err == nil && n > 100 {
				errs = append(errs, field.Invalid(rp.Child("maxUnavailable"), ru.MaxUnavailable.StrVal, "must not be greater than 100%"))
			}
		}
	default:
		errs = append(errs, field.NotSupported(path.Child("type"), s.Type, []string{string(appsv1.RecreateDeploymentStrategyType), string(appsv1.RollingUpdateDeploymentStrategyType)}))
	}
	return errs
}

// validateNonnegativeIntOrPercent is ValidateNonnegativeIntOrPercent
// (pkg/apis/apps/validation/validation.go): a count or a percent, not
// negative.
func validateNonnegativeIntOrPercent(v *intstr.IntOrString, path *field.Path) field.ErrorList {
	if v == nil {
		return nil
	}
	switch v.Type {
	case intstr.String:
		n, err := percent(v.StrVal)
		if err != nil {
			return field.ErrorList{field.Invalid(path, v.StrVal, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")}
		}
		if n < 0 {
			return field.ErrorList{field.Invalid(path, v.StrVal, "must be greater than or equal to 0")}
		}
	case intstr.Int:
		if v.IntVal < 0 {
			return field.ErrorList{field.Invalid(path, v.IntVal, "must be greater than or equal to 0")}
		}
	}
	return nil
}

func percent(s string) (int, error) {
	digits, ok := strings.CutSuffix(s, "%")
	if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, fmt.Errorf("not a percent")
	}
	n := 0
	for _, c := range digits {
		n = n*10 + int(c-'0')
		if n > 1e6 {
			break
		}
	}
	return n, nil
}

func isZero(v *intstr.IntOrString) bool {
	if v == nil {
		return true
	}
	if v.Type == intstr.Int {
		return v.IntVal == 0
	}
	n, err := percent(v.StrVal)
	return err == nil && n == 0
}

// validateJob follows ValidateJob: non-negative counts, OnFailure or Never,
// a pod failure policy only with Never, the selector generated unless
// manual. What podsim does not simulate (Indexed completion, per-index
// back-off, success policies) is refused rather than ignored.
func validateJob(j *batchv1.Job, spec *field.Path, prof *profile.Profile) field.ErrorList {
	var errs field.ErrorList
	s := &j.Spec
	for _, f := range []struct {
		name string
		v    *int32
	}{{"parallelism", s.Parallelism}, {"completions", s.Completions}, {"backoffLimit", s.BackoffLimit}} {
		if f.v != nil && *f.v < 0 {
			errs = append(errs, field.Invalid(spec.Child(f.name), *f.v, "must be greater than or equal to 0"))
		}
	}
	if d := s.ActiveDeadlineSeconds; d != nil && *d <= 0 {
		errs = append(errs, field.Invalid(spec.Child("activeDeadlineSeconds"), *d, "must be greater than 0"))
	}
	manual := s.ManualSelector != nil && *s.ManualSelector
	if s.Selector != nil && !manual {
		errs = append(errs, field.Invalid(spec.Child("selector"), s.Selector, "`selector` will be auto-generated"))
	}
	if manual {
		errs = append(errs, validateSelectorAndTemplate(s.Selector, &s.Template, spec, false, prof)...)
	} else {
		errs = append(errs, ValidatePodTemplate(&s.Template, spec.Child("template"), prof)...)
	}
	rp := spec.Child("template", "spec", "restartPolicy")
	switch s.Template.Spec.RestartPolicy {
	case corev1.RestartPolicyOnFailure, corev1.RestartPolicyNever:
	default:
		errs = append(errs, field.NotSupported(rp, s.Template.Spec.RestartPolicy, []string{string(corev1.RestartPolicyOnFailure), string(corev1.RestartPolicyNever)}))
	}
	if s.PodFailurePolicy != nil && s.Template.Spec.RestartPolicy != corev1.RestartPolicyNever {
		errs = append(errs, field.Invalid(rp, s.Template.Spec.RestartPolicy, "only \"Never\" is supported when podFailurePolicy is specified"))
	}
	if s.PodFailurePolicy != nil {
		errs = append(errs, validatePodFailurePolicy(s.PodFailurePolicy, spec.Child("podFailurePolicy"))...)
	}
	if s.CompletionMode != nil && *s.CompletionMode == batchv1.IndexedCompletion {
		errs = append(errs, field.Forbidden(spec.Child("completionMode"), "podsim does not simulate Indexed Jobs"))
	}
	for _, f := range []struct {
		name string
		set  bool
	}{{"backoffLimitPerIndex", s.BackoffLimitPerIndex != nil}, {"maxFailedIndexes", s.MaxFailedIndexes != nil},
		{"successPolicy", s.SuccessPolicy != nil}, {"managedBy", s.ManagedBy != nil}, {"ttlSecondsAfterFinished", s.TTLSecondsAfterFinished != nil}} {
		if f.set {
			errs = append(errs, field.Forbidden(spec.Child(f.name), "podsim does not simulate this field"))
		}
	}
	if s.Suspend != nil && *s.Suspend {
		errs = append(errs, field.Forbidden(spec.Child("suspend"), "podsim does not simulate suspended Jobs"))
	}
	return errs
}

// validatePodFailurePolicy follows validatePodFailurePolicyRule: each rule
// has one of onExitCodes and onPodConditions and a known action.
func validatePodFailurePolicy(p *batchv1.PodFailurePolicy, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, r := range p.Rules {
		rp := path.Child("rules").Index(i)
		switch r.Action {
		case batchv1.PodFailurePolicyActionFailJob, batchv1.PodFailurePolicyActionIgnore, batchv1.PodFailurePolicyActionCount:
		default:
			errs = append(errs, field.NotSupported(rp.Child("action"), r.Action, []string{string(batchv1.PodFailurePolicyActionCount), string(batchv1.PodFailurePolicyActionFailJob), string(batchv1.PodFailurePolicyActionIgnore)}))
		}
		switch {
		case r.OnExitCodes != nil && len(r.OnPodConditions) > 0:
			errs = append(errs, field.Invalid(rp, field.OmitValueType{}, "specifying both OnExitCodes and OnPodConditions is not supported"))
		case r.OnExitCodes == nil && len(r.OnPodConditions) == 0:
			errs = append(errs, field.Invalid(rp, field.OmitValueType{}, "specifying one of OnExitCodes and OnPodConditions is required"))
		case r.OnExitCodes != nil:
			switch r.OnExitCodes.Operator {
			case batchv1.PodFailurePolicyOnExitCodesOpIn, batchv1.PodFailurePolicyOnExitCodesOpNotIn:
			default:
				errs = append(errs, field.NotSupported(rp.Child("onExitCodes", "operator"), r.OnExitCodes.Operator, []string{string(batchv1.PodFailurePolicyOnExitCodesOpIn), string(batchv1.PodFailurePolicyOnExitCodesOpNotIn)}))
			}
			if len(r.OnExitCodes.Values) == 0 {
				errs = append(errs, field.Required(rp.Child("onExitCodes", "values"), "at least one value is required"))
			}
			for j, v := range r.OnExitCodes.Values {
				if r.OnExitCodes.Operator == batchv1.PodFailurePolicyOnExitCodesOpIn && v == 0 {
					errs = append(errs, field.Invalid(rp.Child("onExitCodes", "values").Index(j), v, "must not be 0 for the In operator"))
				}
			}
		}
	}
	return errs
}

// validateWorkloadUpdate checks an update: the object as a new one would
// be, and the fields its kind makes immutable.
func validateWorkloadUpdate(old, cur workloadObject, prof *profile.Profile) field.ErrorList {
	errs := validateWorkload(cur, prof)
	spec := field.NewPath("spec")
	immutable := func(a, b any, path *field.Path) {
		if !apiequality.Semantic.DeepEqual(a, b) {
			errs = append(errs, field.Invalid(path, b, "field is immutable"))
		}
	}
	switch v := cur.(type) {
	case *appsv1.Deployment:
		immutable(old.(*appsv1.Deployment).Spec.Selector, v.Spec.Selector, spec.Child("selector"))
	case *appsv1.ReplicaSet:
		immutable(old.(*appsv1.ReplicaSet).Spec.Selector, v.Spec.Selector, spec.Child("selector"))
	case *appsv1.StatefulSet:
		o := old.(*appsv1.StatefulSet)
		immutable(o.Spec.Selector, v.Spec.Selector, spec.Child("selector"))
		immutable(o.Spec.PodManagementPolicy, v.Spec.PodManagementPolicy, spec.Child("podManagementPolicy"))
	case *appsv1.DaemonSet:
		immutable(old.(*appsv1.DaemonSet).Spec.Selector, v.Spec.Selector, spec.Child("selector"))
	case *batchv1.Job:
		o := old.(*batchv1.Job)
		immutable(o.Spec.Selector, v.Spec.Selector, spec.Child("selector"))
		immutable(o.Spec.Template, v.Spec.Template, spec.Child("template"))
		immutable(o.Spec.Completions, v.Spec.Completions, spec.Child("completions"))
	}
	return errs
}
