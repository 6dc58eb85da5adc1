package kubelet

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/internal/podutil"
)

// registerNode creates the node object as a kubelet registers it
// (kubelet_node_status.go initialNode and setNodeStatus): capacity,
// allocatable, addresses, the hostname and OS labels and a Ready condition,
// each only where the manifest leaves it out.
func (k *Kubelet) registerNode(node *corev1.Node) error {
	n := node.DeepCopy()
	now := k.api.Stamp(k.eng.Now())
	if len(n.Status.Capacity) == 0 {
		n.Status.Capacity = defaultNodeCapacity()
	}
	if len(n.Status.Allocatable) == 0 {
		n.Status.Allocatable = n.Status.Capacity.DeepCopy()
	}
	if len(n.Status.Addresses) == 0 {
		n.Status.Addresses = []corev1.NodeAddress{
			{Type: corev1.NodeInternalIP, Address: fmt.Sprintf("192.168.49.%d", k.index+2)},
			{Type: corev1.NodeHostName, Address: n.Name},
		}
	}
	if n.Labels == nil {
		n.Labels = map[string]string{}
	}
	if _, ok := n.Labels[corev1.LabelHostname]; !ok {
		n.Labels[corev1.LabelHostname] = n.Name
	}
	if _, ok := n.Labels[corev1.LabelOSStable]; !ok {
		n.Labels[corev1.LabelOSStable] = "linux"
	}
	if podutil.FindNodeCondition(n.Status.Conditions, corev1.NodeReady) == nil {
		// pkg/kubelet/nodestatus/setters.go ReadyCondition
		n.Status.Conditions = append(n.Status.Conditions, corev1.NodeCondition{
			Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady",
			Message:            "kubelet is posting ready status",
			LastHeartbeatTime:  now,
			LastTransitionTime: now,
		})
	}
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
func (k *Kubelet) RunningContainer(pod types.NamespacedName, container string) *behavior.Container {
	for i := len(k.order) - 1; i >= 0; i-- {
		if kp := k.order[i]; kp.key == pod {
			if ct := k.rt.running(kp.uid, container); ct != nil {
				return ct.inst.Container
			}
			return nil
		}
	}
	return nil
}
