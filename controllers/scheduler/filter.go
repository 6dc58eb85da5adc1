package scheduler

import (
	"fmt"
	"maps"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/internal/podutil"
)

// Filter reasons, in the plugins' words.
const (
	// pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go
	reasonUnschedulable = "node(s) were unschedulable"
	// pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go ErrReasonPod
	reasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector"
	// pkg/scheduler/framework/plugins/nodeports/node_ports.go ErrReason
	reasonNodePorts = "node(s) didn't have free ports for the requested pod ports"
	// pkg/scheduler/framework/plugins/noderesources/fit.go
	reasonTooManyPods = "Too many pods"
	// pkg/scheduler/framework/plugins/interpodaffinity/filtering.go
	reasonAffinity             = "node(s) didn't match pod affinity rules"
	reasonAntiAffinity         = "node(s) didn't match pod anti-affinity rules"
	reasonExistingAntiAffinity = "node(s) didn't satisfy existing pods anti-affinity rules"
)

// TaintNodeUnschedulable is the taint a cordoned node is given and the
// NodeUnschedulable filter accepts a toleration of (k8s.io/api/core/v1
// well_known_taints.go).
const TaintNodeUnschedulable = "node.kubernetes.io/unschedulable"

// code is a filter's framework.Code: whether preemption might help.
type code uint8

const (
	fits code = iota
	// unschedulable: removing pods from the node may make it fit.
	unschedulable
	// unresolvable: UnschedulableAndUnresolvable, preemption cannot help.
	unresolvable
)

// nodeStatus is the verdict on one node: the first plugin that rejected
// the pod and its reasons (the framework stops at the first failing
// filter, so one plugin's reasons per node).
type nodeStatus struct {
	code    code
	plugin  plugins
	reasons []string
}

// cycle is one scheduling attempt's state (framework.CycleState): what the
// PreFilter step computes once for all nodes.
type cycle struct {
	pi *podInfo
	// toleratesUnschedulable: the pod tolerates the unschedulable taint,
	// and so a cordoned node.
	toleratesUnschedulable bool
	// nodeAffinity: the pod has a nodeSelector or required node affinity.
	nodeAffinity bool
	// affinity is the inter-pod affinity state, nil when neither the pod
	// nor any bound pod has required terms.
	affinity *affinityState
	// nominated are the pods nominated to each node by preemption whose
	// priority is at least this pod's; the fit check counts them as if
	// bound (RunFilterPluginsWithNominatedPods).
	nominated map[string][]*podInfo
}

// filter runs the filter plugins, in the default profile's order, on one
// node (pkg/scheduler/apis/config/v1/default_plugins.go).
func (s *Scheduler) filter(cy *cycle, ni *nodeInfo) nodeStatus {
	p := cy.pi.pod
	if ni.unschedulable && !cy.toleratesUnschedulable {
		return nodeStatus{code: unresolvable, plugin: pluginNodeUnschedulable, reasons: []string{reasonUnschedulable}}
	}
	// pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go:
	// the first NoSchedule or NoExecute taint the pod does not tolerate.
	for _, t := range ni.taints {
		if !podutil.ToleratesTaint(p.Spec.Tolerations, t) {
			return nodeStatus{code: unresolvable, plugin: pluginTaintToleration,
				reasons: []string{fmt.Sprintf("node(s) had untolerated taint {%s: %s}", t.Key, t.Value)}}
		}
	}
	if cy.nodeAffinity && !matchesNodeSelector(p, ni.node) {
		return nodeStatus{code: unresolvable, plugin: pluginNodeAffinity, reasons: []string{reasonNodeAffinity}}
	}
	if len(cy.pi.ports) > 0 && portsConflict(cy.pi.ports, ni.usedPorts) {
		return nodeStatus{code: unschedulable, plugin: pluginNodePorts, reasons: []string{reasonNodePorts}}
	}
	if reasons := s.insufficient(cy, ni); len(reasons) > 0 {
		return nodeStatus{code: unschedulable, plugin: pluginNodeResourcesFit, reasons: reasons}
	}
	if cy.affinity != nil {
		if st := cy.affinity.filter(cy.pi, ni); st.code != fits {
			return st
		}
	}
	return nodeStatus{}
}

// insufficient is the NodeResourcesFit filter (fit.go fitsRequest): every
// resource the node lacks, pods first. Nominated pods of at least the
// pod's priority count as if they were bound.
func (s *Scheduler) insufficient(cy *cycle, ni *nodeInfo) []string {
	pi := cy.pi
	used := ni.requested
	count := int64(len(ni.pods))
	if nom := cy.nominated[ni.name]; cy.nominated != nil && len(nom) > 0 {
		used = resources{milliCPU: used.milliCPU, memory: used.memory, ephemeral: used.ephemeral}
		used.scalar = append([]scalarResource(nil), ni.requested.scalar...)
		for _, o := range nom {
			used.plus(o.req, 1)
			count++
		}
	}
	var out []string
	if count+1 > ni.allowedPods {
		out = append(out, reasonTooManyPods)
	}
	req := pi.req
	if req.milliCPU == 0 && req.memory == 0 && req.ephemeral == 0 && len(req.scalar) == 0 {
		return out
	}
	if req.milliCPU > 0 && req.milliCPU > ni.alloc.milliCPU-used.milliCPU {
		out = append(out, "Insufficient cpu")
	}
	if req.memory > 0 && req.memory > ni.alloc.memory-used.memory {
		out = append(out, "Insufficient memory")
	}
	if req.ephemeral > 0 && req.ephemeral > ni.alloc.ephemeral-used.ephemeral {
		out = append(out, "Insufficient ephemeral-storage")
	}
	for _, sr := range req.scalar {
		if sr.value > 0 && sr.value > ni.alloc.scalarValue(sr.name)-used.scalarValue(sr.name) {
			out = append(out, "Insufficient "+string(sr.name))
		}
	}
	return out
}

// topologyPair is a node label, key and value, that defines a topology
// domain.
type topologyPair struct{ key, value string }

// affinityState is the InterPodAffinity plugin's PreFilter state
// (interpodaffinity/filtering.go): per topology domain, how many existing
// pods' anti-affinity terms match the incoming pod, and how many existing
// pods match the incoming pod's affinity and anti-affinity terms.
type affinityState struct {
	existingAnti   map[topologyPair]int
	affinityCounts map[topologyPair]int
	antiCounts     map[topologyPair]int
}

// newAffinityState walks the bound pods once. It returns nil when no
// term applies, so that the common case costs nothing.
func (c *cache) newAffinityState(pi *podInfo) *affinityState {
	incoming := pi.affinity
	if incoming == nil && c.withAffinity == 0 {
		return nil
	}
	st := &affinityState{existingAnti: map[topologyPair]int{}, affinityCounts: map[topologyPair]int{}, antiCounts: map[topologyPair]int{}}
	for _, ni := range c.nodes {
		if incoming == nil && ni.withAffinity == 0 {
			continue
		}
		labels := ni.node.Labels
		for _, ex := range ni.pods {
			if ex.key() == pi.key() {
				continue
			}
			if ex.affinity != nil {
				for _, t := range ex.affinity.antiAffinity {
					if v, ok := labels[t.topologyKey]; ok && t.matches(pi.pod) {
						st.existingAnti[topologyPair{t.topologyKey, v}]++
					}
				}
			}
			if incoming == nil {
				continue
			}
			if matchesAllTerms(incoming.affinity, ex.pod) {
				for _, t := range incoming.affinity {
					if v, ok := labels[t.topologyKey]; ok {
						st.affinityCounts[topologyPair{t.topologyKey, v}]++
					}
				}
			}
			for _, t := range incoming.antiAffinity {
				if v, ok := labels[t.topologyKey]; ok && t.matches(ex.pod) {
					st.antiCounts[topologyPair{t.topologyKey, v}]++
				}
			}
		}
	}
	return st
}

// matchesAllTerms is podMatchesAllAffinityTerms: false for no terms.
func matchesAllTerms(terms []affinityTerm, p *corev1.Pod) bool {
	if len(terms) == 0 {
		return false
	}
	for i := range terms {
		if !terms[i].matches(p) {
			return false
		}
	}
	return true
}

// filter is the InterPodAffinity Filter: the pod's affinity
// (unresolvable), its anti-affinity, then the existing pods'.
func (st *affinityState) filter(pi *podInfo, ni *nodeInfo) nodeStatus {
	labels := ni.node.Labels
	if pi.affinity != nil && !st.satisfiesAffinity(pi, labels) {
		return nodeStatus{code: unresolvable, plugin: pluginInterPodAffinity, reasons: []string{reasonAffinity}}
	}
	if pi.affinity != nil && len(st.antiCounts) > 0 {
		for _, t := range pi.affinity.antiAffinity {
			if v, ok := labels[t.topologyKey]; ok && st.antiCounts[topologyPair{t.topologyKey, v}] > 0 {
				return nodeStatus{code: unschedulable, plugin: pluginInterPodAffinity, reasons: []string{reasonAntiAffinity}}
			}
		}
	}
	if len(st.existingAnti) > 0 {
		for k, v := range labels {
			if st.existingAnti[topologyPair{k, v}] > 0 {
				return nodeStatus{code: unschedulable, plugin: pluginInterPodAffinity, reasons: []string{reasonExistingAntiAffinity}}
			}
		}
	}
	return nodeStatus{}
}

// satisfiesAffinity is satisfyPodAffinity, with its exception for the
// first of a group of pods with affinity to each other.
func (st *affinityState) satisfiesAffinity(pi *podInfo, labels map[string]string) bool {
	podsExist := true
	for _, t := range pi.affinity.affinity {
		v, ok := labels[t.topologyKey]
		if !ok {
			return false
		}
		if st.affinityCounts[topologyPair{t.topologyKey, v}] <= 0 {
			podsExist = false
		}
	}
	if podsExist {
		return true
	}
	return len(st.affinityCounts) == 0 && matchesAllTerms(pi.affinity.affinity, pi.pod)
}

// update adds (sign 1) or removes (sign -1) one bound pod's share of the
// state, as the plugin's AddPod and RemovePod extensions do for the
// preemption's dry run (preFilterState.updateWithPod).
func (st *affinityState) update(pi, other *podInfo, node *corev1.Node, sign int) {
	if st == nil {
		return
	}
	labels := node.Labels
	bump := func(m map[topologyPair]int, key string) {
		v, ok := labels[key]
		if !ok {
			return
		}
		tp := topologyPair{key, v}
		if m[tp] += sign; m[tp] == 0 {
			delete(m, tp)
		}
	}
	if other.affinity != nil {
		for _, t := range other.affinity.antiAffinity {
			if t.matches(pi.pod) {
				bump(st.existingAnti, t.topologyKey)
			}
		}
	}
	if pi.affinity == nil {
		return
	}
	if matchesAllTerms(pi.affinity.affinity, other.pod) {
		for _, t := range pi.affinity.affinity {
			bump(st.affinityCounts, t.topologyKey)
		}
	}
	for _, t := range pi.affinity.antiAffinity {
		if t.matches(other.pod) {
			bump(st.antiCounts, t.topologyKey)
		}
	}
}

// clone copies the state for a dry run on one node.
func (st *affinityState) clone() *affinityState {
	if st == nil {
		return nil
	}
	return &affinityState{existingAnti: maps.Clone(st.existingAnti), affinityCounts: maps.Clone(st.affinityCounts), antiCounts: maps.Clone(st.antiCounts)}
}
