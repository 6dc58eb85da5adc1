package apiserver

import (
	"fmt"
	"math"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/podsim/podsim/internal/podutil"
)

// podUpdateForbidden is ValidatePodUpdate's message for a change of any
// other field (pkg/apis/core/validation/validation.go).
const podUpdateForbidden = "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"

// ApplyPod updates a pod as `kubectl apply` of its manifest does, with the
// API server's rules for what an update may change (ValidatePodUpdate):
// the containers' and init containers' images; activeDeadlineSeconds, which
// may be set or lowered but not raised or removed; tolerations, which may
// only be added to; labels and annotations. Fields the manifest leaves
// unset keep what the server gave them (defaults, the binding, the
// admission plugins' tolerations), as apply's three-way merge keeps fields
// it did not set; the manifest's labels replace the pod's, its annotations
// are added to the pod's. Any other change of the spec is refused with the
// API server's message. It returns the pod's changed container names.
//
// Fidelity note: the API server appends a diff of the internal PodSpec to
// the refusal; podsim names the fields that differ instead.
func (s *Server) ApplyPod(desired *corev1.Pod, actor, cause string) ([]string, error) {
	ns := desired.Namespace
	if ns == "" {
		ns = corev1.NamespaceDefault
	}
	key := podutil.KeyOf(desired)
	key.Namespace = ns
	cur := s.pods[key]
	if cur == nil {
		return nil, fmt.Errorf("pods %q not found", desired.Name)
	}
	want := desired.DeepCopy()
	want.Namespace = ns
	DefaultPod(want)
	if errs := validatePod(want, s.prof); len(errs) > 0 {
		return nil, fmt.Errorf("The Pod %q is invalid: %w", key.Name, errs.ToAggregate())
	}
	errs, changed := validatePodUpdate(cur, want)
	if len(errs) > 0 {
		return nil, fmt.Errorf("The Pod %q is invalid: %w", key.Name, errs.ToAggregate())
	}
	s.UpdatePod(key, cur.UID, actor, cause, func(p *corev1.Pod) {
		p.Labels = want.Labels
		for k, v := range desired.Annotations {
			if p.Annotations == nil {
				p.Annotations = map[string]string{}
			}
			p.Annotations[k] = v
		}
		applyMutableSpec(&p.Spec, &want.Spec)
	})
	return changed, nil
}

// validatePodUpdate follows ValidatePodUpdate for a manifest applied over
// the stored pod. changed lists the containers whose image changes.
func validatePodUpdate(cur, want *corev1.Pod) (field.ErrorList, []string) {
	var errs field.ErrorList
	spec := field.NewPath("spec")
	if d := want.Spec.ActiveDeadlineSeconds; d != nil {
		switch {
		case *d < 0 || *d > math.MaxInt32:
			return field.ErrorList{field.Invalid(spec.Child("activeDeadlineSeconds"), *d, fmt.Sprintf("must be between %d and %d, inclusive", 0, math.MaxInt32))}, nil
		case cur.Spec.ActiveDeadlineSeconds != nil && *cur.Spec.ActiveDeadlineSeconds < *d:
			return field.ErrorList{field.Invalid(spec.Child("activeDeadlineSeconds"), *d, "must be less than or equal to previous value")}, nil
		}
	} else if cur.Spec.ActiveDeadlineSeconds != nil {
		errs = append(errs, field.Invalid(spec.Child("activeDeadlineSeconds"), want.Spec.ActiveDeadlineSeconds, "must not update from a positive integer to nil value"))
	}
	// A toleration of the stored pod must stay (ValidateTolerationsInPodUpdate);
	// the manifest's own are added to them.
	// The rest of the spec must be what the server holds, once the fields
	// the manifest leaves to the server are filled in.
	a, b := cur.Spec.DeepCopy(), want.Spec.DeepCopy()
	if b.NodeName == "" {
		b.NodeName = a.NodeName
	}
	var changed []string
	if len(a.Containers) == len(b.Containers) && len(a.InitContainers) == len(b.InitContainers) {
		for i := range a.Containers {
			if a.Containers[i].Image != b.Containers[i].Image && a.Containers[i].Name == b.Containers[i].Name {
				changed = append(changed, a.Containers[i].Name)
			}
			b.Containers[i].Image = a.Containers[i].Image
			// The image decides the default pull policy; the stored one stays.
			if want.Spec.Containers[i].ImagePullPolicy != cur.Spec.Containers[i].ImagePullPolicy {
				b.Containers[i].ImagePullPolicy = a.Containers[i].ImagePullPolicy
			}
		}
		for i := range a.InitContainers {
			if a.InitContainers[i].Image != b.InitContainers[i].Image && a.InitContainers[i].Name == b.InitContainers[i].Name {
				changed = append(changed, a.InitContainers[i].Name)
			}
			b.InitContainers[i].Image = a.InitContainers[i].Image
			b.InitContainers[i].ImagePullPolicy = a.InitContainers[i].ImagePullPolicy
		}
	}
	b.ActiveDeadlineSeconds = a.ActiveDeadlineSeconds
	b.Tolerations = a.Tolerations
	if !apiequality.Semantic.DeepEqual(a, b) {
		errs = append(errs, field.Forbidden(spec, podUpdateForbidden+"\n  (podsim: the manifest differs in "+strings.Join(specDifferences(a, b), ", ")+")"))
	}
	return errs, changed
}

// mergeTolerations is the stored tolerations plus those of the manifest
// that none of them matches (Toleration.MatchToleration).
func mergeTolerations(cur, want []corev1.Toleration) []corev1.Toleration {
	out := append([]corev1.Toleration(nil), cur...)
	for _, t := range want {
		found := false
		for i := range out {
			if out[i].MatchToleration(&t) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, t)
		}
	}
	return out
}

// applyMutableSpec copies what an update may change from want to p.
func applyMutableSpec(p, want *corev1.PodSpec) {
	for i := range p.Containers {
		if i < len(want.Containers) {
			p.Containers[i].Image = want.Containers[i].Image
		}
	}
	for i := range p.InitContainers {
		if i < len(want.InitContainers) {
			p.InitContainers[i].Image = want.InitContainers[i].Image
		}
	}
	p.ActiveDeadlineSeconds = want.ActiveDeadlineSeconds
	p.Tolerations = mergeTolerations(p.Tolerations, want.Tolerations)
}

// specDifferences names the top-level pod spec fields, and the containers,
// in which a and b differ.
func specDifferences(a, b *corev1.PodSpec) []string {
	var out []string
	if len(a.Containers) != len(b.Containers) {
		out = append(out, "spec.containers (count)")
	} else {
		for i := range a.Containers {
			if !apiequality.Semantic.DeepEqual(a.Containers[i], b.Containers[i]) {
				out = append(out, fmt.Sprintf("spec.containers[%d]", i))
			}
		}
	}
	if !apiequality.Semantic.DeepEqual(a.InitContainers, b.InitContainers) {
		out = append(out, "spec.initContainers")
	}
	x, y := a.DeepCopy(), b.DeepCopy()
	x.Containers, y.Containers, x.InitContainers, y.InitContainers = nil, nil, nil, nil
	if !apiequality.Semantic.DeepEqual(x, y) {
		out = append(out, "other spec fields")
	}
	if len(out) == 0 {
		out = append(out, "spec")
	}
	return out
}
