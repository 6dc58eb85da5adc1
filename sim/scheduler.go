package sim

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/podsim/podsim/trace"
)

// scheduler binds unscheduled pods to nodes: a node fits when it tolerates
// the pod's taints, matches its nodeSelector and has room for its requests.
// Among fitting nodes it prefers the one with the most free CPU, then
// memory, then the first by name. Scheduling proper (scoring plugins,
// affinity, preemption) is not modelled.
type scheduler struct {
	c       *Cluster
	waiting []objKey // unschedulable pods, retried when the cluster changes
}

func newScheduler(c *Cluster) *scheduler {
	s := &scheduler{c: c}
	c.api.watchPods(s.onPod)
	return s
}

func (s *scheduler) onPod(op trace.Op, p *corev1.Pod) {
	switch {
	case op == trace.Deleted || p.Spec.NodeName != "":
		if p.Spec.NodeName != "" && (op == trace.Deleted || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed) {
			s.retryWaiting() // room was freed
		}
	case op == trace.Added:
		s.c.eng.After(s.c.cfg.Env.Timing.Scheduling, PriorityNormal, func() { s.schedule(keyOf(p)) })
	}
}

func (s *scheduler) nodesChanged() { s.retryWaiting() }

func (s *scheduler) retryWaiting() {
	waiting := s.waiting
	s.waiting = nil
	for _, k := range waiting {
		k := k
		s.c.eng.After(s.c.cfg.Env.Timing.Scheduling, PriorityNormal, func() { s.schedule(k) })
	}
}

func (s *scheduler) schedule(key objKey) {
	c := s.c
	p, ok := c.api.pods[key]
	if !ok || p.Spec.NodeName != "" || p.DeletionTimestamp != nil {
		return
	}
	node, why := s.pickNode(p)
	if node == "" {
		s.waiting = append(s.waiting, key)
		msg := fmt.Sprintf("0/%d nodes are available: %s.", len(c.kubelets), why)
		now := c.stamp(c.eng.Now())
		c.api.updatePod(key, string(p.UID), corev1.DefaultSchedulerName, "unschedulable", func(q *corev1.Pod) {
			cond := corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable, Message: msg, LastTransitionTime: now}
			if prev := findCondition(q.Status.Conditions, corev1.PodScheduled); prev != nil {
				if prev.Status == cond.Status {
					cond.LastTransitionTime = prev.LastTransitionTime
				}
				*prev = cond
				return
			}
			q.Status.Conditions = append(q.Status.Conditions, cond)
		})
		c.recorder.emitSchedulerEvent(p, corev1.EventTypeWarning, "FailedScheduling", "Scheduling", msg)
		return
	}
	if c.api.bindPod(key, p.UID, node) {
		// pkg/scheduler/schedule_one.go: "Successfully assigned %v/%v to %v"
		c.recorder.emitSchedulerEvent(p, corev1.EventTypeNormal, "Scheduled", "Binding",
			fmt.Sprintf("Successfully assigned %s/%s to %s", p.Namespace, p.Name, node))
	}
}

// pickNode returns the chosen node, or "" and the reasons nodes were
// rejected, counted as the scheduler counts them ("1 Insufficient cpu").
func (s *scheduler) pickNode(p *corev1.Pod) (string, string) {
	c := s.c
	reasons := map[string]int{}
	best, bestCPU, bestMem := "", int64(-1), int64(-1)
	req := podRequests(p)
	for _, k := range c.kubelets {
		n := c.api.nodes[k.name]
		if why := nodeRejects(n, p); why != "" {
			reasons[why]++
			continue
		}
		used := c.api.nodeRequests(k.name)
		free := func(name corev1.ResourceName) int64 {
			alloc := n.Status.Allocatable[name]
			u := used[name]
			return alloc.MilliValue() - u.MilliValue()
		}
		fits := true
		for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourceEphemeralStorage} {
			q := req[name]
			if q.MilliValue() > free(name) {
				reasons["Insufficient "+string(name)]++
				fits = false
			}
		}
		podsAlloc := n.Status.Allocatable[corev1.ResourcePods]
		if c.api.nodePodCount(k.name)+1 > podsAlloc.Value() {
			reasons["Too many pods"]++
			fits = false
		}
		if !fits {
			continue
		}
		cpu, mem := free(corev1.ResourceCPU), free(corev1.ResourceMemory)
		if cpu > bestCPU || (cpu == bestCPU && mem > bestMem) {
			best, bestCPU, bestMem = k.name, cpu, mem
		}
	}
	if best != "" {
		return best, ""
	}
	if len(c.kubelets) == 0 {
		return "", "no nodes available to schedule pods"
	}
	var parts []string
	for _, why := range sortedKeys(reasons) {
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
		if t.Effect == corev1.TaintEffectPreferNoSchedule || tolerated(p.Spec.Tolerations, t) {
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

// tolerated follows k8s.io/api/core/v1 Toleration.ToleratesTaint.
func tolerated(tols []corev1.Toleration, t corev1.Taint) bool {
	for _, tol := range tols {
		if tol.Effect != "" && tol.Effect != t.Effect {
			continue
		}
		if tol.Key != "" && tol.Key != t.Key {
			continue
		}
		switch tol.Operator {
		case corev1.TolerationOpExists:
			return true
		case "", corev1.TolerationOpEqual:
			if tol.Value == t.Value {
				return true
			}
		}
	}
	return false
}

// podRequests is the pod's effective request: the larger of the sum of its
// containers' requests and the largest init container request
// (k8s.io/component-helpers/resource PodRequests, without overhead).
func podRequests(p *corev1.Pod) corev1.ResourceList {
	out := corev1.ResourceList{}
	for _, ctr := range p.Spec.Containers {
		for name, q := range ctr.Resources.Requests {
			sum := out[name]
			sum.Add(q)
			out[name] = sum
		}
	}
	for _, ctr := range p.Spec.InitContainers {
		for name, q := range ctr.Resources.Requests {
			if cur := out[name]; q.Cmp(cur) > 0 {
				out[name] = q.DeepCopy()
			}
		}
	}
	return out
}

// nodeRequests sums the requests of the active pods bound to a node.
func (a *apiServer) nodeRequests(node string) corev1.ResourceList {
	out := corev1.ResourceList{}
	for _, k := range a.sortedPodKeys() {
		p := a.pods[k]
		if p.Spec.NodeName != node || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
			continue
		}
		for name, q := range podRequests(p) {
			sum := out[name]
			sum.Add(q)
			out[name] = sum
		}
	}
	return out
}

func (a *apiServer) nodePodCount(node string) int64 {
	var n int64
	for _, p := range a.pods {
		if p.Spec.NodeName == node && p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed {
			n++
		}
	}
	return n
}

// defaultNodeCapacity is what a node without a declared capacity gets.
func defaultNodeCapacity() corev1.ResourceList {
	return corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse("4"),
		corev1.ResourceMemory:           resource.MustParse("8Gi"),
		corev1.ResourceEphemeralStorage: resource.MustParse("100Gi"),
		corev1.ResourcePods:             resource.MustParse("110"),
	}
}
