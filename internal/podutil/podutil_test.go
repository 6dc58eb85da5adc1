package podutil

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// Cases from k8s.io/api/core/v1 toleration_test.go TestTolerationToleratesTaint.
func TestToleratesTaint(t *testing.T) {
	taint := corev1.Taint{Key: "foo", Value: "bar", Effect: corev1.TaintEffectNoSchedule}
	tests := []struct {
		name string
		tol  corev1.Toleration
		want bool
	}{
		{"same key, value and effect", corev1.Toleration{Key: "foo", Operator: corev1.TolerationOpEqual, Value: "bar", Effect: corev1.TaintEffectNoSchedule}, true},
		{"empty operator means Equal", corev1.Toleration{Key: "foo", Value: "bar", Effect: corev1.TaintEffectNoSchedule}, true},
		{"different value", corev1.Toleration{Key: "foo", Value: "baz", Effect: corev1.TaintEffectNoSchedule}, false},
		{"Exists ignores the value", corev1.Toleration{Key: "foo", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}, true},
		{"empty effect matches every effect", corev1.Toleration{Key: "foo", Operator: corev1.TolerationOpExists}, true},
		{"different effect", corev1.Toleration{Key: "foo", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute}, false},
		{"empty key with Exists tolerates everything", corev1.Toleration{Operator: corev1.TolerationOpExists}, true},
		{"different key", corev1.Toleration{Key: "other", Operator: corev1.TolerationOpExists}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, ToleratesTaint([]corev1.Toleration{tc.tol}, taint))
		})
	}
}

// The effective request is the larger of the containers' sum and the
// largest init container (k8s.io/component-helpers/resource PodRequests).
func TestRequests(t *testing.T) {
	ctr := func(cpu, mem string) corev1.Container {
		req := corev1.ResourceList{}
		if cpu != "" {
			req[corev1.ResourceCPU] = resource.MustParse(cpu)
		}
		if mem != "" {
			req[corev1.ResourceMemory] = resource.MustParse(mem)
		}
		return corev1.Container{Resources: corev1.ResourceRequirements{Requests: req}}
	}
	p := &corev1.Pod{Spec: corev1.PodSpec{
		InitContainers: []corev1.Container{ctr("2", "64Mi")},
		Containers:     []corev1.Container{ctr("500m", "128Mi"), ctr("250m", "")},
	}}
	got := Requests(p)
	cpu, mem := got[corev1.ResourceCPU], got[corev1.ResourceMemory]
	require.Equal(t, "2", cpu.String(), "the init container's 2 CPUs beat the containers' 750m")
	require.Equal(t, "128Mi", mem.String(), "the containers' 128Mi beat the init container's 64Mi")
}
