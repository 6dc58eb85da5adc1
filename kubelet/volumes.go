package kubelet

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/eviction"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/trace"
)

// shmSize is the size of a sandbox's /dev/shm, containerd's default
// (pkg/cri defaultShmSize, 64 MiB).
const shmSize = 64 << 20

// podVolumes are the data of a pod's volumes on this node, set up when the
// pod is first synced (volumemanager WaitForAttachAndMount) and torn down
// when it has terminated. An emptyDir lives exactly as long as this: a
// restarted container finds it as it was; the pod's replacement, a new pod
// with a new UID, starts with an empty one.
type podVolumes struct {
	byName map[string]*behavior.Volume
	shm    *behavior.Volume
	// sorted is byName in name order with what the stats summary asks of
	// each, worked out once: a pod's volumes cannot change (the API server
	// rejects an update of spec.volumes), and the summary runs every 10 s.
	sorted []statsVolume
}

// statsVolume is one of a pod's volumes as the stats summary sees it.
type statsVolume struct {
	name     string
	vol      *behavior.Volume
	local    bool // counted in the pod's ephemeral storage (eviction.LocalVolumeNames)
	hostPath bool
}

// setUpVolumes makes the pod's volumes (once).
func (k *Kubelet) setUpVolumes(kp *kpod) *podVolumes {
	if kp.vols != nil {
		return kp.vols
	}
	pv := &podVolumes{shm: behavior.NewVolume("shm", true)}
	if len(kp.pod.Spec.Volumes) > 0 {
		pv.byName = make(map[string]*behavior.Volume, len(kp.pod.Spec.Volumes)) // none for a pod without volumes (issue 10)
	}
	pv.shm.Capacity = shmSize
	for i := range kp.pod.Spec.Volumes {
		v := &kp.pod.Spec.Volumes[i]
		var vol *behavior.Volume
		switch {
		case v.HostPath != nil:
			vol = k.hostPath(v.HostPath.Path)
		case v.EmptyDir != nil && v.EmptyDir.Medium == corev1.StorageMediumMemory:
			vol = behavior.NewVolume(v.Name, true)
			vol.Capacity = k.tmpfsSize(kp.pod, v.EmptyDir)
		case v.ConfigMap != nil || v.Secret != nil || v.DownwardAPI != nil || v.Projected != nil:
			vol = behavior.NewVolume(v.Name, v.Secret != nil) // a secret is a tmpfs
			vol.ReadOnly = true
		default:
			// emptyDir on disk, and every other kind, whose data podsim
			// keeps as it would an emptyDir's (see docs/scenario-format.md).
			vol = behavior.NewVolume(v.Name, false)
		}
		pv.byName[v.Name] = vol
	}
	local := map[string]bool{}
	for _, name := range eviction.LocalVolumeNames(kp.pod) {
		local[name] = true
	}
	for _, name := range podutil.SortedKeys(pv.byName) {
		pv.sorted = append(pv.sorted, statsVolume{name: name, vol: pv.byName[name], local: local[name], hostPath: k.isHostPath(kp, name)})
	}
	kp.vols = pv
	k.statsMoved(kp.uid) // stats_cache.go
	k.refreshVolumes(kp)
	return pv
}

// hostPath is the node's directory at path, shared by every pod that
// mounts it and kept after they are gone.
func (k *Kubelet) hostPath(path string) *behavior.Volume {
	if k.hostPaths == nil {
		k.hostPaths = map[string]*behavior.Volume{}
	}
	v, ok := k.hostPaths[path]
	if !ok {
		v = behavior.NewVolume(path, false)
		k.hostPaths[path] = v
	}
	return v
}

// tmpfsSize is a memory-backed emptyDir's size (pkg/volume/emptydir
// calculateEmptyDirMemorySize, SizeMemoryBackedVolumes): node allocatable
// memory, or the pod's memory limit when all its containers have one, or
// the sizeLimit when smaller.
func (k *Kubelet) tmpfsSize(p *corev1.Pod, ed *corev1.EmptyDirVolumeSource) int64 {
	size := k.nodeMemory()
	if n := k.api.Node(k.name); n != nil {
		if q, ok := n.Status.Allocatable[corev1.ResourceMemory]; ok {
			size = q.Value()
		}
	}
	var limit int64
	all := len(p.Spec.Containers) > 0
	for _, c := range p.Spec.Containers {
		q, ok := c.Resources.Limits[corev1.ResourceMemory]
		all = all && ok
		limit += q.Value()
	}
	if all && limit > 0 && limit <= size {
		size = limit
	}
	if ed.SizeLimit != nil && ed.SizeLimit.Sign() > 0 && ed.SizeLimit.Value() <= size {
		size = ed.SizeLimit.Value()
	}
	return size
}

// refreshVolumes writes the files of the pod's configMap, secret,
// downwardAPI and projected volumes as the API holds their sources now.
// The kubelet does this when it syncs the pod (the volume manager
// remounts them on every SyncPod), so a changed ConfigMap reaches the
// files at the pod's next sync, within the resync period. It returns the
// volumes whose files changed.
func (k *Kubelet) refreshVolumes(kp *kpod) []string {
	if kp.vols == nil {
		return nil
	}
	var changed []string
	for i := range kp.pod.Spec.Volumes {
		v := &kp.pod.Spec.Volumes[i]
		if v.ConfigMap == nil && v.Secret == nil && v.DownwardAPI == nil && v.Projected == nil {
			continue
		}
		files := k.volumeFiles(kp.pod, v)
		vol := kp.vols.byName[v.Name]
		same := len(files) == len(vol.Files())
		for _, f := range vol.Files() {
			c, _ := vol.File(f)
			if want, ok := files[f]; !ok || want != c {
				same = false
			}
		}
		if same {
			continue
		}
		for _, f := range vol.Files() {
			vol.RemoveFile(f)
		}
		for _, f := range podutil.SortedKeys(files) {
			vol.SetFile(f, files[f])
		}
		changed = append(changed, v.Name)
		k.statsMoved(kp.uid) // stats_cache.go
	}
	return changed
}

// volumeFiles are a projected kind of volume's files: each key (or
// item's path) with its value. A source that does not exist gives no
// files (podsim does not model the mount failure a missing source that is
// not optional causes).
func (k *Kubelet) volumeFiles(p *corev1.Pod, v *corev1.Volume) map[string]string {
	out := map[string]string{}
	ns := p.Namespace
	addKeys := func(data map[string]string, items []corev1.KeyToPath, prefix string) {
		if len(items) == 0 {
			for key, val := range data {
				out[prefix+key] = val
			}
			return
		}
		for _, it := range items {
			if val, ok := data[it.Key]; ok {
				out[prefix+it.Path] = val
			}
		}
	}
	configMap := func(name string, items []corev1.KeyToPath) {
		if cm := k.api.ConfigMap(types.NamespacedName{Namespace: ns, Name: name}); cm != nil {
			data := map[string]string{}
			for key, val := range cm.Data {
				data[key] = val
			}
			for key, val := range cm.BinaryData {
				data[key] = string(val)
			}
			addKeys(data, items, "")
		}
	}
	secret := func(name string, items []corev1.KeyToPath) {
		if s := k.api.Secret(types.NamespacedName{Namespace: ns, Name: name}); s != nil {
			data := map[string]string{}
			for key, val := range s.Data {
				data[key] = string(val)
			}
			for key, val := range s.StringData {
				data[key] = val
			}
			addKeys(data, items, "")
		}
	}
	downward := func(items []corev1.DownwardAPIVolumeFile) {
		for _, it := range items {
			if val, ok := downwardValue(p, it); ok {
				out[it.Path] = val
			}
		}
	}
	switch {
	case v.ConfigMap != nil:
		configMap(v.ConfigMap.Name, v.ConfigMap.Items)
	case v.Secret != nil:
		secret(v.Secret.SecretName, v.Secret.Items)
	case v.DownwardAPI != nil:
		downward(v.DownwardAPI.Items)
	case v.Projected != nil:
		for _, src := range v.Projected.Sources {
			switch {
			case src.ConfigMap != nil:
				configMap(src.ConfigMap.Name, src.ConfigMap.Items)
			case src.Secret != nil:
				secret(src.Secret.Name, src.Secret.Items)
			case src.DownwardAPI != nil:
				downward(src.DownwardAPI.Items)
			case src.ServiceAccountToken != nil:
				out[src.ServiceAccountToken.Path] = "(a service account token)"
			}
		}
	}
	return out
}

// downwardValue is a downward API file's content (pkg/fieldpath
// ExtractFieldPathAsString, pkg/api/v1/resource ExtractResourceValueByContainerName).
func downwardValue(p *corev1.Pod, it corev1.DownwardAPIVolumeFile) (string, bool) {
	if f := it.FieldRef; f != nil {
		switch f.FieldPath {
		case "metadata.name":
			return p.Name, true
		case "metadata.namespace":
			return p.Namespace, true
		case "metadata.uid":
			return string(p.UID), true
		case "metadata.labels":
			return formatMap(p.Labels), true
		case "metadata.annotations":
			return formatMap(p.Annotations), true
		}
		if key, ok := strings.CutPrefix(f.FieldPath, "metadata.labels['"); ok {
			return p.Labels[strings.TrimSuffix(key, "']")], true
		}
		if key, ok := strings.CutPrefix(f.FieldPath, "metadata.annotations['"); ok {
			return p.Annotations[strings.TrimSuffix(key, "']")], true
		}
		return "", false
	}
	if r := it.ResourceFieldRef; r != nil {
		for _, c := range p.Spec.Containers {
			if c.Name != r.ContainerName {
				continue
			}
			kind, name, _ := strings.Cut(r.Resource, ".")
			list := c.Resources.Limits
			if kind == "requests" {
				list = c.Resources.Requests
			}
			q, ok := list[corev1.ResourceName(name)]
			if !ok {
				return "0", true
			}
			divisor := resource.MustParse("1")
			if !r.Divisor.IsZero() {
				divisor = r.Divisor
			}
			if name == string(corev1.ResourceCPU) {
				return fmt.Sprint((q.MilliValue() + divisor.MilliValue() - 1) / divisor.MilliValue()), true
			}
			return fmt.Sprint((q.Value() + divisor.Value() - 1) / divisor.Value()), true
		}
	}
	return "", false
}

// formatMap writes labels or annotations as the downward API does:
// key="value" lines, sorted (pkg/fieldpath FormatMap).
func formatMap(m map[string]string) string {
	keys := podutil.SortedKeys(m)
	lines := make([]string, 0, len(keys))
	for _, key := range keys {
		lines = append(lines, fmt.Sprintf("%s=%q", key, m[key]))
	}
	return strings.Join(lines, "\n")
}

// mountsFor are a container's volume mounts, and the sandbox's /dev/shm
// unless a volume is mounted there.
func (k *Kubelet) mountsFor(kp *kpod, c *corev1.Container) []behavior.Mount {
	pv := k.setUpVolumes(kp)
	var out []behavior.Mount
	shm := true
	for _, m := range c.VolumeMounts {
		vol, ok := pv.byName[m.Name]
		if !ok {
			continue
		}
		out = append(out, behavior.Mount{Path: m.MountPath, Volume: vol, ReadOnly: m.ReadOnly, SubPath: m.SubPath})
		shm = shm && m.MountPath != "/dev/shm"
	}
	if shm {
		out = append(out, behavior.Mount{Path: "/dev/shm", Volume: pv.shm})
	}
	return out
}

// tearDownVolumes removes a terminated pod's volumes: an emptyDir's data
// is gone (and its disk or memory freed); a hostPath's stays on the node.
func (k *Kubelet) tearDownVolumes(kp *kpod) {
	if kp.vols == nil {
		return
	}
	for _, name := range podutil.SortedKeys(kp.vols.byName) {
		v := kp.vols.byName[name]
		if !slices.ContainsFunc(kp.pod.Spec.Volumes, func(pv corev1.Volume) bool { return pv.Name == name && pv.HostPath != nil }) {
			v.Clear()
		}
	}
	kp.vols.shm.Clear()
	kp.vols = nil
	k.statsMoved(kp.uid) // stats_cache.go
}

// mountVolumes is SyncPod's WaitForAttachAndMount: the volumes are set up
// at the pod's first sync, and the configMap, secret, downwardAPI and
// projected ones are rewritten from their sources at every sync. A
// container that mounts a rewritten volume sees the new files at once
// (the atomic writer swaps a symlink), which the trace records.
func (k *Kubelet) mountVolumes(kp *kpod) {
	if kp.vols == nil {
		k.setUpVolumes(kp)
		return
	}
	for _, name := range k.refreshVolumes(kp) {
		for _, ct := range k.rt.containers[kp.uid] {
			if ct.state != lifecycle.StateRunning {
				continue
			}
			if spec := k.containerSpec(kp, ct.name); spec != nil && slices.ContainsFunc(spec.VolumeMounts, func(m corev1.VolumeMount) bool { return m.Name == name }) {
				k.runtimeRecord(ct, fmt.Sprintf("volume %s updated from its source", name), &trace.RuntimeAction{Kind: trace.RuntimeVolume, Volume: name})
			}
		}
	}
}
