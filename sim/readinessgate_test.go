package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
)

// A readiness gate set True and back to False: Ready follows it both ways,
// and the invariant checks (on) accept the moment between the gate going
// False and the kubelet reconciling Ready.
func TestReadinessGateBackToFalse(t *testing.T) {
	c := workloadCluster(t, "node-1")
	gate := corev1.PodConditionType("example.com/feature-1")
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "gated"}, Spec: corev1.PodSpec{
		ReadinessGates: []corev1.PodReadinessGate{{ConditionType: gate}},
		Containers:     []corev1.Container{{Name: "app", Image: "busybox:1.36", Command: []string{"sleep", "3600"}}}}}
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": sleepForever()}))
	ready := func() corev1.ConditionStatus {
		for _, cond := range c.Pod("default", "gated").Status.Conditions {
			if cond.Type == corev1.PodReady {
				return cond.Status
			}
		}
		return ""
	}
	run(t, c, 10*time.Second)
	require.Equal(t, corev1.ConditionFalse, ready())
	require.NoError(t, c.SetPodCondition("default", "gated", corev1.PodCondition{Type: gate, Status: corev1.ConditionTrue}))
	run(t, c, 20*time.Second)
	require.Equal(t, corev1.ConditionTrue, ready())
	require.NoError(t, c.SetPodCondition("default", "gated", corev1.PodCondition{Type: gate, Status: corev1.ConditionFalse}))
	run(t, c, 30*time.Second)
	require.Equal(t, corev1.ConditionFalse, ready())
	require.NoError(t, c.Err())
}
