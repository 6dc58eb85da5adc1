package sim

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/podsim/podsim/trace"
)

// The faults a node can suffer, and kubectl's node commands. Each fault is
// applied now (schedule it with At) and undone by its pair:
//
//   - CutNodeNetwork / RestoreNodeNetwork: the node's containers keep
//     running, but the kubelet and the API server cannot reach each other:
//     no heartbeats, no status writes, no pod changes delivered.
//   - StopKubelet / StartKubelet: the kubelet process is stopped (no
//     syncs, probes, heartbeats; the containers keep running). On start it
//     records "Starting kubelet." and posts its node status and Lease.
//   - PowerOffNode / PowerOnNode, RebootNode: the machine loses power (the
//     kubelet stops, every container process is gone) and boots again: the
//     kubelet re-creates its pods' sandboxes and containers.
//   - StopContainerRuntime / StartContainerRuntime: the runtime daemon
//     stops answering; after 30 s the kubelet reports Ready=False,
//     "container runtime is down".
//   - DeleteNode: `kubectl delete node`; its pods stay until pod GC.
//   - Cordon / Uncordon, TaintNode / UntaintNode, LabelNode / UnlabelNode:
//     the kubectl commands of the same names.
//
// Fidelity note: a kubelet that starts again keeps what it had in memory
// (back-offs, probe results, its status cache), where a real one starts
// empty and rebuilds them from the runtime and the API server.

// node returns the handle of a node podsim runs a kubelet for.
func (c *Cluster) node(name string) (*nodeHandle, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	h := c.nc.nodes[name]
	if h == nil {
		return nil, fmt.Errorf("nodes %q not found", name)
	}
	return h, nil
}

// syncLink cuts or restores a node's link as its faults say; a link
// restored to a running kubelet lets it catch up (Reconnected).
func (c *Cluster) syncLink(name string, h *nodeHandle) {
	if h.networkCut || h.kubeletStopped || h.poweredOff {
		h.link.down(name)
		return
	}
	if !h.link.cut {
		return
	}
	h.link.up()
	h.kubelet.NodeStatusInputsChanged() // its node informer sees the node again
	if !h.kubelet.Halted() {
		h.kubelet.Reconnected()
	}
}

// CutNodeNetwork cuts the network between a node and the control plane.
func (c *Cluster) CutNodeNetwork(node string) error {
	return c.fault(node, "network to the node cut", func(h *nodeHandle) { h.networkCut = true })
}

// RestoreNodeNetwork undoes CutNodeNetwork.
func (c *Cluster) RestoreNodeNetwork(node string) error {
	return c.fault(node, "network to the node restored", func(h *nodeHandle) { h.networkCut = false })
}

// StopKubelet stops a node's kubelet (systemctl stop kubelet): its loops
// stop, its containers keep running.
func (c *Cluster) StopKubelet(node string) error {
	return c.fault(node, "kubelet stopped", func(h *nodeHandle) {
		h.kubeletStopped = true
		h.kubelet.Stop()
	})
}

// StartKubelet undoes StopKubelet: "Starting kubelet.", then its node
// status and Lease at once.
func (c *Cluster) StartKubelet(node string) error {
	h, err := c.node(node)
	if err != nil {
		return err
	}
	c.faultRecord(node, "kubelet started")
	h.kubeletStopped = false
	c.syncLink(node, h)
	if !h.poweredOff {
		h.kubelet.Start()
	}
	return nil
}

// PowerOffNode cuts a node's power: the kubelet stops and every container
// process is gone at once.
func (c *Cluster) PowerOffNode(node string) error {
	return c.fault(node, "node powered off", func(h *nodeHandle) {
		h.poweredOff = true
		h.kubelet.PowerOff()
	})
}

// PowerOnNode boots a powered-off node: the kubelet starts and re-creates
// each of its pods' sandbox and containers (one more restart each).
func (c *Cluster) PowerOnNode(node string) error {
	h, err := c.node(node)
	if err != nil {
		return err
	}
	if !h.poweredOff {
		return fmt.Errorf("node %q is not powered off", node)
	}
	c.faultRecord(node, "node powered on")
	h.poweredOff = false
	c.syncLink(node, h)
	if !h.kubeletStopped {
		h.kubelet.PowerOn()
	}
	return nil
}

// RebootNode powers a node off now and on again after downtime (the seed:
// an OS upgrade or a reboot stops its pods for minutes; they come back
// restarted, same pods, restart counts up by one).
func (c *Cluster) RebootNode(node string, downtime time.Duration) error {
	if downtime <= 0 {
		return fmt.Errorf("reboot of node %q: downtime must be positive (got %v)", node, downtime)
	}
	if err := c.PowerOffNode(node); err != nil {
		return err
	}
	return c.At(c.eng.Now()+downtime, func(c *Cluster) error { return c.PowerOnNode(node) })
}

// fault applies a change of a node's faults and syncs its link.
func (c *Cluster) fault(node, what string, apply func(h *nodeHandle)) error {
	h, err := c.node(node)
	if err != nil {
		return err
	}
	c.faultRecord(node, what)
	apply(h)
	c.syncLink(node, h)
	return nil
}

// StopContainerRuntime stops a node's container runtime.
func (c *Cluster) StopContainerRuntime(node string) error {
	h, err := c.node(node)
	if err != nil {
		return err
	}
	c.faultRecord(node, "container runtime stopped")
	h.kubelet.SetRuntimeDown(true)
	return nil
}

// StartContainerRuntime undoes StopContainerRuntime.
func (c *Cluster) StartContainerRuntime(node string) error {
	h, err := c.node(node)
	if err != nil {
		return err
	}
	c.faultRecord(node, "container runtime started")
	h.kubelet.SetRuntimeDown(false)
	return nil
}

// DeleteNode deletes a node object, as `kubectl delete node` does. Its
// kubelet can no longer post its status (it does not register again); the
// pods bound to it are left to the pod garbage collector.
func (c *Cluster) DeleteNode(node string) error {
	if err := c.check(); err != nil {
		return err
	}
	return c.api.DeleteNode(node, "user", "kubectl delete node")
}

// Cordon marks a node unschedulable (`kubectl cordon`).
func (c *Cluster) Cordon(node string) error { return c.setUnschedulable(node, true) }

// Uncordon marks a node schedulable again (`kubectl uncordon`).
func (c *Cluster) Uncordon(node string) error { return c.setUnschedulable(node, false) }

func (c *Cluster) setUnschedulable(node string, on bool) error {
	if err := c.check(); err != nil {
		return err
	}
	cur := c.api.Node(node)
	if cur == nil {
		return fmt.Errorf("nodes %q not found", node)
	}
	// kubectl's CordonHelper: "node/<n> cordoned", or "already cordoned"
	// and no write.
	verb := map[bool]string{true: "cordoned", false: "uncordoned"}[on]
	if cur.Spec.Unschedulable == on {
		c.kubectlPrint("node/" + node + " already " + verb)
		return nil
	}
	c.api.UpdateNode(node, "user", "kubectl "+strings.TrimSuffix(verb, "ed"), func(n *corev1.Node) { n.Spec.Unschedulable = on })
	c.kubectlPrint("node/" + node + " " + verb)
	return nil
}

// TaintNode adds a taint, as `kubectl taint nodes <n> key[=value]:Effect`
// does; a taint of the same key and effect is an error unless overwrite.
func (c *Cluster) TaintNode(node string, taint corev1.Taint, overwrite bool) error {
	if err := c.check(); err != nil {
		return err
	}
	cur := c.api.Node(node)
	if cur == nil {
		return fmt.Errorf("nodes %q not found", node)
	}
	if errs := validation.IsQualifiedName(taint.Key); len(errs) > 0 {
		return fmt.Errorf("invalid taint key %q: %v", taint.Key, errs)
	}
	switch taint.Effect {
	case corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute:
	default:
		return fmt.Errorf("invalid taint effect: %v, unsupported taint effect", taint.Effect)
	}
	i := slices.IndexFunc(cur.Spec.Taints, func(t corev1.Taint) bool { return t.MatchTaint(&taint) })
	if i >= 0 && !overwrite {
		// kubectl taint: reorganizeTaints.
		return fmt.Errorf("node %s already has %s taint(s) with same effect(s) and --overwrite is false", node, taint.Key)
	}
	if taint.Effect == corev1.TaintEffectNoExecute {
		now := c.api.Stamp(c.eng.Now())
		taint.TimeAdded = &now // the API server's defaulting of a NoExecute taint
	}
	c.api.UpdateNode(node, "user", "kubectl taint", func(n *corev1.Node) {
		taints := slices.Clone(n.Spec.Taints)
		if i >= 0 {
			taints[i] = taint
		} else {
			taints = append(taints, taint)
		}
		n.Spec.Taints = taints
	})
	c.kubectlPrint("node/" + node + " tainted")
	return nil
}

// UntaintNode removes the taints of a key (and effect, unless empty), as
// `kubectl taint nodes <n> key[:Effect]-` does.
func (c *Cluster) UntaintNode(node, key string, effect corev1.TaintEffect) error {
	if err := c.check(); err != nil {
		return err
	}
	cur := c.api.Node(node)
	if cur == nil {
		return fmt.Errorf("nodes %q not found", node)
	}
	match := func(t corev1.Taint) bool { return t.Key == key && (effect == "" || t.Effect == effect) }
	if !slices.ContainsFunc(cur.Spec.Taints, match) {
		return fmt.Errorf("taint %q not found", key+map[bool]string{true: "", false: ":" + string(effect)}[effect == ""])
	}
	c.api.UpdateNode(node, "user", "kubectl taint", func(n *corev1.Node) {
		n.Spec.Taints = slices.DeleteFunc(slices.Clone(n.Spec.Taints), match)
	})
	c.kubectlPrint("node/" + node + " untainted")
	return nil
}

// LabelNode sets a label (`kubectl label nodes <n> key=value --overwrite`).
func (c *Cluster) LabelNode(node, key, value string) error {
	if err := c.check(); err != nil {
		return err
	}
	if c.api.Node(node) == nil {
		return fmt.Errorf("nodes %q not found", node)
	}
	if errs := validation.IsQualifiedName(key); len(errs) > 0 {
		return fmt.Errorf("invalid label key %q: %v", key, errs)
	}
	if errs := validation.IsValidLabelValue(value); len(errs) > 0 {
		return fmt.Errorf("invalid label value %q: %v", value, errs)
	}
	c.api.UpdateNode(node, "user", "kubectl label", func(n *corev1.Node) {
		l := maps.Clone(n.Labels)
		if l == nil {
			l = map[string]string{}
		}
		l[key] = value
		n.Labels = l
	})
	c.kubectlPrint("node/" + node + " labeled")
	return nil
}

// UnlabelNode removes a label (`kubectl label nodes <n> key-`).
func (c *Cluster) UnlabelNode(node, key string) error {
	if err := c.check(); err != nil {
		return err
	}
	if c.api.Node(node) == nil {
		return fmt.Errorf("nodes %q not found", node)
	}
	c.api.UpdateNode(node, "user", "kubectl label", func(n *corev1.Node) {
		l := maps.Clone(n.Labels)
		delete(l, key)
		n.Labels = l
	})
	c.kubectlPrint("node/" + node + " unlabeled")
	return nil
}

// faultRecord puts a fault in the trace: a node record by "fault".
func (c *Cluster) faultRecord(node, what string) {
	c.tr.Add(trace.Record{T: c.eng.Now(), Kind: "Node", Op: trace.Runtime, Name: node, Actor: "fault", Cause: what})
}

// kubectlPrint puts a line kubectl printed in the trace.
func (c *Cluster) kubectlPrint(text string) {
	c.tr.Add(trace.Record{T: c.eng.Now(), Kind: "Output", Op: trace.Printed, Container: "stdout", Actor: "user", Cause: text})
}
