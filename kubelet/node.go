package kubelet

import (
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/behavior"
)

// The OS and architecture the kubelet reports of its machine
// (goruntime.GOOS and GOARCH).
const (
	nodeOS   = "linux"
	nodeArch = "amd64"
)

// registerNode creates the node object as a kubelet registers it
// (kubelet_node_status.go initialNode, then setNodeStatus): the hostname,
// OS and architecture labels (stable and beta), the unschedulable taint of
// a node registered unschedulable, and every status setter's part —
// addresses, capacity, allocatable and the MemoryPressure, DiskPressure,
// PIDPressure and Ready conditions — each only where the manifest leaves
// it out.
func (k *Kubelet) registerNode(node *corev1.Node) error {
	n := node.DeepCopy()
	if n.Labels == nil {
		n.Labels = map[string]string{}
	}
	for _, l := range [][2]string{
		{corev1.LabelHostname, n.Name},
		{corev1.LabelOSStable, nodeOS}, {corev1.LabelArchStable, nodeArch},
		{"beta.kubernetes.io/os", nodeOS}, {"beta.kubernetes.io/arch", nodeArch}, // k8s.io/kubelet/pkg/apis LabelOS, LabelArch
	} {
		if _, ok := n.Labels[l[0]]; !ok {
			n.Labels[l[0]] = l[1]
		}
	}
	unschedulable := corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule}
	if n.Spec.Unschedulable && !slices.ContainsFunc(n.Spec.Taints, func(t corev1.Taint) bool { return unschedulable.MatchTaint(&t) }) {
		n.Spec.Taints = append(n.Spec.Taints, unschedulable)
	}
	k.nodeStatus.lastUnschedulable = n.Spec.Unschedulable
	k.setNodeStatus(n)
	return k.api.CreateNode(n, "kubelet/"+n.Name, "node registered")
}

// defaultNodeCapacity is what a node without a declared capacity gets.
func defaultNodeCapacity() corev1.ResourceList {
	return corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse("4"),
		corev1.ResourceMemory:           resource.MustParse("8Gi"),
		corev1.ResourceEphemeralStorage: resource.MustParse("100Gi"),
		corev1.ResourcePods:             resource.MustParse("110"),
	}
}

// nodeInternalIP is a node's InternalIP, or "".
func nodeInternalIP(n *corev1.Node) string {
	if n == nil {
		return ""
	}
	for _, ad := range n.Status.Addresses {
		if ad.Type == corev1.NodeInternalIP {
			return ad.Address
		}
	}
	return ""
}

// RunningContainer returns the process of a running container of the
// newest pod of that name this kubelet knows — even one whose API object is
// already gone (a force delete) — so that a scenario can act inside it as
// kubectl exec would. It is nil when that container is not running here.
// What the caller does there may change what the pod's parked probes read
// (prober_elision.go) and move its figures (stats_cache.go): both are
// woken or marked.
func (k *Kubelet) RunningContainer(pod types.NamespacedName, container string) *behavior.Container {
	for i := len(k.order) - 1; i >= 0; i-- {
		if kp := k.order[i]; kp.key == pod {
			if ct := k.rt.running(kp.uid, container); ct != nil {
				k.podChanged(kp)
				k.statsMoved(kp.uid)
				return ct.inst.Container
			}
			return nil
		}
	}
	return nil
}
