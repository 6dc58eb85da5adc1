package qos_test

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/podsim/podsim/qos"
)

// Example classifies three pods and scores their containers on a node with
// 8 GB of memory.
func Example() {
	const nodeMemory = 8_000_000_000
	res := func(cpu, memory string) corev1.ResourceList {
		return corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpu), corev1.ResourceMemory: resource.MustParse(memory)}
	}
	pods := []struct {
		name string
		res  corev1.ResourceRequirements
	}{
		{"limits-only", corev1.ResourceRequirements{Limits: res("500m", "1G")}},
		{"burstable", corev1.ResourceRequirements{Requests: res("100m", "800M"), Limits: res("1", "2G")}},
		{"best-effort", corev1.ResourceRequirements{}},
	}
	for _, p := range pods {
		pod := &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Resources: p.res}}}}
		fmt.Printf("%-12s %-10s %5d\n", p.name, qos.PodClass(pod), qos.ContainerOOMScoreAdj(pod, &pod.Spec.Containers[0], nodeMemory))
	}
	// Output:
	// limits-only  Guaranteed  -997
	// burstable    Burstable    900
	// best-effort  BestEffort  1000
}
