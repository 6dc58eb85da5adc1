package eviction

import (
	"sort"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// fsStatsType is which disk use of a pod a ranking counts
// (pkg/kubelet/eviction/types.go fsStatsType).
type fsStatsType string

const (
	fsStatsRoot              fsStatsType = "root"              // writable layers
	fsStatsLogs              fsStatsType = "logs"              // container logs
	fsStatsLocalVolumeSource fsStatsType = "localVolumeSource" // local volumes
	fsStatsImages            fsStatsType = "images"            // image layers
)

// cmpFunc orders two pods: negative when p1 is evicted first
// (helpers.go cmpFunc).
type cmpFunc func(p1, p2 *corev1.Pod) int

// multiSorter sorts by each cmpFunc in turn, the last one deciding
// (helpers.go multiSorter). It uses sort.Sort, not a stable sort, as the
// kubelet does: pods that tie on every comparison end where Go's sort puts
// them, which depends on the order the pods came in.
type multiSorter struct {
	pods []*corev1.Pod
	cmp  []cmpFunc
}

func orderedBy(cmp ...cmpFunc) *multiSorter { return &multiSorter{cmp: cmp} }

func (ms *multiSorter) Sort(pods []*corev1.Pod) {
	ms.pods = pods
	sort.Sort(ms)
}

func (ms *multiSorter) Len() int      { return len(ms.pods) }
func (ms *multiSorter) Swap(i, j int) { ms.pods[i], ms.pods[j] = ms.pods[j], ms.pods[i] }
func (ms *multiSorter) Less(i, j int) bool {
	p1, p2 := ms.pods[i], ms.pods[j]
	k := 0
	for ; k < len(ms.cmp)-1; k++ {
		switch c := ms.cmp[k](p1, p2); {
		case c < 0:
			return true
		case c > 0:
			return false
		}
	}
	return ms.cmp[k](p1, p2) < 0
}

// cmpBool puts true before false (helpers.go cmpBool).
func cmpBool(a, b bool) int {
	if a == b {
		return 0
	}
	if !b {
		return -1
	}
	return 1
}

// podPriority is spec.priority, 0 when unset
// (component-helpers/scheduling/corev1 PodPriority).
func podPriority(p *corev1.Pod) int32 {
	if p.Spec.Priority != nil {
		return *p.Spec.Priority
	}
	return 0
}

// priority puts lower priority first (helpers.go priority).
func priority(p1, p2 *corev1.Pod) int {
	a, b := podPriority(p1), podPriority(p2)
	switch {
	case a == b:
		return 0
	case a > b:
		return 1
	}
	return -1
}

func memoryUsage(ps *PodStats) *resource.Quantity {
	return resource.NewQuantity(ps.MemoryWorkingSet, resource.BinarySI)
}

// exceedMemoryRequests puts pods using more memory than they request
// first; pods with no stats come before all (helpers.go
// exceedMemoryRequests).
func exceedMemoryRequests(stats statsFunc) cmpFunc {
	return func(p1, p2 *corev1.Pod) int {
		s1, ok1 := stats(p1.UID)
		s2, ok2 := stats(p2.UID)
		if !ok1 || !ok2 {
			return cmpBool(!ok1, !ok2)
		}
		e1 := memoryUsage(s1).Cmp(RequestQuantity(p1, corev1.ResourceMemory)) == 1
		e2 := memoryUsage(s2).Cmp(RequestQuantity(p2, corev1.ResourceMemory)) == 1
		return cmpBool(e1, e2)
	}
}

// memory puts the larger use above request first (helpers.go memory).
func memory(stats statsFunc) cmpFunc {
	return func(p1, p2 *corev1.Pod) int {
		s1, ok1 := stats(p1.UID)
		s2, ok2 := stats(p2.UID)
		if !ok1 || !ok2 {
			return cmpBool(!ok1, !ok2)
		}
		m1 := memoryUsage(s1)
		m1.Sub(RequestQuantity(p1, corev1.ResourceMemory))
		m2 := memoryUsage(s2)
		m2.Sub(RequestQuantity(p2, corev1.ResourceMemory))
		return m2.Cmp(*m1)
	}
}

// process puts the pod with more processes first (helpers.go process; the
// kubelet subtracts the unsigned counts and converts, which gives the
// same sign for any count a node can hold).
func process(stats statsFunc) cmpFunc {
	return func(p1, p2 *corev1.Pod) int {
		s1, ok1 := stats(p1.UID)
		s2, ok2 := stats(p2.UID)
		if !ok1 || !ok2 {
			return cmpBool(!ok1, !ok2)
		}
		return int(uint64(s2.Processes) - uint64(s1.Processes))
	}
}

// LocalVolumeNames are the pod's volumes on the node's disk: hostPath and
// the local ephemeral ones (helpers.go LocalVolumeNames,
// pkg/volume/util IsLocalEphemeralVolume: gitRepo, a disk-backed emptyDir,
// configMap).
func LocalVolumeNames(p *corev1.Pod) []string {
	var out []string
	for _, v := range p.Spec.Volumes {
		if v.HostPath != nil || v.GitRepo != nil || v.ConfigMap != nil ||
			(v.EmptyDir != nil && v.EmptyDir.Medium == corev1.StorageMediumDefault) {
			out = append(out, v.Name)
		}
	}
	return out
}

// podDiskUsage adds up the disk use (bytes and inodes) of the kinds
// measured (helpers.go podDiskUsage, containerUsage, podLocalVolumeUsage).
func podDiskUsage(ps *PodStats, p *corev1.Pod, measure []fsStatsType) corev1.ResourceList {
	disk := resource.Quantity{Format: resource.BinarySI}
	inodes := resource.Quantity{Format: resource.DecimalSI}
	has := func(t fsStatsType) bool {
		for _, m := range measure {
			if m == t {
				return true
			}
		}
		return false
	}
	for _, c := range ps.Containers {
		if has(fsStatsRoot) {
			disk.Add(*resource.NewQuantity(c.RootfsBytes, resource.BinarySI))
			inodes.Add(*resource.NewQuantity(c.RootfsInodes, resource.DecimalSI))
		}
		if has(fsStatsLogs) {
			disk.Add(*resource.NewQuantity(c.LogsBytes, resource.BinarySI))
			inodes.Add(*resource.NewQuantity(c.LogsInodes, resource.DecimalSI))
		}
	}
	if has(fsStatsLocalVolumeSource) {
		for _, name := range LocalVolumeNames(p) {
			for _, v := range ps.Volumes {
				if v.Name == name {
					disk.Add(*resource.NewQuantity(v.UsedBytes, resource.BinarySI))
					inodes.Add(*resource.NewQuantity(v.InodesUsed, resource.DecimalSI))
					break
				}
			}
		}
	}
	return corev1.ResourceList{corev1.ResourceEphemeralStorage: disk, ResourceInodes: inodes}
}

// exceedDiskRequests puts pods whose disk use exceeds their request first
// (helpers.go exceedDiskRequests).
func exceedDiskRequests(stats statsFunc, measure []fsStatsType, res corev1.ResourceName) cmpFunc {
	return func(p1, p2 *corev1.Pod) int {
		s1, ok1 := stats(p1.UID)
		s2, ok2 := stats(p2.UID)
		if !ok1 || !ok2 {
			return cmpBool(!ok1, !ok2)
		}
		d1 := podDiskUsage(s1, p1, measure)[res]
		d2 := podDiskUsage(s2, p2, measure)[res]
		return cmpBool(d1.Cmp(RequestQuantity(p1, res)) == 1, d2.Cmp(RequestQuantity(p2, res)) == 1)
	}
}

// disk puts the larger use above request first (helpers.go disk). As in
// the kubelet, the ephemeral-storage request is subtracted whichever
// resource (bytes or inodes) is measured.
func disk(stats statsFunc, measure []fsStatsType, res corev1.ResourceName) cmpFunc {
	return func(p1, p2 *corev1.Pod) int {
		s1, ok1 := stats(p1.UID)
		s2, ok2 := stats(p2.UID)
		if !ok1 || !ok2 {
			return cmpBool(!ok1, !ok2)
		}
		d1 := podDiskUsage(s1, p1, measure)[res]
		d2 := podDiskUsage(s2, p2, measure)[res]
		d1.Sub(RequestQuantity(p1, corev1.ResourceEphemeralStorage))
		d2.Sub(RequestQuantity(p2, corev1.ResourceEphemeralStorage))
		return d2.Cmp(d1)
	}
}

// rankFunc orders pods for eviction (helpers.go rankFunc).
type rankFunc func(pods []*corev1.Pod, stats statsFunc)

// rankMemoryPressure: exceeds requests, then priority, then use above
// request (helpers.go rankMemoryPressure).
func rankMemoryPressure(pods []*corev1.Pod, stats statsFunc) {
	orderedBy(exceedMemoryRequests(stats), priority, memory(stats)).Sort(pods)
}

// rankPIDPressure: priority, then process count (helpers.go
// rankPIDPressure; the process count since KEP 1631, 1.19).
func rankPIDPressure(pods []*corev1.Pod, stats statsFunc) {
	orderedBy(priority, process(stats)).Sort(pods)
}

// rankDiskPressureFunc: exceeds requests, then priority, then use above
// request, measuring the given kinds of use (helpers.go
// rankDiskPressureFunc).
func rankDiskPressureFunc(measure []fsStatsType, res corev1.ResourceName) rankFunc {
	return func(pods []*corev1.Pod, stats statsFunc) {
		orderedBy(exceedDiskRequests(stats, measure, res), priority, disk(stats, measure, res)).Sort(pods)
	}
}

// signalRankFuncs is which use each signal ranks by (helpers.go
// buildSignalToRankFunc, without a split container filesystem): with a
// dedicated imagefs, nodefs pressure counts logs and local volumes and
// imagefs pressure the writable layers; on one disk both count all.
func signalRankFuncs(dedicatedImageFs bool) map[Signal]rankFunc {
	m := map[Signal]rankFunc{
		SignalMemoryAvailable:            rankMemoryPressure,
		SignalAllocatableMemoryAvailable: rankMemoryPressure,
		SignalPIDAvailable:               rankPIDPressure,
	}
	if dedicatedImageFs {
		nodefs := []fsStatsType{fsStatsLogs, fsStatsLocalVolumeSource}
		imagefs := []fsStatsType{fsStatsRoot, fsStatsImages}
		m[SignalNodeFsAvailable] = rankDiskPressureFunc(nodefs, corev1.ResourceEphemeralStorage)
		m[SignalNodeFsInodesFree] = rankDiskPressureFunc(nodefs, ResourceInodes)
		m[SignalImageFsAvailable] = rankDiskPressureFunc(imagefs, corev1.ResourceEphemeralStorage)
		m[SignalImageFsInodesFree] = rankDiskPressureFunc(imagefs, ResourceInodes)
		return m
	}
	all := []fsStatsType{fsStatsImages, fsStatsRoot, fsStatsLogs, fsStatsLocalVolumeSource}
	m[SignalNodeFsAvailable] = rankDiskPressureFunc(all, corev1.ResourceEphemeralStorage)
	m[SignalNodeFsInodesFree] = rankDiskPressureFunc(all, ResourceInodes)
	m[SignalImageFsAvailable] = rankDiskPressureFunc(all, corev1.ResourceEphemeralStorage)
	m[SignalImageFsInodesFree] = rankDiskPressureFunc(all, ResourceInodes)
	return m
}

// RequestQuantity is the pod's effective request of a resource
// (pkg/api/v1/resource GetResourceRequestQuantity, through
// component-helpers resource PodRequests): the regular containers' sum,
// or the largest an init container needs with the sidecars started
// before it, whichever is larger; sidecars add to the sum; the pod
// overhead is added to a non-zero total.
func RequestQuantity(p *corev1.Pod, name corev1.ResourceName) resource.Quantity {
	format := resource.DecimalSI
	switch name {
	case corev1.ResourceMemory, corev1.ResourceStorage, corev1.ResourceEphemeralStorage:
		format = resource.BinarySI
	}
	reqs := resource.Quantity{Format: format}
	for _, c := range p.Spec.Containers {
		if q, ok := c.Resources.Requests[name]; ok {
			reqs.Add(q)
		}
	}
	sidecars := resource.Quantity{Format: format}
	inits := resource.Quantity{Format: format}
	for _, c := range p.Spec.InitContainers {
		q := c.Resources.Requests[name]
		need := q.DeepCopy()
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			reqs.Add(q)
			sidecars.Add(q)
			need = sidecars.DeepCopy()
		} else {
			need.Add(sidecars)
		}
		if need.Cmp(inits) > 0 {
			inits = need
		}
	}
	if inits.Cmp(reqs) > 0 {
		reqs = inits
	}
	if o, ok := p.Spec.Overhead[name]; ok && !reqs.IsZero() {
		reqs.Add(o)
	}
	return reqs
}
