package sim_test

import (
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// pressureReplicaSet is n pods whose one container swings between 40Mi
// and 140Mi every two minutes.
func pressureReplicaSet(name string, n int32, res corev1.ResourceRequirements) (*appsv1.ReplicaSet, map[string]behavior.Spec) {
	rs := &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: appsv1.ReplicaSetSpec{
		Replicas: ptr.To(n),
		Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": name}},
		Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": name}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "busybox:1.36", Command: []string{"sleep", "3600"}, Resources: res}}}}}}
	swing := behavior.Spec{Main: behavior.Script{behavior.Forever(
		behavior.UseMemory(40*mi), behavior.Sleep(2*time.Minute), behavior.UseMemory(140*mi), behavior.Sleep(2*time.Minute),
	)}}
	return rs, map[string]behavior.Spec{"app": swing}
}

// addPressureWorkloads creates the memory-pressure workload's three
// ReplicaSets: besteffort pods without requests, burstable ones requesting
// 50Mi and guaranteed ones of 150Mi.
func addPressureWorkloads(c *sim.Cluster, besteffort, burstable, guaranteed int32) error {
	for _, w := range []struct {
		name string
		n    int32
		res  corev1.ResourceRequirements
	}{
		{"besteffort", besteffort, corev1.ResourceRequirements{}},
		{"burstable", burstable, corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("50Mi")}}},
		{"guaranteed", guaranteed, memoryRes("150Mi", "150Mi")},
	} {
		rs, specs := pressureReplicaSet(w.name, w.n, w.res)
		if err := c.CreateWorkload(rs, specs); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkNodeUnderMemoryPressure100Pods1h is one node of 10Gi
// allocatable running 100 pods — 34 BestEffort, 33 Burstable, 33
// Guaranteed, in three ReplicaSets — whose memory swings between 40Mi and
// 140Mi every two minutes, for an hour of virtual time: at the peaks they
// want 13.7Gi. The eviction manager evicts one pod a pass, the node
// reports MemoryPressure and is tainted, the ReplicaSets replace the
// evicted pods once the taint is gone, and the kernel's OOM killer acts
// when the kubelet is too slow. Invariant checks are off, as a library
// user would run it.
func BenchmarkNodeUnderMemoryPressure100Pods1h(b *testing.B) {
	b.ReportAllocs()
	var events uint64
	var evictions, ooms int
	for b.Loop() {
		c, err := sim.New(sim.Config{Version: "1.33", Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}, Status: corev1.NodeStatus{Capacity: corev1.ResourceList{
			corev1.ResourceCPU: resource.MustParse("16"), corev1.ResourceMemory: resource.MustParse("10340Mi"),
			corev1.ResourceEphemeralStorage: resource.MustParse("100Gi"), corev1.ResourcePods: resource.MustParse("110"),
		}}}
		if err := c.AddNode(node, sim.NodeOptions{Images: []string{"busybox:1.36"}}); err != nil {
			b.Fatal(err)
		}
		if err := addPressureWorkloads(c, 34, 33, 33); err != nil {
			b.Fatal(err)
		}
		if err := c.RunUntil(time.Hour); err != nil {
			b.Fatal(err)
		}
		events = c.Engine().Fired()
		evictions, ooms = 0, 0
		for _, r := range c.Trace().Events() {
			switch r.Event.Reason {
			case "Evicted":
				evictions++
			case "SystemOOM":
				ooms++
			}
		}
		if evictions == 0 {
			b.Fatal("no pod was evicted: the node was never under pressure")
		}
	}
	b.ReportMetric(float64(events), "events/run")
	b.ReportMetric(float64(evictions), "evictions/run")
	b.ReportMetric(float64(ooms), "systemOOMs/run")
}
