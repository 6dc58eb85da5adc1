package probe_test

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/probe"
)

// A liveness probe with the API defaults (period 10 s, failure threshold 3)
// against a container whose health file disappeared: the third failure is
// stored, and the worker waits for a new container.
func ExampleWorker() {
	api := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/healthy"}}}}
	probe.ApplyDefaults(api)
	spec := probe.Compile(api, probe.Liveness, &corev1.Container{Name: "app"})
	results := probe.NewResults()
	w := probe.NewWorker(&spec, probe.RulesFor(33), results)

	started := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	status := &corev1.ContainerStatus{
		Name: "app", ContainerID: "containerd://abc", Started: ptr.To(true),
		State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(started)}},
	}
	for i := 1; i <= 4; i++ {
		obs := probe.Observation{HasStatus: true, Phase: corev1.PodRunning, Container: status, Now: started.Add(time.Duration(i) * spec.Period)}
		d := w.Decide(obs)
		if d == probe.Probe {
			w.Record(probe.Failure)
		}
		for _, u := range results.Drain() {
			fmt.Printf("tick %d: stored %s\n", i, u.Result)
		}
		fmt.Printf("tick %d: on hold %v\n", i, w.OnHold())
	}
	// Output:
	// tick 1: stored Success
	// tick 1: on hold false
	// tick 2: on hold false
	// tick 3: stored Failure
	// tick 3: on hold true
	// tick 4: on hold true
}
