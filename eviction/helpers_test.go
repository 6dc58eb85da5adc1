package eviction

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// The fixtures of pkg/kubelet/eviction/helpers_test.go and
// eviction_manager_test.go, for podsim's stats types.

const (
	lowPriority     = -1
	defaultPriority = 0
	highPriority    = 1
)

func quantityMustParse(v string) *resource.Quantity {
	q := resource.MustParse(v)
	return &q
}

func newResourceList(cpu, memory, disk string) corev1.ResourceList {
	res := corev1.ResourceList{}
	if cpu != "" {
		res[corev1.ResourceCPU] = resource.MustParse(cpu)
	}
	if memory != "" {
		res[corev1.ResourceMemory] = resource.MustParse(memory)
	}
	if disk != "" {
		res[corev1.ResourceEphemeralStorage] = resource.MustParse(disk)
	}
	return res
}

func newContainer(name string, requests, limits corev1.ResourceList) corev1.Container {
	return corev1.Container{Name: name, Resources: corev1.ResourceRequirements{Requests: requests, Limits: limits}}
}

func newVolume(name string, src corev1.VolumeSource) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: src}
}

func emptyDirVolume() []corev1.Volume {
	return []corev1.Volume{newVolume("local-volume", corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}})}
}

// newPod uses the name as the UID: make names unique.
func newPod(name string, priority int32, containers []corev1.Container, volumes []corev1.Volume) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, UID: types.UID(name)},
		Spec:       corev1.PodSpec{Containers: containers, Volumes: volumes, Priority: &priority},
	}
}

// newPodMemoryStats gives the pod and its one container the working set.
func newPodMemoryStats(p *corev1.Pod, workingSet resource.Quantity) PodStats {
	ws := workingSet.Value()
	return PodStats{
		UID:              p.UID,
		MemoryWorkingSet: ws,
		Containers:       []ContainerStats{{Name: p.Name, MemoryWorkingSet: ws, RootfsBytes: ws, LogsBytes: ws}},
		Volumes:          []VolumeStats{{Name: "local-volume", UsedBytes: ws}},
		EphemeralStorage: ws,
	}
}

// newPodDiskStats gives each container rootFs and logs, and each local
// volume perVolume.
func newPodDiskStats(p *corev1.Pod, rootFs, logs, perVolume resource.Quantity) PodStats {
	ps := PodStats{UID: p.UID}
	for range p.Spec.Containers {
		ps.Containers = append(ps.Containers, ContainerStats{RootfsBytes: rootFs.Value(), LogsBytes: logs.Value()})
	}
	for _, v := range LocalVolumeNames(p) {
		ps.Volumes = append(ps.Volumes, VolumeStats{Name: v, UsedBytes: perVolume.Value()})
	}
	return ps
}

// newPodInodeStats is newPodDiskStats for inodes.
func newPodInodeStats(p *corev1.Pod, rootFs, logs, perVolume resource.Quantity) PodStats {
	ps := PodStats{UID: p.UID}
	for range p.Spec.Containers {
		ps.Containers = append(ps.Containers, ContainerStats{RootfsInodes: rootFs.Value(), LogsInodes: logs.Value()})
	}
	for _, v := range LocalVolumeNames(p) {
		ps.Volumes = append(ps.Volumes, VolumeStats{Name: v, InodesUsed: perVolume.Value()})
	}
	return ps
}

func newPodProcessStats(p *corev1.Pod, n int64) PodStats {
	return PodStats{UID: p.UID, Processes: n}
}

// statsOf is a statsFunc over the given stats.
func statsOf(stats map[*corev1.Pod]PodStats) statsFunc {
	byUID := map[types.UID]*PodStats{}
	for p, s := range stats {
		s := s
		byUID[p.UID] = &s
	}
	return func(uid types.UID) (*PodStats, bool) {
		s, ok := byUID[uid]
		return s, ok
	}
}

func names(pods []*corev1.Pod) []string {
	out := make([]string, len(pods))
	for i, p := range pods {
		out[i] = p.Name
	}
	return out
}
