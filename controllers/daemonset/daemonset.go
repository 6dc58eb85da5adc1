package daemonset

import (
	"fmt"
	"slices"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/controllerutil"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/internal/workqueue"
	"github.com/podsim/podsim/trace"
)

// Actor is the name the controller writes under (its event source).
const Actor = "daemonset-controller"

// Kind is the kind the controller manages.
const Kind = "DaemonSet"

// TemplateGenerationLabel is the deprecated label of the template's
// generation on daemon pods (k8s.io/api/apps/v1 DaemonSetTemplateGenerationKey).
const TemplateGenerationLabel = "pod-template-generation"

var controllerKind = appsv1.SchemeGroupVersion.WithKind(Kind)

// Client is what the DaemonSet controller asks of the API server.
type Client interface {
	WatchPods(sel fields.Selector, fn func(op trace.Op, pod *corev1.Pod)) error
	WatchKinds(fn func(kind string, op trace.Op, key types.NamespacedName), kinds ...string)
	EachPod(fn func(*corev1.Pod))
	CreatePod(p *corev1.Pod, actor, cause string) error
	DeletePod(key types.NamespacedName, uid types.UID, grace *int64, actor, cause string) bool
	Node(name string) *corev1.Node
	NodeNames() []string
	Workload(kind string, key types.NamespacedName) runtime.Object
	WorkloadKeys(kind string) []types.NamespacedName
	UpdateWorkload(kind string, key types.NamespacedName, uid types.UID, actor, cause string, mutate func(runtime.Object)) (bool, error)
}

// Config is what the controller is built from.
type Config struct {
	Engine *engine.Engine
	Client Client
	Events *record.Recorder
}

// Controller is the DaemonSet controller.
type Controller struct {
	eng    *engine.Engine
	api    Client
	events *record.Recorder
	queue  *workqueue.Queue
}

// New returns a controller watching DaemonSets, their pods and nodes.
func New(cfg Config) (*Controller, error) {
	c := &Controller{eng: cfg.Engine, api: cfg.Client, events: cfg.Events}
	c.queue = workqueue.Default(cfg.Engine, c.sync)
	if err := cfg.Client.WatchPods(fields.Everything(), c.onPod); err != nil {
		return nil, err
	}
	cfg.Client.WatchKinds(func(kind string, _ trace.Op, key types.NamespacedName) {
		switch kind {
		case Kind:
			c.queue.Add(key.String())
		case "Node":
			for _, k := range c.api.WorkloadKeys(Kind) {
				c.queue.Add(k.String())
			}
		}
	}, Kind, "Node")
	return c, nil
}

func (c *Controller) onPod(_ trace.Op, p *corev1.Pod) {
	ds := controllerutil.ResolveControllerRef(p, Kind, func(k types.NamespacedName) *appsv1.DaemonSet {
		ds, _ := c.api.Workload(Kind, k).(*appsv1.DaemonSet)
		return ds
	})
	if ds == nil {
		return
	}
	key := types.NamespacedName{Namespace: ds.Namespace, Name: ds.Name}
	c.queue.Add(key.String())
	if ds.Spec.MinReadySeconds > 0 && controllerutil.IsPodReady(p) {
		c.queue.AddAfter(key.String(), time.Duration(ds.Spec.MinReadySeconds)*time.Second+time.Second)
	}
}

// daemonTolerations are those AddOrUpdateDaemonPodTolerations gives every
// daemon pod (pkg/controller/daemon/util/daemonset_util.go).
func daemonTolerations(hostNetwork bool) []corev1.Toleration {
	out := []corev1.Toleration{
		{Key: corev1.TaintNodeNotReady, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute},
		{Key: corev1.TaintNodeUnreachable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute},
		{Key: corev1.TaintNodeDiskPressure, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
		{Key: corev1.TaintNodeMemoryPressure, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
		{Key: corev1.TaintNodePIDPressure, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
		{Key: corev1.TaintNodeUnschedulable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
	}
	if hostNetwork {
		out = append(out, corev1.Toleration{Key: corev1.TaintNodeNetworkUnavailable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule})
	}
	return out
}

// addTolerations adds the daemon tolerations the pod does not have
// (AddOrUpdateTolerationInPodSpec).
func addTolerations(spec *corev1.PodSpec) {
	for _, t := range daemonTolerations(spec.HostNetwork) {
		if !slices.ContainsFunc(spec.Tolerations, func(o corev1.Toleration) bool { return o.MatchToleration(&t) }) {
			spec.Tolerations = append(spec.Tolerations, t)
		}
	}
}

// nodeAffinityTo is ReplaceDaemonSetPodNodeNameNodeAffinity: the required
// node affinity becomes the one node, by metadata.name.
func nodeAffinityTo(a *corev1.Affinity, node string) *corev1.Affinity {
	req := corev1.NodeSelectorRequirement{Key: metav1.ObjectNameField, Operator: corev1.NodeSelectorOpIn, Values: []string{node}}
	sel := &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchFields: []corev1.NodeSelectorRequirement{req}}}}
	switch {
	case a == nil:
		return &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: sel}}
	case a.NodeAffinity == nil:
		a.NodeAffinity = &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: sel}
	case a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil:
		a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = sel
	default:
		a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms = sel.NodeSelectorTerms
	}
	return a
}

// targetNode is the node a daemon pod is for: its nodeName, else the node
// of its affinity (util.GetTargetNodeName).
func targetNode(p *corev1.Pod) string {
	if p.Spec.NodeName != "" {
		return p.Spec.NodeName
	}
	if a := p.Spec.Affinity; a != nil && a.NodeAffinity != nil && a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil {
		for _, t := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
			for _, f := range t.MatchFields {
				if f.Key == metav1.ObjectNameField && f.Operator == corev1.NodeSelectorOpIn && len(f.Values) == 1 {
					return f.Values[0]
				}
			}
		}
	}
	return ""
}

// shouldRun is nodeShouldRunDaemonPod: whether the node should run the
// daemon pod, and whether a pod already there may keep running.
func shouldRun(ds *appsv1.DaemonSet, n *corev1.Node) (run, keep bool) {
	spec := ds.Spec.Template.Spec.DeepCopy()
	addTolerations(spec)
	if spec.NodeName != "" && spec.NodeName != n.Name {
		return false, false
	}
	if !matchesNode(spec, n) {
		return false, false
	}
	run, keep = true, true
	for _, t := range n.Spec.Taints {
		if t.Effect != corev1.TaintEffectNoSchedule && t.Effect != corev1.TaintEffectNoExecute {
			continue
		}
		if !podutil.ToleratesTaint(spec.Tolerations, t) {
			run = false
			if t.Effect == corev1.TaintEffectNoExecute {
				keep = false
			}
		}
	}
	return run, keep
}

// matchesNode: the nodeSelector labels and one of the required node
// affinity terms (nodeaffinity.GetRequiredNodeAffinity(pod).Match).
func matchesNode(spec *corev1.PodSpec, n *corev1.Node) bool {
	for k, v := range spec.NodeSelector {
		if n.Labels[k] != v {
			return false
		}
	}
	a := spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return true
	}
	for _, term := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
		if termMatches(term, n) {
			return true
		}
	}
	return false
}

func termMatches(term corev1.NodeSelectorTerm, n *corev1.Node) bool {
	if len(term.MatchExpressions) == 0 && len(term.MatchFields) == 0 {
		return false
	}
	for _, r := range term.MatchExpressions {
		if !requirementMatches(r, n.Labels[r.Key], hasKey(n.Labels, r.Key)) {
			return false
		}
	}
	for _, r := range term.MatchFields {
		if r.Key != metav1.ObjectNameField || !requirementMatches(r, n.Name, true) {
			return false
		}
	}
	return true
}

func hasKey(m map[string]string, k string) bool { _, ok := m[k]; return ok }

func requirementMatches(r corev1.NodeSelectorRequirement, v string, present bool) bool {
	switch r.Operator {
	case corev1.NodeSelectorOpIn:
		return present && slices.Contains(r.Values, v)
	case corev1.NodeSelectorOpNotIn:
		return !present || !slices.Contains(r.Values, v)
	case corev1.NodeSelectorOpExists:
		return present
	case corev1.NodeSelectorOpDoesNotExist:
		return !present
	}
	// Gt and Lt on node labels are left to the scheduler: podsim's daemon
	// pods are offered to such nodes and the scheduler decides.
	return present
}

func splitKey(key string) types.NamespacedName {
	ns, name, _ := strings.Cut(key, "/")
	return types.NamespacedName{Namespace: ns, Name: name}
}

func (c *Controller) wall() time.Time { return c.eng.Wall(c.eng.Now()) }

// sync is syncDaemonSet: manage the pods of each node, then the status.
func (c *Controller) sync(key string) error {
	ds, _ := c.api.Workload(Kind, splitKey(key)).(*appsv1.DaemonSet)
	if ds == nil {
		return nil
	}
	byNode := c.podsByNode(ds)
	hash := controllerutil.ComputeHash(&ds.Spec.Template, ds.Status.CollisionCount)
	var firstErr error
	for _, name := range c.api.NodeNames() {
		n := c.api.Node(name)
		if n == nil {
			continue
		}
		run, keep := shouldRun(ds, n)
		pods := byNode[name]
		switch {
		case run && len(pods) == 0:
			if err := c.createPod(ds, name, hash); err != nil && firstErr == nil {
				firstErr = err
			}
		case keep:
			var alive []*corev1.Pod
			for _, p := range pods {
				if p.DeletionTimestamp != nil {
					continue
				}
				if p.Status.Phase == corev1.PodFailed {
					c.events.Event(ref(ds), corev1.EventTypeWarning, "FailedDaemonPod",
						fmt.Sprintf("Found failed daemon pod %s/%s on node %s, will try to kill it", p.Namespace, p.Name, name))
					c.deletePod(ds, p)
					continue
				}
				alive = append(alive, p)
			}
			if len(alive) > 1 {
				// Keep the oldest (podsByCreationTimestampAndPhase).
				slices.SortStableFunc(alive, func(a, b *corev1.Pod) int { return a.CreationTimestamp.Compare(b.CreationTimestamp.Time) })
				for _, p := range alive[1:] {
					c.deletePod(ds, p)
				}
			}
		default:
			for _, p := range pods {
				if p.DeletionTimestamp == nil {
					c.deletePod(ds, p)
				}
			}
		}
	}
	c.updateStatus(ds, hash)
	return firstErr
}

// podsByNode lists the DaemonSet's pods by target node, in name order.
func (c *Controller) podsByNode(ds *appsv1.DaemonSet) map[string][]*corev1.Pod {
	sel, err := metav1.LabelSelectorAsSelector(ds.Spec.Selector)
	out := map[string][]*corev1.Pod{}
	if err != nil {
		return out
	}
	var all []*corev1.Pod
	c.api.EachPod(func(p *corev1.Pod) {
		if p.Namespace != ds.Namespace || !sel.Matches(labels.Set(p.Labels)) {
			return
		}
		if ref := metav1.GetControllerOf(p); ref != nil && ref.UID == ds.UID {
			all = append(all, p)
		}
	})
	slices.SortFunc(all, func(a, b *corev1.Pod) int { return strings.Compare(a.Name, b.Name) })
	for _, p := range all {
		if n := targetNode(p); n != "" {
			out[n] = append(out[n], p)
		}
	}
	return out
}

// createPod makes the daemon pod for a node (CreatePods with the node's
// affinity and the daemon tolerations).
func (c *Controller) createPod(ds *appsv1.DaemonSet, node, hash string) error {
	owner := metav1.NewControllerRef(ds, controllerKind)
	pod := controllerutil.PodFromTemplate(&ds.Spec.Template, ds.Name, owner)
	pod.Namespace = ds.Namespace
	pod.Labels[appsv1.ControllerRevisionHashLabelKey] = hash
	pod.Labels[TemplateGenerationLabel] = fmt.Sprint(ds.Generation)
	addTolerations(&pod.Spec)
	pod.Spec.Affinity = nodeAffinityTo(pod.Spec.Affinity, node)
	if err := c.api.CreatePod(pod, Actor, "created by DaemonSet "+ds.Name+" for node "+node); err != nil {
		c.events.Event(ref(ds), corev1.EventTypeWarning, controllerutil.FailedCreatePodReason, "Error creating: "+err.Error())
		return err
	}
	c.events.Event(ref(ds), corev1.EventTypeNormal, controllerutil.SuccessfulCreatePodReason, "Created pod: "+pod.Name)
	return nil
}

func (c *Controller) deletePod(ds *appsv1.DaemonSet, p *corev1.Pod) {
	if c.api.DeletePod(podutil.KeyOf(p), p.UID, nil, Actor, "deleted by DaemonSet "+ds.Name) {
		c.events.Event(ref(ds), corev1.EventTypeNormal, controllerutil.SuccessfulDeletePodReason, "Deleted pod: "+p.Name)
	}
}

// updateStatus is updateDaemonSetStatus.
func (c *Controller) updateStatus(ds *appsv1.DaemonSet, hash string) {
	byNode := c.podsByNode(ds)
	now := c.wall()
	var st appsv1.DaemonSetStatus
	for _, name := range c.api.NodeNames() {
		n := c.api.Node(name)
		if n == nil {
			continue
		}
		run, _ := shouldRun(ds, n)
		pods := byNode[name]
		if run {
			st.DesiredNumberScheduled++
		}
		if len(pods) == 0 {
			continue
		}
		if !run {
			st.NumberMisscheduled++
			continue
		}
		st.CurrentNumberScheduled++
		p := pods[0]
		if controllerutil.IsPodReady(p) {
			st.NumberReady++
			if controllerutil.IsPodAvailable(p, ds.Spec.MinReadySeconds, now) {
				st.NumberAvailable++
			}
		}
		if p.Labels[appsv1.ControllerRevisionHashLabelKey] == hash {
			st.UpdatedNumberScheduled++
		}
	}
	st.NumberUnavailable = max(st.DesiredNumberScheduled-st.NumberAvailable, 0)
	st.ObservedGeneration = ds.Generation
	st.CollisionCount = ds.Status.CollisionCount
	st.Conditions = ds.Status.Conditions
	if apiequality.Semantic.DeepEqual(ds.Status, st) {
		return
	}
	cause := fmt.Sprintf("%d desired, %d scheduled, %d ready", st.DesiredNumberScheduled, st.CurrentNumberScheduled, st.NumberReady)
	_, _ = c.api.UpdateWorkload(Kind, types.NamespacedName{Namespace: ds.Namespace, Name: ds.Name}, ds.UID, Actor, cause, func(o runtime.Object) {
		o.(*appsv1.DaemonSet).Status = st
	})
}

func ref(ds *appsv1.DaemonSet) corev1.ObjectReference {
	return controllerutil.ObjectRef(ds, Kind, "apps/v1")
}
