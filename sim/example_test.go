package sim_test

import (
	"os"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

// The liveness example of the Kubernetes documentation: the container
// removes its health file after 30 s, the liveness probe fails three times,
// and the kubelet kills it — which, because /bin/sh ignores SIGTERM, takes
// the whole 30 s grace period — and starts it again.
func Example() {
	c, err := sim.New(sim.Config{Version: "1.33", Seed: 1})
	if err != nil {
		panic(err)
	}
	c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{Images: []string{"busybox:1.36"}})
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "liveness-exec"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name:  "liveness",
			Image: "busybox:1.36",
			Args:  []string{"/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"},
			LivenessProbe: &corev1.Probe{
				ProbeHandler:        corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/healthy"}}},
				InitialDelaySeconds: 5,
				PeriodSeconds:       5,
			},
		}}},
	}
	process := behavior.Spec{
		Main: behavior.Script{
			behavior.Touch("/tmp/healthy"), behavior.Sleep(30 * time.Second),
			behavior.Remove("/tmp/healthy"), behavior.Sleep(600 * time.Second),
		},
		Stop:     behavior.IgnoreStop(),
		Userland: behavior.BusyBox,
	}
	c.CreatePod(pod, map[string]behavior.Spec{"liveness": process})
	c.RunUntil(3 * time.Minute)
	trace.Watch(os.Stdout, c.Trace(), trace.WatchOptions{Rules: c.Profile().Lifecycle})
	// Output:
	// NAME            READY   STATUS              RESTARTS     AGE
	// liveness-exec   0/1     Pending             0            0s
	// liveness-exec   0/1     Pending             0            0s
	// liveness-exec   0/1     ContainerCreating   0            0s
	// liveness-exec   1/1     Running             0            1s
	// liveness-exec   1/1     Running             1 (0s ago)   75s
	// liveness-exec   1/1     Running             2 (0s ago)   2m30s
}
