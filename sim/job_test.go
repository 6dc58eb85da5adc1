package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/sim"
)

func shJob(name, script string, backoffLimit int32, restart corev1.RestartPolicy) *batchv1.Job {
	return &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: batchv1.JobSpec{
		BackoffLimit: ptr.To(backoffLimit),
		Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{RestartPolicy: restart,
			Containers: []corev1.Container{{Name: "main", Image: "busybox:1.36", Command: []string{"sh", "-c", script}}}}}}}
}

func jobCondition(j *batchv1.Job, t batchv1.JobConditionType) *batchv1.JobCondition {
	for i := range j.Status.Conditions {
		if j.Status.Conditions[i].Type == t {
			return &j.Status.Conditions[i]
		}
	}
	return nil
}

// backoffLimit 2: three pods fail, each replacement after the
// controller's back-off (10 s, then 20 s, from when the failed pod's
// Ready condition last changed); then the Job fails with
// BackoffLimitExceeded, first as the interim FailureTarget (1.29+).
func TestJobBackoffLimitExceeded(t *testing.T) {
	c := workloadCluster(t, "node-1")
	require.NoError(t, c.CreateWorkload(shJob("fail", "exit 1", 2, corev1.RestartPolicyNever), nil))
	run(t, c, 120*time.Second)
	j := c.Job("default", "fail")
	require.Equal(t, int32(3), j.Status.Failed)
	require.Equal(t, int32(0), j.Status.Active)
	ft, failed := jobCondition(j, batchv1.JobFailureTarget), jobCondition(j, batchv1.JobFailed)
	require.NotNil(t, ft)
	require.NotNil(t, failed)
	require.Equal(t, "BackoffLimitExceeded", failed.Reason)
	require.Equal(t, "Job has reached the specified backoff limit", failed.Message)
	var created []time.Time
	for _, e := range c.Events() {
		if e.Reason == "SuccessfulCreate" {
			created = append(created, e.FirstTimestamp.Time)
		}
	}
	require.Len(t, created, 3)
	require.Equal(t, 10*time.Second, created[1].Sub(created[0]))
	require.Equal(t, 30*time.Second, created[2].Sub(created[0]))
	require.Equal(t, []string{"Job has reached the specified backoff limit"}, eventMessages(c, "BackoffLimitExceeded"))
	for _, p := range c.Pods() {
		require.Empty(t, p.Finalizers, "counted pods lose the tracking finalizer")
		require.Equal(t, corev1.PodFailed, p.Status.Phase)
	}
}

// restartPolicy OnFailure: the kubelet restarts the container in place;
// the Job fails once the restarts reach backoffLimit.
func TestJobOnFailureRestartsCount(t *testing.T) {
	c := workloadCluster(t, "node-1")
	require.NoError(t, c.CreateWorkload(shJob("crash", "exit 1", 2, corev1.RestartPolicyOnFailure), nil))
	run(t, c, 120*time.Second)
	j := c.Job("default", "crash")
	failed := jobCondition(j, batchv1.JobFailed)
	require.NotNil(t, failed)
	require.Equal(t, "BackoffLimitExceeded", failed.Reason)
	require.Len(t, eventMessages(c, "SuccessfulCreate"), 1, "one pod, restarted in place")
	require.Len(t, eventMessages(c, "SuccessfulDelete"), 1, "the failing Job deletes its active pod")
}

// activeDeadlineSeconds: the running pod is deleted and the Job fails
// with DeadlineExceeded.
func TestJobActiveDeadline(t *testing.T) {
	c := workloadCluster(t, "node-1")
	j := shJob("slow", "sleep 3600", 6, corev1.RestartPolicyNever)
	j.Spec.ActiveDeadlineSeconds = ptr.To[int64](20)
	require.NoError(t, c.CreateWorkload(j, nil))
	run(t, c, 19*time.Second)
	require.Nil(t, jobCondition(c.Job("default", "slow"), batchv1.JobFailed))
	run(t, c, 90*time.Second)
	got := c.Job("default", "slow")
	failed := jobCondition(got, batchv1.JobFailed)
	require.NotNil(t, failed)
	require.Equal(t, "DeadlineExceeded", failed.Reason)
	require.Equal(t, "Job was active longer than specified deadline", failed.Message)
	require.Equal(t, []string{"Job was active longer than specified deadline"}, eventMessages(c, "DeadlineExceeded"))
	// The terminal condition waited for the pod's termination (sleep
	// ignores SIGTERM: the 30 s grace period), then the 1 s batch period.
	require.Equal(t, 31*time.Second, failed.LastTransitionTime.Sub(jobCondition(got, batchv1.JobFailureTarget).LastTransitionTime.Time))
}

// completions 3, parallelism 2: two pods at a time, Complete at 3/3.
func TestJobCompletionsParallelism(t *testing.T) {
	c := workloadCluster(t, "node-1")
	j := shJob("work", "sleep 5", 6, corev1.RestartPolicyNever)
	j.Spec.Completions, j.Spec.Parallelism = ptr.To[int32](3), ptr.To[int32](2)
	require.NoError(t, c.CreateWorkload(j, nil))
	run(t, c, 4*time.Second)
	require.Equal(t, int32(2), c.Job("default", "work").Status.Active)
	run(t, c, 60*time.Second)
	got := c.Job("default", "work")
	require.Equal(t, int32(3), got.Status.Succeeded)
	complete := jobCondition(got, batchv1.JobComplete)
	require.NotNil(t, complete)
	require.Equal(t, "CompletionsReached", complete.Reason)
	require.NotNil(t, got.Status.CompletionTime)
	require.Equal(t, []string{"Job completed"}, eventMessages(c, "Completed"))
}

// A podFailurePolicy FailJob rule on exit code 42 fails the Job at the
// first such failure, with the rule's message.
func TestJobPodFailurePolicy(t *testing.T) {
	c := workloadCluster(t, "node-1")
	j := shJob("pfp", "exit 42", 6, corev1.RestartPolicyNever)
	j.Spec.PodFailurePolicy = &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{{
		Action:      batchv1.PodFailurePolicyActionFailJob,
		OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{Operator: batchv1.PodFailurePolicyOnExitCodesOpIn, Values: []int32{42}},
	}}}
	require.NoError(t, c.CreateWorkload(j, nil))
	run(t, c, 60*time.Second)
	failed := jobCondition(c.Job("default", "pfp"), batchv1.JobFailed)
	require.NotNil(t, failed)
	require.Equal(t, "PodFailurePolicy", failed.Reason)
	pods := c.Pods()
	require.Len(t, pods, 1)
	require.Equal(t, "Container main for pod default/"+pods[0].Name+" failed with exit code 42 matching FailJob rule at index 0", failed.Message)
}

// Before 1.29 a failing Job gets Failed at once, without FailureTarget;
// before 1.26 its pods carry no tracking finalizer (podsim follows 1.25
// and 1.33).
func TestJobFailedByVersion(t *testing.T) {
	for _, tc := range []struct {
		version   string
		interim   bool
		finalizer bool
	}{{"1.25", false, false}, {"1.33", true, true}} {
		t.Run(tc.version, func(t *testing.T) {
			c, err := sim.New(sim.Config{Seed: 1, CheckInvariants: true, Version: tc.version})
			require.NoError(t, err)
			require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{}))
			j := shJob("fail", "exit 1", 0, corev1.RestartPolicyNever)
			require.NoError(t, c.CreateWorkload(j, nil))
			run(t, c, 2*time.Second)
			pods := c.Pods()
			require.Len(t, pods, 1)
			require.Equal(t, tc.finalizer, len(pods[0].Finalizers) == 1)
			run(t, c, 30*time.Second)
			got := c.Job("default", "fail")
			require.Equal(t, int32(1), got.Status.Failed)
			require.NotNil(t, jobCondition(got, batchv1.JobFailed))
			require.Equal(t, tc.interim, jobCondition(got, batchv1.JobFailureTarget) != nil)
		})
	}
}

// Deleting a Job deletes its pods (the garbage collector); the Job
// controller removes the tracking finalizer of the orphans, so they go.
func TestJobDeletedPodsGo(t *testing.T) {
	c := workloadCluster(t, "node-1")
	require.NoError(t, c.CreateWorkload(shJob("long", "sleep 3600", 6, corev1.RestartPolicyNever), nil))
	run(t, c, 10*time.Second)
	require.Len(t, c.Pods(), 1)
	require.NoError(t, c.DeleteWorkload("Job", "default", "long"))
	run(t, c, 60*time.Second)
	require.Empty(t, c.Pods(), "the orphan lost its finalizer and was removed after its grace period")
}
