package deployment

import (
	"fmt"
	"slices"
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
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/internal/workqueue"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// Actor is the name the controller writes under (its event source).
const Actor = "deployment-controller"

// The kinds the controller reads and writes.
const (
	Kind           = "Deployment"
	ReplicaSetKind = "ReplicaSet"
)

var controllerKind = appsv1.SchemeGroupVersion.WithKind(Kind)

// Client is what the Deployment controller asks of the API server.
type Client interface {
	WatchPods(sel fields.Selector, fn func(op trace.Op, pod *corev1.Pod)) error
	WatchKinds(fn func(kind string, op trace.Op, key types.NamespacedName), kinds ...string)
	EachPod(fn func(*corev1.Pod))
	Workload(kind string, key types.NamespacedName) runtime.Object
	WorkloadKeys(kind string) []types.NamespacedName
	CreateWorkload(obj runtime.Object, actor, cause string) error
	UpdateWorkload(kind string, key types.NamespacedName, uid types.UID, actor, cause string, mutate func(runtime.Object)) (bool, error)
	DeleteWorkload(kind string, key types.NamespacedName, uid types.UID, actor, cause string) bool
}

// Config is what the controller is built from.
type Config struct {
	Engine  *engine.Engine
	Client  Client
	Profile *profile.Profile
	// Events records the controller's events (source deployment-controller).
	Events *record.Recorder
}

// Controller is the Deployment controller.
type Controller struct {
	eng    *engine.Engine
	api    Client
	prof   *profile.Profile
	events *record.Recorder
	queue  *workqueue.Queue
	// owners remembers the Deployment of each ReplicaSet, so that the
	// deletion of a ReplicaSet queues its Deployment (the informer's
	// tombstone carries it).
	owners map[types.NamespacedName]types.NamespacedName
}

// New returns a controller watching Deployments, ReplicaSets and pods.
func New(cfg Config) (*Controller, error) {
	c := &Controller{eng: cfg.Engine, api: cfg.Client, prof: cfg.Profile, events: cfg.Events, owners: map[types.NamespacedName]types.NamespacedName{}}
	c.queue = workqueue.Default(cfg.Engine, c.sync)
	if err := cfg.Client.WatchPods(fields.Everything(), c.onPod); err != nil {
		return nil, err
	}
	cfg.Client.WatchKinds(c.onObject, Kind, ReplicaSetKind)
	return c, nil
}

func keyOf(o metav1.Object) types.NamespacedName {
	return types.NamespacedName{Namespace: o.GetNamespace(), Name: o.GetName()}
}

func (c *Controller) deployment(key types.NamespacedName) *appsv1.Deployment {
	d, _ := c.api.Workload(Kind, key).(*appsv1.Deployment)
	return d
}

func (c *Controller) replicaSet(key types.NamespacedName) *appsv1.ReplicaSet {
	rs, _ := c.api.Workload(ReplicaSetKind, key).(*appsv1.ReplicaSet)
	return rs
}

// onObject is the Deployment and ReplicaSet informers' handlers.
func (c *Controller) onObject(kind string, op trace.Op, key types.NamespacedName) {
	switch kind {
	case Kind:
		c.queue.Add(key.String())
	case ReplicaSetKind:
		if op == trace.Deleted {
			if d, ok := c.owners[key]; ok {
				delete(c.owners, key)
				c.queue.Add(d.String())
			}
			return
		}
		rs := c.replicaSet(key)
		if rs == nil {
			return
		}
		if ref := metav1.GetControllerOf(rs); ref != nil {
			if d := c.resolve(rs.Namespace, ref); d != nil {
				c.owners[key] = keyOf(d)
				c.queue.Add(keyOf(d).String())
			}
			return
		}
		// An orphan: the Deployments that select it may adopt it.
		for _, d := range c.selecting(rs.Namespace, rs.Labels) {
			c.queue.Add(keyOf(d).String())
		}
	}
}

// onPod is deletePod: a Recreate Deployment waits for its old pods to go.
func (c *Controller) onPod(op trace.Op, p *corev1.Pod) {
	if op != trace.Deleted {
		return
	}
	d := c.deploymentForPod(p)
	if d == nil || d.Spec.Strategy.Type != appsv1.RecreateDeploymentStrategyType {
		return
	}
	n := 0
	for _, pods := range c.podMap(d, c.ownedReplicaSets(d)) {
		n += len(pods)
	}
	if n == 0 {
		c.queue.Add(keyOf(d).String())
	}
}

func (c *Controller) deploymentForPod(p *corev1.Pod) *appsv1.Deployment {
	rs := controllerutil.ResolveControllerRef(p, ReplicaSetKind, c.replicaSet)
	if rs == nil {
		return nil
	}
	if o := metav1.GetControllerOf(rs); o != nil {
		return c.resolve(rs.Namespace, o)
	}
	return nil
}

func (c *Controller) resolve(ns string, ref *metav1.OwnerReference) *appsv1.Deployment {
	if ref.Kind != Kind {
		return nil
	}
	d := c.deployment(types.NamespacedName{Namespace: ns, Name: ref.Name})
	if d == nil || d.UID != ref.UID {
		return nil
	}
	return d
}

// selecting lists the Deployments of a namespace whose selector matches
// the labels (getDeploymentsForReplicaSet).
func (c *Controller) selecting(ns string, l map[string]string) []*appsv1.Deployment {
	var out []*appsv1.Deployment
	for _, k := range c.api.WorkloadKeys(Kind) {
		if k.Namespace != ns {
			continue
		}
		d := c.deployment(k)
		if d == nil {
			continue
		}
		if sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector); err == nil && !sel.Empty() && sel.Matches(labels.Set(l)) {
			out = append(out, d)
		}
	}
	return out
}

func (c *Controller) now() time.Time { return c.eng.Wall(c.eng.Now()).Truncate(time.Second) }

func splitKey(key string) types.NamespacedName {
	for i := 0; i < len(key); i++ {
		if key[i] == '/' {
			return types.NamespacedName{Namespace: key[:i], Name: key[i+1:]}
		}
	}
	return types.NamespacedName{Name: key}
}

// sync is syncDeployment.
func (c *Controller) sync(key string) error {
	stored := c.deployment(splitKey(key))
	if stored == nil {
		return nil
	}
	d := stored.DeepCopy()
	if sel := d.Spec.Selector; sel == nil || (len(sel.MatchLabels) == 0 && len(sel.MatchExpressions) == 0) {
		// An empty selector would select every pod: refused.
		c.events.Event(ref(d), corev1.EventTypeWarning, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.")
		return nil
	}
	rsList, err := c.claimReplicaSets(d)
	if err != nil {
		return err
	}
	if d.DeletionTimestamp != nil {
		newRS, oldRSs, err := c.allReplicaSets(d, rsList, false)
		if err != nil {
			return err
		}
		return c.syncDeploymentStatus(append(oldRSs, newRS), newRS, d)
	}
	if c.isScalingEvent(d, rsList) {
		return c.syncScale(d, rsList)
	}
	switch d.Spec.Strategy.Type {
	case appsv1.RecreateDeploymentStrategyType:
		return c.rolloutRecreate(d, rsList)
	case appsv1.RollingUpdateDeploymentStrategyType:
		return c.rolloutRolling(d, rsList)
	}
	return fmt.Errorf("unexpected deployment strategy type: %s", d.Spec.Strategy.Type)
}

// ownedReplicaSets lists the ReplicaSets of the Deployment's namespace
// it controls, in name order.
func (c *Controller) ownedReplicaSets(d *appsv1.Deployment) []*appsv1.ReplicaSet {
	var out []*appsv1.ReplicaSet
	for _, k := range c.api.WorkloadKeys(ReplicaSetKind) {
		if k.Namespace != d.Namespace {
			continue
		}
		if rs := c.replicaSet(k); rs != nil {
			if ref := metav1.GetControllerOf(rs); ref != nil && ref.UID == d.UID {
				out = append(out, rs)
			}
		}
	}
	return out
}

// claimReplicaSets adopts and releases ReplicaSets
// (getReplicaSetsForDeployment, ReplicaSetControllerRefManager.ClaimReplicaSets)
// and returns the Deployment's.
func (c *Controller) claimReplicaSets(d *appsv1.Deployment) ([]*appsv1.ReplicaSet, error) {
	sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil {
		return nil, fmt.Errorf("deployment %s/%s has invalid label selector: %w", d.Namespace, d.Name, err)
	}
	var out []*appsv1.ReplicaSet
	for _, k := range c.api.WorkloadKeys(ReplicaSetKind) {
		if k.Namespace != d.Namespace {
			continue
		}
		rs := c.replicaSet(k)
		if rs == nil {
			continue
		}
		ref := metav1.GetControllerOf(rs)
		match := sel.Matches(labels.Set(rs.Labels))
		switch {
		case ref != nil && ref.UID != d.UID:
		case ref != nil && match:
			c.owners[k] = keyOf(d)
			out = append(out, rs)
		case ref != nil && d.DeletionTimestamp == nil:
			_, _ = c.api.UpdateWorkload(ReplicaSetKind, k, rs.UID, Actor, "released by Deployment "+d.Name, func(o runtime.Object) {
				r := o.(*appsv1.ReplicaSet)
				r.OwnerReferences = controllerutil.RemoveOwner(r.OwnerReferences, string(d.UID))
			})
		case ref == nil && match && d.DeletionTimestamp == nil && rs.DeletionTimestamp == nil:
			owner := metav1.NewControllerRef(d, controllerKind)
			_, _ = c.api.UpdateWorkload(ReplicaSetKind, k, rs.UID, Actor, "adopted by Deployment "+d.Name, func(o runtime.Object) {
				r := o.(*appsv1.ReplicaSet)
				r.OwnerReferences = append(r.OwnerReferences, *owner)
			})
			if cur := c.replicaSet(k); cur != nil {
				c.owners[k] = keyOf(d)
				out = append(out, cur)
			}
		}
	}
	return out, nil
}

// podMap groups the pods the Deployment selects by the UID of their
// ReplicaSet among rsList (getPodMapForDeployment).
func (c *Controller) podMap(d *appsv1.Deployment, rsList []*appsv1.ReplicaSet) map[types.UID][]*corev1.Pod {
	sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
	out := map[types.UID][]*corev1.Pod{}
	if err != nil {
		return out
	}
	for _, rs := range rsList {
		out[rs.UID] = nil
	}
	c.api.EachPod(func(p *corev1.Pod) {
		if p.Namespace != d.Namespace || !sel.Matches(labels.Set(p.Labels)) {
			return
		}
		if ref := metav1.GetControllerOf(p); ref != nil {
			if _, ok := out[ref.UID]; ok {
				out[ref.UID] = append(out[ref.UID], p)
			}
		}
	})
	return out
}

// isScalingEvent: an active ReplicaSet's desired-replicas annotation is
// not the Deployment's replicas (isScalingEvent).
func (c *Controller) isScalingEvent(d *appsv1.Deployment, rsList []*appsv1.ReplicaSet) bool {
	newRS := findNewReplicaSet(d, rsList)
	for _, rs := range filterActive(append(findOldReplicaSets(d, rsList), newRS)) {
		if desired, ok := intAnnotation(rs, DesiredReplicasAnnotation); ok && desired != *d.Spec.Replicas {
			return true
		}
	}
	return false
}

// updateStatus writes the Deployment's status and annotations, as
// UpdateStatus does (the status strategy keeps spec and labels).
func (c *Controller) updateStatus(d *appsv1.Deployment, cause string) error {
	st, ann := d.Status, d.Annotations
	_, err := c.api.UpdateWorkload(Kind, keyOf(d), d.UID, Actor, cause, func(o runtime.Object) {
		cur := o.(*appsv1.Deployment)
		cur.Status = *st.DeepCopy()
		cur.Annotations = copyMap(ann)
	})
	return err
}

func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// ref is the event reference of a Deployment.
func ref(d *appsv1.Deployment) corev1.ObjectReference {
	return controllerutil.ObjectRef(d, Kind, "apps/v1")
}

// sortedByCreation returns the sets oldest first.
func sortedByCreation(sets []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
	out := slices.Clone(sets)
	slices.SortStableFunc(out, byCreation)
	return out
}

// statusEqual compares two statuses semantically (reflect.DeepEqual in
// Kubernetes; times compare by instant).
func statusEqual(a, b appsv1.DeploymentStatus) bool { return apiequality.Semantic.DeepEqual(a, b) }
