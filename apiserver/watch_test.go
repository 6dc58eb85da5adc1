package apiserver

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// One event delivering a write to all its watchers (deliverPod) is the same
// run as an event per watcher (NoElision): the same watchers are told in
// the same order at the same times, what they schedule for the same
// instant — at the API's priority or any other — runs where it ran, a
// watch registered by a watcher while a change is being delivered does not
// get that change, writes made by a watcher are delivered in turn, and a
// watcher that fails the run stops the watchers after it.
func TestOneDeliveryPerWriteMatchesOnePerWatcher(t *testing.T) {
	tests := []struct {
		name      string
		selective bool // a watch selects on status.phase, so the watchers differ by more than the node
		failAt    int  // the delivery (counted from 1) whose watcher fails the run; 0: none
	}{
		{name: "by node"},
		{name: "selective", selective: true},
		{name: "a watcher fails the run", failAt: 7},
		{name: "a selective watcher fails the run", selective: true, failAt: 12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs [2][]string
			var fired [2]uint64
			for i, noElision := range []bool{false, true} {
				logs[i], fired[i] = deliveries(t, noElision, tc.selective, tc.failAt)
			}
			require.Equal(t, logs[1], logs[0], "one event per write differs from one per watcher")
			require.Less(t, fired[0], fired[1], "one event per write fired fewer events")
			want := 20 // every case has something to compare
			if tc.failAt > 0 {
				want = tc.failAt
			}
			require.GreaterOrEqual(t, len(logs[0]), want)
		})
	}
}

// deliveries runs pods through a server with several watchers that act
// when told, and returns what happened in order and the events fired.
func deliveries(t *testing.T, noElision, selective bool, failAt int) ([]string, uint64) {
	t.Helper()
	prof, err := profile.For("1.33")
	require.NoError(t, err)
	eng := engine.New(1)
	s := New(Config{Engine: eng, Profile: prof, Trace: &trace.Trace{}, WatchLatency: 10 * time.Millisecond, NoElision: noElision})
	var log []string
	note := func(format string, args ...any) {
		log = append(log, eng.Now().String()+" "+fmt.Sprintf(format, args...))
	}
	n := 0
	watch := func(name string, sel fields.Selector) {
		require.NoError(t, s.WatchPods(sel, func(op trace.Op, p *corev1.Pod) {
			n++
			note("%s %s %s rv %s", name, op, p.Name, p.ResourceVersion)
			if n == failAt {
				eng.Fail(errors.New("watcher failed"))
			}
		}))
	}
	key := func(p *corev1.Pod) types.NamespacedName {
		return types.NamespacedName{Namespace: p.Namespace, Name: p.Name}
	}
	late := false
	// The first watcher writes when told of a new pod and schedules work
	// for the same instant; once, it registers another watch.
	require.NoError(t, s.WatchPods(fields.Everything(), func(op trace.Op, p *corev1.Pod) {
		n++
		note("first %s %s rv %s", op, p.Name, p.ResourceVersion)
		if n == failAt {
			eng.Fail(errors.New("watcher failed"))
		}
		if op != trace.Added {
			return
		}
		name := p.Name
		eng.After(0, engine.PriorityAPI, func() { note("api work for %s", name) })
		eng.After(0, engine.PriorityRuntime, func() { note("runtime work for %s", name) })
		s.UpdatePod(key(p), "", "first", "", func(p *corev1.Pod) { p.Status.Phase = corev1.PodRunning })
		if !late {
			late = true
			watch("late", fields.Everything())
		}
	}))
	watch("node-a", fields.OneTermEqualSelector(FieldNodeName, "node-a"))
	watch("all", fields.Everything())
	if selective {
		watch("running", fields.OneTermEqualSelector("status.phase", "Running"))
	}
	watch("node-b", fields.OneTermEqualSelector(FieldNodeName, "node-b"))
	for i, node := range []string{"node-a", "node-b", "", "node-a"} {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("p%d", i), Namespace: "default"},
			Spec: corev1.PodSpec{NodeName: node, Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
		require.NoError(t, s.CreatePod(p, "user", ""))
	}
	runErr := eng.RunUntil(time.Second)
	if failAt > 0 {
		require.Error(t, runErr)
	} else {
		require.NoError(t, runErr)
	}
	return log, eng.Fired()
}
