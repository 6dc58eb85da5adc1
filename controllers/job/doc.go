// Package job is kube-controller-manager's Job controller
// (pkg/controller/job/job_controller.go): it runs a Job's pods until
// enough of them succeed, or the Job fails.
//
// # How a sync goes
//
// A Job is synced when it is created, and a second (syncJobBatchPeriod)
// after any change of one of its pods, so that a burst of pod changes makes
// one sync. A sync (syncJob)
//
//  1. claims the pods its selector matches and counts the newly finished
//     ones: a pod is counted once the controller has removed its
//     batch.kubernetes.io/job-tracking finalizer (from 1.26,
//     profile.Workloads.JobTrackingFinalizer; before, pods are counted by
//     their phase). A pod being deleted counts as failed unless the Job
//     only replaces failed pods (podReplacementPolicy Failed, or a
//     podFailurePolicy);
//  2. decides whether the Job is finished: a podFailurePolicy FailJob rule
//     matched ("Container main for pod default/x-abcde failed with exit code
//     42 matching FailJob rule at index 0"); more failures than
//     backoffLimit, or with restartPolicy OnFailure as many container
//     restarts, "Job has reached the specified backoff limit"
//     (BackoffLimitExceeded); active longer than activeDeadlineSeconds,
//     "Job was active longer than specified deadline" (DeadlineExceeded);
//     succeeded pods reaching completions. A failing Job's active pods are
//     deleted;
//  3. otherwise keeps min(parallelism, completions − succeeded) pods
//     active, creating the missing ones — named <job>-<5 random
//     characters> — in slow-start batches. After a failure it waits its own
//     back-off first: 10 s doubling with each failure since the last
//     success, at most 10 min (6 min before 1.28,
//     profile.Workloads.JobMaxPodFailureBackOff), counted from when the
//     failed pod finished (backoff_utils.go);
//  4. writes the status: active, ready, terminating (from 1.29), succeeded,
//     failed, startTime, completionTime and the conditions. From 1.29
//     (profile.Workloads.JobDelayTerminalCondition) a finishing Job first
//     gets FailureTarget or SuccessCriteriaMet, and Failed or Complete only
//     once none of its pods is terminating. Events: SuccessfulCreate
//     "Created pod: pi-abcde", SuccessfulDelete, Completed "Job completed",
//     and a failure's reason and message as a Warning.
//
// # Fidelity notes
//
//   - The controller reads the API server's current objects rather than an
//     informer cache.
//   - A finished pod is counted in the same write that removes its
//     finalizer: the intermediate status listing it under
//     uncountedTerminatedPods, which a real controller writes a moment
//     before, is not written.
//   - Indexed Jobs, suspension, successPolicy, backoffLimitPerIndex and
//     managedBy are not modelled: the API server's validation in podsim
//     refuses them, naming the field.
//
// It reaches the cluster only through its [Client].
package job
