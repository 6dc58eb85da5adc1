package sim

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/apiserver"
)

// UnsimulatedFields lists the set fields of a pod's spec that podsim reads
// but does not act on, each with its path and what is not simulated
// (apiserver.UnsimulatedFields; docs/fidelity.md lists them all).
func UnsimulatedFields(pod *corev1.Pod) []apiserver.FieldWarning {
	return apiserver.UnsimulatedFields(pod)
}
