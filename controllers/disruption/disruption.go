// Package disruption is the disruption controller
// (pkg/controller/disruption/disruption.go): it keeps the status of every
// PodDisruptionBudget exact, so that the Eviction API can tell whether one
// more voluntary disruption is allowed.
//
// For each budget it counts the pods of its namespace that its selector
// picks:
//
//   - expectedPods and desiredHealthy: with an integer minAvailable, the
//     pods found and minAvailable; with maxUnavailable or a percentage, the
//     sum of the scales of the pods' controllers (a Deployment through its
//     ReplicaSet, a ReplicaSet, a StatefulSet), maxUnavailable rounded up,
//     desiredHealthy = expected − maxUnavailable (at least 0). A selected
//     pod without a controller is "unmanaged" (a Warning event, and it
//     adds nothing); one whose controller cannot be found or has no scale
//     makes the sync fail: disruptionsAllowed 0 and DisruptionAllowed
//     False with reason SyncFailed.
//   - currentHealthy: the pods that are Ready, not being deleted, and not
//     in status.disruptedPods — the pods the API server let go by eviction
//     less than DeletionTimeout (2 min) ago. An entry older than that is
//     dropped with a NotDeleted event.
//   - disruptionsAllowed = currentHealthy − desiredHealthy, never below 0,
//     and 0 while expectedPods is 0; the DisruptionAllowed condition
//     (SufficientPods / InsufficientPods); observedGeneration.
//
// It also resets a DisruptionTarget condition left on a pod that was not
// deleted after all (2 min, 1.26 and later).
//
// It reaches the cluster only through its [Client].
package disruption

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// Actor is the name the controller writes under.
const Actor = "disruption-controller"

// Component is the event source of the controller
// (disruption.go: v1.EventSource{Component: "controllermanager"}).
const Component = "controllermanager"

// Timeouts of disruption.go.
const (
	// DeletionTimeout is how long an entry of status.disruptedPods keeps
	// its pod out of currentHealthy while the pod is not deleted.
	DeletionTimeout = 2 * time.Minute
	// stalePodDisruptionTimeout is how long a DisruptionTarget condition may
	// stay on a pod that is not being deleted.
	stalePodDisruptionTimeout = 2 * time.Minute
)

// Client is what the disruption controller asks of the API server.
type Client interface {
	WatchPods(sel fields.Selector, fn func(op trace.Op, pod *corev1.Pod)) error
	WatchKinds(fn func(kind string, op trace.Op, key types.NamespacedName), kinds ...string)
	// EachPod calls fn for every pod, in no particular order.
	EachPod(fn func(*corev1.Pod))
	Pod(key types.NamespacedName) *corev1.Pod
	UpdatePod(key types.NamespacedName, uid types.UID, actor, cause string, mutate func(*corev1.Pod)) bool
	PodDisruptionBudgets() []*policyv1.PodDisruptionBudget
	PodDisruptionBudget(key types.NamespacedName) *policyv1.PodDisruptionBudget
	UpdatePodDisruptionBudgetStatus(key types.NamespacedName, actor, cause string, mutate func(*policyv1.PodDisruptionBudgetStatus)) bool
	// Workload returns the stored Deployment, ReplicaSet or StatefulSet (a
	// pod's controller), or nil.
	Workload(kind string, key types.NamespacedName) runtime.Object
	Stamp(t time.Duration) metav1.Time
}

// Config is what a controller is built from.
type Config struct {
	Engine  *engine.Engine
	Client  Client
	Profile *profile.Profile
	// Events records the controller's events (source controllermanager).
	Events *record.Recorder
}

// Controller keeps PodDisruptionBudget status.
type Controller struct {
	eng    *engine.Engine
	api    Client
	prof   *profile.Profile
	events *record.Recorder
	// queued are the budgets due for a sync at the current instant (the
	// work queue, which holds a key once however often it is added).
	queued map[types.NamespacedName]bool
	// stale are the pods whose DisruptionTarget reset is armed.
	stale map[types.NamespacedName]bool
}

// New returns a controller watching pods, budgets and workloads.
func New(cfg Config) (*Controller, error) {
	c := &Controller{eng: cfg.Engine, api: cfg.Client, prof: cfg.Profile, events: cfg.Events,
		queued: map[types.NamespacedName]bool{}, stale: map[types.NamespacedName]bool{}}
	if err := cfg.Client.WatchPods(fields.Everything(), c.onPod); err != nil {
		return nil, err
	}
	cfg.Client.WatchKinds(c.onObject, "PodDisruptionBudget", "ReplicaSet", "Deployment", "StatefulSet")
	return c, nil
}

func (c *Controller) onObject(kind string, _ trace.Op, key types.NamespacedName) {
	switch kind {
	case "PodDisruptionBudget":
		c.enqueue(key)
	case "ReplicaSet", "Deployment", "StatefulSet":
		// A scale change changes expectedPods; the real controller sees it
		// at its next sync of the budget, which any pod change causes.
		for _, pdb := range c.api.PodDisruptionBudgets() {
			if pdb.Namespace == key.Namespace {
				c.enqueue(podutil.KeyOf(pdb))
			}
		}
	}
}

// onPod enqueues the budget of the pod (getPdbForPod: the first, with a
// Warning when several select it) and arms the stale-condition reset.
func (c *Controller) onPod(op trace.Op, p *corev1.Pod) {
	if pdbs := c.budgetsFor(p); len(pdbs) > 0 {
		if len(pdbs) > 1 && op != trace.Deleted {
			c.events.Event(podutil.PodRef(p, ""), corev1.EventTypeWarning, "MultiplePodDisruptionBudgets",
				fmt.Sprintf("Pod %q/%q matches multiple PodDisruptionBudgets.  Chose %q arbitrarily.", p.Namespace, p.Name, pdbs[0].Name))
		}
		c.enqueue(podutil.KeyOf(pdbs[0]))
	}
	if op != trace.Deleted {
		c.armStaleReset(p)
	}
}

// budgetsFor lists the budgets of the pod's namespace that select it
// (PodDisruptionBudgetLister.GetPodPodDisruptionBudgets: a nil selector
// selects nothing, an empty one everything).
func (c *Controller) budgetsFor(p *corev1.Pod) []*policyv1.PodDisruptionBudget {
	var out []*policyv1.PodDisruptionBudget
	for _, pdb := range c.api.PodDisruptionBudgets() {
		if pdb.Namespace != p.Namespace {
			continue
		}
		sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
		if err != nil || !sel.Matches(labels.Set(p.Labels)) {
			continue
		}
		out = append(out, pdb)
	}
	return out
}

// enqueue syncs the budget at this instant, once however many changes
// arrive in it.
func (c *Controller) enqueue(key types.NamespacedName) {
	if c.queued[key] {
		return
	}
	c.queued[key] = true
	c.eng.After(0, engine.PriorityNormal, func() {
		delete(c.queued, key)
		c.sync(key)
	})
}

// sync is the controller's sync of one budget.
func (c *Controller) sync(key types.NamespacedName) {
	pdb := c.api.PodDisruptionBudget(key)
	if pdb == nil {
		return
	}
	ref := corev1.ObjectReference{Kind: "PodDisruptionBudget", APIVersion: "policy/v1", Namespace: pdb.Namespace, Name: pdb.Name, UID: pdb.UID}
	pods := c.podsFor(pdb)
	if len(pods) == 0 {
		c.events.Event(ref, corev1.EventTypeNormal, "NoPods", "No matching pods found")
	}
	expected, desired, unmanaged, err := c.expectedPodCount(pdb, pods)
	if err != nil {
		c.events.Event(ref, corev1.EventTypeWarning, "CalculateExpectedPodCountFailed", fmt.Sprintf("Failed to calculate the number of expected pods: %v", err))
		c.failSafe(pdb, err)
		return
	}
	if len(unmanaged) > 0 {
		c.events.Event(ref, corev1.EventTypeWarning, "UnmanagedPods", fmt.Sprintf("Pods selected by this PodDisruptionBudget (selector: %v) were found "+
			"to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. "+
			"To account for these pods please set \".spec.minAvailable\" "+
			"field of the PDB to an integer value.", pdb.Spec.Selector))
	}
	now := c.eng.Wall(c.eng.Now())
	disrupted, recheck := c.buildDisruptedPodMap(pods, pdb, now)
	healthy := countHealthyPods(pods, disrupted, now)
	c.updateStatus(pdb, healthy, desired, expected, disrupted)
	if recheck != nil {
		// A real clock has moved past the entry's expiry when the recheck
		// runs; a virtual one would stand on it, so the recheck is one
		// nanosecond later.
		c.eng.After(recheck.Sub(now)+time.Nanosecond, engine.PriorityNormal, func() { c.enqueue(key) })
	}
}

// podsFor lists the pods the budget selects, by name.
func (c *Controller) podsFor(pdb *policyv1.PodDisruptionBudget) []*corev1.Pod {
	sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
	if err != nil {
		return nil
	}
	var pods []*corev1.Pod
	c.api.EachPod(func(p *corev1.Pod) {
		if p.Namespace == pdb.Namespace && sel.Matches(labels.Set(p.Labels)) {
			pods = append(pods, p)
		}
	})
	slices.SortFunc(pods, func(a, b *corev1.Pod) int { return cmp.Compare(a.Name, b.Name) })
	return pods
}

// expectedPodCount is getExpectedPodCount.
func (c *Controller) expectedPodCount(pdb *policyv1.PodDisruptionBudget, pods []*corev1.Pod) (expected, desired int32, unmanaged []string, err error) {
	switch {
	case pdb.Spec.MaxUnavailable != nil:
		if expected, unmanaged, err = c.expectedScale(pods); err != nil {
			return
		}
		var maxUnavailable int
		if maxUnavailable, err = intstr.GetScaledValueFromIntOrPercent(pdb.Spec.MaxUnavailable, int(expected), true); err != nil {
			return
		}
		desired = max(expected-int32(maxUnavailable), 0)
	case pdb.Spec.MinAvailable != nil && pdb.Spec.MinAvailable.Type == intstr.Int:
		desired = pdb.Spec.MinAvailable.IntVal
		expected = int32(len(pods))
	case pdb.Spec.MinAvailable != nil:
		if expected, unmanaged, err = c.expectedScale(pods); err != nil {
			return
		}
		var minAvailable int
		if minAvailable, err = intstr.GetScaledValueFromIntOrPercent(pdb.Spec.MinAvailable, int(expected), true); err != nil {
			return
		}
		desired = int32(minAvailable)
	}
	return
}

// expectedScale is getExpectedScale: the sum of the scales of the pods'
// controllers, each counted once.
func (c *Controller) expectedScale(pods []*corev1.Pod) (int32, []string, error) {
	scales := map[types.UID]int32{}
	var unmanaged []string
	for _, p := range pods {
		ref := metav1.GetControllerOf(p)
		if ref == nil {
			unmanaged = append(unmanaged, p.Name)
			continue
		}
		if _, ok := scales[ref.UID]; ok {
			continue
		}
		uid, scale, found, err := c.controllerScale(ref, p.Namespace)
		if err != nil {
			return 0, nil, err
		}
		if !found {
			return 0, nil, fmt.Errorf("found no controllers for pod %q", p.Name)
		}
		scales[uid] = scale
	}
	var sum int32
	for _, s := range scales {
		sum += s
	}
	return sum, unmanaged, nil
}

// controllerScale runs the finders in their order (disruption.go
// finders): a ReplicaSet's Deployment, a ReplicaSet of no Deployment, a
// StatefulSet, then the scale subresource, which the other workload kinds
// do not have.
func (c *Controller) controllerScale(ref *metav1.OwnerReference, ns string) (types.UID, int32, bool, error) {
	gv, err := schema.ParseGroupVersion(ref.APIVersion)
	if err != nil {
		return "", 0, false, err
	}
	key := types.NamespacedName{Namespace: ns, Name: ref.Name}
	inGroups := func(groups ...string) bool { return slices.Contains(groups, gv.Group) }
	switch {
	case ref.Kind == "ReplicaSet" && inGroups("apps", "extensions"):
		rs, _ := c.api.Workload("ReplicaSet", key).(*appsv1.ReplicaSet)
		if rs == nil || rs.UID != ref.UID {
			return "", 0, false, nil
		}
		if owner := metav1.GetControllerOf(rs); owner != nil && owner.Kind == "Deployment" {
			d, _ := c.api.Workload("Deployment", types.NamespacedName{Namespace: ns, Name: owner.Name}).(*appsv1.Deployment)
			if d == nil || d.UID != owner.UID {
				return "", 0, false, nil
			}
			return d.UID, replicas(d.Spec.Replicas), true, nil
		}
		return rs.UID, replicas(rs.Spec.Replicas), true, nil
	case ref.Kind == "StatefulSet" && inGroups("apps"):
		ss, _ := c.api.Workload("StatefulSet", key).(*appsv1.StatefulSet)
		if ss == nil || ss.UID != ref.UID {
			return "", 0, false, nil
		}
		return ss.UID, replicas(ss.Spec.Replicas), true, nil
	case ref.Kind == "ReplicationController" && gv.Group == "":
		// podsim stores no ReplicationControllers.
		return "", 0, false, nil
	}
	// getScaleController: a kind with no scale subresource is an error.
	if resource, ok := noScale[schema.GroupKind{Group: gv.Group, Kind: ref.Kind}]; ok {
		return "", 0, false, fmt.Errorf("%s does not implement the scale subresource", resource)
	}
	return "", 0, false, fmt.Errorf("no matches for kind %q in version %q", ref.Kind, ref.APIVersion)
}

// noScale are the workload kinds without a scale subresource, by the
// resource name the error gives.
var noScale = map[schema.GroupKind]string{
	{Group: "apps", Kind: "DaemonSet"}: "daemonsets.apps",
	{Group: "batch", Kind: "Job"}:      "jobs.batch",
	{Group: "batch", Kind: "CronJob"}:  "cronjobs.batch",
}

func replicas(r *int32) int32 {
	if r == nil {
		return 1
	}
	return *r
}

// buildDisruptedPodMap keeps the disruptedPods entries of pods not yet
// being deleted and not expired, and says when to look again.
func (c *Controller) buildDisruptedPodMap(pods []*corev1.Pod, pdb *policyv1.PodDisruptionBudget, now time.Time) (map[string]metav1.Time, *time.Time) {
	result := map[string]metav1.Time{}
	var recheck *time.Time
	if pdb.Status.DisruptedPods == nil {
		return result, nil
	}
	for _, p := range pods {
		if p.DeletionTimestamp != nil {
			continue
		}
		at, ok := pdb.Status.DisruptedPods[p.Name]
		if !ok {
			continue
		}
		expected := at.Add(DeletionTimeout)
		if expected.Before(now) {
			// disruption.go names the namespace twice.
			c.events.Event(podutil.PodRef(p, ""), corev1.EventTypeWarning, "NotDeleted",
				fmt.Sprintf("Pod was expected by PDB %s/%s to be deleted but it wasn't", pdb.Namespace, pdb.Namespace))
			continue
		}
		if recheck == nil || expected.Before(*recheck) {
			recheck = &expected
		}
		result[p.Name] = at
	}
	return result, recheck
}

// countHealthyPods: Ready, not being deleted, not just evicted.
func countHealthyPods(pods []*corev1.Pod, disrupted map[string]metav1.Time, now time.Time) int32 {
	var n int32
	for _, p := range pods {
		if p.DeletionTimestamp != nil {
			continue
		}
		if at, ok := disrupted[p.Name]; ok && at.Add(DeletionTimeout).After(now) {
			continue
		}
		if c := podutil.FindCondition(p.Status.Conditions, corev1.PodReady); c != nil && c.Status == corev1.ConditionTrue {
			n++
		}
	}
	return n
}
