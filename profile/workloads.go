package profile

import "time"

// Workloads holds what differs between versions in the workload controllers
// (pkg/controller/replicaset, deployment, job, statefulset, daemon) and the
// API defaults of their kinds. docs/versions.md lists each row.
type Workloads struct {
	// ScalingEventFrom: the Deployment controller's ScalingReplicaSet event
	// for a resize says the old size, "Scaled up replica set x to 3 from 1"
	// (deployment/sync.go scaleReplicaSet, 1.26). Before: "… to 3". The
	// event of a new ReplicaSet's first scale-up never has "from".
	ScalingEventFrom bool
	// JobMaxPodFailureBackOff caps the Job controller's back-off before it
	// replaces a failed pod: 10 s doubling to 6 min in 1.25 (the work
	// queue's DefaultJobBackOff/MaxJobBackOff), 10 min since the back-off
	// became the controller's own record (job/backoff_utils.go,
	// MaxJobPodFailureBackOff, 1.28).
	JobMaxPodFailureBackOff time.Duration
	// JobTrackingFinalizer: the Job controller puts the
	// batch.kubernetes.io/job-tracking finalizer on its pods and counts a
	// finished pod when it removes it (JobTrackingWithFinalizers, on by
	// default since 1.26). Without it, finished pods are counted as they are.
	JobTrackingFinalizer bool
	// JobDelayTerminalCondition: a finishing Job first gets the interim
	// SuccessCriteriaMet or FailureTarget condition, and Complete or Failed
	// only once no pod is terminating; status.terminating is reported
	// (JobPodReplacementPolicy beta 1.29, JobManagedBy beta 1.32;
	// job_controller.go delayTerminalCondition).
	JobDelayTerminalCondition bool
	// JobCompletionReason: the Complete condition has reason
	// CompletionsReached and message "Reached expected number of succeeded
	// pods" (JobSuccessPolicy, 1.31); before, both were empty.
	JobCompletionReason bool
	// PodIndexLabel: StatefulSet pods get the apps.kubernetes.io/pod-index
	// label (PodIndexLabel, beta 1.28).
	PodIndexLabel bool
	// DefaultPVCRetentionPolicy: a StatefulSet's
	// spec.persistentVolumeClaimRetentionPolicy is defaulted to Retain and
	// Retain (StatefulSetAutoDeletePVC, beta 1.27; apps/v1 defaults.go).
	DefaultPVCRetentionPolicy bool
	// DefaultPodReplacementPolicy: a Job's spec.podReplacementPolicy is
	// defaulted, Failed with a pod failure policy, else TerminatingOrFailed
	// (JobPodReplacementPolicy, beta 1.29; batch/v1 defaults.go).
	DefaultPodReplacementPolicy bool
	// JobPrefixedLabels: Job pods carry the batch.kubernetes.io/ prefixed
	// job-name and controller-uid labels beside the legacy ones (1.27).
	JobPrefixedLabels bool
}

func workloadsFor(minor int) Workloads {
	w := Workloads{
		ScalingEventFrom:          minor >= 26,
		JobMaxPodFailureBackOff:   6 * time.Minute,
		JobTrackingFinalizer:      minor >= 26,
		JobDelayTerminalCondition: minor >= 29,
		JobCompletionReason:       minor >= 31,
		PodIndexLabel:             minor >= 28,
		JobPrefixedLabels:         minor >= 27,
	}
	if minor >= 28 {
		w.JobMaxPodFailureBackOff = 10 * time.Minute
	}
	return w
}
