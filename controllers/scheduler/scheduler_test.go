package scheduler_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/controllers/scheduler"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// harness is an API server and a scheduler on one engine, without
// kubelets: pods bind and stay Pending.
type harness struct {
	t     *testing.T
	eng   *engine.Engine
	api   *apiserver.Server
	sched *scheduler.Scheduler
	tr    *trace.Trace
}

func newHarness(t *testing.T, version string) *harness {
	t.Helper()
	eng := engine.New(1)
	prof, err := profile.For(version)
	require.NoError(t, err)
	tr := &trace.Trace{}
	api := apiserver.New(apiserver.Config{Engine: eng, Profile: prof, Trace: tr, WatchLatency: 10 * time.Millisecond})
	events := record.NewBroadcaster(eng, api, tr, true)
	s, err := scheduler.New(scheduler.Config{Engine: eng, Client: api, Profile: prof, Delay: 20 * time.Millisecond,
		Events: events.NewEventsRecorder("default-scheduler", "default-scheduler-test")})
	require.NoError(t, err)
	return &harness{t: t, eng: eng, api: api, sched: s, tr: tr}
}

func (h *harness) addNode(n *corev1.Node) {
	h.t.Helper()
	require.NoError(h.t, h.api.CreateNode(n, "kubelet/"+n.Name, "registered"))
	h.sched.NodesChanged()
}

func (h *harness) createPod(p *corev1.Pod) {
	h.t.Helper()
	require.NoError(h.t, h.api.CreatePod(p, "user", "created"))
}

func (h *harness) run(until time.Duration) {
	h.t.Helper()
	require.NoError(h.t, h.eng.RunUntil(until))
}

func (h *harness) pod(name string) *corev1.Pod {
	return h.api.Pod(types.NamespacedName{Namespace: "default", Name: name})
}

// failure is the pod's PodScheduled=False message, or "".
func (h *harness) failure(name string) string {
	if c := podutil.FindCondition(h.pod(name).Status.Conditions, corev1.PodScheduled); c != nil && c.Status == corev1.ConditionFalse {
		return c.Message
	}
	return ""
}

// events lists the scheduler's events about a pod, "Reason: message".
func (h *harness) events(name string) []string {
	var out []string
	for _, r := range h.tr.All() {
		if r.Event != nil && r.Name == name {
			out = append(out, r.Event.Reason+": "+r.Event.Message)
		}
	}
	return out
}

func node(name, cpu string, taints ...corev1.Taint) *corev1.Node {
	alloc := corev1.ResourceList{
		corev1.ResourceCPU: resource.MustParse(cpu), corev1.ResourceMemory: resource.MustParse("8Gi"),
		corev1.ResourcePods: resource.MustParse("110"),
	}
	return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{corev1.LabelHostname: name}},
		Spec: corev1.NodeSpec{Taints: taints}, Status: corev1.NodeStatus{Capacity: alloc, Allocatable: alloc}}
}

func priorityClass(name string, value int32, policy corev1.PreemptionPolicy) *schedulingv1.PriorityClass {
	return &schedulingv1.PriorityClass{ObjectMeta: metav1.ObjectMeta{Name: name}, Value: value, PreemptionPolicy: &policy}
}

func pod(name, cpu string) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
	if cpu != "" {
		p.Spec.Containers[0].Resources.Requests = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpu)}
	}
	return p
}

// TestFilters checks each filter's verdict and the FailedScheduling
// message it gives, in the words of the Kubernetes plugins and their
// tests (pkg/scheduler/framework/types_test.go TestFitError_Error, the
// plugins' *_test.go).
func TestFilters(t *testing.T) {
	gpu := corev1.Taint{Key: "gpu", Value: "true", Effect: corev1.TaintEffectNoSchedule}
	cordoned := node("c", "8")
	cordoned.Spec.Unschedulable = true
	labelled := func(n *corev1.Node, k, v string) *corev1.Node { n.Labels[k] = v; return n }
	tests := []struct {
		name    string
		version string
		nodes   []*corev1.Node
		pod     func() *corev1.Pod
		want    string // the node, or the FailedScheduling message
	}{
		{"the node with the most room", "1.33", []*corev1.Node{node("a", "2"), node("b", "4")}, func() *corev1.Pod { return pod("p", "1") }, "b"},
		{"ties go to the first node", "1.33", []*corev1.Node{node("a", "4"), node("b", "4")}, func() *corev1.Pod { return pod("p", "1") }, "a"},
		{"every reason counted", "1.33", []*corev1.Node{node("a", "1"), node("b", "8", gpu), node("c", "8", gpu)}, func() *corev1.Pod { return pod("p", "2") },
			"0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {gpu: true}. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."},
		{"1.25 doubles the final period", "1.25", []*corev1.Node{node("a", "1"), node("b", "8", gpu), node("c", "8", gpu)}, func() *corev1.Pod { return pod("p", "2") },
			"0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {gpu: true}. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.."},
		{"a tolerated taint", "1.33", []*corev1.Node{node("a", "1"), node("b", "8", gpu)}, func() *corev1.Pod {
			p := pod("p", "2")
			p.Spec.Tolerations = []corev1.Toleration{{Key: "gpu", Operator: corev1.TolerationOpExists}}
			return p
		}, "b"},
		{"no nodes", "1.33", nil, func() *corev1.Pod { return pod("p", "1") }, "no nodes available to schedule pods"},
		{"a cordoned node", "1.33", []*corev1.Node{cordoned}, func() *corev1.Pod { return pod("p", "") },
			"0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."},
		{"a cordoned node, tolerated", "1.33", []*corev1.Node{cordoned}, func() *corev1.Pod {
			p := pod("p", "")
			p.Spec.Tolerations = []corev1.Toleration{{Key: scheduler.TaintNodeUnschedulable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}}
			return p
		}, "c"},
		{"nodeSelector", "1.33", []*corev1.Node{node("a", "8"), labelled(node("b", "8"), "disk", "ssd")}, func() *corev1.Pod {
			p := pod("p", "")
			p.Spec.NodeSelector = map[string]string{"disk": "ssd"}
			return p
		}, "b"},
		{"nodeSelector matching none", "1.33", []*corev1.Node{node("a", "8"), node("b", "8")}, func() *corev1.Pod {
			p := pod("p", "")
			p.Spec.NodeSelector = map[string]string{"disk": "ssd"}
			return p
		}, "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."},
		{"required node affinity NotIn", "1.33", []*corev1.Node{labelled(node("a", "8"), "zone", "z1"), labelled(node("b", "8"), "zone", "z2")}, func() *corev1.Pod {
			p := pod("p", "")
			p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
				NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "zone", Operator: corev1.NodeSelectorOpNotIn, Values: []string{"z1"}}}}}}}}
			return p
		}, "b"},
		{"too many pods", "1.33", []*corev1.Node{func() *corev1.Node {
			n := node("a", "8")
			n.Status.Allocatable[corev1.ResourcePods] = resource.MustParse("0")
			return n
		}()}, func() *corev1.Pod { return pod("p", "1") },
			"0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."},
		{"preemptionPolicy Never", "1.33", []*corev1.Node{node("a", "1")}, func() *corev1.Pod {
			p := pod("p", "2")
			never := corev1.PreemptNever
			p.Spec.PreemptionPolicy = &never
			return p
		}, "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.version)
			for _, n := range tc.nodes {
				h.addNode(n)
			}
			p := tc.pod()
			if p.Spec.PreemptionPolicy != nil {
				// A pod cannot choose its policy against its class; a class
				// with the policy gives it.
				require.NoError(t, h.api.CreatePriorityClass(priorityClass("never", 0, *p.Spec.PreemptionPolicy), "user", ""))
				p.Spec.PriorityClassName, p.Spec.PreemptionPolicy = "never", nil
			}
			h.createPod(p)
			h.run(time.Second)
			got := h.pod("p")
			if got.Spec.NodeName != "" {
				require.Equal(t, tc.want, got.Spec.NodeName)
				return
			}
			require.Equal(t, tc.want, h.failure("p"))
			require.Equal(t, []string{"FailedScheduling: " + tc.want}, h.events("p"))
		})
	}
}

func TestPodAffinityByHostname(t *testing.T) {
	anti := func(name string) *corev1.Pod {
		p := pod(name, "")
		p.Labels = map[string]string{"app": "web"}
		p.Spec.Affinity = &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{RequiredDuringSchedulingIgnoredDuringExecution: []corev1.PodAffinityTerm{{
			LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}, TopologyKey: corev1.LabelHostname}}}}
		return p
	}
	t.Run("anti-affinity spreads, then refuses", func(t *testing.T) {
		h := newHarness(t, "1.33")
		h.addNode(node("a", "8"))
		h.addNode(node("b", "8"))
		for _, name := range []string{"web-1", "web-2", "web-3"} {
			h.createPod(anti(name))
			h.run(h.eng.Now() + time.Second)
		}
		require.Equal(t, "a", h.pod("web-1").Spec.NodeName)
		require.Equal(t, "b", h.pod("web-2").Spec.NodeName)
		require.Equal(t, "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
			h.failure("web-3"))
	})
	t.Run("an existing pod's anti-affinity", func(t *testing.T) {
		h := newHarness(t, "1.33")
		h.addNode(node("a", "8"))
		h.createPod(anti("web-1"))
		h.run(time.Second)
		plain := pod("plain", "")
		plain.Labels = map[string]string{"app": "web"}
		h.createPod(plain)
		h.run(2 * time.Second)
		require.Equal(t, "0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
			h.failure("plain"))
	})
	t.Run("affinity follows its pod, and waits for it", func(t *testing.T) {
		h := newHarness(t, "1.33")
		h.addNode(node("a", "8"))
		h.addNode(node("b", "8"))
		follower := pod("follower", "")
		follower.Spec.Affinity = &corev1.Affinity{PodAffinity: &corev1.PodAffinity{RequiredDuringSchedulingIgnoredDuringExecution: []corev1.PodAffinityTerm{{
			LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}}, TopologyKey: corev1.LabelHostname}}}}
		h.createPod(follower)
		h.run(time.Second)
		require.Equal(t, "0/2 nodes are available: 2 node(s) didn't match pod affinity rules. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
			h.failure("follower"))
		db := pod("db", "")
		db.Labels = map[string]string{"app": "db"}
		db.Spec.NodeName = "b"
		h.createPod(db)
		h.run(2 * time.Second)
		require.Equal(t, "b", h.pod("follower").Spec.NodeName, "the bound db pod moved the follower back")
	})
}

// PriorityClass objects give pods their priority; pods due at one instant
// go in priority order (PrioritySort), so the important one takes the
// last room.
func TestPriorityOrder(t *testing.T) {
	h := newHarness(t, "1.33")
	require.NoError(t, h.api.CreatePriorityClass(priorityClass("high", 1000, corev1.PreemptLowerPriority), "user", ""))
	h.addNode(node("a", "1"))
	low := pod("low", "1")
	high := pod("high", "1")
	high.Spec.PriorityClassName = "high"
	h.createPod(low)
	h.createPod(high)
	h.run(time.Second)
	require.EqualValues(t, 1000, *h.pod("high").Spec.Priority)
	require.Equal(t, "a", h.pod("high").Spec.NodeName)
	require.Empty(t, h.pod("low").Spec.NodeName)
}
