package scenarios

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/sim"
)

// applyAction checks an apply action and compiles it: `kubectl apply` of
// the manifest written there. A Pod must exist at that time; its update
// is the API server's to refuse (sim.Cluster.ApplyPod says what may
// change). A workload is created if it does not exist, else its spec
// replaced: a changed template rolls out.
func (l *loader) applyAction(s *Scenario, sd *ScenarioDoc, d *document, path string, raw []byte, exists map[string]bool, podSpecs map[string]*corev1.Pod) (string, func(*sim.Cluster) error) {
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"metadata"`
	}
	err := jsonUnmarshal(raw, &head)
	pod := err == nil && head.APIVersion == "v1" && head.Kind == "Pod"
	workload := err == nil && newWorkloadObject(head.APIVersion, head.Kind) != nil && head.Kind != "Namespace"
	if !pod && !workload {
		got := ""
		if err == nil {
			got = fmt.Sprintf("Unsupported value: %q: ", strings.TrimSpace(head.APIVersion+" "+head.Kind))
		}
		l.add(d, ScenarioKind, path+".apiVersion", "%sapply takes a v1 Pod, an apps/v1 Deployment, ReplicaSet, StatefulSet or DaemonSet, or a batch/v1 Job", got)
		return "", nil
	}
	var obj any = &corev1.Pod{}
	if workload {
		obj = newWorkloadObject(head.APIVersion, head.Kind)
	}
	view := d.within(path)
	object := fmt.Sprintf("%s %q", head.Kind, head.Metadata.Name)
	if !l.decodeJSON(view, d.nodeAt(path), object, raw, obj) {
		return "", nil
	}
	name := head.Metadata.Name
	if name == "" {
		l.add(view, object, "metadata.name", "Required value: apply needs the name of the object")
		return "", nil
	}
	l.addFieldErrors(view, object, validateMeta(obj, false))
	ns := nsOf(head.Metadata.Namespace)
	key := head.Kind + "/" + ns + "/" + name
	what := "apply " + strings.ToLower(head.Kind) + " " + name
	if p, ok := obj.(*corev1.Pod); ok {
		if !exists[key] {
			l.add(view, object, "metadata.name", "Not found: no pod %q exists at that time (apply updates a pod; create makes one)", name)
			return "", nil
		}
		p.Namespace = ns
		errs, _ := sim.ValidatePod(p, s.Config.Version)
		l.addFieldErrors(view, object, errs)
		behaviors := l.podBehaviors(s, sd, p, view)
		podSpecs[ns+"/"+name] = p
		return what, func(c *sim.Cluster) error { return c.ApplyPod(p, behaviors) }
	}
	exists[key] = true
	obj.(metav1.Object).SetNamespace(ns)
	l.workload(s, sd, obj, view, nil)
	behaviors := s.templates[workloadKey(obj)]
	return what, func(c *sim.Cluster) error { return c.ApplyWorkload(obj.(runtimeObject).DeepCopyObject(), behaviors) }
}
