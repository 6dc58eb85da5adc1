package trace

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestDescribeEvents(t *testing.T) {
	pod, _, now := initialDelaySeed()
	var buf bytes.Buffer
	// In the API server's order (by name): Pulled, Created and Started tie
	// at 3m49s and keep it.
	require.NoError(t, DescribeEvents(&buf, reversed(initialDelayEvents(pod)), now))
	want := `Events:
  Type     Reason     Age                  From               Message
  ----     ------     ----                 ----               -------
  Normal   Scheduled  3m51s                default-scheduler  Successfully assigned default/initial-delay to mac-k8s
  Normal   Pulling    3m50s                kubelet            Pulling image "centos"
  Normal   Pulled     3m49s                kubelet            Successfully pulled image "centos" in 1.331745551s
  Normal   Created    3m49s                kubelet            Created container initial-delay
  Normal   Started    3m49s                kubelet            Started container initial-delay
  Warning  Unhealthy  96s (x21 over 3m6s)  kubelet            Readiness probe failed: cat: /tmp/healthy: No such file or directory
`
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDescribeEventsAges(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		ev   corev1.Event
		want string // the row
	}{
		{"first timestamp", corev1.Event{Type: "Normal", Reason: "Pulled", Source: corev1.EventSource{Component: "kubelet"},
			FirstTimestamp: mt(now.Add(-90 * time.Second)), LastTimestamp: mt(now.Add(-90 * time.Second)), Count: 1, Message: "  padded  "},
			"  Normal  Pulled  90s  kubelet  padded"},
		{"count > 1", corev1.Event{Type: "Warning", Reason: "BackOff", Source: corev1.EventSource{Component: "kubelet"},
			FirstTimestamp: mt(now.Add(-3*time.Hour - 20*time.Minute)), LastTimestamp: mt(now.Add(-4 * time.Second)), Count: 50},
			"  Warning  BackOff  4s (x50 over 3h20m)  kubelet  "},
		{"eventTime, reportingController", corev1.Event{Type: "Normal", Reason: "Scheduled", ReportingController: "default-scheduler",
			EventTime: metav1.NewMicroTime(now.Add(-26 * time.Hour))},
			"  Normal  Scheduled  26h  default-scheduler  "},
		{"series", corev1.Event{Type: "Warning", Reason: "FailedMount", ReportingController: "kubelet",
			EventTime: metav1.NewMicroTime(now.Add(-10 * time.Minute)),
			Series:    &corev1.EventSeries{Count: 4, LastObservedTime: metav1.NewMicroTime(now.Add(-2 * time.Minute))}},
			"  Warning  FailedMount  2m (x4 over 10m)  kubelet  "},
		{"source wins over reportingController", corev1.Event{Type: "Normal", Reason: "Started",
			Source: corev1.EventSource{Component: "kubelet", Host: "node-1"}, ReportingController: "kubelet-rc",
			FirstTimestamp: mt(now), LastTimestamp: mt(now), Count: 1},
			"  Normal  Started  0s  kubelet  "},
		{"no timestamps", corev1.Event{Type: "Normal", Reason: "X", Count: 1}, "  Normal  X  <unknown>  "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, DescribeEvents(&buf, []corev1.Event{tc.ev}, now))
			lines := strings.Split(buf.String(), "\n")
			require.Len(t, lines, 5)
			// One row: every column is as wide as its widest cell plus 2.
			require.Equal(t, tc.want, squeeze(lines[3]))
		})
	}
}

// squeeze collapses runs of 2 or more spaces to 2, keeping a trailing space.
func squeeze(s string) string {
	for strings.Contains(s, "   ") {
		s = strings.ReplaceAll(s, "   ", "  ")
	}
	return s
}

func TestDescribeEventsEmpty(t *testing.T) {
	for _, events := range [][]corev1.Event{nil, {}} {
		var buf bytes.Buffer
		require.NoError(t, DescribeEvents(&buf, events, time.Now()))
		require.Equal(t, "Events:  <none>\n", buf.String())
	}
	// In DescribePod, events of other pods do not count.
	pod, events, now := readinessGateSeed()
	for i := range events {
		events[i].InvolvedObject.UID = "another-pod"
	}
	got := describe(t, pod, events, now, DescribeOptions{KubectlMinor: 24})
	require.True(t, strings.HasSuffix(got, "\nEvents:                      <none>\n"), got)
}

func TestDescribeEventsSort(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	mk := func(reason string, ago time.Duration) corev1.Event {
		ts := mt(now.Add(-ago))
		return corev1.Event{Type: "Normal", Reason: reason, FirstTimestamp: ts, LastTimestamp: ts, Count: 1,
			Source: corev1.EventSource{Component: "kubelet"}}
	}
	sched := corev1.Event{Type: "Normal", Reason: "Scheduled", ReportingController: "default-scheduler",
		EventTime: metav1.NewMicroTime(now.Add(-time.Second))}
	given := []corev1.Event{mk("C", 5*time.Second), mk("A", 30*time.Second), sched, mk("B", 5*time.Second)}
	var buf bytes.Buffer
	require.NoError(t, DescribeEvents(&buf, given, now))
	var reasons []string
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n")[3:] {
		reasons = append(reasons, strings.Fields(l)[1])
	}
	// The scheduler's event has no lastTimestamp: it sorts first although it
	// is the newest. C and B tie and keep the order given.
	require.Equal(t, []string{"Scheduled", "A", "C", "B"}, reasons)
	require.Equal(t, "C", given[0].Reason, "DescribeEvents must not sort the caller's slice")
}

// kubectl 1.35 and later prefix an event's message with the part of the
// object it is about (describe.go DescribeEvents, PR #133627).
func TestDescribeEventsFieldPath(t *testing.T) {
	pod, events, now := readinessGateSeed()
	var withPath int
	for _, e := range events {
		if e.InvolvedObject.FieldPath != "" {
			withPath++
		}
	}
	require.NotZero(t, withPath, "the seed has container events")
	for _, tc := range []struct {
		minor  int
		prefix bool
	}{{24, false}, {33, false}, {34, false}, {35, true}, {37, true}} {
		got := describe(t, pod, events, now, DescribeOptions{KubectlMinor: tc.minor})
		require.Equal(t, tc.prefix, strings.Contains(got, "  spec.containers{"), "kubectl 1.%d:\n%s", tc.minor, got)
	}
}
