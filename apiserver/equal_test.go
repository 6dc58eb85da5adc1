package apiserver

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

// mutableSpecEqual compares tolerations and scheduling gates as before
// (both empty, or semantically equal), whether the lists share their
// elements or are equal copies.
func TestMutableSpecEqualComparesListsSharedOrNot(t *testing.T) {
	tols := []corev1.Toleration{{Key: "a", Operator: corev1.TolerationOpExists}, {Key: "b", Value: "x"}}
	copied := append([]corev1.Toleration(nil), tols...)
	other := []corev1.Toleration{{Key: "a", Operator: corev1.TolerationOpExists}, {Key: "b", Value: "y"}}
	spec := func(tols []corev1.Toleration, gates []corev1.PodSchedulingGate) *corev1.PodSpec {
		return &corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "x"}}, Tolerations: tols, SchedulingGates: gates}
	}
	gates := []corev1.PodSchedulingGate{{Name: "g"}}
	tests := []struct {
		name string
		a, b *corev1.PodSpec
		want bool
	}{
		{"both empty", spec(nil, nil), spec([]corev1.Toleration{}, []corev1.PodSchedulingGate{}), true},
		{"shared", spec(tols, gates), spec(tols, gates), true},
		{"equal copies", spec(tols, gates), spec(copied, []corev1.PodSchedulingGate{{Name: "g"}}), true},
		{"a prefix shared", spec(tols, nil), spec(tols[:1], nil), false},
		{"different", spec(tols, nil), spec(other, nil), false},
		{"gate gone", spec(nil, gates), spec(nil, nil), false},
		{"image changed", spec(tols, nil), &corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "y"}}, Tolerations: tols}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, mutableSpecEqual(tc.a, tc.b))
			require.Equal(t, tc.want, mutableSpecEqual(tc.b, tc.a))
		})
	}
}
