package scheduler_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/internal/podutil"
)

// A gated pod is created SchedulingGated and waits, with no attempt and no
// event, until its last gate goes (the SchedulingGates PreEnqueue plugin).
func TestSchedulingGates(t *testing.T) {
	h := newHarness(t, "1.33")
	h.addNode(node("a", "4"))
	p := pod("gated", "")
	p.Spec.SchedulingGates = []corev1.PodSchedulingGate{{Name: "example.com/one"}, {Name: "example.com/two"}}
	h.createPod(p)
	h.run(time.Minute)
	c := podutil.FindCondition(h.pod("gated").Status.Conditions, corev1.PodScheduled)
	require.NotNil(t, c)
	require.Equal(t, corev1.PodReasonSchedulingGated, c.Reason)
	require.Equal(t, "Scheduling is blocked due to non-empty scheduling gates", c.Message)
	require.Empty(t, h.events("gated"))

	key := types.NamespacedName{Namespace: "default", Name: "gated"}
	h.api.UpdatePod(key, "", "user", "one gate removed", func(p *corev1.Pod) { p.Spec.SchedulingGates = p.Spec.SchedulingGates[1:] })
	h.run(2 * time.Minute)
	require.Empty(t, h.pod("gated").Spec.NodeName)
	h.api.UpdatePod(key, "", "user", "last gate removed", func(p *corev1.Pod) { p.Spec.SchedulingGates = nil })
	h.run(2*time.Minute + 30*time.Millisecond)
	require.Equal(t, "a", h.pod("gated").Spec.NodeName)
}

// Scheduling gates need 1.27.
func TestSchedulingGatesNeed127(t *testing.T) {
	h := newHarness(t, "1.25")
	p := pod("gated", "")
	p.Spec.SchedulingGates = []corev1.PodSchedulingGate{{Name: "example.com/one"}}
	require.ErrorContains(t, h.api.CreatePod(p, "user", ""), "spec.schedulingGates: Forbidden: scheduling gates need Kubernetes 1.27 or later")
}

// An unschedulable pod nothing moves is retried by the leftover flush:
// more than 5 minutes after it failed, at the flush's next 30 s tick.
func TestUnschedulableLeftoverFlush(t *testing.T) {
	h := newHarness(t, "1.33")
	h.addNode(node("a", "1"))
	h.createPod(pod("big", "2"))
	h.run(10 * time.Minute)
	var at []time.Duration
	for _, r := range h.tr.All() {
		if r.Event != nil && r.Event.Reason == "FailedScheduling" {
			at = append(at, r.T)
		}
	}
	// 30 ms (watch and delay), then 330.02 s (the tick after 300.03 s),
	// then 660 s is past the end.
	require.Equal(t, []time.Duration{30 * time.Millisecond, 330*time.Second + 20*time.Millisecond}, at)
}
