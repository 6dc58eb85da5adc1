// Package podgc is the pod garbage collector
// (pkg/controller/podgc/gc_controller.go). Every 20 s it force-deletes
// (grace period 0):
//
//   - terminated pods beyond the terminated-pod-gc-threshold (12500), the
//     evicted and the oldest first;
//   - terminating pods on a node that is not Ready and carries the
//     node.kubernetes.io/out-of-service taint (non-graceful node shutdown,
//     NodeOutOfServiceVolumeDetach, 1.26 and later);
//   - pods bound to a node that no longer exists, once it has been missing
//     for the quarantine time (40 s) — with DisruptionTarget, reason
//     DeletionByPodGC, "PodGC: node no longer exists";
//   - terminating pods that were never scheduled.
//
// From 1.26 (PodDisruptionConditions) a pod not yet finished is first
// marked Failed, since no kubelet is left to do it.
package podgc

import (
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// Actor is the name the controller writes under.
const Actor = "pod-garbage-collector"

// kube-controller-manager's defaults (cmd/kube-controller-manager options,
// gc_controller.go).
const (
	// CheckPeriod is gcCheckPeriod.
	CheckPeriod = 20 * time.Second
	// QuarantineTime is how long a node must be missing before its pods go.
	QuarantineTime = 40 * time.Second
	// TerminatedPodThreshold is --terminated-pod-gc-threshold.
	TerminatedPodThreshold = 12500
)

// Client is what the collector asks of the API server.
type Client interface {
	WatchPods(sel fields.Selector, fn func(op trace.Op, pod *corev1.Pod)) error
	ObservePods(fn func(old, cur *corev1.Pod))
	ObserveNodes(fn func(old, cur *corev1.Node))
	EachPod(fn func(*corev1.Pod))
	Pod(key types.NamespacedName) *corev1.Pod
	Node(name string) *corev1.Node
	UpdatePod(key types.NamespacedName, uid types.UID, actor, cause string, mutate func(*corev1.Pod)) bool
	DeletePod(key types.NamespacedName, uid types.UID, grace *int64, actor, cause string) bool
	Stamp(t time.Duration) metav1.Time
}

// Config is what a collector is built from.
type Config struct {
	Engine  *engine.Engine
	Client  Client
	Profile *profile.Profile
	// NoElision makes the pass run every CheckPeriod even when it can find
	// nothing to collect (see elision.go).
	NoElision bool
}

// Controller is the pod garbage collector.
type Controller struct {
	eng       *engine.Engine
	api       Client
	prof      *profile.Profile
	noElision bool
	timer     *engine.Timer
	// missingSince is the delaying node queue: when each missing node is
	// due for its check.
	missingSince map[string]time.Duration
	idx          index // what a pass would find, kept as the store changes (index.go)
	// parked: the pass is skipped until the index says it may find
	// something; parkedNext is when it would have run next.
	parked     bool
	parkedNext time.Duration
}

// New returns a collector whose pass runs every CheckPeriod from time 0,
// while some pod is bound or being deleted.
func New(cfg Config) (*Controller, error) {
	c := &Controller{eng: cfg.Engine, api: cfg.Client, prof: cfg.Profile, noElision: cfg.NoElision,
		missingSince: map[string]time.Duration{}, idx: newIndex()}
	c.timer = c.eng.NewTimer(engine.PriorityNormal, func() {
		if c.gc() {
			c.timer.ResetRanked(engine.Add(c.eng.Now(), CheckPeriod), c.eng.Now())
			c.parkIfIdle()
		}
	})
	if err := cfg.Client.WatchPods(fields.Everything(), func(op trace.Op, p *corev1.Pod) {
		if op != trace.Deleted && (p.Spec.NodeName != "" || p.DeletionTimestamp != nil) {
			c.arm()
		}
	}); err != nil {
		return nil, err
	}
	cfg.Client.ObservePods(c.observePod)
	cfg.Client.ObserveNodes(c.observeNode)
	return c, nil
}

// arm puts the pass back on its grid (k·CheckPeriod) if it stopped.
func (c *Controller) arm() {
	if c.timer.Armed() || c.parked {
		return
	}
	now := c.eng.Now()
	at := now - now%CheckPeriod
	if at < now {
		at = engine.Add(at, CheckPeriod)
	}
	c.timer.Reset(at)
}

// gc is one pass; it reports whether another is needed. What each step
// looks at is taken from the index before any step writes, as the
// pass's list of every pod was: a pod one step deletes is still in a
// later step's list.
func (c *Controller) gc() bool {
	keep := c.idx.keep > 0
	var terminated []*corev1.Pod
	if c.idx.terminated > TerminatedPodThreshold {
		terminated = c.listPods(func(p *corev1.Pod) bool { return isTerminated(p) })
	}
	terminating := c.idx.terminatingPods()
	missing := podutil.SortedKeys(c.idx.missingNodes)
	orphans := c.orphansDue(missing)

	c.gcTerminated(terminated)
	if c.prof.Disruption.PodGCOutOfService {
		c.gcTerminating(terminating)
	}
	c.gcOrphaned(missing, orphans)
	c.gcUnscheduledTerminating(terminating)
	return keep || len(c.missingSince) > 0
}

// listPods lists the stored pods that match, in key order.
func (c *Controller) listPods(match func(*corev1.Pod) bool) []*corev1.Pod {
	var pods []*corev1.Pod
	c.api.EachPod(func(p *corev1.Pod) {
		if match(p) {
			pods = append(pods, p)
		}
	})
	slices.SortFunc(pods, func(a, b *corev1.Pod) int { return podutil.CompareKeys(podutil.KeyOf(a), podutil.KeyOf(b)) })
	return pods
}

// isTerminated is the terminated-pod filter of gcTerminated: a phase that
// is not Pending, Running or Unknown.
func isTerminated(p *corev1.Pod) bool {
	ph := p.Status.Phase
	return ph != corev1.PodPending && ph != corev1.PodRunning && ph != corev1.PodUnknown
}

// gcTerminated deletes the terminated pods beyond the threshold; done
// lists them all, in key order, when there are more than the threshold.
func (c *Controller) gcTerminated(done []*corev1.Pod) {
	n := len(done) - TerminatedPodThreshold
	if n <= 0 {
		return
	}
	slices.SortStableFunc(done, byEvictionAndCreation)
	for _, p := range done[:n] {
		c.markFailedAndDelete(p, nil, "more than 12500 terminated pods")
	}
}

// byEvictionAndCreation: evicted pods first, then the oldest, then by name.
func byEvictionAndCreation(a, b *corev1.Pod) int {
	ae, be := a.Status.Reason == "Evicted", b.Status.Reason == "Evicted"
	switch {
	case ae != be:
		if ae {
			return -1
		}
		return 1
	case !a.CreationTimestamp.Equal(&b.CreationTimestamp):
		if a.CreationTimestamp.Before(&b.CreationTimestamp) {
			return -1
		}
		return 1
	}
	return podutil.CompareKeys(types.NamespacedName{Name: a.Name}, types.NamespacedName{Name: b.Name})
}

// gcTerminating deletes the terminating pods (given in key order) of
// nodes that are not Ready and out of service.
func (c *Controller) gcTerminating(terminating []*corev1.Pod) {
	var victims []*corev1.Pod
	for _, p := range terminating {
		node := c.api.Node(p.Spec.NodeName)
		if node == nil {
			continue
		}
		ready := podutil.FindNodeCondition(node.Status.Conditions, corev1.NodeReady)
		notReady := ready == nil || ready.Status != corev1.ConditionTrue
		if notReady && slices.ContainsFunc(node.Spec.Taints, func(t corev1.Taint) bool { return t.Key == corev1.TaintNodeOutOfService }) {
			victims = append(victims, p)
		}
	}
	slices.SortStableFunc(victims, byEvictionAndCreation)
	for _, p := range victims {
		c.markFailedAndDelete(p, nil, "terminating on out-of-service node "+p.Spec.NodeName)
	}
}

// orphansDue lists, in key order, the pods of the nodes whose quarantine
// ends in this pass with the node still missing (gcOrphaned deletes
// them); missing are the nodes that have pods and no Node object.
func (c *Controller) orphansDue(missing []string) []*corev1.Pod {
	now := c.eng.Now()
	due := map[string]bool{}
	for n, at := range c.missingSince {
		if now >= at && c.api.Node(n) == nil {
			due[n] = true
		}
	}
	if len(due) == 0 {
		return nil
	}
	return c.listPods(func(p *corev1.Pod) bool { return due[p.Spec.NodeName] })
}

// gcOrphaned force-deletes the pods of nodes missing for the quarantine
// time: missing nodes are queued, and the pods of those due (orphans,
// from orphansDue) deleted.
func (c *Controller) gcOrphaned(missing []string, orphans []*corev1.Pod) {
	now := c.eng.Now()
	for _, n := range missing {
		if _, queued := c.missingSince[n]; !queued {
			c.missingSince[n] = now + QuarantineTime
		}
	}
	for _, n := range podutil.SortedKeys(c.missingSince) {
		if now >= c.missingSince[n] {
			delete(c.missingSince, n)
		}
	}
	for _, p := range orphans {
		cond := &corev1.PodCondition{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue,
			Reason: "DeletionByPodGC", Message: "PodGC: node no longer exists"}
		c.markFailedAndDelete(p, cond, "node "+p.Spec.NodeName+" no longer exists")
	}
}

// gcUnscheduledTerminating deletes the terminating pods (given in key
// order) that were never scheduled.
func (c *Controller) gcUnscheduledTerminating(terminating []*corev1.Pod) {
	for _, p := range terminating {
		if p.Spec.NodeName == "" {
			c.markFailedAndDelete(p, nil, "terminating and never scheduled")
		}
	}
}

// markFailedAndDelete is markFailedAndDeletePodWithCondition: from 1.26 a
// pod not finished is first marked Failed (with the condition, if any);
// then it is deleted with grace period 0.
func (c *Controller) markFailedAndDelete(p *corev1.Pod, cond *corev1.PodCondition, cause string) {
	key := podutil.KeyOf(p)
	if c.prof.Disruption.PodDisruptionConditions && !podutil.IsTerminal(p.Status.Phase) {
		now := c.api.Stamp(c.eng.Now())
		c.api.UpdatePod(key, p.UID, Actor, cause, func(q *corev1.Pod) {
			q.Status.Phase = corev1.PodFailed
			if cond == nil {
				return
			}
			next := *cond
			next.LastTransitionTime = now
			if prev := podutil.FindCondition(q.Status.Conditions, next.Type); prev != nil {
				if prev.Status == next.Status {
					next.LastTransitionTime = prev.LastTransitionTime
				}
				*prev = next
				return
			}
			q.Status.Conditions = append(q.Status.Conditions, next)
		})
	}
	c.api.DeletePod(key, p.UID, ptr.To[int64](0), Actor, cause)
}
