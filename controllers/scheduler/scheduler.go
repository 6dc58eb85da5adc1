// Package scheduler is the simulated cluster's kube-scheduler: it binds
// each unscheduled pod to a node that fits it — one whose taints the pod
// tolerates, whose labels match its nodeSelector and which has room for its
// requests beside the pods already bound there — and reports why when none
// does, in the scheduler's words ("0/3 nodes are available: 1 Insufficient
// cpu, 2 node(s) had untolerated taint {…}."). Among fitting nodes it
// prefers the one with the most free CPU, then memory, then the first to
// register. Scoring plugins, affinity and preemption are not modelled.
//
// It reaches the cluster only through its [Client], as a real scheduler
// reaches the API server through informers and a clientset.
package scheduler

import (
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/trace"
)

// Client is what the scheduler asks of the API server.
type Client interface {
	WatchPods(sel fields.Selector, fn func(op trace.Op, pod *corev1.Pod)) error
	Pod(key types.NamespacedName) *corev1.Pod
	PodKeys() []types.NamespacedName
	EachPod(fn func(*corev1.Pod))
	NodeNames() []string
	Node(name string) *corev1.Node
	BindPod(key types.NamespacedName, uid types.UID, node, actor string) bool
	UpdatePod(key types.NamespacedName, uid types.UID, actor, cause string, mutate func(*corev1.Pod)) bool
	// Stamp is the API server's timestamp of a virtual time.
	Stamp(t time.Duration) metav1.Time
}

// Config is what a scheduler is built from.
type Config struct {
	Engine *engine.Engine
	Client Client
	// Events records the scheduler's events (events.k8s.io).
	Events *record.EventsRecorder
	// Delay is the time from a pod's arrival (or a retry) to its binding.
	Delay time.Duration
}

// Scheduler binds unscheduled pods to nodes.
type Scheduler struct {
	eng     *engine.Engine
	api     Client
	events  *record.EventsRecorder
	delay   time.Duration
	waiting []types.NamespacedName // unschedulable pods, retried when the cluster changes
}

// New returns a scheduler watching every pod.
func New(cfg Config) (*Scheduler, error) {
	s := &Scheduler{eng: cfg.Engine, api: cfg.Client, events: cfg.Events, delay: cfg.Delay}
	if err := cfg.Client.WatchPods(fields.Everything(), s.onPod); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Scheduler) onPod(op trace.Op, p *corev1.Pod) {
	switch {
	case op == trace.Deleted || p.Spec.NodeName != "":
		if p.Spec.NodeName != "" && (op == trace.Deleted || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed) {
			s.retryWaiting() // room was freed
		}
	case op == trace.Added:
		s.eng.After(s.delay, engine.PriorityNormal, func() { s.schedule(podutil.KeyOf(p)) })
	}
}

// NodesChanged retries the pods that did not fit, as a node joining or
// changing moves them back to the active queue.
func (s *Scheduler) NodesChanged() { s.retryWaiting() }

func (s *Scheduler) retryWaiting() {
	waiting := s.waiting
	s.waiting = nil
	for _, k := range waiting {
		s.eng.After(s.delay, engine.PriorityNormal, func() { s.schedule(k) })
	}
}

func (s *Scheduler) schedule(key types.NamespacedName) {
	p := s.api.Pod(key)
	if p == nil || p.Spec.NodeName != "" || p.DeletionTimestamp != nil {
		return
	}
	node, why := s.pickNode(p)
	if node == "" {
		s.waiting = append(s.waiting, key)
		msg := fmt.Sprintf("0/%d nodes are available: %s.", len(s.api.NodeNames()), why)
		now := s.api.Stamp(s.eng.Now())
		s.api.UpdatePod(key, p.UID, corev1.DefaultSchedulerName, "unschedulable", func(q *corev1.Pod) {
			cond := corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable, Message: msg, LastTransitionTime: now}
			if prev := podutil.FindCondition(q.Status.Conditions, corev1.PodScheduled); prev != nil {
				if prev.Status == cond.Status {
					cond.LastTransitionTime = prev.LastTransitionTime
				}
				*prev = cond
				return
			}
			q.Status.Conditions = append(q.Status.Conditions, cond)
		})
		s.events.Eventf(podutil.PodRef(p, ""), corev1.EventTypeWarning, "FailedScheduling", "Scheduling", msg)
		return
	}
	if s.api.BindPod(key, p.UID, node, corev1.DefaultSchedulerName) {
		// pkg/scheduler/schedule_one.go: "Successfully assigned %v/%v to %v"
		s.events.Eventf(podutil.PodRef(p, ""), corev1.EventTypeNormal, "Scheduled", "Binding",
			fmt.Sprintf("Successfully assigned %s/%s to %s", p.Namespace, p.Name, node))
	}
}

// pickNode returns the chosen node, or "" and the reasons nodes were
// rejected, counted as the scheduler counts them ("1 Insufficient cpu").
func (s *Scheduler) pickNode(p *corev1.Pod) (string, string) {
	reasons := map[string]int{}
	best, bestCPU, bestMem := "", int64(-1), int64(-1)
	req := podutil.Requests(p)
	names := s.api.NodeNames()
	for _, name := range names {
		n := s.api.Node(name)
		if why := nodeRejects(n, p); why != "" {
			reasons[why]++
			continue
		}
		used := s.nodeRequests(name)
		free := func(name corev1.ResourceName) int64 {
			alloc := n.Status.Allocatable[name]
			u := used[name]
			return amount(name, &alloc) - amount(name, &u)
		}
		fits := true
		for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourceEphemeralStorage} {
			q := req[name]
			if amount(name, &q) > free(name) {
				reasons["Insufficient "+string(name)]++
				fits = false
			}
		}
		podsAlloc := n.Status.Allocatable[corev1.ResourcePods]
		if s.nodePodCount(name)+1 > podsAlloc.Value() {
			reasons["Too many pods"]++
			fits = false
		}
		if !fits {
			continue
		}
		cpu, mem := free(corev1.ResourceCPU), free(corev1.ResourceMemory)
		if cpu > bestCPU || (cpu == bestCPU && mem > bestMem) {
			best, bestCPU, bestMem = name, cpu, mem
		}
	}
	if best != "" {
		return best, ""
	}
	if len(names) == 0 {
		return "", "no nodes available to schedule pods"
	}
	var parts []string
	for _, why := range podutil.SortedKeys(reasons) {
		parts = append(parts, fmt.Sprintf("%d %s", reasons[why], why))
	}
	return "", strings.Join(parts, ", ")
}

// nodeRejects says why a node cannot take the pod regardless of resources:
// an untolerated NoSchedule or NoExecute taint, or a nodeSelector mismatch.
func nodeRejects(n *corev1.Node, p *corev1.Pod) string {
	taints := slices.Clone(n.Spec.Taints)
	if n.Spec.Unschedulable {
		taints = append(taints, corev1.Taint{Key: "node.kubernetes.io/unschedulable", Effect: corev1.TaintEffectNoSchedule})
	}
	for _, t := range taints {
		if t.Effect == corev1.TaintEffectPreferNoSchedule || podutil.ToleratesTaint(p.Spec.Tolerations, t) {
			continue
		}
		if t.Value != "" {
			return fmt.Sprintf("node(s) had untolerated taint {%s: %s}", t.Key, t.Value)
		}
		return fmt.Sprintf("node(s) had untolerated taint {%s: }", t.Key)
	}
	for k, v := range p.Spec.NodeSelector {
		if n.Labels[k] != v {
			return "node(s) didn't match Pod's node affinity/selector"
		}
	}
	return ""
}

// nodeRequests sums the requests of the active pods bound to a node.
func (s *Scheduler) nodeRequests(node string) corev1.ResourceList {
	out := corev1.ResourceList{}
	for _, k := range s.api.PodKeys() {
		p := s.api.Pod(k)
		if p.Spec.NodeName != node || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
			continue
		}
		for name, q := range podutil.Requests(p) {
			sum := out[name]
			sum.Add(q)
			out[name] = sum
		}
	}
	return out
}

func (s *Scheduler) nodePodCount(node string) int64 {
	var n int64
	s.api.EachPod(func(p *corev1.Pod) {
		if p.Spec.NodeName == node && p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed {
			n++
		}
	})
	return n
}

// amount is a quantity in the unit the scheduler counts it in: millicores
// for CPU, bytes (or a count) for the rest — as the NodeResourcesFit
// plugin's Resource does (pkg/scheduler/framework/types.go), so that 9Pi
// of memory does not overflow as milli-units would.
func amount(name corev1.ResourceName, q *resource.Quantity) int64 {
	if name == corev1.ResourceCPU {
		return q.MilliValue()
	}
	return q.Value()
}
