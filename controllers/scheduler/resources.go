package scheduler

import (
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// Default requests the scheduler assumes for a container that requests no
// CPU or memory, for scoring only (pkg/scheduler/util/pod_resources.go
// DefaultMilliCPURequest, DefaultMemoryRequest).
const (
	defaultMilliCPURequest = 100
	defaultMemoryRequest   = 200 * 1024 * 1024
)

// resources is framework.Resource: the scheduler's integer view of a
// resource list, so that fitting a pod costs a few comparisons.
type resources struct {
	milliCPU, memory, ephemeral int64
	// scalar are extended resources, hugepages and the like, sorted by name.
	scalar []scalarResource
}

type scalarResource struct {
	name  corev1.ResourceName
	value int64
}

// isScalarResource follows pkg/scheduler/util IsScalarResourceName:
// extended resources (a domain other than kubernetes.io), hugepages and
// attachable volumes are counted; cpu, memory, ephemeral-storage and pods
// have fields of their own.
func isScalarResource(name corev1.ResourceName) bool {
	n := string(name)
	switch {
	case strings.HasPrefix(n, corev1.ResourceHugePagesPrefix), strings.HasPrefix(n, corev1.ResourceAttachableVolumesPrefix):
		return true
	case !strings.Contains(n, "/"), strings.HasPrefix(n, corev1.ResourceDefaultNamespacePrefix):
		return false
	}
	return !strings.HasPrefix(n, "requests.")
}

// add adds a resource list (framework.Resource.Add).
func (r *resources) add(rl corev1.ResourceList) {
	for name, q := range rl {
		switch name {
		case corev1.ResourceCPU:
			r.milliCPU += q.MilliValue()
		case corev1.ResourceMemory:
			r.memory += q.Value()
		case corev1.ResourceEphemeralStorage:
			r.ephemeral += q.Value()
		default:
			if isScalarResource(name) {
				r.addScalar(name, q.Value())
			}
		}
	}
}

func (r *resources) addScalar(name corev1.ResourceName, v int64) {
	i, found := slices.BinarySearchFunc(r.scalar, name, func(s scalarResource, n corev1.ResourceName) int {
		return strings.Compare(string(s.name), string(n))
	})
	if found {
		r.scalar[i].value += v
		return
	}
	r.scalar = slices.Insert(r.scalar, i, scalarResource{name, v})
}

func (r *resources) scalarValue(name corev1.ResourceName) int64 {
	for _, s := range r.scalar {
		if s.name == name {
			return s.value
		}
	}
	return 0
}

// plus adds o to r, times sign (+1 to add a pod, -1 to remove it).
func (r *resources) plus(o resources, sign int64) {
	r.milliCPU += sign * o.milliCPU
	r.memory += sign * o.memory
	r.ephemeral += sign * o.ephemeral
	for _, s := range o.scalar {
		r.addScalar(s.name, sign*s.value)
	}
}

// cpuMemory is the CPU and memory of a request with the scoring defaults
// (NonZeroRequested), the only two resources scoring reads of it.
type cpuMemory struct{ milliCPU, memory int64 }

func (r *cpuMemory) plus(o cpuMemory, sign int64) {
	r.milliCPU += sign * o.milliCPU
	r.memory += sign * o.memory
}

// podRequests is the pod's effective request as the scheduler computes it
// (k8s.io/component-helpers/resource PodRequests): the larger of the sum of
// the regular containers (plus restartable init containers, which keep
// running) and the largest init container in its turn, plus overhead.
// nonZero also gives containers that request no CPU or memory the
// scheduler's defaults, as NonZeroRequested does for scoring.
func podRequests(p *corev1.Pod) (req resources, nonZero cpuMemory) {
	var sum, sumNZ corev1.ResourceList = corev1.ResourceList{}, corev1.ResourceList{}
	addTo := func(dst corev1.ResourceList, rl corev1.ResourceList) {
		for name, q := range rl {
			v := dst[name]
			v.Add(q)
			dst[name] = v
		}
	}
	nonZeroOf := func(rl corev1.ResourceList) corev1.ResourceList {
		out := corev1.ResourceList{}
		for name, q := range rl {
			out[name] = q
		}
		if _, ok := rl[corev1.ResourceCPU]; !ok {
			out[corev1.ResourceCPU] = *resource.NewMilliQuantity(defaultMilliCPURequest, resource.DecimalSI)
		}
		if _, ok := rl[corev1.ResourceMemory]; !ok {
			out[corev1.ResourceMemory] = *resource.NewQuantity(defaultMemoryRequest, resource.DecimalSI)
		}
		return out
	}
	for i := range p.Spec.Containers {
		addTo(sum, p.Spec.Containers[i].Resources.Requests)
		addTo(sumNZ, nonZeroOf(p.Spec.Containers[i].Resources.Requests))
	}
	// Init containers run one at a time before the regular ones; a
	// restartable (sidecar) one keeps running and adds to all that follow.
	initMax, initMaxNZ := corev1.ResourceList{}, corev1.ResourceList{}
	sidecars, sidecarsNZ := corev1.ResourceList{}, corev1.ResourceList{}
	for i := range p.Spec.InitContainers {
		c := &p.Spec.InitContainers[i]
		nz := nonZeroOf(c.Resources.Requests)
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			addTo(sum, c.Resources.Requests)
			addTo(sumNZ, nz)
			addTo(sidecars, c.Resources.Requests)
			addTo(sidecarsNZ, nz)
			maxInto(initMax, sidecars, nil)
			maxInto(initMaxNZ, sidecarsNZ, nil)
			continue
		}
		maxInto(initMax, c.Resources.Requests, sidecars)
		maxInto(initMaxNZ, nz, sidecarsNZ)
	}
	for name, q := range initMax {
		if cur := sum[name]; q.Cmp(cur) > 0 {
			sum[name] = q
		}
	}
	for name, q := range initMaxNZ {
		if cur := sumNZ[name]; q.Cmp(cur) > 0 {
			sumNZ[name] = q
		}
	}
	if p.Spec.Overhead != nil {
		addTo(sum, p.Spec.Overhead)
		addTo(sumNZ, p.Spec.Overhead)
	}
	req.add(sum)
	nonZero.milliCPU = quantityMilli(sumNZ, corev1.ResourceCPU)
	nonZero.memory = quantityValue(sumNZ, corev1.ResourceMemory)
	return req, nonZero
}

// maxInto raises dst to one init container's request plus the sidecars
// started before it.
func maxInto(dst, rl, sidecars corev1.ResourceList) {
	for name, q := range rl {
		v := q.DeepCopy()
		if s, ok := sidecars[name]; ok {
			v.Add(s)
		}
		if cur := dst[name]; v.Cmp(cur) > 0 {
			dst[name] = v
		}
	}
}

func quantityMilli(rl corev1.ResourceList, name corev1.ResourceName) int64 {
	q := rl[name]
	return q.MilliValue()
}

func quantityValue(rl corev1.ResourceList, name corev1.ResourceName) int64 {
	q := rl[name]
	return q.Value()
}
