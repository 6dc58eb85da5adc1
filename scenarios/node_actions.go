package scenarios

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/sim"
)

// NodeActionDoc is something done to a node: a fault or its undoing, or a
// kubectl node command. Do names it:
//
//   - cutNetwork, restoreNetwork: the network between the node and the
//     control plane (containers keep running; the API sees nothing);
//   - stopKubelet, startKubelet: the kubelet process;
//   - stopRuntime, startRuntime: the container runtime (Ready=False after
//     30 s, "container runtime is down");
//   - powerOff, powerOn: the machine's power (every container process
//     gone; on boot the pods' sandboxes and containers are re-created);
//     reboot: powerOff now and powerOn after Downtime;
//   - delete: kubectl delete node;
//   - cordon, uncordon: kubectl cordon / uncordon;
//   - taint: kubectl taint nodes NAME key[=value]:Effect (Taint; Overwrite
//     is --overwrite); untaint: kubectl taint nodes NAME key[:Effect]-;
//   - label: kubectl label nodes NAME key=value… --overwrite (Labels);
//     unlabel: kubectl label nodes NAME key-… (the keys of Labels).
type NodeActionDoc struct {
	Name      string            `json:"name"`
	Do        string            `json:"do"`
	Taint     *corev1.Taint     `json:"taint,omitempty"`
	Overwrite bool              `json:"overwrite,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`
	// Downtime is how long a reboot keeps the node off.
	Downtime *Duration `json:"downtime,omitempty"`
}

// nodeVerbs are the values of do, each with what it calls.
var nodeVerbs = map[string]func(c *sim.Cluster, node string) error{
	"cutNetwork":     (*sim.Cluster).CutNodeNetwork,
	"restoreNetwork": (*sim.Cluster).RestoreNodeNetwork,
	"stopKubelet":    (*sim.Cluster).StopKubelet,
	"startKubelet":   (*sim.Cluster).StartKubelet,
	"stopRuntime":    (*sim.Cluster).StopContainerRuntime,
	"startRuntime":   (*sim.Cluster).StartContainerRuntime,
	"delete":         (*sim.Cluster).DeleteNode,
	"powerOff":       (*sim.Cluster).PowerOffNode,
	"powerOn":        (*sim.Cluster).PowerOnNode,
	"reboot":         nil,
	"cordon":         (*sim.Cluster).Cordon,
	"uncordon":       (*sim.Cluster).Uncordon,
	"taint":          nil,
	"untaint":        nil,
	"label":          nil,
	"unlabel":        nil,
}

// nodeAction checks a node action: a node of the scenario, a known verb and
// the fields it needs.
func (l *loader) nodeAction(s *Scenario, d *document, path string, na *NodeActionDoc) (string, func(*sim.Cluster) error) {
	if na.Name == "" {
		l.add(d, ScenarioKind, path+".name", "Required value")
		return "", nil
	}
	if !slices.ContainsFunc(s.nodes, func(n nodeDecl) bool { return n.node.Name == na.Name }) {
		l.add(d, ScenarioKind, path+".name", "Not found: no node %q in this scenario", na.Name)
		return "", nil
	}
	verbs := make([]string, 0, len(nodeVerbs))
	for v := range nodeVerbs {
		verbs = append(verbs, v)
	}
	slices.Sort(verbs)
	fn, ok := nodeVerbs[na.Do]
	if !ok {
		l.add(d, ScenarioKind, path+".do", "Unsupported value: %q: supported values: %s", na.Do, strings.Join(verbs, ", "))
		return "", nil
	}
	needsTaint := na.Do == "taint" || na.Do == "untaint"
	needsLabels := na.Do == "label" || na.Do == "unlabel"
	switch {
	case needsTaint && na.Taint == nil:
		l.add(d, ScenarioKind, path+".taint", "Required value: do: %s needs the taint", na.Do)
		return "", nil
	case !needsTaint && na.Taint != nil:
		l.add(d, ScenarioKind, path+".taint", "Forbidden: only for do: taint or untaint")
		return "", nil
	case needsLabels && len(na.Labels) == 0:
		l.add(d, ScenarioKind, path+".labels", "Required value: do: %s needs labels", na.Do)
		return "", nil
	case !needsLabels && na.Labels != nil:
		l.add(d, ScenarioKind, path+".labels", "Forbidden: only for do: label or unlabel")
		return "", nil
	case na.Overwrite && na.Do != "taint":
		l.add(d, ScenarioKind, path+".overwrite", "Forbidden: only for do: taint")
		return "", nil
	case na.Do == "reboot" && (na.Downtime == nil || na.Downtime.Duration <= 0):
		l.add(d, ScenarioKind, path+".downtime", "Required value: do: reboot needs a positive downtime, such as \"2m\"")
		return "", nil
	case na.Do != "reboot" && na.Downtime != nil:
		l.add(d, ScenarioKind, path+".downtime", "Forbidden: only for do: reboot")
		return "", nil
	}
	what := na.Do + " node " + na.Name
	node := na.Name
	switch na.Do {
	case "taint":
		t := *na.Taint
		if t.Key == "" {
			l.add(d, ScenarioKind, path+".taint.key", "Required value")
			return "", nil
		}
		switch t.Effect {
		case corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute:
		default:
			l.add(d, ScenarioKind, path+".taint.effect", "Unsupported value: %q: supported values: NoSchedule, PreferNoSchedule, NoExecute", t.Effect)
			return "", nil
		}
		return fmt.Sprintf("taint node %s %s", node, t.ToString()), func(c *sim.Cluster) error { return c.TaintNode(node, t, na.Overwrite) }
	case "reboot":
		downtime := na.Downtime.Duration
		return fmt.Sprintf("reboot node %s (down %v)", node, downtime), func(c *sim.Cluster) error { return c.RebootNode(node, downtime) }
	case "untaint":
		t := *na.Taint
		return fmt.Sprintf("untaint node %s %s", node, t.Key), func(c *sim.Cluster) error { return c.UntaintNode(node, t.Key, t.Effect) }
	case "label", "unlabel":
		keys := make([]string, 0, len(na.Labels))
		for k := range na.Labels {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		labels := na.Labels
		unlabel := na.Do == "unlabel"
		return what, func(c *sim.Cluster) error {
			for _, k := range keys {
				var err error
				if unlabel {
					err = c.UnlabelNode(node, k)
				} else {
					err = c.LabelNode(node, k, labels[k])
				}
				if err != nil {
					return err
				}
			}
			return nil
		}
	}
	return what, func(c *sim.Cluster) error { return fn(c, node) }
}
