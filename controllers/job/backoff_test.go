package job

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// The back-off doubles from 10 s per failure since the last success, is
// capped, and runs from the last failure (backoff_utils.go).
func TestBackoffRemaining(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		failures int32
		elapsed  time.Duration
		max      time.Duration
		want     time.Duration
	}{
		{0, 0, 10 * time.Minute, 0},
		{1, 0, 10 * time.Minute, 10 * time.Second},
		{1, 4 * time.Second, 10 * time.Minute, 6 * time.Second},
		{2, 0, 10 * time.Minute, 20 * time.Second},
		{3, 0, 10 * time.Minute, 40 * time.Second},
		{1, 11 * time.Second, 10 * time.Minute, 0},
		{10, 0, 10 * time.Minute, 10 * time.Minute},
		{7, 0, 6 * time.Minute, 6 * time.Minute},
	} {
		last := t0
		b := backoffRecord{failuresAfterLastSuccess: tc.failures, lastFailureTime: &last}
		require.Equal(t, tc.want, b.remaining(t0.Add(tc.elapsed), DefaultJobPodFailureBackOff, tc.max), "%+v", tc)
	}
}

func failedPod(code int32, conds ...corev1.PodCondition) *corev1.Pod {
	p := &corev1.Pod{Status: corev1.PodStatus{Phase: corev1.PodFailed, Conditions: conds,
		ContainerStatuses: []corev1.ContainerStatus{{Name: "main", State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: code}}}}}}
	p.Namespace, p.Name = "default", "x-abcde"
	return p
}

func TestMatchPodFailurePolicy(t *testing.T) {
	policy := &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{
		{Action: batchv1.PodFailurePolicyActionIgnore, OnPodConditions: []batchv1.PodFailurePolicyOnPodConditionsPattern{{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue}}},
		{Action: batchv1.PodFailurePolicyActionFailJob, OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{Operator: batchv1.PodFailurePolicyOnExitCodesOpIn, Values: []int32{42}}},
		{Action: batchv1.PodFailurePolicyActionCount, OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{Operator: batchv1.PodFailurePolicyOnExitCodesOpNotIn, Values: []int32{1}}},
	}}
	for _, tc := range []struct {
		name   string
		pod    *corev1.Pod
		msg    string
		counts bool
		action batchv1.PodFailurePolicyAction
	}{
		{"disruption ignored", failedPod(42, corev1.PodCondition{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue}), "", false, batchv1.PodFailurePolicyActionIgnore},
		{"exit 42 fails the job", failedPod(42), "Container main for pod default/x-abcde failed with exit code 42 matching FailJob rule at index 1", true, batchv1.PodFailurePolicyActionFailJob},
		{"exit 3 counts", failedPod(3), "", true, batchv1.PodFailurePolicyActionCount},
		{"exit 1 matches nothing", failedPod(1), "", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg, counts, action := matchPodFailurePolicy(policy, tc.pod)
			got := ""
			if msg != nil {
				got = *msg
			}
			require.Equal(t, tc.msg, got)
			require.Equal(t, tc.counts, counts)
			var a batchv1.PodFailurePolicyAction
			if action != nil {
				a = *action
			}
			require.Equal(t, tc.action, a)
		})
	}
}
