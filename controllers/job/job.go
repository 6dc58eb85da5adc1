package job

import (
	"slices"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
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
const Actor = "job-controller"

// Kind is the kind the controller manages.
const Kind = "Job"

// TrackingFinalizer keeps a Job's pod until the controller counted it
// (k8s.io/api/batch/v1 JobTrackingFinalizer).
const TrackingFinalizer = "batch.kubernetes.io/job-tracking"

// syncJobBatchPeriod gathers the pod changes of a second into one sync
// (job_controller.go syncJobBatchPeriod).
const syncJobBatchPeriod = time.Second

// MaxPodCreateDeletePerSync caps the creations or deletions of one sync
// (job_controller.go).
const MaxPodCreateDeletePerSync = 500

var controllerKind = batchv1.SchemeGroupVersion.WithKind(Kind)

// Client is what the Job controller asks of the API server.
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
	Engine  *engine.Engine
	Client  Client
	Profile *profile.Profile
	// Events records the controller's events (source job-controller).
	Events *record.Recorder
}

// Controller is the Job controller.
type Controller struct {
	eng     *engine.Engine
	api     Client
	prof    *profile.Profile
	events  *record.Recorder
	queue   *workqueue.Queue
	exp     *controllerutil.Expectations
	backoff map[string]backoffRecord
}

// New returns a controller watching Jobs and pods.
func New(cfg Config) (*Controller, error) {
	c := &Controller{eng: cfg.Engine, api: cfg.Client, prof: cfg.Profile, events: cfg.Events,
		exp: controllerutil.NewExpectations(), backoff: map[string]backoffRecord{}}
	// The Job controller's queue: failures retried after 1 s doubling to
	// 60 s (job_controller.go DefaultJobApiBackOff, MaxJobApiBackOff).
	c.queue = workqueue.New(cfg.Engine, time.Second, time.Minute, c.sync)
	if err := cfg.Client.WatchPods(fields.Everything(), c.onPod); err != nil {
		return nil, err
	}
	cfg.Client.WatchKinds(func(kind string, op trace.Op, key types.NamespacedName) {
		if kind != Kind {
			return
		}
		switch op {
		case trace.Added, trace.Deleted:
			c.queue.Add(key.String()) // enqueueSyncJobImmediately
		default:
			c.queue.AddAfter(key.String(), syncJobBatchPeriod)
		}
	}, Kind)
	return c, nil
}

func jobKey(j *batchv1.Job) string {
	return types.NamespacedName{Namespace: j.Namespace, Name: j.Name}.String()
}

// jobFor resolves a pod's controller reference to its Job.
func (c *Controller) jobFor(p *corev1.Pod) *batchv1.Job {
	return controllerutil.ResolveControllerRef(p, Kind, func(k types.NamespacedName) *batchv1.Job {
		j, _ := c.api.Workload(Kind, k).(*batchv1.Job)
		return j
	})
}

// onPod is addPod, updatePod and deletePod: each queues the pod's Job a
// batch period later (enqueueSyncJobBatched); an orphan queues the Jobs
// that select it.
func (c *Controller) onPod(op trace.Op, p *corev1.Pod) {
	j := c.jobFor(p)
	if op != trace.Deleted && hasFinalizer(p) && (j == nil || isFinished(j)) {
		c.syncOrphanPod(p)
	}
	if j == nil {
		if op != trace.Deleted && metav1.GetControllerOf(p) == nil {
			for _, k := range c.api.WorkloadKeys(Kind) {
				other, _ := c.api.Workload(Kind, k).(*batchv1.Job)
				if other == nil || other.Namespace != p.Namespace {
					continue
				}
				if sel, err := metav1.LabelSelectorAsSelector(other.Spec.Selector); err == nil && !sel.Empty() && sel.Matches(labels.Set(p.Labels)) {
					c.queue.AddAfter(jobKey(other), syncJobBatchPeriod)
				}
			}
		}
		return
	}
	switch op {
	case trace.Added:
		c.exp.CreationObserved(jobKey(j))
	case trace.Deleted:
		c.exp.DeletionObserved(jobKey(j), controllerutil.PodKey(p))
	default:
		if p.DeletionTimestamp != nil {
			c.exp.DeletionObserved(jobKey(j), controllerutil.PodKey(p))
		}
	}
	c.queue.AddAfter(jobKey(j), syncJobBatchPeriod)
}

// syncOrphanPod removes the tracking finalizer of a pod whose Job is gone
// or finished, so that its deletion can end (job_controller.go
// enqueueOrphanPod, syncOrphanPod). A pod another kind controls keeps it.
func (c *Controller) syncOrphanPod(p *corev1.Pod) {
	if ref := metav1.GetControllerOf(p); ref != nil {
		if ref.Kind != Kind || ref.APIVersion != batchv1.SchemeGroupVersion.String() {
			return
		}
		if j := c.jobFor(p); j != nil && !isFinished(j) {
			return // adopted
		}
	}
	c.api.UpdatePod(podutil.KeyOf(p), p.UID, Actor, "orphan of a Job", func(q *corev1.Pod) {
		q.Finalizers = slices.DeleteFunc(q.Finalizers, func(f string) bool { return f == TrackingFinalizer })
		if len(q.Finalizers) == 0 {
			q.Finalizers = nil
		}
	})
}

func (c *Controller) wall() time.Time { return c.eng.Wall(c.eng.Now()) }

// stamp is now as the API stores it, to the second.
func (c *Controller) stamp() metav1.Time { return metav1.NewTime(c.wall().Truncate(time.Second)) }

// ref is the event reference of a Job.
func ref(j *batchv1.Job) corev1.ObjectReference {
	return controllerutil.ObjectRef(j, Kind, "batch/v1")
}
