package scheduler

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/internal/podutil"
)

// noteLengthLimit is the longest message an events.k8s.io event takes
// (pkg/apis/events/validation NoteLengthLimit); longer ones are truncated
// (schedule_one.go truncateMessage).
const noteLengthLimit = 1024

// scheduleOne is one scheduling cycle (pkg/scheduler/schedule_one.go):
// filter, score and bind, or fail and maybe preempt.
func (s *Scheduler) scheduleOne(qp *queuedPod) {
	pi := qp.pi
	qp.attempts++
	if pi.pod.DeletionTimestamp != nil {
		// skipPodSchedule: a pod being deleted is not scheduled; its
		// deletion takes it out of the queue.
		s.queue.remove(pi.key())
		return
	}
	if len(s.cache.nodes) == 0 {
		s.fail(qp, errNoNodesAvailable, 0, "", true)
		return
	}
	cy := s.newCycle(pi)
	// A pod nominated by an earlier preemption tries its node first
	// (evaluateNominatedNode).
	if nom := pi.pod.Status.NominatedNodeName; nom != "" {
		if ni := s.cache.byName[nom]; ni != nil && s.filter(cy, ni).code == fits {
			s.bind(qp, ni)
			return
		}
	}
	feasible, rejected := s.findNodes(cy)
	if len(feasible) > 0 {
		s.bind(qp, feasible[scoreNodes(pi, feasible)])
		return
	}
	fe := &fitError{numAllNodes: len(s.cache.nodes)}
	var by plugins
	for _, r := range rejected {
		fe.statuses = append(fe.statuses, r.status)
		by |= r.status.plugin
	}
	node, override, msg := s.preempt(cy, rejected)
	fe.postFilterMsg = msg
	s.fail(qp, fe.message(s.prof.Disruption.FitErrorDoublePeriod), by, node, override)
}

// newCycle is the PreFilter step: what the filters need of the pod and of
// the cluster, computed once per attempt.
func (s *Scheduler) newCycle(pi *podInfo) *cycle {
	cy := &cycle{pi: pi, affinity: s.cache.newAffinityState(pi)}
	cy.toleratesUnschedulable = podutil.ToleratesTaint(pi.pod.Spec.Tolerations,
		corev1.Taint{Key: TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule})
	a := pi.pod.Spec.Affinity
	cy.nodeAffinity = len(pi.pod.Spec.NodeSelector) > 0 ||
		(a != nil && a.NodeAffinity != nil && a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil)
	for node, pods := range s.nominated {
		for _, o := range pods {
			if o.key() != pi.key() && o.priority >= pi.priority {
				if cy.nominated == nil {
					cy.nominated = map[string][]*podInfo{}
				}
				cy.nominated[node] = append(cy.nominated[node], o)
			}
		}
	}
	return cy
}

// findNodes filters the nodes, starting where the last attempt stopped,
// until it has found as many feasible nodes as it looks for
// (findNodesThatPassFilters).
func (s *Scheduler) findNodes(cy *cycle) ([]*nodeInfo, []rejectedNode) {
	nodes := s.cache.nodes
	n := len(nodes)
	want := numFeasibleNodesToFind(n)
	start := s.nextStart % n
	feasible := s.feasible[:0]
	var rejected []rejectedNode
	processed := 0
	for i := 0; i < n && len(feasible) < want; i++ {
		ni := nodes[(start+i)%n]
		processed++
		if st := s.filter(cy, ni); st.code == fits {
			feasible = append(feasible, ni)
		} else {
			rejected = append(rejected, rejectedNode{node: ni, status: st})
		}
	}
	s.nextStart = (start + processed) % n
	s.feasible = feasible
	return feasible, rejected
}

// bind assumes the pod on the node, so that the next attempt counts it at
// once, and writes the binding.
func (s *Scheduler) bind(qp *queuedPod, ni *nodeInfo) {
	pi := qp.pi
	s.queue.remove(pi.key())
	s.unnominate(pi.key())
	s.cache.addPod(pi, ni.name)
	if !s.api.BindPod(pi.key(), pi.pod.UID, ni.name, Actor) {
		s.cache.removePod(pi.key())
		return
	}
	// schedule_one.go: "Successfully assigned %v/%v to %v"
	s.events.Eventf(podutil.PodRef(pi.pod, ""), corev1.EventTypeNormal, "Scheduled", "Binding",
		fmt.Sprintf("Successfully assigned %s/%s to %s", pi.pod.Namespace, pi.pod.Name, ni.name))
}

// fail is handleSchedulingFailure: park the pod, remember its nomination,
// record FailedScheduling and write PodScheduled=False with the message
// (and the nominated node, when it changes).
func (s *Scheduler) fail(qp *queuedPod, msg string, rejectedBy plugins, nominated string, override bool) {
	pi := qp.pi
	qp.rejectedBy = rejectedBy
	s.queue.park(qp, s.eng.Now())
	s.armLeftoverFlush(qp)
	if override {
		s.nominate(pi, nominated)
	}
	note := msg
	if len(note) > noteLengthLimit {
		note = note[:noteLengthLimit-len(" ...")] + " ..."
	}
	s.events.Eventf(podutil.PodRef(pi.pod, ""), corev1.EventTypeWarning, "FailedScheduling", "Scheduling", note)
	now := s.api.Stamp(s.eng.Now())
	cond := corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable, Message: msg}
	s.api.UpdatePod(pi.key(), pi.pod.UID, Actor, "unschedulable", func(p *corev1.Pod) {
		setCondition(p, cond, now)
		if override {
			p.Status.NominatedNodeName = nominated
		}
	})
}
