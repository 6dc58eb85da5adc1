package qos

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// computeResources are the only resources that decide the class
// (pkg/apis/core/v1/helper/qos/qos.go: supportedQoSComputeResources).
var computeResources = []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory}

// PodClass returns the pod's QoS class: status.qosClass when the API server
// has already recorded it (it is immutable), otherwise [ComputePodClass].
func PodClass(pod *corev1.Pod) corev1.PodQOSClass {
	if pod.Status.QOSClass != "" {
		return pod.Status.QOSClass
	}
	return ComputePodClass(pod)
}

// ComputePodClass classifies a pod from its containers' cpu and memory
// requests and limits, following ComputePodQOS in
// pkg/apis/core/v1/helper/qos/qos.go:
//
//   - Guaranteed: every container, init containers included, sets cpu and
//     memory limits, and requests equal limits;
//   - BestEffort: no container sets any cpu or memory request or limit;
//   - Burstable: everything else.
//
// The API server defaults an absent request to its limit
// (pkg/apis/core/v1/defaults.go SetDefaults_Pod); this function applies that
// rule itself, so it gives the same answer for a pod as written and as stored.
// A request written as 0 is not absent: it stays 0, and 0 counts as unset.
//
// Requests and limits are summed over the containers before they are
// compared, as ComputePodQOS does in 1.25 and 1.33. A later rewrite (seen
// in a ≈1.35 copy) compares each container on its own, which differs only
// for odd mixes such as cpu 1/2 in one container and 2/1 in another.
//
// Pod-level resources (spec.resources, the PodLevelResources gate: alpha in
// 1.32, beta and on in 1.34; dropped by the API server of 1.32–1.33) decide the class alone when
// they hold any request or limit.
func ComputePodClass(pod *corev1.Pod) corev1.PodQOSClass {
	if r := pod.Spec.Resources; r != nil && (len(r.Requests) > 0 || len(r.Limits) > 0) {
		return classOf([]corev1.ResourceRequirements{*r})
	}
	all := make([]corev1.ResourceRequirements, 0, len(pod.Spec.Containers)+len(pod.Spec.InitContainers))
	for i := range pod.Spec.Containers {
		all = append(all, pod.Spec.Containers[i].Resources)
	}
	for i := range pod.Spec.InitContainers {
		all = append(all, pod.Spec.InitContainers[i].Resources)
	}
	return classOf(all)
}

func classOf(reqs []corev1.ResourceRequirements) corev1.PodQOSClass {
	requests := map[corev1.ResourceName]*resource.Quantity{}
	limits := map[corev1.ResourceName]*resource.Quantity{}
	guaranteed := true
	for _, rr := range reqs {
		limitsFound := 0
		for _, name := range computeResources {
			req, hasReq := positive(rr.Requests, name)
			lim, hasLim := positive(rr.Limits, name)
			if _, set := rr.Requests[name]; !set && hasLim {
				// pkg/apis/core/v1/defaults.go SetDefaults_Pod: an absent request
				// becomes the limit; a request written as 0 stays 0.
				req, hasReq = lim, true
			}
			if hasReq {
				add(requests, name, req)
			}
			if hasLim {
				add(limits, name, lim)
				limitsFound++
			}
		}
		if limitsFound < len(computeResources) {
			guaranteed = false
		}
	}
	if len(requests) == 0 && len(limits) == 0 {
		return corev1.PodQOSBestEffort
	}
	if guaranteed {
		for _, name := range computeResources {
			req, hasReq := requests[name]
			lim, hasLim := limits[name]
			if hasReq != hasLim || (hasReq && req.Cmp(*lim) != 0) {
				guaranteed = false
			}
		}
	}
	if guaranteed && len(requests) == len(limits) {
		return corev1.PodQOSGuaranteed
	}
	return corev1.PodQOSBurstable
}

func positive(list corev1.ResourceList, name corev1.ResourceName) (resource.Quantity, bool) {
	q, ok := list[name]
	if !ok || q.Sign() <= 0 {
		return resource.Quantity{}, false
	}
	return q, true
}

func add(sum map[corev1.ResourceName]*resource.Quantity, name corev1.ResourceName, q resource.Quantity) {
	if cur, ok := sum[name]; ok {
		cur.Add(q)
		return
	}
	c := q.DeepCopy()
	sum[name] = &c
}
