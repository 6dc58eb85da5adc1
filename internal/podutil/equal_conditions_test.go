package podutil

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

// PodStatusEqualButConditions(a, b) is PodStatusEqual of a copy of a with
// b's conditions, for statuses that differ in their conditions, in other
// fields, and in the rare fields compared by DeepEqual.
func TestPodStatusEqualButConditionsIsEqualWithTheirConditions(t *testing.T) {
	ready := []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
	unready := []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionFalse}, {Type: corev1.PodScheduled, Status: corev1.ConditionTrue}}
	statuses := []corev1.PodStatus{
		{},
		{Phase: corev1.PodRunning, Conditions: ready},
		{Phase: corev1.PodRunning, Conditions: unready},
		{Phase: corev1.PodPending, Conditions: ready},
		{Phase: corev1.PodRunning, PodIP: "10.0.0.1", Conditions: ready},
		{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: "app", Ready: true}}, Conditions: unready},
		{Phase: corev1.PodRunning, Resources: &corev1.ResourceRequirements{}, Conditions: ready},
		{Phase: corev1.PodRunning, Resources: &corev1.ResourceRequirements{}, Conditions: unready},
		{Phase: corev1.PodRunning, ResourceClaimStatuses: []corev1.PodResourceClaimStatus{{Name: "c"}}},
	}
	equal := 0
	for i := range statuses {
		for j := range statuses {
			a, b := &statuses[i], &statuses[j]
			o := *a
			o.Conditions = b.Conditions
			want := PodStatusEqual(&o, b)
			require.Equal(t, want, PodStatusEqualButConditions(a, b), "statuses %d and %d", i, j)
			if want && i != j {
				equal++
			}
		}
	}
	require.Positive(t, equal, "some pairs differ only in their conditions")
}
