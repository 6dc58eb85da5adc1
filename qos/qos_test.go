package qos

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// resources is qos_test.go's getResourceList: "" leaves a resource out.
func resources(cpu, memory string) corev1.ResourceList {
	res := corev1.ResourceList{}
	if cpu != "" {
		res[corev1.ResourceCPU] = resource.MustParse(cpu)
	}
	if memory != "" {
		res[corev1.ResourceMemory] = resource.MustParse(memory)
	}
	return res
}

func addResource(name corev1.ResourceName, value string, list corev1.ResourceList) corev1.ResourceList {
	list[name] = resource.MustParse(value)
	return list
}

func container(name string, requests, limits corev1.ResourceList) corev1.Container {
	return corev1.Container{Name: name, Resources: corev1.ResourceRequirements{Requests: requests, Limits: limits}}
}

func podWith(containers ...corev1.Container) *corev1.Pod {
	return &corev1.Pod{Spec: corev1.PodSpec{Containers: containers}}
}

// TestComputePodClass holds the cases of pkg/apis/core/v1/helper/qos
// qos_test.go TestComputePodQOS (1–14 in every version from 1.25; 15–20
// with pod-level resources), then podsim's own.
func TestComputePodClass(t *testing.T) {
	withInit := func(p *corev1.Pod, init ...corev1.Container) *corev1.Pod {
		p.Spec.InitContainers = init
		return p
	}
	withPodResources := func(p *corev1.Pod, requests, limits corev1.ResourceList) *corev1.Pod {
		p.Spec.Resources = &corev1.ResourceRequirements{Requests: requests, Limits: limits}
		return p
	}
	cases := []struct {
		name string
		pod  *corev1.Pod
		want corev1.PodQOSClass
	}{
		{name: "guaranteed", want: corev1.PodQOSGuaranteed,
			pod: podWith(container("guaranteed", resources("100m", "100Mi"), resources("100m", "100Mi")))},
		{name: "guaranteed-guaranteed", want: corev1.PodQOSGuaranteed,
			pod: podWith(container("guaranteed", resources("100m", "100Mi"), resources("100m", "100Mi")),
				container("guaranteed", resources("100m", "100Mi"), resources("100m", "100Mi")))},
		{name: "best-effort-best-effort", want: corev1.PodQOSBestEffort,
			pod: podWith(container("best-effort", resources("", ""), resources("", "")),
				container("best-effort", resources("", ""), resources("", "")))},
		{name: "best-effort", want: corev1.PodQOSBestEffort,
			pod: podWith(container("best-effort", resources("", ""), resources("", "")))},
		{name: "best-effort-burstable", want: corev1.PodQOSBurstable,
			pod: podWith(container("best-effort", resources("", ""), resources("", "")),
				container("burstable", resources("1", ""), resources("2", "")))},
		{name: "best-effort-guaranteed", want: corev1.PodQOSBurstable,
			pod: podWith(container("best-effort", resources("", ""), resources("", "")),
				container("guaranteed", resources("10m", "100Mi"), resources("10m", "100Mi")))},
		{name: "burstable-cpu-guaranteed-memory", want: corev1.PodQOSBurstable,
			pod: podWith(container("burstable", resources("", "100Mi"), resources("", "100Mi")))},
		{name: "burstable-no-limits", want: corev1.PodQOSBurstable,
			pod: podWith(container("burstable", resources("100m", "100Mi"), resources("", "")))},
		{name: "burstable-guaranteed", want: corev1.PodQOSBurstable,
			pod: podWith(container("burstable", resources("1", "100Mi"), resources("2", "100Mi")),
				container("guaranteed", resources("100m", "100Mi"), resources("100m", "100Mi")))},
		{name: "burstable-unbounded-but-requests-match-limits", want: corev1.PodQOSBurstable,
			pod: podWith(container("burstable", resources("100m", "100Mi"), resources("200m", "200Mi")),
				container("burstable-unbounded", resources("100m", "100Mi"), resources("", "")))},
		{name: "burstable-1", want: corev1.PodQOSBurstable,
			pod: podWith(container("burstable", resources("10m", "100Mi"), resources("100m", "200Mi")))},
		{name: "burstable-2", want: corev1.PodQOSBurstable,
			pod: podWith(container("burstable", resources("0", "0"), resources("100m", "200Mi")))},
		{name: "best-effort-hugepages", want: corev1.PodQOSBestEffort,
			pod: podWith(container("best-effort",
				addResource("hugepages-2Mi", "1Gi", resources("0", "0")),
				addResource("hugepages-2Mi", "1Gi", resources("0", "0"))))},
		{name: "init-container", want: corev1.PodQOSBurstable,
			pod: withInit(podWith(container("best-effort", resources("", ""), resources("", ""))),
				container("burstable", resources("10m", "100Mi"), resources("100m", "200Mi")))},

		{name: "guaranteed-with-pod-level-resources", want: corev1.PodQOSGuaranteed,
			pod: withPodResources(podWith(container("best-effort", resources("", ""), resources("", ""))),
				resources("10m", "100Mi"), resources("10m", "100Mi"))},
		{name: "guaranteed-with-pod-and-container-level-resources", want: corev1.PodQOSGuaranteed,
			pod: withPodResources(podWith(container("burstable", resources("3m", "10Mi"), resources("5m", "20Mi"))),
				resources("10m", "100Mi"), resources("10m", "100Mi"))},
		{name: "burstable-with-pod-level-resources", want: corev1.PodQOSBurstable,
			pod: withPodResources(podWith(container("best-effort", resources("", ""), resources("", ""))),
				resources("10m", "10Mi"), resources("20m", "50Mi"))},
		{name: "burstable-with-pod-and-container-level-resources", want: corev1.PodQOSBurstable,
			pod: withPodResources(podWith(container("guaranteed", resources("5m", "10Mi"), resources("5m", "10Mi"))),
				resources("10m", "10Mi"), resources("20m", "50Mi"))},
		{name: "burstable-with-pod-and-container-level-requests", want: corev1.PodQOSBurstable,
			pod: withPodResources(podWith(container("burstable", resources("5m", "10Mi"), resources("", ""))),
				resources("10m", "10Mi"), resources("", ""))},
		{name: "burstable-with-pod-and-container-level-resources-2", want: corev1.PodQOSBurstable,
			pod: withPodResources(podWith(
				container("guaranteed", resources("5m", "5Mi"), resources("5m", "5Mi")),
				container("best-effort", resources("", ""), resources("", ""))),
				resources("10m", "10Mi"), resources("5m", ""))},

		// podsim: API defaulting and other edges.
		{name: "limits only are Guaranteed after defaulting", want: corev1.PodQOSGuaranteed,
			pod: podWith(container("c", nil, resources("100m", "100Mi")))},
		{name: "limits only in one of two containers", want: corev1.PodQOSGuaranteed,
			pod: podWith(container("a", nil, resources("100m", "100Mi")),
				container("b", resources("200m", "1Gi"), resources("200m", "1Gi")))},
		{name: "a cpu limit without request, memory request below limit", want: corev1.PodQOSBurstable,
			pod: podWith(container("c", resources("", "50Mi"), resources("100m", "100Mi")))},
		{name: "requests and limits compared as sums over containers", want: corev1.PodQOSGuaranteed,
			pod: podWith(container("a", resources("1", "1Gi"), resources("2", "1Gi")),
				container("b", resources("2", "1Gi"), resources("1", "1Gi")))},
		{name: "guaranteed init and regular containers", want: corev1.PodQOSGuaranteed,
			pod: withInit(podWith(container("app", resources("1", "1Gi"), resources("1", "1Gi"))),
				container("init", resources("500m", "64Mi"), resources("500m", "64Mi")))},
		{name: "best-effort init container spoils Guaranteed", want: corev1.PodQOSBurstable,
			pod: withInit(podWith(container("app", resources("1", "1Gi"), resources("1", "1Gi"))),
				container("init", nil, nil))},
		{name: "ephemeral-storage alone is BestEffort", want: corev1.PodQOSBestEffort,
			pod: podWith(container("c",
				corev1.ResourceList{corev1.ResourceEphemeralStorage: resource.MustParse("1Gi")},
				corev1.ResourceList{corev1.ResourceEphemeralStorage: resource.MustParse("1Gi")}))},
		{name: "ephemeral containers do not count", want: corev1.PodQOSGuaranteed,
			pod: func() *corev1.Pod {
				p := podWith(container("app", resources("1", "1Gi"), resources("1", "1Gi")))
				p.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: "debug"}}}
				return p
			}()},
		{name: "empty pod-level resources leave it to the containers", want: corev1.PodQOSGuaranteed,
			pod: withPodResources(podWith(container("app", resources("1", "1Gi"), resources("1", "1Gi"))), nil, nil)},
		{name: "no containers", want: corev1.PodQOSBestEffort, pod: podWith()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.pod.DeepCopy()
			require.Equal(t, tc.want, ComputePodClass(tc.pod))
			require.Equal(t, tc.want, PodClass(tc.pod), "PodClass without status.qosClass")
			require.Equal(t, before, tc.pod, "the pod was modified")
		})
	}
}

// TestPodClassUsesStatus: GetPodQOS (pkg/apis/core/v1/helper/qos/qos.go)
// returns status.qosClass once the API server has set it.
func TestPodClassUsesStatus(t *testing.T) {
	bestEffort := podWith(container("c", nil, nil))
	cases := []struct {
		status      corev1.PodQOSClass
		wantPod     corev1.PodQOSClass
		wantCompute corev1.PodQOSClass
	}{
		{status: "", wantPod: corev1.PodQOSBestEffort, wantCompute: corev1.PodQOSBestEffort},
		{status: corev1.PodQOSGuaranteed, wantPod: corev1.PodQOSGuaranteed, wantCompute: corev1.PodQOSBestEffort},
		{status: corev1.PodQOSBurstable, wantPod: corev1.PodQOSBurstable, wantCompute: corev1.PodQOSBestEffort},
	}
	for _, tc := range cases {
		t.Run(string(tc.status), func(t *testing.T) {
			p := bestEffort.DeepCopy()
			p.Status.QOSClass = tc.status
			require.Equal(t, tc.wantPod, PodClass(p))
			require.Equal(t, tc.wantCompute, ComputePodClass(p))
		})
	}
}
