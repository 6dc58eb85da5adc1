package apiserver

import (
	"maps"
	"slices"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"

	"github.com/podsim/podsim/internal/podutil"
)

// podEqual compares two versions of a stored pod. A pod's spec changes only
// by binding (spec.nodeName) and by the updates ValidatePodUpdate allows
// (images, activeDeadlineSeconds, tolerations, terminationGracePeriodSeconds,
// schedulingGates; see ApplyPod), so only those parts of the spec are
// compared; the rest is compared by identity of what was stored.
func podEqual(a, b *corev1.Pod) bool {
	return a.Spec.NodeName == b.Spec.NodeName && a.Generation == b.Generation &&
		slices.Equal(a.Spec.SchedulingGates, b.Spec.SchedulingGates) &&
		maps.Equal(a.Labels, b.Labels) && maps.Equal(a.Annotations, b.Annotations) &&
		podutil.TimeEqual(a.DeletionTimestamp, b.DeletionTimestamp) &&
		podutil.Int64PtrEqual(a.DeletionGracePeriodSeconds, b.DeletionGracePeriodSeconds) &&
		slices.Equal(a.Finalizers, b.Finalizers) &&
		mutableSpecEqual(&a.Spec, &b.Spec) &&
		(len(a.OwnerReferences) == 0 && len(b.OwnerReferences) == 0 || apiequality.Semantic.DeepEqual(a.OwnerReferences, b.OwnerReferences)) &&
		podutil.PodStatusEqual(&a.Status, &b.Status)
}

// mutableSpecEqual compares the parts of a pod spec an update may change.
func mutableSpecEqual(a, b *corev1.PodSpec) bool {
	images := func(x, y []corev1.Container) bool {
		if len(x) != len(y) {
			return false
		}
		for i := range x { // by index: a Container is too big to copy for its image
			if x[i].Image != y[i].Image {
				return false
			}
		}
		return true
	}
	return images(a.Containers, b.Containers) && images(a.InitContainers, b.InitContainers) &&
		podutil.Int64PtrEqual(a.ActiveDeadlineSeconds, b.ActiveDeadlineSeconds) &&
		podutil.Int64PtrEqual(a.TerminationGracePeriodSeconds, b.TerminationGracePeriodSeconds) &&
		(sameList(a.Tolerations, b.Tolerations) || apiequality.Semantic.DeepEqual(a.Tolerations, b.Tolerations)) &&
		(sameList(a.SchedulingGates, b.SchedulingGates) || apiequality.Semantic.DeepEqual(a.SchedulingGates, b.SchedulingGates))
}

// sameList reports whether two lists are both empty or the same elements
// in memory (a status write's new version shares its spec, and pods
// created without tolerations share the default two): equal without a
// reflective comparison. Otherwise the caller compares them.
func sameList[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
