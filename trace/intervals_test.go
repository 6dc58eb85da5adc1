package trace_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/trace"
)

var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// podAt is a one-container pod: phase, whether the container runs and is
// ready (which makes the pod Ready), and its restart count.
func podAt(name string, phase corev1.PodPhase, running, ready bool, restarts int32) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", CreationTimestamp: metav1.NewTime(epoch)},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}}},
		Status:     corev1.PodStatus{Phase: phase},
	}
	if running {
		cond := corev1.ConditionFalse
		if ready {
			cond = corev1.ConditionTrue
		}
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: cond}}
		p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", Ready: ready, RestartCount: restarts,
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}
	}
	return p
}

func podRecord(t time.Duration, op trace.Op, p *corev1.Pod, cause string) trace.Record {
	return trace.Record{T: t, Kind: "Pod", Op: op, Namespace: p.Namespace, Name: p.Name, Pod: p, Cause: cause}
}

func TestIntervals(t *testing.T) {
	s := time.Second
	pending := func(name string) *corev1.Pod { return podAt(name, corev1.PodPending, false, false, 0) }
	running := func(name string, ready bool, restarts int32) *corev1.Pod {
		return podAt(name, corev1.PodRunning, true, ready, restarts)
	}
	iv := func(pod string, from, to time.Duration, phase, status, ready string, podReady bool, restarts int, cause string) trace.Interval {
		n := 0
		if ready == "1/1" {
			n = 1
		}
		return trace.Interval{Namespace: "default", Pod: pod, From: from, To: to, Cause: cause, State: trace.State{
			Phase: phase, Status: status, Ready: ready, ReadyContainers: n, TotalContainers: 1, PodReady: podReady, Restarts: restarts}}
	}
	tests := []struct {
		name     string
		duration time.Duration
		records  []trace.Record
		want     []trace.Interval
	}{
		{"a write kubectl does not show is inside an interval", 60 * s, []trace.Record{
			podRecord(0, trace.Added, pending("web"), "created"),
			podRecord(s, trace.Modified, pending("web"), "bound to node node-1"),
			podRecord(3*s, trace.Modified, running("web", true, 0), "PLEG: container app started"),
		}, []trace.Interval{
			iv("web", 0, 3*s, "Pending", "Pending", "0/1", false, 0, "created"),
			iv("web", 3*s, 60*s, "Running", "Running", "1/1", true, 0, "PLEG: container app started"),
		}},
		{"readiness and restarts each start an interval", 100 * s, []trace.Record{
			podRecord(0, trace.Added, running("web", false, 0), "created"),
			podRecord(10*s, trace.Modified, running("web", true, 0), "readiness probe of app succeeded"),
			podRecord(40*s, trace.Modified, running("web", true, 1), "PLEG: container app died, container app started"),
		}, []trace.Interval{
			iv("web", 0, 10*s, "Running", "Running", "0/1", false, 0, "created"),
			iv("web", 10*s, 40*s, "Running", "Running", "1/1", true, 0, "readiness probe of app succeeded"),
			iv("web", 40*s, 100*s, "Running", "Running", "1/1", true, 1, "PLEG: container app died, container app started"),
		}},
		{"a deletion ends the last interval; a pod made again starts anew", 60 * s, []trace.Record{
			podRecord(0, trace.Added, pending("web"), "created"),
			podRecord(5*s, trace.Deleted, pending("web"), "pod terminated: final delete"),
			podRecord(20*s, trace.Added, pending("web"), "created"),
		}, []trace.Interval{
			{Namespace: "default", Pod: "web", From: 0, To: 5 * s, Deleted: true, Cause: "created",
				State: trace.State{Phase: "Pending", Status: "Pending", Ready: "0/1", TotalContainers: 1}},
			iv("web", 20*s, 60*s, "Pending", "Pending", "0/1", false, 0, "created"),
		}},
		{"pods in the order they were created, each in time order; other kinds left out", 30 * s, []trace.Record{
			podRecord(0, trace.Added, pending("b"), "created"),
			{T: 0, Kind: "Service", Op: trace.Added, Namespace: "default", Name: "b"},
			podRecord(s, trace.Added, pending("a"), "created"),
			podRecord(2*s, trace.Modified, running("a", true, 0), "started"),
			podRecord(3*s, trace.Modified, running("b", true, 0), "started"),
		}, []trace.Interval{
			iv("b", 0, 3*s, "Pending", "Pending", "0/1", false, 0, "created"),
			iv("b", 3*s, 30*s, "Running", "Running", "1/1", true, 0, "started"),
			iv("a", s, 2*s, "Pending", "Pending", "0/1", false, 0, "created"),
			iv("a", 2*s, 30*s, "Running", "Running", "1/1", true, 0, "started"),
		}},
		{"with no duration in the header, the last record ends the run", 0, []trace.Record{
			podRecord(0, trace.Added, pending("web"), "created"),
			{T: 7 * s, Kind: "Container", Op: trace.Runtime, Namespace: "default", Name: "web", Container: "app"},
		}, []trace.Interval{
			iv("web", 0, 7*s, "Pending", "Pending", "0/1", false, 0, "created"),
		}},
		{"no pods, no intervals", 10 * s, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := trace.New(trace.Header{Epoch: epoch, Duration: tc.duration}, tc.records...)
			if diff := cmp.Diff(tc.want, trace.Intervals(tr, lifecycle.RulesFor(33))); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}
