package eviction

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// localStorageViolation is why a pod breaks a local storage limit, in the
// kubelet's words (eviction_manager.go localStorageEviction), or "": the
// first emptyDir whose use exceeds its sizeLimit, else the pod's
// ephemeral-storage use beyond its containers' total limit, else the
// first container whose logs (and writable layer, without a dedicated
// imagefs) exceed its own limit.
func localStorageViolation(ps *PodStats, p *corev1.Pod, dedicatedImageFs bool) string {
	if msg := emptyDirViolation(ps, p); msg != "" {
		return msg
	}
	if msg := podEphemeralStorageViolation(ps, p); msg != "" {
		return msg
	}
	return containerEphemeralStorageViolation(ps, p, dedicatedImageFs)
}

// emptyDirViolation follows eviction_manager.go emptyDirLimitEviction:
// every volume's use counts, memory-backed ones too, against a positive
// sizeLimit.
func emptyDirViolation(ps *PodStats, p *corev1.Pod) string {
	for i := range p.Spec.Volumes {
		v := &p.Spec.Volumes[i]
		if v.EmptyDir == nil || v.EmptyDir.SizeLimit == nil || v.EmptyDir.SizeLimit.Sign() != 1 {
			continue
		}
		u, ok := volumeUsed(ps, v.Name)
		if ok && v.EmptyDir.SizeLimit.CmpInt64(u) < 0 {
			return fmt.Sprintf(emptyDirMessageFmt, v.Name, v.EmptyDir.SizeLimit.String())
		}
	}
	return ""
}

// volumeUsed is a volume's use in the pod's stats (the last of that name,
// as the kubelet's map of them keeps).
func volumeUsed(ps *PodStats, name string) (used int64, ok bool) {
	for i := len(ps.Volumes) - 1; i >= 0; i-- {
		if ps.Volumes[i].Name == name {
			return ps.Volumes[i].UsedBytes, true
		}
	}
	return 0, false
}

// podEphemeralStorageViolation follows podEphemeralStorageLimitEviction:
// when any container limits ephemeral-storage, the pod's whole use
// (writable layers, logs, local volumes) against the containers' total.
func podEphemeralStorageViolation(ps *PodStats, p *corev1.Pod) string {
	limit, found := podLimit(p, corev1.ResourceEphemeralStorage)
	if !found {
		return ""
	}
	if limit.CmpInt64(ps.EphemeralStorage) < 0 {
		return fmt.Sprintf(podEphemeralStorageMessageFmt, limit.String())
	}
	return ""
}

// containerEphemeralStorageViolation follows
// containerEphemeralStorageLimitEviction: the regular containers' limits.
func containerEphemeralStorageViolation(ps *PodStats, p *corev1.Pod, dedicatedImageFs bool) string {
	for _, cs := range ps.Containers {
		l, ok := containerStorageLimit(p, cs.Name)
		if !ok {
			continue
		}
		used := cs.LogsBytes
		if !dedicatedImageFs {
			used += cs.RootfsBytes
		}
		if l.CmpInt64(used) < 0 {
			return fmt.Sprintf(containerEphemeralStorageMessageFmt, cs.Name, l.String())
		}
	}
	return ""
}

// containerStorageLimit is a regular container's non-zero
// ephemeral-storage limit (the last container of that name, as the
// kubelet's map of them keeps).
func containerStorageLimit(p *corev1.Pod, name string) (resource.Quantity, bool) {
	for i := len(p.Spec.Containers) - 1; i >= 0; i-- {
		c := &p.Spec.Containers[i]
		if c.Name != name {
			continue
		}
		if l, ok := c.Resources.Limits[corev1.ResourceEphemeralStorage]; ok && l.Value() != 0 {
			return l, true
		}
		return resource.Quantity{}, false
	}
	return resource.Quantity{}, false
}

// podLimit is the pod's limit of a resource (pkg/api/v1/resource
// PodLimits): the containers' sum, at least any init container's, plus
// the overhead; found only when some container sets it.
func podLimit(p *corev1.Pod, name corev1.ResourceName) (resource.Quantity, bool) {
	var sum resource.Quantity
	found := false
	for _, c := range p.Spec.Containers {
		if q, ok := c.Resources.Limits[name]; ok {
			sum.Add(q)
			found = true
		}
	}
	for _, c := range p.Spec.InitContainers {
		if q, ok := c.Resources.Limits[name]; ok {
			found = true
			if q.Cmp(sum) > 0 {
				sum = q.DeepCopy()
			}
		}
	}
	if o, ok := p.Spec.Overhead[name]; ok && found {
		sum.Add(o)
	}
	return sum, found
}
