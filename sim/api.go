package sim

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/trace"
)

type objKey struct{ ns, name string }

func (k objKey) String() string { return k.ns + "/" + k.name }

func keyOf(m metav1.Object) objKey { return objKey{m.GetNamespace(), m.GetName()} }

// podWatcher receives pod watch events after the watch latency, each with
// its own copy of the object.
type podWatcher func(op trace.Op, pod *corev1.Pod)

// apiServer is the cluster's object store. Every write gets a new
// resourceVersion; a write that changes nothing is dropped, as etcd3's
// GuaranteedUpdate short-circuits it, so it produces no watch event.
type apiServer struct {
	c  *Cluster
	rv int64

	pods       map[objKey]*corev1.Pod
	nodes      map[string]*corev1.Node
	services   map[objKey]*corev1.Service
	endpoints  map[objKey]*corev1.Endpoints
	configMaps map[objKey]*corev1.ConfigMap
	secrets    map[objKey]*corev1.Secret
	events     map[objKey]*corev1.Event

	podWatchers    []podWatcher
	objectWatchers []func(kind string, op trace.Op, key objKey)
}

func newAPIServer(c *Cluster) *apiServer {
	return &apiServer{
		c:          c,
		pods:       map[objKey]*corev1.Pod{},
		nodes:      map[string]*corev1.Node{},
		services:   map[objKey]*corev1.Service{},
		endpoints:  map[objKey]*corev1.Endpoints{},
		configMaps: map[objKey]*corev1.ConfigMap{},
		secrets:    map[objKey]*corev1.Secret{},
		events:     map[objKey]*corev1.Event{},
	}
}

func (a *apiServer) nextRV() string {
	a.rv++
	return strconv.FormatInt(a.rv, 10)
}

// stamp is an API timestamp for virtual time t: the epoch plus t, kept to
// the second as the API server keeps it (metav1.Time serializes seconds).
func (c *Cluster) stamp(t time.Duration) metav1.Time {
	return metav1.NewTime(c.cfg.Epoch.Add(t).Truncate(time.Second))
}

// wall is the precise wall-clock time of virtual time t, as components see
// it before anything is written to the API.
func (c *Cluster) wall(t time.Duration) time.Time { return c.cfg.Epoch.Add(t) }

func (a *apiServer) watchPods(w podWatcher) { a.podWatchers = append(a.podWatchers, w) }

// podChanged records a change of a stored pod and tells watchers. A stored
// pod is never modified again (an update stores a modified copy), so the
// trace and every watcher share it: watchers must not modify what they get.
func (a *apiServer) podChanged(op trace.Op, old, pod *corev1.Pod, actor, cause string) {
	c := a.c
	pod.ResourceVersion = a.nextRV()
	rec := trace.Record{
		T: c.eng.Now(), Kind: "Pod", Op: op, Namespace: pod.Namespace, Name: pod.Name,
		Actor: actor, Cause: cause, Changes: podChanges(old, pod), Pod: pod,
	}
	c.record(rec)
	if c.inv != nil {
		c.inv.checkPod(c, old, pod)
	}
	for _, w := range a.podWatchers {
		w := w
		c.eng.After(c.cfg.Env.Timing.Watch, PriorityAPI, func() { w(op, pod) })
	}
}

// updatePod applies mutate to a copy of the stored pod and stores it if
// anything changed. It reports whether the pod exists.
func (a *apiServer) updatePod(key objKey, uid string, actor, cause string, mutate func(p *corev1.Pod)) bool {
	cur, ok := a.pods[key]
	if !ok || (uid != "" && string(cur.UID) != uid) {
		return false
	}
	next := cur.DeepCopy()
	mutate(next)
	same := podEqual(cur, next)
	if a.c.inv != nil && same != apiequality.Semantic.DeepEqual(cur, next) {
		a.c.fail(fmt.Errorf("%w: podEqual disagrees with semantic equality for pod %s (%s)", ErrInvariant, key, cause))
	}
	if same {
		return true // a no-op write: no new version, no watch event
	}
	a.pods[key] = next
	a.podChanged(trace.Modified, cur, next, actor, cause)
	return true
}

// removePod deletes the pod object for good.
func (a *apiServer) removePod(key objKey, actor, cause string) {
	cur, ok := a.pods[key]
	if !ok {
		return
	}
	delete(a.pods, key)
	gone := cur.DeepCopy() // a new resourceVersion: not the stored object
	a.podChanged(trace.Deleted, cur, gone, actor, cause)
}

// sortedPodKeys lists the stored pods in name order, for deterministic walks.
func (a *apiServer) sortedPodKeys() []objKey {
	keys := make([]objKey, 0, len(a.pods))
	for k := range a.pods {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y objKey) int {
		if x.ns != y.ns {
			return cmpString(x.ns, y.ns)
		}
		return cmpString(x.name, y.name)
	})
	return keys
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// notifyObject tells the controllers that watch other kinds.
func (a *apiServer) notifyObject(kind string, op trace.Op, key objKey, obj any, actor, cause string) {
	c := a.c
	c.record(trace.Record{T: c.eng.Now(), Kind: kind, Op: op, Namespace: key.ns, Name: key.name, Actor: actor, Cause: cause, Object: obj})
	for _, w := range a.objectWatchers {
		w := w
		c.eng.After(c.cfg.Env.Timing.Watch, PriorityAPI, func() { w(kind, op, key) })
	}
}

// podChanges summarises what a pod update changed, for the trace.
func podChanges(old, cur *corev1.Pod) []string {
	if old == nil {
		return []string{"created"}
	}
	var out []string
	add := func(field string, a, b any) {
		if fmt.Sprint(a) != fmt.Sprint(b) {
			out = append(out, fmt.Sprintf("%s: %v → %v", field, a, b))
		}
	}
	add("spec.nodeName", orNone(old.Spec.NodeName), orNone(cur.Spec.NodeName))
	if (old.DeletionTimestamp == nil) != (cur.DeletionTimestamp == nil) || (old.DeletionGracePeriodSeconds != nil && cur.DeletionGracePeriodSeconds != nil && *old.DeletionGracePeriodSeconds != *cur.DeletionGracePeriodSeconds) {
		add("metadata.deletionGracePeriodSeconds", int64OrNone(old.DeletionGracePeriodSeconds), int64OrNone(cur.DeletionGracePeriodSeconds))
	}
	for _, k := range sortedKeys(mergeKeys(old.Annotations, cur.Annotations)) {
		ov, ook := old.Annotations[k]
		nv, nok := cur.Annotations[k]
		if ov != nv || ook != nok {
			add("metadata.annotations["+k+"]", quoteOrAbsent(ov, ook), quoteOrAbsent(nv, nok))
		}
	}
	add("status.phase", old.Status.Phase, cur.Status.Phase)
	add("status.reason", orNone(old.Status.Reason), orNone(cur.Status.Reason))
	add("status.podIP", orNone(old.Status.PodIP), orNone(cur.Status.PodIP))
	for _, cond := range cur.Status.Conditions {
		prev := findCondition(old.Status.Conditions, cond.Type)
		was := "absent"
		if prev != nil {
			was = string(prev.Status)
		}
		add("condition "+string(cond.Type), was, cond.Status)
	}
	statusChanges := func(prefix string, olds, news []corev1.ContainerStatus) {
		for _, n := range news {
			o := findStatus(olds, n.Name)
			var was corev1.ContainerStatus
			if o != nil {
				was = *o
			}
			add(prefix+n.Name+" state", stateString(was.State), stateString(n.State))
			add(prefix+n.Name+" ready", was.Ready, n.Ready)
			add(prefix+n.Name+" restartCount", was.RestartCount, n.RestartCount)
		}
	}
	statusChanges("init container ", old.Status.InitContainerStatuses, cur.Status.InitContainerStatuses)
	statusChanges("container ", old.Status.ContainerStatuses, cur.Status.ContainerStatuses)
	return out
}

func orNone(s string) string {
	if s == "" {
		return "<none>"
	}
	return s
}

func int64OrNone(p *int64) string {
	if p == nil {
		return "<none>"
	}
	return strconv.FormatInt(*p, 10)
}

func quoteOrAbsent(v string, ok bool) string {
	if !ok {
		return "<absent>"
	}
	return strconv.Quote(v)
}

func mergeKeys(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k := range a {
		out[k] = ""
	}
	for k := range b {
		out[k] = ""
	}
	return out
}

// sortedKeys lists a map's keys in order, so that no outcome depends on
// map iteration order.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

func findCondition(conds []corev1.PodCondition, t corev1.PodConditionType) *corev1.PodCondition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}

func findStatus(statuses []corev1.ContainerStatus, name string) *corev1.ContainerStatus {
	for i := range statuses {
		if statuses[i].Name == name {
			return &statuses[i]
		}
	}
	return nil
}

// stateString is a container state in a word or two: "waiting
// CrashLoopBackOff", "running", "terminated Error (137)".
func stateString(s corev1.ContainerState) string {
	switch {
	case s.Running != nil:
		return "running"
	case s.Terminated != nil:
		return fmt.Sprintf("terminated %s (%d)", s.Terminated.Reason, s.Terminated.ExitCode)
	case s.Waiting != nil:
		if s.Waiting.Reason == "" {
			return "waiting"
		}
		return "waiting " + s.Waiting.Reason
	}
	return "<none>"
}

func slicesSortKeys(keys []objKey) {
	slices.SortFunc(keys, func(x, y objKey) int {
		if x.ns != y.ns {
			return cmpString(x.ns, y.ns)
		}
		return cmpString(x.name, y.name)
	})
}
