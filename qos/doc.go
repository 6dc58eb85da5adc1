// Package qos holds two pure rules of the kubelet: a pod's QoS class and
// the oom_score_adj of its containers.
//
// # QoS class
//
// Only cpu and memory count, over regular and init containers (ephemeral
// containers cannot set resources). A request or limit of 0 counts as unset.
//
//   - BestEffort: no container sets a cpu or memory request or limit.
//   - Guaranteed: every container sets cpu and memory limits, and the
//     requests add up to the limits. The API server fills an absent request
//     with its limit, so "limits only" is Guaranteed.
//   - Burstable: everything else.
//
// Once the API server has recorded status.qosClass it never changes, and
// [PodClass] returns it; [ComputePodClass] always works from the spec
// (pkg/apis/core/v1/helper/qos/qos.go GetPodQOS and ComputePodQOS).
//
// # OOM score
//
// The kubelet asks the runtime to set every process of a container to an
// oom_score_adj (pkg/kubelet/qos/policy.go GetContainerOOMScoreAdjust): the
// kernel kills the highest score first when the node runs out of memory.
//
//   - node-critical pods and Guaranteed pods: -997, killed last;
//   - BestEffort pods: 1000, killed first;
//   - Burstable containers: 1000 − 1000 × memoryRequest / nodeCapacity,
//     kept within [3, 999], so a container that asks for a tenth of the
//     node's memory gets 900;
//   - a sidecar never scores above the regular container with the smallest
//     memory request, so the kernel kills the app before the proxy it uses.
//
// # Fidelity notes
//
// podsim follows Kubernetes 1.33 with default feature gates; 1.25 gives the
// same answers for every pod it can run (it has no sidecars). Differences
// with the kubelet:
//
//   - Both functions apply the API server's request defaulting themselves,
//     so they give the kubelet's answer for a pod as written, not only as
//     stored. Kubernetes' own unit tests skip that defaulting, so a fixture
//     with a memory limit but no memory request scores 999 there, where
//     podsim, like a real kubelet, says 3.
//   - Pod-level resources (spec.resources, the PodLevelResources gate, alpha
//     in 1.32–1.33) decide the class when they hold any request or limit,
//     as if the gate were on. The kubelet's extra OOM-score share for
//     pod-level memory requests is not modelled.
//   - In-place resize is not modelled: the spec's requests are the
//     allocated ones.
//   - A memory capacity of 0 gives 999 where the kubelet would divide by
//     zero.
package qos
