package scheduler_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/internal/podutil"
)

// victim is a bound pod of the given priority class.
func victim(name, cpu, class string, grace int64) *corev1.Pod {
	p := pod(name, cpu)
	p.Labels = map[string]string{"app": name}
	p.Spec.NodeName = "a"
	p.Spec.PriorityClassName = class
	p.Spec.TerminationGracePeriodSeconds = ptr.To(grace)
	return p
}

// A high-priority pod that does not fit evicts the lower-priority pod in
// its way, is nominated to the node, and binds there once the victim is
// gone. While the victim terminates, the preemptor is not eligible to
// preempt again.
func TestPreemption(t *testing.T) {
	for _, version := range []string{"1.25", "1.33"} {
		t.Run(version, func(t *testing.T) {
			h := newHarness(t, version)
			require.NoError(t, h.api.CreatePriorityClass(priorityClass("low", 10, corev1.PreemptLowerPriority), "user", ""))
			require.NoError(t, h.api.CreatePriorityClass(priorityClass("high", 1000, corev1.PreemptLowerPriority), "user", ""))
			h.addNode(node("a", "2"))
			h.createPod(victim("v1", "1", "low", 30))
			h.createPod(victim("v2", "1", "low", 30))
			h.run(time.Second)
			pre := pod("pre", "1")
			pre.Spec.PriorityClassName = "high"
			h.createPod(pre)
			h.run(2 * time.Second)

			// One victim is enough; of two equal ones, the later (by name)
			// is least important and goes.
			require.Nil(t, h.pod("v1").DeletionTimestamp)
			gone := h.pod("v2")
			require.NotNil(t, gone.DeletionTimestamp)
			cond := podutil.FindCondition(gone.Status.Conditions, corev1.DisruptionTarget)
			event := "Preempted by a pod on node a"
			if version == "1.25" {
				require.Nil(t, cond, "PodDisruptionConditions is alpha and off in 1.25")
			} else {
				require.NotNil(t, cond)
				require.Equal(t, corev1.PodReasonPreemptionByScheduler, cond.Reason)
				require.Equal(t, "default-scheduler: preempting to accommodate a higher priority pod", cond.Message)
				event = fmt.Sprintf("Preempted by pod %s on node a", h.pod("pre").UID)
			}
			require.Equal(t, []string{"Preempted: " + event}, h.events("v2"))
			require.Equal(t, "a", h.pod("pre").Status.NominatedNodeName)
			require.Equal(t, "0/1 nodes are available: 1 Insufficient cpu.", h.failure("pre"))

			// The victim's kubelet removes it after its grace period; till
			// then a node event retries the preemptor in vain.
			h.api.UpdateNode("a", "user", "label", func(n *corev1.Node) { n.Labels["touched"] = "yes" })
			h.run(4 * time.Second)
			msg := "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node."
			if version == "1.25" {
				msg += "."
			}
			require.Equal(t, msg, h.failure("pre"))
			h.api.DeletePod(types.NamespacedName{Namespace: "default", Name: "v2"}, "", ptr.To[int64](0), "kubelet/a", "killed")
			// The deletion reaches the scheduler at 4.01 s. 1.33 pops the
			// pod from the backoff queue at once; 1.25 waits out the second
			// back-off (2 s after the failure at 3.02 s), then the next
			// 1 s flush of the backoff queue.
			boundAt := 4010*time.Millisecond + 20*time.Millisecond
			if version == "1.25" {
				boundAt = 6*time.Second + 20*time.Millisecond
			}
			h.run(boundAt - time.Millisecond)
			require.Empty(t, h.pod("pre").Spec.NodeName)
			h.run(boundAt)
			require.Equal(t, "a", h.pod("pre").Spec.NodeName)
		})
	}
}

// Preemption prefers victims whose eviction keeps PodDisruptionBudgets,
// and reprieves the pods of a budget first.
func TestPreemptionRespectsPDBs(t *testing.T) {
	h := newHarness(t, "1.33")
	require.NoError(t, h.api.CreatePriorityClass(priorityClass("low", 10, corev1.PreemptLowerPriority), "user", ""))
	require.NoError(t, h.api.CreatePriorityClass(priorityClass("high", 1000, corev1.PreemptLowerPriority), "user", ""))
	h.addNode(node("a", "2"))
	h.createPod(victim("guarded", "1", "low", 0))
	h.createPod(victim("free", "1", "low", 0))
	pdb := &policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Name: "guard"}, Spec: policyv1.PodDisruptionBudgetSpec{
		MinAvailable: ptr.To(intstr.FromInt32(1)), Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "guarded"}}}}
	require.NoError(t, h.api.CreatePodDisruptionBudget(pdb, "user", ""))
	h.run(time.Second)
	pre := pod("pre", "1")
	pre.Spec.PriorityClassName = "high"
	h.createPod(pre)
	h.run(2 * time.Second)
	require.NotNil(t, h.pod("guarded"), "its budget allows no disruption (no controller has filled its status)")
	require.Nil(t, h.pod("free"))
	require.Equal(t, "a", h.pod("pre").Spec.NodeName)
}
