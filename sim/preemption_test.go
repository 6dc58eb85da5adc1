package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/internal/podutil"
)

// A high-priority pod on a full node preempts the low-priority one: the
// victim gets DisruptionTarget, terminates through its kubelet within its
// grace period, and the preemptor, nominated to the node, binds there and
// runs.
func TestPreemptionEndToEnd(t *testing.T) {
	c := newCluster(t, "1.33", 1, "app:1")
	for _, pc := range []*schedulingv1.PriorityClass{
		{ObjectMeta: metav1.ObjectMeta{Name: "low"}, Value: 10},
		{ObjectMeta: metav1.ObjectMeta{Name: "high"}, Value: 1000},
	} {
		require.NoError(t, c.Create(pc))
	}
	cpu := func(name, class string) *corev1.Pod {
		p := podWith(name, "", corev1.Container{Name: "app", Image: "app:1", Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("3")}}})
		p.Spec.PriorityClassName = class
		return p
	}
	spec := sleepForever()
	spec.Stop = behavior.ExitOnStop(2*time.Second, 0)
	require.NoError(t, c.CreatePod(cpu("batch", "low"), map[string]behavior.Spec{"app": spec}))
	run(t, c, 10*time.Second)
	require.NoError(t, c.CreatePod(cpu("urgent", "high"), map[string]behavior.Spec{"app": sleepForever()}))
	run(t, c, 10*time.Second+100*time.Millisecond)
	victim := c.Pod("default", "batch")
	require.NotNil(t, victim.DeletionTimestamp)
	cond := podutil.FindCondition(victim.Status.Conditions, corev1.DisruptionTarget)
	require.NotNil(t, cond)
	require.Equal(t, corev1.PodReasonPreemptionByScheduler, cond.Reason)
	urgent := c.Pod("default", "urgent")
	require.Equal(t, "node-1", urgent.Status.NominatedNodeName)
	require.Empty(t, urgent.Spec.NodeName)
	run(t, c, 30*time.Second)
	require.Nil(t, c.Pod("default", "batch"))
	urgent = c.Pod("default", "urgent")
	require.Equal(t, "node-1", urgent.Spec.NodeName)
	require.Equal(t, corev1.PodRunning, urgent.Status.Phase)
}
