package profile

// Disruption holds what differs between versions in scheduling, preemption,
// the Eviction API and PodDisruptionBudgets. Each field names the change.
type Disruption struct {
	// FitErrorDoublePeriod: FailedScheduling messages end the preemption
	// part with its own period and then FitError's (" %v."), giving "..":
	// "… 1 No preemption victims found for incoming pod.." (fixed in 1.30,
	// pkg/scheduler/framework/types.go FitError.Error).
	FitErrorDoublePeriod bool
	// PopFromBackoffQ: the scheduling queue pops a pod from the backoff
	// queue when the active queue is empty, so an idle scheduler retries a
	// pod without its back-off (SchedulerPopFromBackoffQ, beta and on in
	// 1.33, KEP-5142).
	PopFromBackoffQ bool
	// PreemptedEventUID: the victim's Preempted event reads "Preempted by
	// pod <uid> on node <n>" (PR #119971, 1.29) instead of "Preempted by a
	// pod on node <n>" (PR #114923, cherry-picked to 1.25).
	PreemptedEventUID bool
	// PodDisruptionConditions: a pod evicted by the Eviction API or
	// preempted by the scheduler gets the DisruptionTarget condition
	// (PodDisruptionConditions, beta and on in 1.26, GA 1.31).
	PodDisruptionConditions bool
	// TerminatingByPreemption: a preemptor is not eligible to preempt again
	// only while a lower-priority pod on its nominated node is terminating
	// because of preemption (its DisruptionTarget reason is
	// PreemptionByScheduler); before, any terminating lower-priority pod
	// there blocked it (default_preemption.go PodEligibleToPreemptOthers,
	// 1.29).
	TerminatingByPreemption bool
	// UnhealthyPodEvictionPolicy: PodDisruptionBudgets have
	// spec.unhealthyPodEvictionPolicy (PDBUnhealthyPodEvictionPolicy, beta
	// and on in 1.27, GA 1.31).
	UnhealthyPodEvictionPolicy bool
	// EmptySelectorMatchesAll: the eviction subresource treats a PDB with an
	// empty selector as selecting every pod of its namespace, as policy/v1
	// defines it; before, eviction.go skipped it ("If a PDB with a nil or
	// empty selector creeps in, it should match nothing", PR #119732, 1.29,
	// cherry-picked to 1.28).
	EmptySelectorMatchesAll bool
	// SchedulingGates: pods may have spec.schedulingGates and are created
	// with PodScheduled=False, reason SchedulingGated
	// (PodSchedulingReadiness, beta and on in 1.27, GA 1.30).
	SchedulingGates bool
	// SeparateTaintEvictionController: the taint eviction controller runs
	// on its own and records its events as taint-eviction-controller;
	// before, the node lifecycle controller's taint manager did, as
	// taint-controller (SeparateTaintEvictionController, beta and on in
	// 1.29).
	SeparateTaintEvictionController bool
	// PodGCOutOfService: pod GC force-deletes terminating pods on a node
	// that is not Ready and has the node.kubernetes.io/out-of-service taint
	// (NodeOutOfServiceVolumeDetach, beta and on in 1.26, GA 1.28).
	PodGCOutOfService bool
}

func disruptionFor(minor int) Disruption {
	return Disruption{
		FitErrorDoublePeriod:            minor < 30,
		PopFromBackoffQ:                 minor >= 33,
		PreemptedEventUID:               minor >= 29,
		PodDisruptionConditions:         minor >= 26,
		TerminatingByPreemption:         minor >= 29,
		UnhealthyPodEvictionPolicy:      minor >= 27,
		EmptySelectorMatchesAll:         minor >= 28,
		SchedulingGates:                 minor >= 27,
		SeparateTaintEvictionController: minor >= 29,
		PodGCOutOfService:               minor >= 26,
	}
}
