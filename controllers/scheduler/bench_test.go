package scheduler_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/controllers/scheduler"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// cpuTime is the process's user and system CPU time so far, which counts
// the garbage collector's work on other cores too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSchedule places 10,000 pending pods (100m CPU, 128Mi each)
// onto 1,000 nodes (4 CPU, 8Gi, 110 pods), all created at once: the API
// server stores them, the scheduler's watch delivers them, and every one
// is filtered, scored and bound. It reports the CPU time of the whole
// process per run (cpu-s/op) beside the wall time.
func BenchmarkSchedule(b *testing.B) {
	for _, size := range []struct{ pods, nodes int }{{10_000, 1_000}, {2_000, 100}} {
		b.Run(fmt.Sprintf("%dpods-%dnodes", size.pods, size.nodes), func(b *testing.B) {
			benchmarkSchedule(b, size.pods, size.nodes)
		})
	}
}

func benchmarkSchedule(b *testing.B, pods, nodes int) {
	prof, err := profile.For("1.33")
	if err != nil {
		b.Fatal(err)
	}
	alloc := corev1.ResourceList{
		corev1.ResourceCPU: resource.MustParse("4"), corev1.ResourceMemory: resource.MustParse("8Gi"),
		corev1.ResourcePods: resource.MustParse("110"),
	}
	requests := corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("128Mi")}
	b.ReportAllocs()
	var cpu time.Duration
	for b.Loop() {
		start := cpuTime()
		eng := engine.New(1)
		eng.MaxEvents = 1 << 40
		tr := &trace.Trace{}
		api := apiserver.New(apiserver.Config{Engine: eng, Profile: prof, Trace: tr, WatchLatency: 10 * time.Millisecond})
		events := record.NewBroadcaster(eng, api, tr, true)
		for i := range nodes {
			name := fmt.Sprintf("node-%04d", i)
			n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{corev1.LabelHostname: name}},
				Status: corev1.NodeStatus{Capacity: alloc, Allocatable: alloc}}
			if err := api.CreateNode(n, "kubelet/"+name, "registered"); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := scheduler.New(scheduler.Config{Engine: eng, Client: api, Profile: prof, Delay: 20 * time.Millisecond,
			Events: events.NewEventsRecorder("default-scheduler", "default-scheduler-bench")}); err != nil {
			b.Fatal(err)
		}
		for i := range pods {
			p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("pod-%05d", i)}, Spec: corev1.PodSpec{
				Containers: []corev1.Container{{Name: "app", Image: "app:1", Resources: corev1.ResourceRequirements{Requests: requests}}}}}
			if err := api.CreatePod(p, "user", "created"); err != nil {
				b.Fatal(err)
			}
		}
		if err := eng.RunUntil(time.Second); err != nil {
			b.Fatal(err)
		}
		bound := 0
		api.EachPod(func(p *corev1.Pod) {
			if p.Spec.NodeName != "" {
				bound++
			}
		})
		if bound != pods {
			b.Fatalf("%d of %d pods bound", bound, pods)
		}
		cpu += cpuTime() - start
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}
