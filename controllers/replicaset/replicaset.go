package replicaset

import (
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/controllerutil"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/internal/workqueue"
	"github.com/podsim/podsim/trace"
)

// Actor is the name the controller writes under (its event source).
const Actor = "replicaset-controller"

// BurstReplicas caps the creations or deletions of one sync
// (replica_set.go BurstReplicas).
const BurstReplicas = 500

// Kind is the kind the controller manages.
const Kind = "ReplicaSet"

var controllerKind = appsv1.SchemeGroupVersion.WithKind(Kind)

// Client is what the ReplicaSet controller asks of the API server.
type Client interface {
	WatchPods(sel fields.Selector, fn func(op trace.Op, pod *corev1.Pod)) error
	WatchKinds(fn func(kind string, op trace.Op, key types.NamespacedName), kinds ...string)
	EachPod(fn func(*corev1.Pod))
	Pod(key types.NamespacedName) *corev1.Pod
	CreatePod(p *corev1.Pod, actor, cause string) error
	DeletePod(key types.NamespacedName, uid types.UID, grace *int64, actor, cause string) bool
	UpdatePod(key types.NamespacedName, uid types.UID, actor, cause string, mutate func(*corev1.Pod)) bool
	Workload(kind string, key types.NamespacedName) runtime.Object
	WorkloadKeys(kind string) []types.NamespacedName
	UpdateWorkload(kind string, key types.NamespacedName, uid types.UID, actor, cause string, mutate func(runtime.Object)) (bool, error)
}

// Config is what the controller is built from.
type Config struct {
	Engine *engine.Engine
	Client Client
	// Events records the controller's events (source replicaset-controller).
	Events *record.Recorder
}

// Controller is the ReplicaSet controller.
type Controller struct {
	eng    *engine.Engine
	api    Client
	events *record.Recorder
	queue  *workqueue.Queue
	exp    *controllerutil.Expectations
	// seen is the last version of each pod the watch delivered, by UID, as
	// the informer's cache holds it: an update is compared with it.
	seen map[types.UID]*corev1.Pod
}

// New returns a controller watching ReplicaSets and pods.
func New(cfg Config) (*Controller, error) {
	c := &Controller{eng: cfg.Engine, api: cfg.Client, events: cfg.Events, exp: controllerutil.NewExpectations(), seen: map[types.UID]*corev1.Pod{}}
	c.queue = workqueue.Default(cfg.Engine, c.sync)
	if err := cfg.Client.WatchPods(fields.Everything(), c.onPod); err != nil {
		return nil, err
	}
	cfg.Client.WatchKinds(func(kind string, op trace.Op, key types.NamespacedName) {
		if kind != Kind {
			return
		}
		if op == trace.Deleted {
			c.exp.Delete(key.String())
		}
		c.queue.Add(key.String())
	}, Kind)
	return c, nil
}

// rsFor resolves a controller reference to a ReplicaSet of that UID
// (resolveControllerRef).
func (c *Controller) rsFor(ns string, ref *metav1.OwnerReference) *appsv1.ReplicaSet {
	if ref == nil || ref.Kind != Kind {
		return nil
	}
	rs, _ := c.api.Workload(Kind, types.NamespacedName{Namespace: ns, Name: ref.Name}).(*appsv1.ReplicaSet)
	if rs == nil || rs.UID != ref.UID {
		return nil
	}
	return rs
}

func rsKey(rs *appsv1.ReplicaSet) string {
	return types.NamespacedName{Namespace: rs.Namespace, Name: rs.Name}.String()
}

// onPod is the pod informer's handlers: addPod, updatePod, deletePod.
func (c *Controller) onPod(op trace.Op, p *corev1.Pod) {
	old := c.seen[p.UID]
	if op == trace.Deleted {
		delete(c.seen, p.UID)
		c.deletePod(p)
		return
	}
	c.seen[p.UID] = p
	if old == nil {
		c.addPod(p)
		return
	}
	c.updatePod(old, p)
}

func (c *Controller) addPod(p *corev1.Pod) {
	if p.DeletionTimestamp != nil {
		c.deletePod(p)
		return
	}
	if ref := metav1.GetControllerOf(p); ref != nil {
		if rs := c.rsFor(p.Namespace, ref); rs != nil {
			c.exp.CreationObserved(rsKey(rs))
			c.queue.Add(rsKey(rs))
		}
		return
	}
	c.enqueueSelecting(p)
}

func (c *Controller) updatePod(old, cur *corev1.Pod) {
	labelChanged := !labels.Equals(old.Labels, cur.Labels)
	if cur.DeletionTimestamp != nil {
		c.deletePod(cur)
		if labelChanged {
			c.deletePod(old)
		}
		return
	}
	curRef, oldRef := metav1.GetControllerOf(cur), metav1.GetControllerOf(old)
	refChanged := !refEqual(curRef, oldRef)
	if refChanged && oldRef != nil {
		if rs := c.rsFor(old.Namespace, oldRef); rs != nil {
			c.queue.Add(rsKey(rs))
		}
	}
	if curRef != nil {
		rs := c.rsFor(cur.Namespace, curRef)
		if rs == nil {
			return
		}
		c.queue.Add(rsKey(rs))
		if !controllerutil.IsPodReady(old) && controllerutil.IsPodReady(cur) && rs.Spec.MinReadySeconds > 0 {
			// "Add a second to avoid milliseconds skew in AddAfter."
			c.queue.AddAfter(rsKey(rs), time.Duration(rs.Spec.MinReadySeconds)*time.Second+time.Second)
		}
		return
	}
	if labelChanged || refChanged {
		c.enqueueSelecting(cur)
	}
}

func (c *Controller) deletePod(p *corev1.Pod) {
	rs := c.rsFor(p.Namespace, metav1.GetControllerOf(p))
	if rs == nil {
		return
	}
	c.exp.DeletionObserved(rsKey(rs), controllerutil.PodKey(p))
	c.queue.Add(rsKey(rs))
}

func refEqual(a, b *metav1.OwnerReference) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.UID == b.UID && a.Name == b.Name && a.Kind == b.Kind
}

// enqueueSelecting queues every ReplicaSet of the pod's namespace whose
// selector matches it, so that one may adopt it (getPodReplicaSets).
func (c *Controller) enqueueSelecting(p *corev1.Pod) {
	for _, rs := range c.selecting(p) {
		c.queue.Add(rsKey(rs))
	}
}

// selecting lists the ReplicaSets of the pod's namespace whose selector
// matches it (ReplicaSetLister.GetPodReplicaSets).
func (c *Controller) selecting(p *corev1.Pod) []*appsv1.ReplicaSet {
	var out []*appsv1.ReplicaSet
	for _, k := range c.api.WorkloadKeys(Kind) {
		if k.Namespace != p.Namespace {
			continue
		}
		rs, _ := c.api.Workload(Kind, k).(*appsv1.ReplicaSet)
		if rs == nil {
			continue
		}
		if sel, err := metav1.LabelSelectorAsSelector(rs.Spec.Selector); err == nil && !sel.Empty() && sel.Matches(labels.Set(p.Labels)) {
			out = append(out, rs)
		}
	}
	return out
}

// ref is the event reference of a ReplicaSet.
func ref(rs *appsv1.ReplicaSet) corev1.ObjectReference {
	return controllerutil.ObjectRef(rs, Kind, "apps/v1")
}
