package sim_test

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// A node cut off from the control plane: the node lifecycle controller
// marks it Unknown and taints it, and the taint eviction controller deletes
// its pod once the default 300 s toleration has run out. The pod stays
// Terminating: its kubelet cannot hear of the deletion.
func ExampleCluster_CutNodeNetwork() {
	c, err := sim.New(sim.Config{Version: "1.33", Seed: 1})
	if err != nil {
		panic(err)
	}
	for _, n := range []string{"node-1", "node-2"} {
		c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: n}}, sim.NodeOptions{Images: []string{"busybox:1.36"}})
	}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: corev1.PodSpec{
		NodeSelector: map[string]string{corev1.LabelHostname: "node-2"},
		Containers:   []corev1.Container{{Name: "app", Image: "busybox:1.36"}},
	}}
	c.CreatePod(pod, map[string]behavior.Spec{"app": {Main: behavior.Script{behavior.Sleep(time.Hour)}}})
	c.At(30*time.Second, func(c *sim.Cluster) error { return c.CutNodeNetwork("node-2") })
	for _, at := range []time.Duration{90 * time.Second, 7 * time.Minute} {
		if err := c.RunUntil(at); err != nil {
			panic(err)
		}
		n := c.Node("node-2")
		fmt.Printf("%v: node-2 Ready=%s, taints:", at, n.Status.Conditions[len(n.Status.Conditions)-1].Status)
		for _, t := range n.Spec.Taints {
			fmt.Printf(" %s:%s", t.Key, t.Effect)
		}
		p := c.Pod("default", "web")
		fmt.Printf("; pod web deleting: %v\n", p.DeletionTimestamp != nil)
	}
	// Output:
	// 1m30s: node-2 Ready=Unknown, taints: node.kubernetes.io/unreachable:NoSchedule node.kubernetes.io/unreachable:NoExecute; pod web deleting: false
	// 7m0s: node-2 Ready=Unknown, taints: node.kubernetes.io/unreachable:NoSchedule node.kubernetes.io/unreachable:NoExecute; pod web deleting: true
}
