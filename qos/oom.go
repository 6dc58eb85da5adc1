package qos

import (
	corev1 "k8s.io/api/core/v1"
)

// OOM score adjustments (pkg/kubelet/qos/policy.go).
const (
	KubeletOOMScoreAdj    = -999
	KubeProxyOOMScoreAdj  = -999
	GuaranteedOOMScoreAdj = -997
	BestEffortOOMScoreAdj = 1000
)

// SystemNodeCritical is the priority of system-node-critical pods
// (pkg/apis/scheduling/types.go SystemCriticalPriority + 1000).
const SystemNodeCritical = 2000001000

// SystemCriticalPriority is the lowest priority of a critical pod
// (pkg/apis/scheduling/types.go SystemCriticalPriority).
const SystemCriticalPriority = 2000000000

// SystemNodeCriticalClass is the priority class whose critical pods get the
// Guaranteed score (pkg/apis/scheduling/types.go SystemNodeCritical).
const SystemNodeCriticalClass = "system-node-critical"

// Annotations that mark a pod as static or mirror
// (pkg/kubelet/types/pod_update.go).
const (
	ConfigSourceAnnotationKey = "kubernetes.io/config.source"
	ConfigMirrorAnnotationKey = corev1.MirrorPodAnnotationKey
	// ApiserverSource is the config source of pods that came from the API.
	ApiserverSource = "api"
)

// ContainerOOMScoreAdj is the oom_score_adj the kubelet gives a container,
// following GetContainerOOMScoreAdjust in pkg/kubelet/qos/policy.go (1.33):
// node-critical and Guaranteed pods get -997, BestEffort 1000, and a Burstable
// container 1000 - 1000*memoryRequest/nodeMemoryCapacity, kept within
// [3, 999] so it is never safer than Guaranteed nor as exposed as BestEffort.
// A sidecar (restartable init container) is never more exposed than the
// regular container with the smallest memory request, so that the kernel
// kills the app before the sidecar it depends on (the 1.33 rule; 1.28–1.31
// used a different one, and 1.25 has no sidecars). With pod-level
// resources (spec.resources, PodLevelResources) each container adds an
// equal share of the pod's memory request that no container claims.
//
// A node-critical pod is a critical pod — static, mirror, or of priority at
// least SystemCriticalPriority — whose priorityClassName is
// system-node-critical. The memory request is the API-defaulted one (an
// absent request is the limit). A capacity of 0 or less, where the kubelet
// would divide by zero, gives 999.
func ContainerOOMScoreAdj(pod *corev1.Pod, c *corev1.Container, nodeMemoryCapacityBytes int64) int {
	if isNodeCriticalPod(pod) {
		// Only node critical pod should be the last to get killed.
		return GuaranteedOOMScoreAdj
	}
	switch PodClass(pod) {
	case corev1.PodQOSGuaranteed:
		return GuaranteedOOMScoreAdj
	case corev1.PodQOSBestEffort:
		return BestEffortOOMScoreAdj
	}
	// With pod-level requests, the part of the pod's memory request no
	// container claims is shared equally by all containers (policy.go,
	// KEP 2837 "OOM score adjustment").
	share := remainingPodMemoryRequestPerContainer(pod)
	adj := burstableAdj(memoryRequest(c)+share, nodeMemoryCapacityBytes)
	if isSidecar(pod, c) && len(pod.Spec.Containers) > 0 {
		smallest := memoryRequest(&pod.Spec.Containers[0])
		for i := range pod.Spec.Containers[1:] {
			smallest = min(smallest, memoryRequest(&pod.Spec.Containers[i+1]))
		}
		adj = min(adj, burstableAdj(smallest+share, nodeMemoryCapacityBytes))
	}
	return adj
}

// remainingPodMemoryRequestPerContainer is the pod-level memory request
// beyond what its containers request, divided by the number of init and
// regular containers (pkg/kubelet/qos/helpers.go
// remainingPodMemReqPerContainer); 0 without a pod-level memory request.
// The containers' request is the effective one of
// component-helpers AggregateContainerRequests: the regular containers and
// sidecars summed, or the largest init container with the sidecars before
// it, whichever is larger.
func remainingPodMemoryRequestPerContainer(pod *corev1.Pod) int64 {
	r := pod.Spec.Resources
	if r == nil {
		return 0
	}
	podReq, ok := r.Requests[corev1.ResourceMemory]
	if !ok || podReq.IsZero() {
		return 0
	}
	var sum, sidecars, inits int64
	for i := range pod.Spec.Containers {
		sum += memoryRequest(&pod.Spec.Containers[i])
	}
	for i := range pod.Spec.InitContainers {
		ic := &pod.Spec.InitContainers[i]
		req := memoryRequest(ic)
		if ic.RestartPolicy != nil && *ic.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			sum += req
			sidecars += req
			inits = max(inits, sidecars)
			continue
		}
		inits = max(inits, req+sidecars)
	}
	n := int64(len(pod.Spec.Containers) + len(pod.Spec.InitContainers))
	return (podReq.Value() - max(sum, inits)) / n
}

func burstableAdj(memoryRequest, capacity int64) int {
	if capacity <= 0 {
		return BestEffortOOMScoreAdj - 1
	}
	adj := 1000 - (1000*memoryRequest)/capacity
	// A Guaranteed container using all its memory scores about 3; keep
	// Burstable containers above that.
	if int(adj) < 1000+GuaranteedOOMScoreAdj {
		return 1000 + GuaranteedOOMScoreAdj
	}
	// Give Burstable containers a better chance than BestEffort ones.
	if int(adj) == BestEffortOOMScoreAdj {
		return int(adj - 1)
	}
	return int(adj)
}

func memoryRequest(c *corev1.Container) int64 {
	if q, ok := c.Resources.Requests[corev1.ResourceMemory]; ok {
		return q.Value()
	}
	if q, ok := c.Resources.Limits[corev1.ResourceMemory]; ok {
		return q.Value() // defaulted request
	}
	return 0
}

func isSidecar(pod *corev1.Pod, c *corev1.Container) bool {
	for i := range pod.Spec.InitContainers {
		ic := &pod.Spec.InitContainers[i]
		if ic.Name == c.Name {
			return ic.RestartPolicy != nil && *ic.RestartPolicy == corev1.ContainerRestartPolicyAlways
		}
	}
	return false
}

// isNodeCriticalPod follows pkg/kubelet/types/pod_update.go IsNodeCriticalPod.
func isNodeCriticalPod(pod *corev1.Pod) bool {
	return isCriticalPod(pod) && pod.Spec.PriorityClassName == SystemNodeCriticalClass
}

// IsCriticalPod reports a pod the kubelet never evicts and always admits:
// a static pod, a mirror pod, or one of priority SystemCriticalPriority or
// more (pkg/kubelet/types/pod_update.go IsCriticalPod).
func IsCriticalPod(pod *corev1.Pod) bool { return isCriticalPod(pod) }

// isCriticalPod follows pkg/kubelet/types/pod_update.go IsCriticalPod.
func isCriticalPod(pod *corev1.Pod) bool {
	if source, ok := pod.Annotations[ConfigSourceAnnotationKey]; ok && source != ApiserverSource {
		return true // static pod
	}
	if _, ok := pod.Annotations[ConfigMirrorAnnotationKey]; ok {
		return true
	}
	return pod.Spec.Priority != nil && *pod.Spec.Priority >= SystemCriticalPriority
}
