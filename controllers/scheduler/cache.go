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
	key      types.NamespacedName
	req      resources // effective requests
	nonZero  resources // with the scoring defaults for unrequested CPU and memory
	priority int32
	affinity *podAffinity // nil without required pod (anti-)affinity
	ports    []hostPort
}

func newPodInfo(p *corev1.Pod) *podInfo {
	pi := &podInfo{pod: p, key: podutil.KeyOf(p), priority: podPriority(p)}
	pi.req, pi.nonZero = podRequests(p)
	pi.affinity = compilePodAffinity(p)
	pi.ports = podHostPorts(p)
	return pi
}

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
	requested, nonZeroRequested resources
	pods                        []*podInfo
	podIndex                    map[types.NamespacedName]int
	// withAffinity counts pods with required pod (anti-)affinity terms, so
	// that the inter-pod affinity check can skip nodes without any.
	withAffinity int
	usedPorts    map[hostPort]int
}

func newNodeInfo(n *corev1.Node) *nodeInfo {
	ni := &nodeInfo{name: n.Name, podIndex: map[types.NamespacedName]int{}}
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

func (ni *nodeInfo) addPod(pi *podInfo) {
	if i, ok := ni.podIndex[pi.key]; ok {
		ni.removeAt(i)
	}
	ni.podIndex[pi.key] = len(ni.pods)
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

func (ni *nodeInfo) removePod(key types.NamespacedName) *podInfo {
	i, ok := ni.podIndex[key]
	if !ok {
		return nil
	}
	return ni.removeAt(i)
}

// removeAt removes the pod at i, moving the last pod into its place, as
// NodeInfo.RemovePod does.
func (ni *nodeInfo) removeAt(i int) *podInfo {
	pi := ni.pods[i]
	last := len(ni.pods) - 1
	ni.pods[i] = ni.pods[last]
	ni.podIndex[ni.pods[i].key] = i
	ni.pods[last] = nil
	ni.pods = ni.pods[:last]
	delete(ni.podIndex, pi.key)
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
	podsAt map[types.NamespacedName]string // bound (or assumed) pod → node
	// withAffinity counts the bound pods with required pod (anti-)affinity
	// terms; while it is zero no node needs the check of existing pods'
	// anti-affinity.
	withAffinity int
	// waiting are pods bound to a node the scheduler has not heard of yet,
	// counted once it has.
	waiting map[string]map[types.NamespacedName]*podInfo
}

func newCache() *cache {
	return &cache{byName: map[string]*nodeInfo{}, podsAt: map[types.NamespacedName]string{},
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
		delete(c.podsAt, pi.key)
		if pi.affinity != nil {
			c.withAffinity--
		}
	}
}

// addPod counts a bound pod on its node (a new pod, a new version of one,
// or the scheduler's own assumption of a binding).
func (c *cache) addPod(pi *podInfo, node string) {
	c.removePod(pi.key)
	ni, ok := c.byName[node]
	if !ok {
		// A pod bound to a node the scheduler does not know yet: the real
		// cache keeps it on an imaginary node, counted when the node comes.
		if c.waiting[node] == nil {
			c.waiting[node] = map[types.NamespacedName]*podInfo{}
		}
		c.waiting[node][pi.key] = pi
		return
	}
	ni.addPod(pi)
	c.podsAt[pi.key] = node
	if pi.affinity != nil {
		c.withAffinity++
	}
}

// removePod forgets a bound pod; it returns the node it was on, or "".
func (c *cache) removePod(key types.NamespacedName) string {
	node, ok := c.podsAt[key]
	if !ok {
		for n, w := range c.waiting {
			delete(w, key)
			if len(w) == 0 {
				delete(c.waiting, n)
			}
		}
		return ""
	}
	delete(c.podsAt, key)
	if ni := c.byName[node]; ni != nil {
		if pi := ni.removePod(key); pi != nil && pi.affinity != nil {
			c.withAffinity--
		}
	}
	return node
}

// podOn returns the cached info of a bound pod, or nil.
func (c *cache) podOn(key types.NamespacedName) *podInfo {
	node, ok := c.podsAt[key]
	if !ok {
		return nil
	}
	ni := c.byName[node]
	if ni == nil {
		return nil
	}
	if i, ok := ni.podIndex[key]; ok {
		return ni.pods[i]
	}
	return nil
}
