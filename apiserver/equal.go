package apiserver

import (
	"maps"
	"slices"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/internal/podutil"
)

// podEqual compares two versions of a stored pod. The simulation changes a
// pod's spec only by binding it (spec.nodeName) and by removing scheduling
// gates, so the rest of the spec is compared by identity of what the API
// server stored at creation.
func podEqual(a, b *corev1.Pod) bool {
	return a.Spec.NodeName == b.Spec.NodeName && a.Generation == b.Generation &&
		slices.Equal(a.Spec.SchedulingGates, b.Spec.SchedulingGates) &&
		maps.Equal(a.Labels, b.Labels) && maps.Equal(a.Annotations, b.Annotations) &&
		podutil.TimeEqual(a.DeletionTimestamp, b.DeletionTimestamp) &&
		podutil.Int64PtrEqual(a.DeletionGracePeriodSeconds, b.DeletionGracePeriodSeconds) &&
		slices.Equal(a.Finalizers, b.Finalizers) &&
		podutil.PodStatusEqual(&a.Status, &b.Status)
}
