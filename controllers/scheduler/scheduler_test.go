package scheduler_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/controllers/scheduler"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

func node(name, cpu string, taints ...corev1.Taint) *corev1.Node {
	alloc := corev1.ResourceList{
		corev1.ResourceCPU: resource.MustParse(cpu), corev1.ResourceMemory: resource.MustParse("8Gi"),
		corev1.ResourcePods: resource.MustParse("110"),
	}
	return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.NodeSpec{Taints: taints},
		Status: corev1.NodeStatus{Capacity: alloc, Allocatable: alloc}}
}

func TestScheduler(t *testing.T) {
	gpu := corev1.Taint{Key: "gpu", Value: "true", Effect: corev1.TaintEffectNoSchedule}
	tests := []struct {
		name     string
		nodes    []*corev1.Node
		cpu      string
		want     string // the node, or the FailedScheduling message
		tolerate bool
	}{
		{"the node with the most free CPU", []*corev1.Node{node("a", "2"), node("b", "4")}, "1", "b", false},
		{"ties go to the first node", []*corev1.Node{node("a", "4"), node("b", "4")}, "1", "a", false},
		{"every reason counted", []*corev1.Node{node("a", "1"), node("b", "8", gpu), node("c", "8", gpu)}, "2",
			"0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {gpu: true}.", false},
		{"a tolerated taint", []*corev1.Node{node("a", "1"), node("b", "8", gpu)}, "2", "b", true},
		{"no nodes", nil, "1", "0/0 nodes are available: no nodes available to schedule pods.", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			eng := engine.New(1)
			prof, _ := profile.For("1.33")
			tr := &trace.Trace{}
			api := apiserver.New(apiserver.Config{Engine: eng, Profile: prof, Trace: tr, WatchLatency: 10 * time.Millisecond})
			events := record.NewBroadcaster(eng, api, tr, true)
			_, err := scheduler.New(scheduler.Config{Engine: eng, Client: api, Delay: 20 * time.Millisecond,
				Events: events.NewEventsRecorder("default-scheduler", "default-scheduler-test")})
			require.NoError(t, err)
			for _, n := range tc.nodes {
				require.NoError(t, api.CreateNode(n, "kubelet/"+n.Name, "registered"))
			}
			pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{
				Name: "c", Image: "x", Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(tc.cpu)}},
			}}}}
			if tc.tolerate {
				pod.Spec.Tolerations = []corev1.Toleration{{Key: "gpu", Operator: corev1.TolerationOpExists}}
			}
			require.NoError(t, api.CreatePod(pod, "user", "created"))
			require.NoError(t, eng.RunUntil(time.Second))
			got := api.Pod(types.NamespacedName{Namespace: "default", Name: "p"})
			if got.Spec.NodeName != "" {
				require.Equal(t, tc.want, got.Spec.NodeName)
				return
			}
			require.Len(t, got.Status.Conditions, 1)
			require.Equal(t, corev1.PodReasonUnschedulable, got.Status.Conditions[0].Reason)
			require.Equal(t, tc.want, got.Status.Conditions[0].Message)
		})
	}
}
