package sim

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/podsim/podsim/apiserver"
)

// ValidatePod checks a pod (after the API defaults) the way the API server
// of a Kubernetes version would (pkg/apis/core/validation/validation.go),
// limited to the fields podsim gives meaning to. Errors carry the field path,
// e.g. spec.containers[0].livenessProbe.successThreshold.
func ValidatePod(pod *corev1.Pod, version string) (field.ErrorList, error) {
	prof, err := ProfileFor(version)
	if err != nil {
		return nil, err
	}
	return apiserver.ValidatePod(pod, prof), nil
}

// DisabledFields lists the fields of a pod that the API server of a
// Kubernetes version drops on create, its feature gate being off by
// default (pkg/api/pod/util.go dropDisabledFields). The real API server is
// silent about them; podsim drops them too and warns of each.
func DisabledFields(pod *corev1.Pod, version string) ([]apiserver.FieldWarning, error) {
	prof, err := ProfileFor(version)
	if err != nil {
		return nil, err
	}
	return apiserver.DisabledFields(pod, prof), nil
}
