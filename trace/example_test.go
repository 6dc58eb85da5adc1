package trace_test

import (
	"fmt"
	"os"
	"reflect"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/trace"
)

// Two updates of a pod, as a watch prints them.
func ExampleWatch() {
	epoch := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	pending := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web", CreationTimestamp: metav1.NewTime(epoch)},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx"}}},
		Status:     corev1.PodStatus{Phase: corev1.PodPending},
	}
	running := pending.DeepCopy()
	running.Status.Phase = corev1.PodRunning
	running.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "nginx", Ready: true,
		State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}
	t := trace.New(trace.Header{Epoch: epoch},
		trace.Record{T: 0, Kind: "Pod", Op: trace.Added, Name: "web", Pod: pending},
		trace.Record{T: 2500 * time.Millisecond, Kind: "Pod", Op: trace.Modified, Name: "web", Pod: running},
	)
	trace.Watch(os.Stdout, t, trace.WatchOptions{Rules: lifecycle.RulesFor(33)})
	// Output:
	// NAME   READY   STATUS    RESTARTS   AGE
	// web    0/1     Pending   0          0s
	// web    1/1     Running   0          2s
}

// What the runtime did to a container during a deletion: the preStop hook
// took 40 s of the 60 s grace period, so SIGTERM came with 20 s left.
func ExampleTimeline() {
	t := trace.New(trace.Header{},
		trace.Record{T: 90 * time.Second, Kind: "Container", Op: trace.Runtime, Namespace: "default", Name: "app", Container: "app",
			Actor: "runtime/node-1", Cause: "preStop hook started (grace period 60s)"},
		trace.Record{T: 130 * time.Second, Kind: "Container", Op: trace.Runtime, Namespace: "default", Name: "app", Container: "app",
			Actor: "runtime/node-1", Cause: "SIGTERM, then SIGKILL in 20s if it is still running"},
		trace.Record{T: 150 * time.Second, Kind: "Container", Op: trace.Runtime, Namespace: "default", Name: "app", Container: "app",
			Actor: "runtime/node-1", Cause: "killed by signal 9 (exit code 137)"},
	)
	trace.Timeline(os.Stdout, t, trace.TimelineOptions{})
	// Output:
	// TIME    POD   CONTAINER   BY               WHAT
	// 1m30s   app   app         runtime/node-1   preStop hook started (grace period 60s)
	// 2m10s   app   app         runtime/node-1   SIGTERM, then SIGKILL in 20s if it is still running
	// 2m30s   app   app         runtime/node-1   killed by signal 9 (exit code 137)
}

// A pod's life as a table of intervals: the first write of each state
// starts a row, which lasts until the state changes or the run ends.
func ExampleWriteCSV() {
	epoch := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	pending := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "web", CreationTimestamp: metav1.NewTime(epoch)},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx"}}},
		Status:     corev1.PodStatus{Phase: corev1.PodPending},
	}
	running := pending.DeepCopy()
	running.Status.Phase = corev1.PodRunning
	running.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
	running.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "nginx", Ready: true,
		State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}
	t := trace.New(trace.Header{Epoch: epoch, Duration: time.Minute},
		trace.Record{T: 0, Kind: "Pod", Op: trace.Added, Namespace: "default", Name: "web", Pod: pending, Cause: "created"},
		trace.Record{T: 30 * time.Millisecond, Kind: "Pod", Op: trace.Modified, Namespace: "default", Name: "web", Pod: pending, Cause: "bound to node node-1"},
		trace.Record{T: 2500 * time.Millisecond, Kind: "Pod", Op: trace.Modified, Namespace: "default", Name: "web", Pod: running, Cause: "PLEG: container nginx started"},
	)
	trace.WriteCSV(os.Stdout, t, lifecycle.RulesFor(33))
	// Output:
	// namespace,pod,from_s,to_s,phase,status,ready,ready_containers,total_containers,pod_ready,restart_count,deleted,cause
	// default,web,0,2.5,Pending,Pending,0/1,0,1,false,0,false,created
	// default,web,2.5,60,Running,Running,1/1,1,1,true,0,false,PLEG: container nginx started
}

// A trace keeps the second version of the pod as a delta (its
// resourceVersion and phase) and rebuilds the whole pod when it is read.
func ExampleTrace_All() {
	created := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "web", ResourceVersion: "1"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: "nginx:1.27"}}},
		Status:     corev1.PodStatus{Phase: corev1.PodPending},
	}
	running := created.DeepCopy() // a write stores a new object, as the API server does
	running.ResourceVersion = "2"
	running.Status.Phase = corev1.PodRunning

	t := trace.New(trace.Header{})
	t.Add(trace.Record{T: 0, Kind: "Pod", Op: trace.Added, Namespace: "default", Name: "web", Pod: created})
	t.Add(trace.Record{T: 2 * time.Second, Kind: "Pod", Op: trace.Modified, Namespace: "default", Name: "web", Pod: running})
	for i, r := range t.All() {
		fmt.Println(i, r.T, r.Op, r.Pod.ResourceVersion, r.Pod.Status.Phase, r.Pod.Spec.Containers[0].Image)
	}
	fmt.Println(t.At(1).Pod == running, reflect.DeepEqual(t.At(1).Pod, running))
	// Output:
	// 0 0s ADDED 1 Pending nginx:1.27
	// 1 2s MODIFIED 2 Running nginx:1.27
	// false true
}
