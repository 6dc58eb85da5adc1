package scenarios

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// Check compares a cluster as it is now with one expectation written in
// Go, as podsim test compares a file's: "" when it holds, otherwise what
// differs — a -want +got diff of the YAML of the fields the expectation
// names, for a pod or a Service, or one message per differing line for a
// watch (ExpectDoc.Watch, compared from the start of the run). An
// expectation that could never hold (no pod, Service or watch; a READY
// that is not a count) is an error. At is ignored: the check is of now.
func Check(c *sim.Cluster, e ExpectDoc) (string, error) {
	x := expectation{ExpectDoc: e, at: c.Now()}
	switch {
	case e.Watch != "":
		if e.Pod != "" || e.Service != "" {
			return "", errors.New("a watch expectation names no pod or service")
		}
		if _, err := ParseWatch(e.Watch); err != nil {
			return "", err
		}
		return checkWatch(c, x), nil
	case e.Node != "":
		return checkNode(c, x), nil
	case e.Service != "":
		if e.Pod != "" || e.ReadyEndpoints == nil && e.NotReadyEndpoints == nil {
			return "", errors.New("an endpoints expectation gives readyEndpoints or notReadyEndpoints, and no pod")
		}
		return checkEndpoints(c, x), nil
	case e.Pod == "":
		return "", errors.New("an expectation names a pod or a service, or gives the whole watch")
	}
	for _, f := range []struct{ name, v string }{{"ready", e.Ready}, {"readinessGates", e.ReadinessGates}} {
		if f.v != "" && !readyRe.MatchString(f.v) {
			return "", fmt.Errorf("%s: Invalid value: %q: must be a count such as \"1/1\", as kubectl shows it", f.name, f.v)
		}
	}
	return checkPod(c, x), nil
}

// Pods returns copies of the pods the file creates at time zero, in file
// order (not those a timed action creates).
func (s *Scenario) Pods() []*corev1.Pod {
	var out []*corev1.Pod
	for _, m := range s.objects {
		if p, ok := m.obj.(*corev1.Pod); ok {
			out = append(out, p.DeepCopy())
		}
	}
	return out
}

// Behaviors returns what each container of a pod of the file does, by
// container name, as the loader resolved it from the manifest and the
// Scenario's behaviors; nil for a pod the file does not hold.
func (s *Scenario) Behaviors(namespace, name string) map[string]behavior.Spec {
	if namespace == "" {
		namespace = corev1.NamespaceDefault
	}
	specs, ok := s.behaviors[namespace+"/"+name]
	if !ok {
		return nil
	}
	return maps.Clone(specs)
}

// NodeNames lists the nodes of the scenario, in the order they are added.
func (s *Scenario) NodeNames() []string {
	out := make([]string, 0, len(s.nodes))
	for _, n := range s.nodes {
		out = append(out, n.node.Name)
	}
	return slices.Clip(out)
}

// PresentImages lists the images present from the start on a node.
func (s *Scenario) PresentImages(node string) []string {
	for _, n := range s.nodes {
		if n.node.Name == node {
			return slices.Clone(n.opts.Images)
		}
	}
	return nil
}

// Actions is the number of timed actions the file has.
func (s *Scenario) Actions() int { return len(s.actions) }
