package podutil

import (
	"slices"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
)

// Hand-written equality for the objects the simulation rewrites on every
// status write. Reflection-based semantic equality was a third of a run's
// time; these compare the fields podsim writes, and fall back to reflection
// only for the rare ones. With Config.CheckInvariants, podEqual is checked
// against apiequality.Semantic.DeepEqual on every write.

func stateEqual(a, b *corev1.ContainerState) bool {
	switch {
	case (a.Waiting == nil) != (b.Waiting == nil), (a.Running == nil) != (b.Running == nil), (a.Terminated == nil) != (b.Terminated == nil):
		return false
	}
	if a.Waiting != nil && *a.Waiting != *b.Waiting {
		return false
	}
	if a.Running != nil && !a.Running.StartedAt.Equal(&b.Running.StartedAt) {
		return false
	}
	if ta, tb := a.Terminated, b.Terminated; ta != nil {
		if ta.ExitCode != tb.ExitCode || ta.Signal != tb.Signal || ta.Reason != tb.Reason || ta.Message != tb.Message ||
			ta.ContainerID != tb.ContainerID || !ta.StartedAt.Equal(&tb.StartedAt) || !ta.FinishedAt.Equal(&tb.FinishedAt) {
			return false
		}
	}
	return true
}

func boolPtrEqual(a, b *bool) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func containerStatusesEqual(a, b []corev1.ContainerStatus) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := &a[i], &b[i]
		if x.Name != y.Name || x.Ready != y.Ready || x.RestartCount != y.RestartCount || x.Image != y.Image ||
			x.ImageID != y.ImageID || x.ContainerID != y.ContainerID || !boolPtrEqual(x.Started, y.Started) ||
			!stateEqual(&x.State, &y.State) || !stateEqual(&x.LastTerminationState, &y.LastTerminationState) {
			return false
		}
		if x.AllocatedResources != nil || y.AllocatedResources != nil || x.Resources != nil || y.Resources != nil ||
			len(x.VolumeMounts) > 0 || len(y.VolumeMounts) > 0 || x.User != nil || y.User != nil ||
			len(x.AllocatedResourcesStatus) > 0 || len(y.AllocatedResourcesStatus) > 0 || x.StopSignal != nil || y.StopSignal != nil {
			if !apiequality.Semantic.DeepEqual(*x, *y) {
				return false
			}
		}
	}
	return true
}

// ConditionEqual compares conditions in order, with lastTransitionTime;
// withTimes false compares as isPodStatusByKubeletEqual does.
func ConditionEqual(a, b *corev1.PodCondition, withTimes bool) bool {
	if a.Type != b.Type || a.Status != b.Status || a.Reason != b.Reason || a.Message != b.Message || a.ObservedGeneration != b.ObservedGeneration {
		return false
	}
	return !withTimes || (a.LastTransitionTime.Equal(&b.LastTransitionTime) && a.LastProbeTime.Equal(&b.LastProbeTime))
}

// PodStatusEqual is semantic equality of two pod statuses.
func PodStatusEqual(a, b *corev1.PodStatus) bool { return podStatusEqual(a, b, true) }

// PodStatusEqualButConditions is PodStatusEqual of a with b's conditions
// put in place of its own: every field compared but the conditions, without
// the copy of a that would take (the kubelet asks at every status update).
func PodStatusEqualButConditions(a, b *corev1.PodStatus) bool { return podStatusEqual(a, b, false) }

func podStatusEqual(a, b *corev1.PodStatus, conditions bool) bool {
	if !conditions && (len(a.ResourceClaimStatuses) > 0 || len(b.ResourceClaimStatuses) > 0 || a.Resources != nil || b.Resources != nil ||
		a.ExtendedResourceClaimStatus != nil || b.ExtendedResourceClaimStatus != nil) {
		// The rare fields are compared by DeepEqual, conditions included:
		// here a copy with b's conditions is compared.
		o := *a
		o.Conditions = b.Conditions
		return podStatusEqual(&o, b, true)
	}
	if a.Phase != b.Phase || a.Reason != b.Reason || a.Message != b.Message || a.HostIP != b.HostIP || a.PodIP != b.PodIP ||
		a.QOSClass != b.QOSClass || a.NominatedNodeName != b.NominatedNodeName || a.Resize != b.Resize || a.ObservedGeneration != b.ObservedGeneration ||
		!TimeEqual(a.StartTime, b.StartTime) || !slices.Equal(a.PodIPs, b.PodIPs) || !slices.Equal(a.HostIPs, b.HostIPs) ||
		(conditions && len(a.Conditions) != len(b.Conditions)) ||
		!containerStatusesEqual(a.ContainerStatuses, b.ContainerStatuses) || !containerStatusesEqual(a.InitContainerStatuses, b.InitContainerStatuses) ||
		!containerStatusesEqual(a.EphemeralContainerStatuses, b.EphemeralContainerStatuses) {
		return false
	}
	for i := range a.Conditions {
		if !conditions {
			break
		}
		if !ConditionEqual(&a.Conditions[i], &b.Conditions[i], true) {
			return false
		}
	}
	if len(a.ResourceClaimStatuses) > 0 || len(b.ResourceClaimStatuses) > 0 || a.Resources != nil || b.Resources != nil ||
		a.ExtendedResourceClaimStatus != nil || b.ExtendedResourceClaimStatus != nil {
		return apiequality.Semantic.DeepEqual(a, b)
	}
	return true
}
