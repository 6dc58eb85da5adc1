package scheduler

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/utils/ptr"
)

// Cases from pkg/scheduler/schedule_one_test.go TestNumFeasibleNodesToFind.
func TestNumFeasibleNodesToFind(t *testing.T) {
	for _, tc := range []struct{ nodes, want int }{{10, 10}, {99, 99}, {100, 100}, {1000, 420}, {6000, 300}, {20000, 1000}} {
		require.Equal(t, tc.want, numFeasibleNodesToFind(tc.nodes), "%d nodes", tc.nodes)
	}
}

// Cases from pkg/scheduler/framework/types_test.go TestFitError_Error, and
// the period 1.25 doubles.
func TestFitErrorMessage(t *testing.T) {
	one := func(r string) nodeStatus { return nodeStatus{code: unschedulable, reasons: []string{r}} }
	tests := []struct {
		name   string
		fe     fitError
		double bool
		want   string
	}{
		{"one filter, no preemption message", fitError{numAllNodes: 3, statuses: []nodeStatus{one("Node(s) failed Filter plugin FalseFilter-1"), one("Node(s) failed Filter plugin FalseFilter-1"), one("Node(s) failed Filter plugin FalseFilter-1")}},
			false, "0/3 nodes are available: 3 Node(s) failed Filter plugin FalseFilter-1."},
		{"one filter and a preemption message", fitError{numAllNodes: 3, statuses: []nodeStatus{one("Node(s) failed Filter plugin FalseFilter-1"), one("Node(s) failed Filter plugin FalseFilter-1"), one("Node(s) failed Filter plugin FalseFilter-1")},
			postFilterMsg: "Error running PostFilter plugin FailedPostFilter"},
			false, "0/3 nodes are available: 3 Node(s) failed Filter plugin FalseFilter-1. Error running PostFilter plugin FailedPostFilter"},
		{"two filters, sorted as strings", fitError{numAllNodes: 3, statuses: []nodeStatus{one("Node(s) failed Filter plugin FalseFilter-1"), one("Node(s) failed Filter plugin FalseFilter-2"), one("Node(s) failed Filter plugin FalseFilter-1")}},
			false, "0/3 nodes are available: 1 Node(s) failed Filter plugin FalseFilter-2, 2 Node(s) failed Filter plugin FalseFilter-1."},
		{"several reasons on one node", fitError{numAllNodes: 1, statuses: []nodeStatus{{code: unschedulable, reasons: []string{"Insufficient cpu", "Insufficient memory"}}}},
			false, "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory."},
		{"absent nodes", fitError{numAllNodes: 3, statuses: []nodeStatus{one(msgNoPreemptionVictims)}, absent: []string{msgPreemptionNotHelpful}},
			false, "0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."},
		{"1.25's doubled period", fitError{numAllNodes: 1, statuses: []nodeStatus{one("Insufficient cpu")}, postFilterMsg: "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."},
			true, "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.fe.message(tc.double))
		})
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	for i, w := range want {
		require.Equal(t, w, backoff(i+1), "attempt %d", i+1)
	}
}

// Cases after k8s.io/component-helpers/resource TestPodRequests: the
// larger of the containers' sum and each init container (with the sidecars
// started before it), plus overhead; sidecars add to everything after.
func TestPodRequests(t *testing.T) {
	cpu := func(v string) corev1.ResourceRequirements {
		return corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(v)}}
	}
	always := ptr.To(corev1.ContainerRestartPolicyAlways)
	tests := []struct {
		name          string
		spec          corev1.PodSpec
		milli, nzMill int64
	}{
		{"containers add up", corev1.PodSpec{Containers: []corev1.Container{{Resources: cpu("1")}, {Resources: cpu("2")}}}, 3000, 3000},
		{"a bigger init container wins", corev1.PodSpec{InitContainers: []corev1.Container{{Resources: cpu("4")}}, Containers: []corev1.Container{{Resources: cpu("1")}}}, 4000, 4000},
		{"no requests: the scoring default", corev1.PodSpec{Containers: []corev1.Container{{}, {}}}, 0, 200},
		{"a sidecar adds to the containers and to later init containers", corev1.PodSpec{
			InitContainers: []corev1.Container{{Resources: cpu("1"), RestartPolicy: always}, {Resources: cpu("3")}},
			Containers:     []corev1.Container{{Resources: cpu("1")}}}, 4000, 4000},
		{"overhead", corev1.PodSpec{Overhead: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("250m")}, Containers: []corev1.Container{{Resources: cpu("1")}}}, 1250, 1250},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, nz := podRequests(&corev1.Pod{Spec: tc.spec})
			require.Equal(t, tc.milli, req.milliCPU)
			require.Equal(t, tc.nzMill, nz.milliCPU)
		})
	}
}

// Cases after pkg/scheduler/framework/plugins/nodeports TestNodePorts.
func TestPortsConflict(t *testing.T) {
	used := map[hostPort]int{{ip: "127.0.0.1", protocol: corev1.ProtocolTCP, port: 8080}: 1}
	tests := []struct {
		name string
		want hostPort
		hit  bool
	}{
		{"same ip, port and protocol", hostPort{"127.0.0.1", corev1.ProtocolTCP, 8080}, true},
		{"other protocol", hostPort{"127.0.0.1", corev1.ProtocolUDP, 8080}, false},
		{"other ip", hostPort{"127.0.0.2", corev1.ProtocolTCP, 8080}, false},
		{"the wildcard address takes every ip", hostPort{wildcardIP, corev1.ProtocolTCP, 8080}, true},
		{"other port", hostPort{"127.0.0.1", corev1.ProtocolTCP, 8081}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.hit, portsConflict([]hostPort{tc.want}, used))
		})
	}
	require.True(t, portsConflict([]hostPort{{"127.0.0.1", corev1.ProtocolTCP, 80}}, map[hostPort]int{{wildcardIP, corev1.ProtocolTCP, 80}: 1}))
}

// Cases after noderesources TestLeastAllocatedScoringStrategy and
// TestNodeResourcesBalancedAllocation.
func TestResourceScores(t *testing.T) {
	ni := &nodeInfo{alloc: resources{milliCPU: 4000, memory: 10000}}
	pi := &podInfo{req: resources{milliCPU: 3000, memory: 5000}, nonZero: cpuMemory{milliCPU: 3000, memory: 5000}}
	// cpu (4000-3000)*100/4000 = 25, memory 50: mean 37.
	require.EqualValues(t, 37, leastAllocatedScore(pi, ni))
	// fractions 0.75 and 0.5: std 0.125, score 87.
	require.EqualValues(t, 87, balancedAllocationScore(pi, ni))
	require.EqualValues(t, 0, balancedAllocationScore(&podInfo{}, ni), "a pod that requests nothing is skipped")
	require.EqualValues(t, 100, normalize(0, 0, true))
	require.EqualValues(t, 50, normalize(1, 2, false))
}
