package sim

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/controllers/nodelifecycle"
	"github.com/podsim/podsim/controllers/podgc"
	"github.com/podsim/podsim/controllers/tainteviction"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/kubelet"
)

// nodeControllers are kube-controller-manager's controllers of nodes: the
// node lifecycle controller (heartbeats, conditions and taints) and the
// taint eviction controller (pods of NoExecute-tainted nodes) and the pod
// garbage collector.
type nodeControllers struct {
	lifecycle *nodelifecycle.Controller
	taints    *tainteviction.Controller
	podGC     *podgc.Controller

	// nodes are the faults' handles on each node, by name.
	nodes map[string]*nodeHandle
}

// nodeHandle is what a fault acts on: the node's kubelet, its link to the
// API server, and the faults in force.
type nodeHandle struct {
	kubelet *kubelet.Kubelet
	link    *nodeLink
	// networkCut, kubeletStopped, poweredOff: the faults holding the link
	// down.
	networkCut, kubeletStopped, poweredOff bool
}

func (nc *nodeControllers) addNode(name string, k *kubelet.Kubelet, link *nodeLink) {
	if nc.nodes == nil {
		nc.nodes = map[string]*nodeHandle{}
	}
	nc.nodes[name] = &nodeHandle{kubelet: k, link: link}
}

func (c *Cluster) startNodeControllers() error {
	var err error
	c.nc.lifecycle, err = nodelifecycle.New(nodelifecycle.Config{
		Engine: c.eng, Client: c.api, Profile: c.profile,
		Events:    c.events.NewRecorder(record.Source{Component: nodelifecycle.Component}),
		NoElision: c.cfg.NoElision,
	})
	if err != nil {
		return err
	}
	c.nc.taints, err = tainteviction.New(tainteviction.Config{
		Engine: c.eng, Client: c.api, Profile: c.profile,
		Events: c.events.NewRecorder(record.Source{Component: tainteviction.Component(c.profile)}),
	})
	if err != nil {
		return err
	}
	// A kubelet's node status loop wakes when its node is written
	// (kubelet.NodeStatusInputsChanged).
	c.api.ObserveNodes(func(old, cur *corev1.Node) {
		n := cur
		if n == nil {
			n = old
		}
		if h := c.nc.nodes[n.Name]; h != nil {
			h.kubelet.NodeStatusInputsChanged()
		}
	})
	c.nc.podGC, err = podgc.New(podgc.Config{Engine: c.eng, Client: c.api, Profile: c.profile, NoElision: c.cfg.NoElision})
	return err
}
