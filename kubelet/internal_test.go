package kubelet

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

func TestCalculateEffectiveGracePeriod(t *testing.T) {
	pod := func(spec int64, deletion *int64) *corev1.Pod {
		return &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{DeletionGracePeriodSeconds: deletion},
			Spec:       corev1.PodSpec{TerminationGracePeriodSeconds: ptr.To(spec)},
		}
	}
	tests := []struct {
		name          string
		current       int64
		pod           *corev1.Pod
		override      *int64
		want          int64
		wantShortened bool
	}{
		{"deletion grace", 0, pod(30, ptr.To[int64](60)), nil, 60, false},
		{"override shortens", 60, pod(30, ptr.To[int64](60)), ptr.To[int64](10), 10, true},
		{"only shrinks", 10, pod(30, ptr.To[int64](60)), nil, 10, false},
		{"force delete gets the spec's grace (issue #115819)", 0, pod(30, ptr.To[int64](0)), nil, 30, false},
		{"kill without deletion uses the spec", 0, pod(45, nil), nil, 45, false},
		{"never below one second", 0, pod(0, ptr.To[int64](0)), nil, 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, short := calculateEffectiveGracePeriod(tc.current, tc.pod, tc.override)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.wantShortened, short)
		})
	}
}
