package qos

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// standardMemoryAmount is policy_test.go's node memory capacity.
const standardMemoryAmount int64 = 8000000000

func bytes(n int64) string { return strconv.FormatInt(n, 10) }

// burstable is a container requesting mem bytes with a slightly higher
// limit, as policy_test.go's burstable pods do.
func burstable(name string, mem int64) corev1.Container {
	return container(name,
		corev1.ResourceList{corev1.ResourceMemory: resource.MustParse(bytes(mem))},
		corev1.ResourceList{corev1.ResourceMemory: resource.MustParse(bytes(mem + 1000))})
}

func sidecar(name string, mem int64) corev1.Container {
	c := burstable(name, mem)
	always := corev1.ContainerRestartPolicyAlways
	c.RestartPolicy = &always
	return c
}

type oomCase struct {
	name      string
	pod       *corev1.Pod
	container *corev1.Container // nil: the first regular container
	capacity  int64
	want      int
}

func runOOMCases(t *testing.T, cases []oomCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.container
			if c == nil {
				c = &tc.pod.Spec.Containers[0]
			}
			require.Equal(t, tc.want, ContainerOOMScoreAdj(tc.pod, c, tc.capacity))
		})
	}
}

// TestContainerOOMScoreAdj holds the cases of pkg/kubelet/qos policy_test.go
// TestGetContainerOOMScoreAdjust (the sidecar ones with the 1.33 rule), then
// podsim's own.
func TestContainerOOMScoreAdj(t *testing.T) {
	critical := func(class string, priority int32) *corev1.Pod {
		p := podWith(container("c", nil, nil))
		p.Spec.PriorityClassName = class
		p.Spec.Priority = &priority
		return p
	}
	runOOMCases(t, []oomCase{
		{name: "cpuLimit", capacity: 4000000000, want: 999,
			pod: podWith(container("c", nil, resources("10", "")))},
		// policy_test.go's fixture skips API defaulting and expects 999 (a
		// request of 0). podsim defaults the absent memory request to the 10G
		// limit, as the API server would before the kubelet sees the pod.
		{name: "memoryLimitCPURequest, defaulted", capacity: standardMemoryAmount, want: 3,
			pod: podWith(container("c", resources("0", ""), resources("", "10G")))},
		{name: "memoryLimitCPURequest with an explicit zero memory request", capacity: standardMemoryAmount, want: 999,
			pod: podWith(container("c", resources("0", "0"), resources("", "10G")))},
		{name: "zeroMemoryLimit", capacity: 7230457451, want: 1000,
			pod: podWith(container("c", nil, resources("", "0")))},
		{name: "noRequestLimit", capacity: 4000000000, want: 1000,
			pod: podWith(container("c", nil, nil))},
		{name: "equalRequestLimitCPUMemory", capacity: 123456789, want: -997,
			pod: podWith(container("c", resources("5m", "10G"), resources("5m", "10G")))},
		{name: "cpuUnlimitedMemoryLimitedWithRequests", capacity: standardMemoryAmount, want: 500,
			pod: podWith(container("c", resources("5m", bytes(standardMemoryAmount/2)), resources("", "10G")))},
		{name: "requestNoLimit", capacity: standardMemoryAmount, want: 3,
			pod: podWith(container("c", resources("5m", bytes(standardMemoryAmount-1)), nil))},
		{name: "clusterCritical", capacity: 4000000000, want: 1000,
			pod: critical("system-cluster-critical", SystemCriticalPriority)},
		{name: "nodeCritical", capacity: 4000000000, want: -997,
			pod: critical(SystemNodeCriticalClass, SystemNodeCritical)},
		{name: "burstableUniqueContainerPod", capacity: standardMemoryAmount, want: 875,
			pod: podWith(burstable("c", 1000000000))},
	})
}

// TestContainerOOMScoreAdjInitAndSidecars: policy_test.go's init and
// sidecar cases. The sidecar results follow the 1.33 rule, min(own score,
// score of the smallest regular request); 1.28–1.31 gave 951, 876 and 876.
func TestContainerOOMScoreAdjInitAndSidecars(t *testing.T) {
	const gib = 1000000000
	pod := func(side corev1.Container) *corev1.Pod {
		p := podWith(burstable("main", gib))
		p.Spec.InitContainers = []corev1.Container{burstable("init", gib)}
		if side.Name != "" {
			p.Spec.InitContainers = append(p.Spec.InitContainers, side)
		}
		return p
	}
	plain := pod(corev1.Container{})
	small := pod(sidecar("sidecar", 400000000))
	sameSize := pod(sidecar("sidecar", gib))
	big := pod(sidecar("sidecar", 4*gib))
	twoMains := pod(sidecar("sidecar", 4*gib))
	twoMains.Spec.Containers = append(twoMains.Spec.Containers, burstable("small-main", 2*gib))
	noRestartPolicy := pod(burstable("not-a-sidecar", 4*gib))

	runOOMCases(t, []oomCase{
		{name: "init container", pod: plain, container: &plain.Spec.InitContainers[0], capacity: standardMemoryAmount, want: 875},
		{name: "main container next to an init container", pod: plain, capacity: standardMemoryAmount, want: 875},
		{name: "small sidecar matches the main container", pod: small, container: &small.Spec.InitContainers[1], capacity: standardMemoryAmount, want: 875},
		{name: "main container next to a small sidecar", pod: small, capacity: standardMemoryAmount, want: 875},
		{name: "same-size sidecar", pod: sameSize, container: &sameSize.Spec.InitContainers[1], capacity: standardMemoryAmount, want: 875},
		{name: "big sidecar keeps its own lower score", pod: big, container: &big.Spec.InitContainers[1], capacity: standardMemoryAmount, want: 500},
		{name: "init container next to a big sidecar", pod: big, container: &big.Spec.InitContainers[0], capacity: standardMemoryAmount, want: 875},
		{name: "sidecar is judged against the smallest main container", pod: twoMains, container: &twoMains.Spec.InitContainers[1], capacity: standardMemoryAmount, want: 500},
		{name: "init container without restartPolicy Always is no sidecar", pod: noRestartPolicy, container: &noRestartPolicy.Spec.InitContainers[1], capacity: standardMemoryAmount, want: 500},
	})
	// A sidecar request smaller than every main container's gets the main
	// containers' score, not its own higher one.
	tiny := pod(sidecar("sidecar", 8000000))
	runOOMCases(t, []oomCase{
		{name: "tiny sidecar", pod: tiny, container: &tiny.Spec.InitContainers[1], capacity: standardMemoryAmount, want: 875},
	})
}

// TestContainerOOMScoreAdjCritical: pkg/kubelet/types/pod_update.go
// IsNodeCriticalPod is IsCriticalPod (static, mirror, or priority ≥
// 2000000000) and priorityClassName system-node-critical.
func TestContainerOOMScoreAdjCritical(t *testing.T) {
	pod := func(class string, priority *int32, annotations map[string]string) *corev1.Pod {
		p := podWith(burstable("c", 1000000000))
		p.Annotations = annotations
		p.Spec.PriorityClassName = class
		p.Spec.Priority = priority
		return p
	}
	prio := func(v int32) *int32 { return &v }
	static := map[string]string{ConfigSourceAnnotationKey: "file"}
	runOOMCases(t, []oomCase{
		{name: "static pod of class system-node-critical without priority", capacity: standardMemoryAmount, want: -997,
			pod: pod(SystemNodeCriticalClass, nil, static)},
		{name: "mirror pod of class system-node-critical", capacity: standardMemoryAmount, want: -997,
			pod: pod(SystemNodeCriticalClass, nil, map[string]string{ConfigMirrorAnnotationKey: "hash"})},
		{name: "API pod of class system-node-critical without priority", capacity: standardMemoryAmount, want: 875,
			pod: pod(SystemNodeCriticalClass, nil, map[string]string{ConfigSourceAnnotationKey: ApiserverSource})},
		{name: "static pod of another class", capacity: standardMemoryAmount, want: 875,
			pod: pod("", nil, static)},
		{name: "node-critical priority without the class name", capacity: standardMemoryAmount, want: 875,
			pod: pod("", prio(SystemNodeCritical), nil)},
		{name: "class system-node-critical with priority just below critical", capacity: standardMemoryAmount, want: 875,
			pod: pod(SystemNodeCriticalClass, prio(SystemCriticalPriority-1), nil)},
		{name: "class system-node-critical with critical priority", capacity: standardMemoryAmount, want: -997,
			pod: pod(SystemNodeCriticalClass, prio(SystemCriticalPriority), nil)},
	})
}

// TestContainerOOMScoreAdjEdges covers the clamps and the cached class.
func TestContainerOOMScoreAdjEdges(t *testing.T) {
	cachedGuaranteed := podWith(burstable("c", 1000000000))
	cachedGuaranteed.Status.QOSClass = corev1.PodQOSGuaranteed
	runOOMCases(t, []oomCase{
		{name: "a tiny request rounds to 1000 and becomes 999", capacity: standardMemoryAmount, want: 999,
			pod: podWith(burstable("c", 1))},
		{name: "one byte below 1/1000 of capacity", capacity: standardMemoryAmount, want: 999,
			pod: podWith(burstable("c", 7999999))},
		{name: "exactly 1/1000 of capacity", capacity: standardMemoryAmount, want: 999,
			pod: podWith(burstable("c", 8000000))},
		{name: "2/1000 of capacity", capacity: standardMemoryAmount, want: 998,
			pod: podWith(burstable("c", 16000000))},
		{name: "request above capacity is clamped to 3", capacity: standardMemoryAmount, want: 3,
			pod: podWith(burstable("c", 2*standardMemoryAmount))},
		{name: "status.qosClass wins over the spec", capacity: standardMemoryAmount, want: -997,
			pod: cachedGuaranteed},
		{name: "no capacity", capacity: 0, want: 999,
			pod: podWith(burstable("c", 1000000000))},
		{name: "Guaranteed ignores the capacity", capacity: 1, want: GuaranteedOOMScoreAdj,
			pod: podWith(container("c", resources("1", "1Gi"), resources("1", "1Gi")))},
	})
	// pkg/kubelet/qos/policy.go
	require.Equal(t, -999, KubeletOOMScoreAdj)
	require.Equal(t, -999, KubeProxyOOMScoreAdj)
	require.Equal(t, -997, GuaranteedOOMScoreAdj)
	require.Equal(t, 1000, BestEffortOOMScoreAdj)
}

// With pod-level requests (KEP 2837), the pod's memory request beyond its
// containers' is shared equally among init and regular containers before
// the Burstable formula: 1000 - 1000*(request+share)/capacity.
func TestContainerOOMScoreAdjPodLevelShare(t *testing.T) {
	const capacity = 8000000000
	podLevel := func(podReq string, containers ...corev1.Container) *corev1.Pod {
		p := podWith(containers...)
		p.Spec.Resources = &corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse(podReq)},
			Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("8G")},
		}
		return p
	}
	twoContainers := podLevel("4G", container("a", resources("", "1G"), nil), container("b", nil, nil))
	withInit := podLevel("4G", container("a", resources("", "1G"), nil))
	withInit.Spec.InitContainers = []corev1.Container{container("init", resources("", "2G"), nil)}
	runOOMCases(t, []oomCase{
		// (4G - 1G) / 2 = 1.5G each: a has 2.5G, b 1.5G.
		{name: "share added to a container's own request", pod: twoContainers, capacity: capacity, want: 1000 - 1000*2500000000/capacity},
		{name: "a container with no request gets the share alone", pod: twoContainers, container: &twoContainers.Spec.Containers[1], capacity: capacity, want: 1000 - 1000*1500000000/capacity},
		// The init container's 2G is the larger, so 4G - 2G shared by 2.
		{name: "an init container's request counts when larger", pod: withInit, capacity: capacity, want: 1000 - 1000*2000000000/capacity},
		{name: "no pod-level memory request: no share", pod: podLevel("0", container("a", resources("", "1G"), nil)), capacity: capacity, want: 875},
	})
}
