package sim_test

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/sim"
)

// A pod of an image podsim does not know, given no behaviour, runs as a
// healthy server on its declared port, and the trace header says that
// podsim assumed it. With Config.Strict the same CreatePod is an error.
func ExampleCluster_CreatePod_unknownImage() {
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "api"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name: "api", Image: "mycorp/api:1.2",
			Ports: []corev1.ContainerPort{{ContainerPort: 8080}},
		}}},
	}
	for _, strict := range []bool{false, true} {
		c, err := sim.New(sim.Config{Seed: 1, Strict: strict})
		if err != nil {
			panic(err)
		}
		if err := c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{}); err != nil {
			panic(err)
		}
		if err := c.CreatePod(pod, nil); err != nil {
			fmt.Println(err)
			continue
		}
		if err := c.RunUntil(time.Minute); err != nil {
			panic(err)
		}
		fmt.Println(c.Pod("default", "api").Status.Phase)
		fmt.Println("assumed:", c.Trace().Header.Assumptions[0])
	}
	// Output:
	// Running
	// assumed: Pod "api": spec.containers[0].image: image mycorp/api:1.2 behaves as a healthy server (listening on 8080; podsim does not know the image)
	// strict: podsim would assume: Pod "api": spec.containers[0].image: image mycorp/api:1.2 behaves as a healthy server (listening on 8080; podsim does not know the image)
}
