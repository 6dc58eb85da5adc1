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
		return slices.EqualFunc(x, y, func(c, d corev1.Container) bool { return c.Image == d.Image })
	}
	return images(a.Containers, b.Containers) && images(a.InitContainers, b.InitContainers) &&
		podutil.Int64PtrEqual(a.ActiveDeadlineSeconds, b.ActiveDeadlineSeconds) &&
		podutil.Int64PtrEqual(a.TerminationGracePeriodSeconds, b.TerminationGracePeriodSeconds) &&
		(len(a.Tolerations) == 0 && len(b.Tolerations) == 0 || apiequality.Semantic.DeepEqual(a.Tolerations, b.Tolerations)) &&
		(len(a.SchedulingGates) == 0 && len(b.SchedulingGates) == 0 || apiequality.Semantic.DeepEqual(a.SchedulingGates, b.SchedulingGates))
}
