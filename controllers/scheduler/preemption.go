package scheduler

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/podsim/podsim/internal/podutil"
)

// Preemption messages (pkg/scheduler/framework/plugins/defaultpreemption,
// pkg/scheduler/framework/preemption/preemption.go).
const (
	msgPreemptionNever       = "not eligible due to preemptionPolicy=Never."
	msgTerminatingOnNominee  = "not eligible due to a terminating pod on the nominated node."
	msgPreemptionNotHelpful  = "Preemption is not helpful for scheduling"
	msgNoPreemptionVictims   = "No preemption victims found for incoming pod"
	preemptionMessagePrefix  = "preemption: "
	minCandidateNodesPercent = 10
	minCandidateNodesAbs     = 100
)

// rejectedNode is a node the attempt's filters rejected, with why.
type rejectedNode struct {
	node   *nodeInfo
	status nodeStatus
}

// candidate is a node where preempting victims makes room for the pod.
type candidate struct {
	node       *nodeInfo
	victims    []*podInfo // most important first
	violations int        // victims whose eviction violates a PodDisruptionBudget
}

// preempt is the DefaultPreemption PostFilter plugin
// (preemption.go Evaluator.Preempt). It returns the node it nominated the
// pod to, whether the pod's nomination is to be set to that (override:
// "" clears it), and its message for the FailedScheduling event. It runs
// only when no node passed the filters, so every node was tried.
func (s *Scheduler) preempt(cy *cycle, rejected []rejectedNode) (node string, override bool, msg string) {
	pi := cy.pi
	p := pi.pod
	// 1) PodEligibleToPreemptOthers.
	if p.Spec.PreemptionPolicy != nil && *p.Spec.PreemptionPolicy == corev1.PreemptNever {
		return "", false, preemptionMessagePrefix + msgPreemptionNever
	}
	if nom := p.Status.NominatedNodeName; nom != "" {
		unresolvableThere := false
		for _, r := range rejected {
			unresolvableThere = unresolvableThere || (r.node.name == nom && r.status.code == unresolvable)
		}
		if ni := s.cache.byName[nom]; ni != nil && !unresolvableThere {
			for _, o := range ni.pods {
				if o.priority < pi.priority && s.terminatingForPreemption(o.pod) {
					return "", false, preemptionMessagePrefix + msgTerminatingOnNominee
				}
			}
		}
	}
	// 2) The dry run, on the nodes where removing pods might help.
	fe := &fitError{numAllNodes: len(s.cache.nodes), absent: []string{msgPreemptionNotHelpful}}
	var potential []*nodeInfo
	for _, r := range rejected {
		if r.status.code != unresolvable {
			potential = append(potential, r.node)
		}
	}
	numCandidates := max(len(potential)*minCandidateNodesPercent/100, minCandidateNodesAbs)
	numCandidates = min(numCandidates, len(potential))
	pdbs := s.api.PodDisruptionBudgets()
	var nonViolating, violating []candidate
	dryRunFailed := false
	for _, ni := range potential {
		victims, violations, st := s.selectVictims(cy, ni, pdbs)
		if st.code != fits {
			fe.statuses = append(fe.statuses, st)
			continue
		}
		if len(victims) == 0 {
			// "expected at least one victim pod on node": an error, so
			// PostFilter says nothing.
			dryRunFailed = true
			continue
		}
		c := candidate{node: ni, victims: victims, violations: violations}
		if violations == 0 {
			nonViolating = append(nonViolating, c)
		} else {
			violating = append(violating, c)
		}
		if len(nonViolating) > 0 && len(nonViolating)+len(violating) >= numCandidates {
			break
		}
	}
	candidates := append(nonViolating, violating...)
	if len(candidates) == 0 {
		if dryRunFailed {
			return "", false, ""
		}
		return "", true, preemptionMessagePrefix + fe.message(s.prof.Disruption.FitErrorDoublePeriod)
	}
	// 3) The best candidate, and its victims evicted.
	best := pickOneNodeForPreemption(candidates)
	s.prepareCandidate(pi, best)
	return best.node.name, true, ""
}

// terminatingForPreemption says whether a lower-priority pod on the
// nominated node blocks another preemption: one being deleted — since
// 1.29 only one the scheduler itself is deleting for a preemption
// (podTerminatingByPreemption).
func (s *Scheduler) terminatingForPreemption(p *corev1.Pod) bool {
	if p.DeletionTimestamp == nil {
		return false
	}
	if !s.prof.Disruption.TerminatingByPreemption {
		return true
	}
	c := podutil.FindCondition(p.Status.Conditions, corev1.DisruptionTarget)
	return c != nil && c.Status == corev1.ConditionTrue && c.Reason == corev1.PodReasonPreemptionByScheduler
}

// selectVictims is SelectVictimsOnNode (default_preemption.go): remove every
// lower-priority pod; if the pod then fits, put them back one by one, most
// important first and the ones whose eviction would violate a PDB before
// the others, keeping out only those without which it does not fit.
func (s *Scheduler) selectVictims(cy *cycle, ni *nodeInfo, pdbs []*policyv1.PodDisruptionBudget) ([]*podInfo, int, nodeStatus) {
	pi := cy.pi
	var potential []*podInfo
	for _, o := range ni.pods {
		if o.priority < pi.priority {
			potential = append(potential, o)
		}
	}
	if len(potential) == 0 {
		return nil, 0, nodeStatus{code: unresolvable, reasons: []string{msgNoPreemptionVictims}}
	}
	trial := ni.clone()
	tcy := *cy
	tcy.affinity = cy.affinity.clone()
	for _, o := range potential {
		trial.removePod(o)
		tcy.affinity.update(pi, o, ni.node, -1)
	}
	if st := s.filter(&tcy, trial); st.code != fits {
		return nil, 0, st
	}
	slices.SortStableFunc(potential, moreImportantFirst)
	violatingPods, others := podsViolatingPDBs(potential, pdbs)
	var victims []*podInfo
	violations := 0
	reprieve := func(o *podInfo) bool {
		trial.addPod(o)
		tcy.affinity.update(pi, o, ni.node, 1)
		if s.filter(&tcy, trial).code == fits {
			return true
		}
		trial.removePod(o)
		tcy.affinity.update(pi, o, ni.node, -1)
		victims = append(victims, o)
		return false
	}
	for _, o := range violatingPods {
		if !reprieve(o) {
			violations++
		}
	}
	for _, o := range others {
		reprieve(o)
	}
	return victims, violations, nodeStatus{}
}

// moreImportantFirst orders pods as util.MoreImportantPod: higher priority,
// then the earlier start (a pod not started yet counts as starting now,
// after every started one), then by name so that runs repeat.
func moreImportantFirst(a, b *podInfo) int {
	if a.priority != b.priority {
		return cmp.Compare(b.priority, a.priority)
	}
	as, bs := a.pod.Status.StartTime, b.pod.Status.StartTime
	switch {
	case as != nil && bs != nil && !as.Equal(bs):
		if as.Before(bs) {
			return -1
		}
		return 1
	case as != nil && bs == nil:
		return -1
	case as == nil && bs != nil:
		return 1
	}
	return podutil.CompareKeys(a.key(), b.key())
}

// podsViolatingPDBs is filterPodsWithPDBViolation: a pod violates a budget
// when evicting it, after the pods before it, would take the budget's
// disruptionsAllowed below zero. Pods the API server already let go
// (status.disruptedPods) do not count.
func podsViolatingPDBs(pods []*podInfo, pdbs []*policyv1.PodDisruptionBudget) (violating, others []*podInfo) {
	allowed := make([]int32, len(pdbs))
	selectors := make([]labels.Selector, len(pdbs))
	for i, pdb := range pdbs {
		allowed[i] = pdb.Status.DisruptionsAllowed
		sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
		// A PDB with a nil or empty selector matches nothing here
		// (default_preemption.go).
		if err != nil || sel.Empty() {
			sel = labels.Nothing()
		}
		selectors[i] = sel
	}
	for _, o := range pods {
		violated := false
		if len(o.pod.Labels) != 0 {
			for i, pdb := range pdbs {
				if pdb.Namespace != o.pod.Namespace || !selectors[i].Matches(labels.Set(o.pod.Labels)) {
					continue
				}
				if _, ok := pdb.Status.DisruptedPods[o.pod.Name]; ok {
					continue
				}
				allowed[i]--
				if allowed[i] < 0 {
					violated = true
				}
			}
		}
		if violated {
			violating = append(violating, o)
		} else {
			others = append(others, o)
		}
	}
	return violating, others
}

// pickOneNodeForPreemption (preemption.go): the fewest PDB violations,
// then the lowest highest-priority victim, the lowest sum of priorities,
// the fewest victims, the latest start among the highest-priority
// victims, then the first.
func pickOneNodeForPreemption(cs []candidate) candidate {
	criteria := []func(c candidate) int64{
		func(c candidate) int64 { return -int64(c.violations) },
		func(c candidate) int64 { return -int64(c.victims[0].priority) },
		func(c candidate) int64 {
			var sum int64
			for _, v := range c.victims {
				// Shifted so that every term is positive.
				sum += int64(v.priority) + int64(math.MaxInt32) + 1
			}
			return -sum
		},
		func(c candidate) int64 { return -int64(len(c.victims)) },
		func(c candidate) int64 { return earliestStartOfHighest(c.victims) },
	}
	for _, crit := range criteria {
		best := int64(math.MinInt64)
		var kept []candidate
		for _, c := range cs {
			switch v := crit(c); {
			case v > best:
				best, kept = v, []candidate{c}
			case v == best:
				kept = append(kept, c)
			}
		}
		if cs = kept; len(cs) == 1 {
			break
		}
	}
	return cs[0]
}

// earliestStartOfHighest is the earliest start time, in Unix nanoseconds,
// of the victims of the highest priority; a victim not started yet counts
// as the latest possible.
func earliestStartOfHighest(victims []*podInfo) int64 {
	earliest := int64(math.MaxInt64)
	for _, v := range victims {
		if v.priority != victims[0].priority {
			continue
		}
		if st := v.pod.Status.StartTime; st != nil {
			earliest = min(earliest, st.UnixNano())
		}
	}
	return earliest
}

// prepareCandidate evicts the victims (preemption.go prepareCandidate):
// each gets the DisruptionTarget condition where the version sets it, is
// deleted with its own grace period and gets a Preempted event; then the
// lower-priority pods nominated to the node lose their nomination.
func (s *Scheduler) prepareCandidate(preemptor *podInfo, c candidate) {
	now := s.api.Stamp(s.eng.Now())
	d := s.prof.Disruption
	for _, v := range c.victims {
		if d.PodDisruptionConditions {
			cond := corev1.PodCondition{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue,
				Reason:  corev1.PodReasonPreemptionByScheduler,
				Message: fmt.Sprintf("%s: preempting to accommodate a higher priority pod", preemptor.pod.Spec.SchedulerName)}
			s.api.UpdatePod(v.key(), v.pod.UID, Actor, "preempted by "+preemptor.pod.Name, func(p *corev1.Pod) {
				setCondition(p, cond, now)
			})
		}
		s.api.DeletePod(v.key(), v.pod.UID, nil, Actor, "preempted by "+preemptor.pod.Name)
		msg := fmt.Sprintf("Preempted by a pod on node %v", c.node.name)
		if d.PreemptedEventUID {
			msg = fmt.Sprintf("Preempted by pod %v on node %v", preemptor.pod.UID, c.node.name)
		}
		s.events.Eventf(podutil.PodRef(v.pod, ""), corev1.EventTypeNormal, "Preempted", "Preempting", msg)
	}
	for _, key := range podutil.SortedObjectKeys(s.nominated[c.node.name]) {
		o := s.nominated[c.node.name][key]
		if o.priority >= preemptor.priority || o.key() == preemptor.key() {
			continue
		}
		s.api.UpdatePod(o.key(), o.pod.UID, Actor, "nomination cleared by a preemption", func(p *corev1.Pod) {
			p.Status.NominatedNodeName = ""
		})
		s.unnominate(o.key())
	}
}

// setCondition is podutil.UpdatePodCondition: the transition time moves
// only when the status changes.
func setCondition(p *corev1.Pod, cond corev1.PodCondition, now metav1.Time) {
	cond.LastTransitionTime = now
	if prev := podutil.FindCondition(p.Status.Conditions, cond.Type); prev != nil {
		if prev.Status == cond.Status {
			cond.LastTransitionTime = prev.LastTransitionTime
		}
		*prev = cond
		return
	}
	p.Status.Conditions = append(p.Status.Conditions, cond)
}

// clone copies a node's totals and pods for a dry run.
func (ni *nodeInfo) clone() *nodeInfo {
	c := *ni
	c.pods = slices.Clone(ni.pods)
	c.requested.scalar = slices.Clone(ni.requested.scalar)
	if ni.usedPorts != nil {
		c.usedPorts = make(map[hostPort]int, len(ni.usedPorts))
		for k, v := range ni.usedPorts {
			c.usedPorts[k] = v
		}
	}
	return &c
}
