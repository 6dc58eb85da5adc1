package trace_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/trace"
)

// A watch started late lists the pods that exist then, sorted by name and
// aged at that moment, and then prints the later changes.
func TestWatchSince(t *testing.T) {
	epoch := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s := time.Second
	pod := func(name string, created time.Duration, phase corev1.PodPhase) *corev1.Pod {
		return &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: name, CreationTimestamp: metav1.NewTime(epoch.Add(created))},
			Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c"}}},
			Status:     corev1.PodStatus{Phase: phase},
		}
	}
	tr := trace.New(trace.Header{Epoch: epoch},
		trace.Record{T: 0, Kind: "Pod", Op: trace.Added, Name: "zeta", Pod: pod("zeta", 0, corev1.PodPending)},
		trace.Record{T: 1 * s, Kind: "Pod", Op: trace.Added, Name: "alpha", Pod: pod("alpha", s, corev1.PodPending)},
		trace.Record{T: 2 * s, Kind: "Pod", Op: trace.Added, Name: "gone", Pod: pod("gone", 2*s, corev1.PodPending)},
		trace.Record{T: 3 * s, Kind: "Pod", Op: trace.Deleted, Name: "gone", Pod: pod("gone", 2*s, corev1.PodPending)},
		trace.Record{T: 5 * s, Kind: "Pod", Op: trace.Modified, Name: "zeta", Pod: pod("zeta", 0, corev1.PodSucceeded)},
		trace.Record{T: 10 * s, Kind: "Pod", Op: trace.Deleted, Name: "alpha", Pod: pod("alpha", s, corev1.PodFailed)},
		trace.Record{T: 12 * s, Kind: "Pod", Op: trace.Modified, Name: "zeta", Pod: pod("zeta", 0, corev1.PodFailed)},
	)
	tests := []struct {
		name  string
		since time.Duration
		want  string
	}{
		{"from the start", 0, `
NAME    READY   STATUS      RESTARTS   AGE
zeta    0/1     Pending     0          0s
alpha   0/1     Pending     0          0s
gone    0/1     Pending     0          0s
gone    0/1     Pending     0          1s
zeta    0/1     Succeeded   0          5s
alpha   0/1     Failed      0          9s
zeta    0/1     Failed      0          12s
`},
		{"after a change", 6 * s, `
NAME    READY   STATUS      RESTARTS   AGE
alpha   0/1     Pending     0          5s
zeta    0/1     Succeeded   0          6s
alpha   0/1     Failed      0          9s
zeta    0/1     Failed      0          12s
`},
		{"at the moment of a change, which the list already holds", 10 * s, `
NAME   READY   STATUS      RESTARTS   AGE
zeta   0/1     Succeeded   0          10s
zeta   0/1     Failed      0          12s
`},
		{"after everything", 20 * s, `
NAME   READY   STATUS   RESTARTS   AGE
zeta   0/1     Failed   0          20s
`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, trace.Watch(&b, tr, trace.WatchOptions{Rules: lifecycle.RulesFor(33), Since: tc.since}))
			if diff := cmp.Diff(strings.TrimPrefix(tc.want, "\n"), b.String()); diff != "" {
				t.Errorf("watch (-want +got):\n%s", diff)
			}
		})
	}
}
