package sim_test

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/sim"
)

// A Deployment's rolling update: ApplyWorkload changes its image, and the
// Deployment controller moves the pods to a new ReplicaSet within the
// default 25 % surge and unavailability, one ScalingReplicaSet event per
// resize.
func ExampleCluster_ApplyWorkload() {
	c, _ := sim.New(sim.Config{Seed: 1})
	_ = c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{})
	web := func(image string) *appsv1.Deployment {
		return &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](2),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: image, Command: []string{"sleep", "3600"}}}}}}}
	}
	_ = c.CreateWorkload(web("busybox:1.36"), nil)
	_ = c.RunUntil(20 * time.Second)
	_ = c.ApplyWorkload(web("busybox:1.37"), nil)
	_ = c.RunUntil(60 * time.Second)
	for _, e := range c.Events() {
		if e.Reason == "ScalingReplicaSet" {
			fmt.Println(e.Message)
		}
	}
	d := c.Deployment("default", "web")
	fmt.Printf("%d updated, %d available\n", d.Status.UpdatedReplicas, d.Status.AvailableReplicas)
	// Output:
	// Scaled up replica set web-5dcc859c89 to 2
	// Scaled up replica set web-74d6488fdd to 1
	// Scaled down replica set web-5dcc859c89 to 1 from 2
	// Scaled up replica set web-74d6488fdd to 2 from 1
	// Scaled down replica set web-5dcc859c89 to 0 from 1
	// 2 updated, 2 available
}
