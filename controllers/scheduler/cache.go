package scheduler

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/internal/podutil"
)

// podInfo is framework.PodInfo: a pod with what the scheduler computes of
// it once, not on every node it tries.
type podInfo struct {
	pod      *corev1.Pod // the stored object: never modified
	req      resources   // effective requests
	nonZero  cpuMemory   // with the scoring defaults for unrequested CPU and memory
	priority int32
	affinity *podAffinity // nil without required pod (anti-)affinity
	ports    []hostPort
}

func newPodInfo(p *corev1.Pod) *podInfo {
	pi := &podInfo{pod: p, priority: podPriority(p)}
	pi.req, pi.nonZero = podRequests(p)
	pi.affinity = compilePodAffinity(p)
	pi.ports = podHostPorts(p)
	return pi
}

// key is the pod's namespace and name, read from the pod (every version
// of which has the same) rather than kept beside it.
func (pi *podInfo) key() types.NamespacedName { return podutil.KeyOf(pi.pod) }

// podPriority is corev1helpers.PodPriority: spec.priority, or 0.
func podPriority(p *corev1.Pod) int32 {
	if p.Spec.Priority != nil {
		return *p.Spec.Priority
	}
	return 0
}

// nodeInfo is framework.NodeInfo: a node with the totals of the pods bound
// to it, kept up to date pod by pod from the watch (and from the
// scheduler's own bindings, which it assumes before the API server's watch
// confirms them), so that a fit check never walks the pods.
type nodeInfo struct {
	name string
	node *corev1.Node
	// unschedulable and taints (the NoSchedule and NoExecute ones) are
	// copied from the node, so that a fit check of a plain pod does not
	// touch the node object.
	unschedulable bool
	taints        []corev1.Taint
	alloc         resources
	// allowedPods is the node's allocatable pods.
	allowedPods int64
	// requested and nonZeroRequested are the sums over pods.
	requested        resources
	nonZeroRequested cpuMemory
	// pods are the pods bound to the node; the cache's podsAt says which
	// entry a pod is, so the node keeps no index of its own (a removal
	// looks for the entry, as NodeInfo.RemovePod does).
	pods []*podInfo
	// withAffinity counts pods with required pod (anti-)affinity terms, so
	// that the inter-pod affinity check can skip nodes without any.
	withAffinity int
	usedPorts    map[hostPort]int
}

func newNodeInfo(n *corev1.Node) *nodeInfo {
	ni := &nodeInfo{name: n.Name}
	ni.setNode(n)
	return ni
}

func (ni *nodeInfo) setNode(n *corev1.Node) {
	ni.node = n
	ni.unschedulable = n.Spec.Unschedulable
	ni.taints = ni.taints[:0]
	for _, t := range n.Spec.Taints {
		if t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute {
			ni.taints = append(ni.taints, t)
		}
	}
	ni.alloc = resources{}
	ni.alloc.add(n.Status.Allocatable)
	pods := n.Status.Allocatable[corev1.ResourcePods]
	ni.allowedPods = pods.Value()
}

// addPod counts a pod the node does not hold (the cache removes a pod's
// old entry first; a dry run adds back only what it removed).
func (ni *nodeInfo) addPod(pi *podInfo) {
	ni.pods = append(ni.pods, pi)
	ni.requested.plus(pi.req, 1)
	ni.nonZeroRequested.plus(pi.nonZero, 1)
	if pi.affinity != nil {
		ni.withAffinity++
	}
	for _, hp := range pi.ports {
		if ni.usedPorts == nil {
			ni.usedPorts = map[hostPort]int{}
		}
		ni.usedPorts[hp]++
	}
}

// removePod uncounts pi, if the node holds it.
func (ni *nodeInfo) removePod(pi *podInfo) {
	for i, o := range ni.pods {
		if o == pi {
			ni.removeAt(i)
			return
		}
	}
}

// removeAt removes the pod at i, moving the last pod into its place, as
// NodeInfo.RemovePod does.
func (ni *nodeInfo) removeAt(i int) *podInfo {
	pi := ni.pods[i]
	last := len(ni.pods) - 1
	ni.pods[i] = ni.pods[last]
	ni.pods[last] = nil
	ni.pods = ni.pods[:last]
	ni.requested.plus(pi.req, -1)
	ni.nonZeroRequested.plus(pi.nonZero, -1)
	if pi.affinity != nil {
		ni.withAffinity--
	}
	for _, hp := range pi.ports {
		if ni.usedPorts[hp]--; ni.usedPorts[hp] == 0 {
			delete(ni.usedPorts, hp)
		}
	}
	return pi
}

// cache is the scheduler's cache: the nodes in the order they registered
// and, for each bound pod, the node it is counted on.
type cache struct {
	nodes  []*nodeInfo
	byName map[string]*nodeInfo
	// podsAt is, for each bound (or assumed) pod by namespace, then name,
	// its node and entry (a slot of 32 B, not 48 with the whole key).
	podsAt map[string]map[string]podAt
	// withAffinity counts the bound pods with required pod (anti-)affinity
	// terms; while it is zero no node needs the check of existing pods'
	// anti-affinity.
	withAffinity int
	// waiting are pods bound to a node the scheduler has not heard of yet,
	// counted once it has.
	waiting map[string]map[types.NamespacedName]*podInfo
}

// podAt is where a bound pod is counted: its node and its entry there.
type podAt struct {
	ni *nodeInfo
	pi *podInfo
}

func newCache() *cache {
	return &cache{byName: map[string]*nodeInfo{}, podsAt: map[string]map[string]podAt{},
		waiting: map[string]map[types.NamespacedName]*podInfo{}}
}

// setNode adds a node or replaces its object; it reports whether the node
// is new.
func (c *cache) setNode(n *corev1.Node) bool {
	if ni, ok := c.byName[n.Name]; ok {
		ni.setNode(n)
		return false
	}
	ni := newNodeInfo(n)
	c.nodes = append(c.nodes, ni)
	c.byName[n.Name] = ni
	waiting := c.waiting[n.Name]
	delete(c.waiting, n.Name)
	for _, key := range podutil.SortedObjectKeys(waiting) {
		c.addPod(waiting[key], n.Name)
	}
	return true
}

func (c *cache) removeNode(name string) {
	ni, ok := c.byName[name]
	if !ok {
		return
	}
	delete(c.byName, name)
	for i, n := range c.nodes {
		if n == ni {
			c.nodes = append(c.nodes[:i], c.nodes[i+1:]...)
			break
		}
	}
	for _, pi := range ni.pods {
		c.forget(pi.key())
		if pi.affinity != nil {
			c.withAffinity--
		}
	}
}

// addPod counts a bound pod on its node (a new pod, a new version of one,
// or the scheduler's own assumption of a binding).
func (c *cache) addPod(pi *podInfo, node string) {
	key := pi.key()
	c.removePod(key)
	ni, ok := c.byName[node]
	if !ok {
		// A pod bound to a node the scheduler does not know yet: the real
		// cache keeps it on an imaginary node, counted when the node comes.
		if c.waiting[node] == nil {
			c.waiting[node] = map[types.NamespacedName]*podInfo{}
		}
		c.waiting[node][key] = pi
		return
	}
	ni.addPod(pi)
	inNS := c.podsAt[key.Namespace]
	if inNS == nil {
		inNS = map[string]podAt{}
		c.podsAt[key.Namespace] = inNS
	}
	inNS[key.Name] = podAt{ni: ni, pi: pi}
	if pi.affinity != nil {
		c.withAffinity++
	}
}

// removePod forgets a bound pod; it returns the node it was on, or "".
func (c *cache) removePod(key types.NamespacedName) string {
	at, ok := c.podsAt[key.Namespace][key.Name]
	if !ok {
		for n, w := range c.waiting {
			delete(w, key)
			if len(w) == 0 {
				delete(c.waiting, n)
			}
		}
		return ""
	}
	c.forget(key)
	// removeNode forgets the pods of a node it removes: at.ni is known.
	at.ni.removePod(at.pi)
	if at.pi.affinity != nil {
		c.withAffinity--
	}
	return at.ni.name
}

// podOn returns the cached info of a bound pod, or nil.
func (c *cache) podOn(key types.NamespacedName) *podInfo {
	return c.podsAt[key.Namespace][key.Name].pi
}

// forget drops a pod from podsAt.
func (c *cache) forget(key types.NamespacedName) {
	inNS := c.podsAt[key.Namespace]
	delete(inNS, key.Name)
	if len(inNS) == 0 {
		delete(c.podsAt, key.Namespace)
	}
}
