package statefulset

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
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
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// Actor is the name the controller writes under (its event source).
const Actor = "statefulset-controller"

// Kind is the kind the controller manages.
const Kind = "StatefulSet"

// Labels of StatefulSet pods (k8s.io/api/apps/v1 types.go).
const (
	PodNameLabel  = "statefulset.kubernetes.io/pod-name"
	PodIndexLabel = "apps.kubernetes.io/pod-index"
)

var controllerKind = appsv1.SchemeGroupVersion.WithKind(Kind)

// Client is what the StatefulSet controller asks of the API server.
type Client interface {
	WatchPods(sel fields.Selector, fn func(op trace.Op, pod *corev1.Pod)) error
	WatchKinds(fn func(kind string, op trace.Op, key types.NamespacedName), kinds ...string)
	EachPod(fn func(*corev1.Pod))
	Pod(key types.NamespacedName) *corev1.Pod
	CreatePod(p *corev1.Pod, actor, cause string) error
	DeletePod(key types.NamespacedName, uid types.UID, grace *int64, actor, cause string) bool
	Workload(kind string, key types.NamespacedName) runtime.Object
	UpdateWorkload(kind string, key types.NamespacedName, uid types.UID, actor, cause string, mutate func(runtime.Object)) (bool, error)
}

// Config is what the controller is built from.
type Config struct {
	Engine  *engine.Engine
	Client  Client
	Profile *profile.Profile
	Events  *record.Recorder
}

// Controller is the StatefulSet controller.
type Controller struct {
	eng    *engine.Engine
	api    Client
	prof   *profile.Profile
	events *record.Recorder
	queue  *workqueue.Queue
}

// New returns a controller watching StatefulSets and pods.
func New(cfg Config) (*Controller, error) {
	c := &Controller{eng: cfg.Engine, api: cfg.Client, prof: cfg.Profile, events: cfg.Events}
	c.queue = workqueue.Default(cfg.Engine, c.sync)
	if err := cfg.Client.WatchPods(fields.Everything(), c.onPod); err != nil {
		return nil, err
	}
	cfg.Client.WatchKinds(func(kind string, _ trace.Op, key types.NamespacedName) {
		if kind == Kind {
			c.queue.Add(key.String())
		}
	}, Kind)
	return c, nil
}

func (c *Controller) onPod(_ trace.Op, p *corev1.Pod) {
	set := controllerutil.ResolveControllerRef(p, Kind, func(k types.NamespacedName) *appsv1.StatefulSet {
		set, _ := c.api.Workload(Kind, k).(*appsv1.StatefulSet)
		return set
	})
	if set == nil {
		return
	}
	key := types.NamespacedName{Namespace: set.Namespace, Name: set.Name}
	c.queue.Add(key.String())
	if set.Spec.MinReadySeconds > 0 && controllerutil.IsPodReady(p) {
		// A pod that turned ready becomes available minReadySeconds later.
		c.queue.AddAfter(key.String(), time.Duration(set.Spec.MinReadySeconds)*time.Second+time.Second)
	}
}

func splitKey(key string) types.NamespacedName {
	ns, name, _ := strings.Cut(key, "/")
	return types.NamespacedName{Namespace: ns, Name: name}
}

var ordinalRe = regexp.MustCompile(`^(.*)-([0-9]+)$`)

// ordinalOf is a pod's ordinal in its set, or -1 (getParentNameAndOrdinal).
func ordinalOf(set *appsv1.StatefulSet, p *corev1.Pod) int {
	m := ordinalRe.FindStringSubmatch(p.Name)
	if m == nil || m[1] != set.Name {
		return -1
	}
	n, err := strconv.Atoi(m[2])
	if err != nil {
		return -1
	}
	return n
}

func (c *Controller) wall() time.Time { return c.eng.Wall(c.eng.Now()) }

// revision is the set's revision name: <set>-<hash of the template>.
func revision(set *appsv1.StatefulSet) string {
	return set.Name + "-" + controllerutil.ComputeHash(&set.Spec.Template, set.Status.CollisionCount)
}

// sync is the StatefulSet's sync (updateStatefulSet, monotonic or burst).
func (c *Controller) sync(key string) error {
	set, _ := c.api.Workload(Kind, splitKey(key)).(*appsv1.StatefulSet)
	if set == nil {
		return nil
	}
	sel, err := metav1.LabelSelectorAsSelector(set.Spec.Selector)
	if err != nil {
		return nil
	}
	replicas := int(*set.Spec.Replicas)
	byOrdinal := map[int]*corev1.Pod{}
	var condemned []*corev1.Pod
	c.api.EachPod(func(p *corev1.Pod) {
		if p.Namespace != set.Namespace || !sel.Matches(labels.Set(p.Labels)) {
			return
		}
		if ref := metav1.GetControllerOf(p); ref == nil || ref.UID != set.UID {
			return
		}
		switch o := ordinalOf(set, p); {
		case o < 0:
		case o < replicas:
			byOrdinal[o] = p
		default:
			condemned = append(condemned, p)
		}
	})
	rev := revision(set)
	monotonic := set.Spec.PodManagementPolicy != appsv1.ParallelPodManagement
	now := c.wall()
	healthy := true
	for o := 0; o < replicas; o++ {
		p := byOrdinal[o]
		if p != nil && p.Status.Phase == corev1.PodFailed && p.DeletionTimestamp == nil {
			c.events.Event(ref(set), corev1.EventTypeWarning, "RecreatingFailedPod",
				fmt.Sprintf("StatefulSet %s/%s is recreating failed Pod %s", set.Namespace, set.Name, p.Name))
			c.deletePod(set, p)
			healthy = false
			if monotonic {
				break
			}
			continue
		}
		if p == nil {
			if err := c.createPod(set, o, rev); err != nil {
				return err
			}
			healthy = false
			if monotonic {
				break
			}
			continue
		}
		if p.DeletionTimestamp != nil || !isRunningAndReady(p) || !controllerutil.IsPodAvailable(p, set.Spec.MinReadySeconds, now) {
			healthy = false
			if monotonic {
				break
			}
		}
	}
	// Condemned pods go from the highest ordinal down.
	slices.SortFunc(condemned, func(a, b *corev1.Pod) int { return ordinalOf(set, b) - ordinalOf(set, a) })
	for _, p := range condemned {
		if p.DeletionTimestamp != nil {
			if monotonic {
				break
			}
			continue
		}
		if monotonic && !healthy {
			break
		}
		c.deletePod(set, p)
		if monotonic {
			break
		}
	}
	c.updateStatus(set, rev, now)
	return nil
}

// isRunningAndReady (stateful_set_utils.go).
func isRunningAndReady(p *corev1.Pod) bool {
	return p.Status.Phase == corev1.PodRunning && controllerutil.IsPodReady(p)
}

// createPod is newVersionedStatefulSetPod and createPersistentVolumeClaims
// without the claims: the template's pod, named by ordinal.
func (c *Controller) createPod(set *appsv1.StatefulSet, ordinal int, rev string) error {
	owner := metav1.NewControllerRef(set, controllerKind)
	pod := controllerutil.PodFromTemplate(&set.Spec.Template, set.Name, owner)
	pod.GenerateName = ""
	pod.Name = fmt.Sprintf("%s-%d", set.Name, ordinal)
	pod.Namespace = set.Namespace
	pod.Labels[PodNameLabel] = pod.Name
	pod.Labels[appsv1.ControllerRevisionHashLabelKey] = rev
	if c.prof.Workloads.PodIndexLabel {
		pod.Labels[PodIndexLabel] = strconv.Itoa(ordinal)
	}
	// updateIdentity: the hostname is the pod's name, the subdomain the
	// governing Service.
	pod.Spec.Hostname = pod.Name
	pod.Spec.Subdomain = set.Spec.ServiceName
	if err := c.api.CreatePod(pod, Actor, "created by StatefulSet "+set.Name); err != nil {
		c.events.Event(ref(set), corev1.EventTypeWarning, "FailedCreate",
			fmt.Sprintf("create Pod %s in StatefulSet %s failed error: %v", pod.Name, set.Name, err))
		return err
	}
	c.events.Event(ref(set), corev1.EventTypeNormal, "SuccessfulCreate", fmt.Sprintf("create Pod %s in StatefulSet %s successful", pod.Name, set.Name))
	return nil
}

func (c *Controller) deletePod(set *appsv1.StatefulSet, p *corev1.Pod) {
	if c.api.DeletePod(podutil.KeyOf(p), p.UID, nil, Actor, "deleted by StatefulSet "+set.Name) {
		c.events.Event(ref(set), corev1.EventTypeNormal, "SuccessfulDelete", fmt.Sprintf("delete Pod %s in StatefulSet %s successful", p.Name, set.Name))
	}
}

// updateStatus counts the set's pods (stateful_set_control.go
// computeReplicaStatus) and writes the status if it changed.
func (c *Controller) updateStatus(set *appsv1.StatefulSet, rev string, now time.Time) {
	sel, _ := metav1.LabelSelectorAsSelector(set.Spec.Selector)
	var st appsv1.StatefulSetStatus
	c.api.EachPod(func(p *corev1.Pod) {
		if p.Namespace != set.Namespace || !sel.Matches(labels.Set(p.Labels)) || ordinalOf(set, p) < 0 {
			return
		}
		if ref := metav1.GetControllerOf(p); ref == nil || ref.UID != set.UID {
			return
		}
		st.Replicas++
		if isRunningAndReady(p) {
			st.ReadyReplicas++
			if controllerutil.IsPodAvailable(p, set.Spec.MinReadySeconds, now) {
				st.AvailableReplicas++
			}
		}
		if p.Labels[appsv1.ControllerRevisionHashLabelKey] == rev {
			st.CurrentReplicas++
			st.UpdatedReplicas++
		}
	})
	st.ObservedGeneration = set.Generation
	st.CurrentRevision, st.UpdateRevision = rev, rev
	st.CollisionCount = set.Status.CollisionCount
	st.Conditions = set.Status.Conditions
	if apiequality.Semantic.DeepEqual(set.Status, st) {
		return
	}
	cause := fmt.Sprintf("%d of %d replicas, %d ready", st.Replicas, *set.Spec.Replicas, st.ReadyReplicas)
	_, _ = c.api.UpdateWorkload(Kind, types.NamespacedName{Namespace: set.Namespace, Name: set.Name}, set.UID, Actor, cause, func(o runtime.Object) {
		o.(*appsv1.StatefulSet).Status = st
	})
}

func ref(set *appsv1.StatefulSet) corev1.ObjectReference {
	return controllerutil.ObjectRef(set, Kind, "apps/v1")
}
