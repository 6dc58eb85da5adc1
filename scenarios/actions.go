package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// actions checks the timed actions and compiles them. Objects must exist
// when an action names them: created by the file or by an earlier action,
// and not yet deleted.
func (l *loader) actions(s *Scenario, sd *ScenarioDoc, pods []*corev1.Pod) {
	d := &s.doc
	exists := map[string]bool{}
	podSpecs := map[string]*corev1.Pod{}
	for _, m := range s.objects {
		switch o := m.obj.(type) {
		case *corev1.Pod:
			exists["Pod/"+o.Namespace+"/"+o.Name] = true
			podSpecs[o.Namespace+"/"+o.Name] = o
		case *corev1.Service:
			exists["Service/"+nsOf(o.Namespace)+"/"+o.Name] = true
		case *corev1.ConfigMap:
			exists["ConfigMap/"+nsOf(o.Namespace)+"/"+o.Name] = true
		case *corev1.Secret:
			exists["Secret/"+nsOf(o.Namespace)+"/"+o.Name] = true
		case *policyv1.PodDisruptionBudget:
			exists["PodDisruptionBudget/"+nsOf(o.Namespace)+"/"+o.Name] = true
		default:
			if isWorkload(o) {
				exists[workloadKey(o)] = true
			}
		}
	}
	order := make([]int, len(sd.Actions))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(sd.Actions[a].At.Duration, sd.Actions[b].At.Duration)
	})
	for _, i := range order {
		a := sd.Actions[i]
		path := fmt.Sprintf("actions[%d]", i)
		at := a.At.Duration
		if !d.has(path + ".at") {
			// A missing at decoded as 0s: say so rather than act at the start.
			l.add(d, ScenarioKind, path+".at", "Required value: when the action happens, such as \"30s\"")
		} else if at < 0 || at > s.Duration {
			l.add(d, ScenarioKind, path+".at", "Invalid value: %q: must be within the scenario's duration (0s to %v)", a.At.String(), s.Duration)
		}
		kinds := 0
		for _, set := range []bool{len(a.Create) > 0, len(a.Apply) > 0, a.Delete != nil, a.SetCondition != nil, a.Container != nil, a.Drain != nil, a.Node != nil} {
			if set {
				kinds++
			}
		}
		if kinds != 1 {
			l.add(d, ScenarioKind, path, "an action needs exactly one of create, apply, delete, setCondition, container, drain, node (it has %d)", kinds)
			continue
		}
		act := action{at: at, line: d.lineOf(path)}
		switch {
		case len(a.Create) > 0:
			act.what, act.do = l.createAction(s, sd, d, path+".create", a.Create, exists, podSpecs)
		case len(a.Apply) > 0:
			act.what, act.do = l.applyAction(s, sd, d, path+".apply", a.Apply, exists, podSpecs)
		case a.Delete != nil:
			act.what, act.do = l.deleteAction(d, path+".delete", a.Delete, exists)
		case a.SetCondition != nil:
			act.what, act.do = l.conditionAction(d, path+".setCondition", a.SetCondition, exists)
		case a.Container != nil:
			act.what, act.do = l.containerAction(d, path+".container", a.Container, exists, podSpecs)
		case a.Drain != nil:
			act.what, act.do = l.drainAction(s, d, path+".drain", a.Drain)
		case a.Node != nil:
			act.what, act.do = l.nodeAction(s, d, path+".node", a.Node)
		}
		if act.do != nil {
			s.actions = append(s.actions, act)
		}
	}
	s.podSpecs = podSpecs
}

func nsOf(ns string) string {
	if ns == "" {
		return corev1.NamespaceDefault
	}
	return ns
}

func (l *loader) createAction(s *Scenario, sd *ScenarioDoc, d *document, path string, raw []byte, exists map[string]bool, podSpecs map[string]*corev1.Pod) (string, func(*sim.Cluster) error) {
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"metadata"`
	}
	err := jsonUnmarshal(raw, &head)
	workload := err == nil && newWorkloadObject(head.APIVersion, head.Kind) != nil
	policy := err == nil && newPolicyObject(head.APIVersion, head.Kind) != nil
	if err != nil || (head.APIVersion != "v1" && !workload && !policy) {
		got := ""
		if err == nil {
			// Say what it got, as the Kubernetes documents at the top level do.
			got = fmt.Sprintf("Unsupported value: %q: ", strings.TrimSpace(head.APIVersion+" "+head.Kind))
		}
		l.add(d, ScenarioKind, path+".apiVersion", "%screate takes a v1 Pod, Service, ConfigMap, Secret or Namespace, an apps/v1 Deployment, ReplicaSet, StatefulSet or DaemonSet, a batch/v1 Job, a policy/v1 PodDisruptionBudget or a scheduling.k8s.io/v1 PriorityClass", got)
		return "", nil
	}
	obj := newObject(head.Kind)
	if workload {
		obj = newWorkloadObject(head.APIVersion, head.Kind)
	}
	if policy {
		obj = newPolicyObject(head.APIVersion, head.Kind)
	}
	if obj == nil || head.Kind == "Node" {
		l.add(d, ScenarioKind, path+".kind", "Unsupported value: %q: create takes a Pod, Service, ConfigMap, Secret, Namespace, Deployment, ReplicaSet, StatefulSet, DaemonSet or Job", head.Kind)
		return "", nil
	}
	view := d.within(path)
	object := fmt.Sprintf("%s %q", head.Kind, head.Metadata.Name)
	// Decoded as the file's own documents are, so that its type errors too
	// name their field and line (they used to name neither).
	if !l.decodeJSON(view, d.nodeAt(path), object, raw, obj) {
		l.podUnread = l.podUnread || head.Kind == "Pod"
		return "", nil
	}
	name := head.Metadata.Name
	if name == "" {
		l.add(view, object, "metadata.name", "Required value: name or generateName is required")
		return "", nil
	}
	l.addFieldErrors(view, object, validateMeta(obj, clusterScoped(head.Kind)))
	ns := nsOf(head.Metadata.Namespace)
	if clusterScoped(head.Kind) {
		ns = ""
	}
	key := head.Kind + "/" + ns + "/" + name
	if exists[key] {
		l.add(view, object, "metadata.name", "Duplicate value: %q already exists at that time", name)
		return "", nil
	}
	exists[key] = true
	what := "create " + strings.ToLower(head.Kind) + " " + name
	if p, ok := obj.(*corev1.Pod); ok {
		p.Namespace = ns
		errs, _ := sim.ValidatePod(p, s.Config.Version)
		l.addFieldErrors(view, object, errs)
		behaviors := l.podBehaviors(s, sd, p, view)
		podSpecs[ns+"/"+name] = p
		return what, func(c *sim.Cluster) error { return c.CreatePod(p, behaviors) }
	}
	if workload {
		obj.(metav1.Object).SetNamespace(ns)
		l.workload(s, sd, obj, view, nil)
		behaviors := s.templates[workloadKey(obj)]
		return what, func(c *sim.Cluster) error { return c.CreateWorkload(obj.(runtimeObject).DeepCopyObject(), behaviors) }
	}
	if policy {
		l.policyObject(s, obj, view)
	}
	return what, func(c *sim.Cluster) error { return c.Create(obj.(runtimeObject)) }
}

func (l *loader) deleteAction(d *document, path string, del *DeleteDoc, exists map[string]bool) (string, func(*sim.Cluster) error) {
	kind := del.Kind
	if kind == "" {
		kind = "Pod"
	}
	switch kind {
	case "Pod", "Service", "ConfigMap", "Secret", "Namespace", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "PodDisruptionBudget":
	default:
		l.add(d, ScenarioKind, path+".kind", "Unsupported value: %q: supported values: \"Pod\", \"Service\", \"ConfigMap\", \"Secret\", \"Namespace\", \"Deployment\", \"ReplicaSet\", \"StatefulSet\", \"DaemonSet\", \"Job\", \"PodDisruptionBudget\"", kind)
		return "", nil
	}
	if del.Name == "" {
		l.add(d, ScenarioKind, path+".name", "Required value")
		return "", nil
	}
	ns := nsOf(del.Namespace)
	if kind == "Namespace" {
		ns = ""
	}
	key := kind + "/" + ns + "/" + del.Name
	if !exists[key] {
		l.add(d, ScenarioKind, path+".name", "Not found: no %s %q exists at that time", kind, del.Name)
		return "", nil
	}
	delete(exists, key)
	if g := del.GracePeriodSeconds; g != nil && *g < 0 {
		l.add(d, ScenarioKind, path+".gracePeriodSeconds", "Invalid value: %d: must be greater than or equal to 0", *g)
	}
	if kind != "Pod" {
		if del.GracePeriodSeconds != nil || del.Force {
			l.add(d, ScenarioKind, path+".force", "Forbidden: gracePeriodSeconds and force are for pods")
		}
		if newWorkloadObject(apiVersionOfKind(kind), kind) != nil {
			return "delete " + strings.ToLower(kind) + " " + del.Name, func(c *sim.Cluster) error { return c.DeleteWorkload(kind, ns, del.Name) }
		}
		return "delete " + strings.ToLower(kind) + " " + del.Name, func(c *sim.Cluster) error { return c.Delete(kind, ns, del.Name) }
	}
	if del.GracePeriodSeconds != nil && *del.GracePeriodSeconds == 0 && !del.Force {
		l.add(d, ScenarioKind, path+".gracePeriodSeconds", "Invalid value: 0: --grace-period=0 must have either --force specified, or --wait to be set to true")
	}
	opts := sim.DeleteOptions{GracePeriodSeconds: del.GracePeriodSeconds, Force: del.Force}
	return "delete pod " + del.Name, func(c *sim.Cluster) error { return c.DeletePod(ns, del.Name, opts) }
}

func (l *loader) conditionAction(d *document, path string, sc *SetConditionDoc, exists map[string]bool) (string, func(*sim.Cluster) error) {
	ns := nsOf(sc.Namespace)
	if !exists["Pod/"+ns+"/"+sc.Pod] {
		l.add(d, ScenarioKind, path+".pod", "Not found: no pod %q exists at that time", sc.Pod)
		return "", nil
	}
	switch corev1.PodConditionType(sc.Type) {
	case "":
		l.add(d, ScenarioKind, path+".type", "Required value")
		return "", nil
	case corev1.PodScheduled, corev1.PodReady, corev1.PodInitialized, corev1.ContainersReady, corev1.PodReadyToStartContainers:
		l.add(d, ScenarioKind, path+".type", "Forbidden: the kubelet owns the %s condition; set a readiness gate's condition instead", sc.Type)
		return "", nil
	}
	switch sc.Status {
	case corev1.ConditionTrue, corev1.ConditionFalse, corev1.ConditionUnknown:
	default:
		l.add(d, ScenarioKind, path+".status", "Unsupported value: %q: supported values: \"True\", \"False\", \"Unknown\"", sc.Status)
		return "", nil
	}
	cond := corev1.PodCondition{Type: corev1.PodConditionType(sc.Type), Status: sc.Status, Reason: sc.Reason, Message: sc.Message}
	return fmt.Sprintf("set condition %s=%s on pod %s", sc.Type, sc.Status, sc.Pod), func(c *sim.Cluster) error {
		return c.SetPodCondition(ns, sc.Pod, cond)
	}
}

func (l *loader) containerAction(d *document, path string, ca *ContainerActionDoc, exists map[string]bool, podSpecs map[string]*corev1.Pod) (string, func(*sim.Cluster) error) {
	ns := nsOf(ca.Namespace)
	if !exists["Pod/"+ns+"/"+ca.Pod] {
		l.add(d, ScenarioKind, path+".pod", "Not found: no pod %q exists at that time", ca.Pod)
		return "", nil
	}
	if p := podSpecs[ns+"/"+ca.Pod]; p != nil && findContainer(p, ca.Container) == nil {
		l.add(d, ScenarioKind, path+".container", "Not found: pod %q has no container %q", ca.Pod, ca.Container)
		return "", nil
	}
	// Each action as the error for a failed one says it ("create file F")
	// and as the trace records it ("created file F").
	var ops, todo, done []string
	var do func(*behavior.Container)
	add := func(op, what, did string, fn func(*behavior.Container)) {
		ops, todo, done, do = append(ops, op), append(todo, what), append(done, did), fn
	}
	if ca.CreateFile != "" {
		add("createFile", "create file "+ca.CreateFile, "created file "+ca.CreateFile, func(c *behavior.Container) { c.SetFile(ca.CreateFile, "") })
	}
	if ca.RemoveFile != "" {
		add("removeFile", "remove file "+ca.RemoveFile, "removed file "+ca.RemoveFile, func(c *behavior.Container) { c.RemoveFile(ca.RemoveFile) })
	}
	// As with steps, "openPort: 0" is written, not absent.
	if ca.OpenPort != 0 || d.has(path+".openPort") {
		l.port(d, path+".openPort", ca.OpenPort)
		add("openPort", fmt.Sprintf("open port %d", ca.OpenPort), fmt.Sprintf("opened port %d", ca.OpenPort), func(c *behavior.Container) { c.SetListening(ca.OpenPort, true) })
	}
	if ca.ClosePort != 0 || d.has(path+".closePort") {
		l.port(d, path+".closePort", ca.ClosePort)
		add("closePort", fmt.Sprintf("close port %d", ca.ClosePort), fmt.Sprintf("closed port %d", ca.ClosePort), func(c *behavior.Container) { c.SetListening(ca.ClosePort, false) })
	}
	if len(ops) != 1 {
		l.add(d, ScenarioKind, path, "a container action needs exactly one of createFile, removeFile, openPort, closePort")
		return "", nil
	}
	what, did := todo[0], done[0]
	return what, func(c *sim.Cluster) error {
		return c.InContainer(ns, ca.Pod, ca.Container, did, do)
	}
}
