package scheduler

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
)

// matchesNodeSelector is the NodeAffinity plugin's filter
// (k8s.io/component-helpers/scheduling/corev1/nodeaffinity
// GetRequiredNodeAffinity(pod).Match): every nodeSelector label, and one
// of the required node affinity terms.
func matchesNodeSelector(p *corev1.Pod, n *corev1.Node) bool {
	if len(p.Spec.NodeSelector) > 0 {
		for k, v := range p.Spec.NodeSelector {
			if got, ok := n.Labels[k]; !ok || got != v {
				return false
			}
		}
	}
	a := p.Spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return true
	}
	for _, term := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
		if nodeMatchesTerm(&term, n) {
			return true
		}
	}
	return false
}

// nodeMatchesTerm follows nodeaffinity's nodeSelectorTerm: all its
// expressions and fields; an empty term matches no node.
func nodeMatchesTerm(term *corev1.NodeSelectorTerm, n *corev1.Node) bool {
	if len(term.MatchExpressions) == 0 && len(term.MatchFields) == 0 {
		return false
	}
	if len(term.MatchExpressions) > 0 {
		sel, ok := requirementsAsSelector(term.MatchExpressions)
		if !ok || !sel.Matches(labels.Set(n.Labels)) {
			return false
		}
	}
	if len(term.MatchFields) > 0 {
		sel, ok := requirementsAsSelector(term.MatchFields)
		// The only field a node selector term may use is metadata.name.
		if !ok || !sel.Matches(labels.Set{"metadata.name": n.Name}) {
			return false
		}
	}
	return true
}

// requirementsAsSelector is nodeaffinity's nodeSelectorRequirementsAsSelector;
// an invalid requirement makes the term match nothing.
func requirementsAsSelector(reqs []corev1.NodeSelectorRequirement) (labels.Selector, bool) {
	sel := labels.NewSelector()
	for _, r := range reqs {
		var op selection.Operator
		switch r.Operator {
		case corev1.NodeSelectorOpIn:
			op = selection.In
		case corev1.NodeSelectorOpNotIn:
			op = selection.NotIn
		case corev1.NodeSelectorOpExists:
			op = selection.Exists
		case corev1.NodeSelectorOpDoesNotExist:
			op = selection.DoesNotExist
		case corev1.NodeSelectorOpGt:
			op = selection.GreaterThan
		case corev1.NodeSelectorOpLt:
			op = selection.LessThan
		default:
			return nil, false
		}
		req, err := labels.NewRequirement(r.Key, op, r.Values)
		if err != nil {
			return nil, false
		}
		sel = sel.Add(*req)
	}
	return sel, true
}

// affinityTerm is framework.AffinityTerm: a compiled pod (anti-)affinity
// term.
type affinityTerm struct {
	namespaces    map[string]bool
	allNamespaces bool // an empty namespaceSelector
	selector      labels.Selector
	topologyKey   string
}

// matches reports whether a pod is one the term selects
// (AffinityTerm.Matches). Namespace labels are not modelled: a
// namespaceSelector other than {} selects no namespace.
func (t *affinityTerm) matches(p *corev1.Pod) bool {
	if !t.allNamespaces && !t.namespaces[p.Namespace] {
		return false
	}
	return t.selector.Matches(labels.Set(p.Labels))
}

// podAffinity holds a pod's required inter-pod affinity and anti-affinity.
type podAffinity struct {
	affinity, antiAffinity []affinityTerm
}

func compilePodAffinity(p *corev1.Pod) *podAffinity {
	a := p.Spec.Affinity
	if a == nil {
		return nil
	}
	var out podAffinity
	if a.PodAffinity != nil {
		out.affinity = compileTerms(p, a.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution)
	}
	if a.PodAntiAffinity != nil {
		out.antiAffinity = compileTerms(p, a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution)
	}
	if len(out.affinity) == 0 && len(out.antiAffinity) == 0 {
		return nil
	}
	return &out
}

// compileTerms follows framework.GetAffinityTerms: a term with neither
// namespaces nor a namespaceSelector is about the pod's own namespace.
func compileTerms(p *corev1.Pod, terms []corev1.PodAffinityTerm) []affinityTerm {
	var out []affinityTerm
	for _, term := range terms {
		sel, err := metav1.LabelSelectorAsSelector(term.LabelSelector)
		if err != nil {
			sel = labels.Nothing()
		}
		t := affinityTerm{namespaces: map[string]bool{}, selector: sel, topologyKey: term.TopologyKey}
		switch {
		case len(term.Namespaces) == 0 && term.NamespaceSelector == nil:
			t.namespaces[p.Namespace] = true
		default:
			for _, ns := range term.Namespaces {
				t.namespaces[ns] = true
			}
			if ns := term.NamespaceSelector; ns != nil && len(ns.MatchLabels) == 0 && len(ns.MatchExpressions) == 0 {
				t.allNamespaces = true
			}
		}
		out = append(out, t)
	}
	return out
}

// hostPort is a port a container asks for on its node.
type hostPort struct {
	ip       string
	protocol corev1.Protocol
	port     int32
}

const wildcardIP = "0.0.0.0"

func podHostPorts(p *corev1.Pod) []hostPort {
	var out []hostPort
	for _, c := range p.Spec.Containers {
		for _, cp := range c.Ports {
			if cp.HostPort <= 0 {
				continue
			}
			ip := cp.HostIP
			if ip == "" {
				ip = wildcardIP
			}
			proto := cp.Protocol
			if proto == "" {
				proto = corev1.ProtocolTCP
			}
			out = append(out, hostPort{ip: ip, protocol: proto, port: cp.HostPort})
		}
	}
	return out
}

// portsConflict follows the NodePorts plugin (HostPortInfo.CheckConflict):
// the same protocol and port on the same IP, or on the wildcard address
// on either side.
func portsConflict(want []hostPort, used map[hostPort]int) bool {
	for _, w := range want {
		if w.ip == wildcardIP {
			for u := range used {
				if u.protocol == w.protocol && u.port == w.port {
					return true
				}
			}
			continue
		}
		if used[w] > 0 || used[hostPort{ip: wildcardIP, protocol: w.protocol, port: w.port}] > 0 {
			return true
		}
	}
	return false
}
