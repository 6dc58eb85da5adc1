package kubelet

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/podsim/podsim/internal/podutil"
)

// addRequests sums what podutil.Requests would have summed, pod by pod,
// for pods with and without init containers and requests in mixed units.
func TestAddRequestsMatchesRequests(t *testing.T) {
	ctr := func(cpu, mem string) corev1.Container {
		reqs := corev1.ResourceList{}
		if cpu != "" {
			reqs[corev1.ResourceCPU] = resource.MustParse(cpu)
		}
		if mem != "" {
			reqs[corev1.ResourceMemory] = resource.MustParse(mem)
		}
		return corev1.Container{Resources: corev1.ResourceRequirements{Requests: reqs}}
	}
	pods := []*corev1.Pod{
		{},
		{Spec: corev1.PodSpec{Containers: []corev1.Container{ctr("100m", "64Mi"), ctr("0.25", "1G")}}},
		{Spec: corev1.PodSpec{Containers: []corev1.Container{ctr("1", ""), ctr("", "1.5Ki")}}},
		{Spec: corev1.PodSpec{InitContainers: []corev1.Container{ctr("2", "10Mi")}, Containers: []corev1.Container{ctr("500m", "64Mi")}}},
		{Spec: corev1.PodSpec{InitContainers: []corev1.Container{ctr("", "")}, Containers: []corev1.Container{ctr("3m", "1")}}},
		{Spec: corev1.PodSpec{Containers: []corev1.Container{ctr("1n", "1e3")}}},
	}
	want, got := corev1.ResourceList{}, corev1.ResourceList{}
	for _, p := range pods {
		for name, q := range podutil.Requests(p) {
			sum := want[name]
			sum.Add(q)
			want[name] = sum
		}
		addRequests(got, p)
		require.Len(t, got, len(want))
		for name, w := range want {
			g := got[name]
			require.Zero(t, w.Cmp(g), "%s: got %s, want %s", name, g.String(), w.String())
			require.Equal(t, w.MilliValue(), g.MilliValue())
			require.Equal(t, w.Value(), g.Value())
		}
	}
}
