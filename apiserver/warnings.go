package apiserver

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// PodWarnings are the warnings the API server returns with a pod it
// accepts, as kubectl prints them ("Warning: …"), for the checks podsim
// makes (pkg/api/pod/warnings.go GetWarningsForPod, in part): a negative
// terminationGracePeriodSeconds, and fractional byte quantities.
func PodWarnings(p *corev1.Pod) []string {
	var out []string
	spec := field.NewPath("spec")
	visit := func(cs []corev1.Container, path *field.Path) {
		for i, c := range cs {
			p := path.Index(i).Child("resources")
			for _, list := range []struct {
				name string
				rl   corev1.ResourceList
			}{{"limits", c.Resources.Limits}, {"requests", c.Resources.Requests}} {
				for _, r := range []corev1.ResourceName{corev1.ResourceMemory, corev1.ResourceEphemeralStorage} {
					if v, ok := list.rl[r]; ok && v.MilliValue()%1000 != 0 {
						out = append(out, fmt.Sprintf("%s: fractional byte value %q is invalid, must be an integer", p.Child(list.name).Key(string(r)), v.String()))
					}
				}
			}
		}
	}
	visit(p.Spec.InitContainers, spec.Child("initContainers"))
	visit(p.Spec.Containers, spec.Child("containers"))
	if g := p.Spec.TerminationGracePeriodSeconds; g != nil && *g < 0 {
		out = append(out, fmt.Sprintf("%s: must be >= 0; negative values are invalid and will be treated as 1", spec.Child("terminationGracePeriodSeconds")))
	}
	return out
}
