package lifecycle

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// testNow is the "now" of every printer test.
var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func ago(d time.Duration) metav1.Time { return metav1.NewTime(testNow.Add(-d)) }

func ptr[T any](v T) *T { return &v }

func running() corev1.ContainerState {
	return corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}
}

func waitingFor(reason string) corev1.ContainerState {
	return corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason}}
}

func terminated(reason string, exitCode, signal int32) corev1.ContainerState {
	return corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: reason, ExitCode: exitCode, Signal: signal}}
}

func lastTerminated(finished time.Duration) corev1.ContainerState {
	return corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{FinishedAt: ago(finished)}}
}

func restartableInit(name string) corev1.Container {
	return corev1.Container{Name: name, RestartPolicy: ptr(corev1.ContainerRestartPolicyAlways)}
}

// short keeps the default (non-wide) columns of a row.
func short(r Row) Row {
	return Row{Name: r.Name, Ready: r.Ready, Status: r.Status, Restarts: r.Restarts, Age: r.Age}
}

// row is an expected default-columns row with AGE <unknown>, as in
// printers_test.go, whose pods have no creationTimestamp.
func row(name, ready, status, restarts string) Row {
	return Row{Name: name, Ready: ready, Status: status, Restarts: restarts, Age: "<unknown>"}
}

// both expects the same row in 1.25 and 1.33.
func both(r Row) map[int]Row { return map[int]Row{25: r, 33: r} }

// only33 is for cases that need a post-1.25 feature.
func only33(r Row) map[int]Row { return map[int]Row{33: r} }

type printCase struct {
	name string
	pod  corev1.Pod
	want map[int]Row // by minor version
}

func runPrintCases(t *testing.T, cases []printCase) {
	t.Helper()
	for _, tc := range cases {
		minors := make([]int, 0, len(tc.want))
		for m := range tc.want {
			minors = append(minors, m)
		}
		sort.Ints(minors)
		for _, minor := range minors {
			t.Run(fmt.Sprintf("%s/1.%d", tc.name, minor), func(t *testing.T) {
				before := tc.pod.DeepCopy()
				got := short(PrintPod(&tc.pod, testNow, RulesFor(minor)))
				requireCountsPrinted(t, &tc.pod, RulesFor(minor))
				if diff := cmp.Diff(tc.want[minor], got); diff != "" {
					t.Errorf("PrintPod (-want +got):\n%s", diff)
				}
				require.Equal(t, before, &tc.pod, "PrintPod modified its argument")
			})
		}
	}
}

// twoContainers is the pod most printers_test.go cases start from.
func twoContainers(name string, phase corev1.PodPhase, cs ...corev1.ContainerStatus) corev1.Pod {
	return corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       corev1.PodSpec{Containers: make([]corev1.Container, 2)},
		Status:     corev1.PodStatus{Phase: phase, ContainerStatuses: cs},
	}
}

// TestPrintPodVersions pins the printer's differences between 1.25 and
// 1.33, and the STATUS strings the Kubernetes tests above do not reach.
func TestPrintPodVersions(t *testing.T) {
	oneInit := func(name string, phase corev1.PodPhase, init, regular corev1.ContainerStatus, conds ...corev1.PodCondition) corev1.Pod {
		return corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: name},
			Spec:       corev1.PodSpec{InitContainers: []corev1.Container{{Name: "init"}}, Containers: []corev1.Container{{Name: "app"}}},
			Status: corev1.PodStatus{
				Phase: phase, Conditions: conds,
				InitContainerStatuses: []corev1.ContainerStatus{init},
				ContainerStatuses:     []corev1.ContainerStatus{regular},
			},
		}
	}
	initDone := func(restarts int32, last time.Duration) corev1.ContainerStatus {
		return corev1.ContainerStatus{Name: "init", Ready: true, RestartCount: restarts, State: terminated("Completed", 0, 0), LastTerminationState: lastTerminated(last)}
	}
	appUp := corev1.ContainerStatus{Name: "app", Ready: true, State: running()}
	cases := []printCase{
		{
			name: "zero restarts keep an init container's (X ago) only in 1.25",
			pod:  oneInit("p", corev1.PodRunning, initDone(1, 5*time.Minute), appUp),
			want: map[int]Row{
				25: row("p", "1/1", "Running", "0 (5m ago)"),
				33: row("p", "1/1", "Running", "0"),
			},
		},
		{
			name: "1.25 dates the restarts by the latest init termination",
			pod: oneInit("p", corev1.PodRunning, initDone(1, 10*time.Second),
				corev1.ContainerStatus{Name: "app", Ready: true, RestartCount: 2, State: running(), LastTerminationState: lastTerminated(time.Hour)}),
			want: map[int]Row{
				25: row("p", "1/1", "Running", "2 (10s ago)"),
				33: row("p", "1/1", "Running", "2 (60m ago)"),
			},
		},
		{
			name: "Initialized=True shows the containers despite a failed init status in 1.33",
			pod: oneInit("p", corev1.PodRunning,
				corev1.ContainerStatus{Name: "init", State: terminated("Error", 1, 0)}, appUp,
				corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionTrue},
				corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionTrue}),
			// A running container sets no reason, so STATUS keeps Init:Error.
			want: map[int]Row{
				25: row("p", "0/1", "Init:Error", "0"),
				33: row("p", "1/1", "Init:Error", "0"),
			},
		},
		{
			name: "Initialized=True lets a container's reason and restarts through in 1.33",
			pod: oneInit("p", corev1.PodRunning,
				corev1.ContainerStatus{Name: "init", State: terminated("Error", 1, 0)},
				corev1.ContainerStatus{Name: "app", RestartCount: 2, State: waitingFor("CrashLoopBackOff"), LastTerminationState: lastTerminated(time.Minute)},
				corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionTrue}),
			want: map[int]Row{
				25: row("p", "0/1", "Init:Error", "0"),
				33: row("p", "0/1", "CrashLoopBackOff", "2 (60s ago)"),
			},
		},
		{
			name: "deleted after failure",
			pod: func() corev1.Pod {
				p := oneInit("p", corev1.PodFailed, initDone(0, 0), corev1.ContainerStatus{Name: "app", State: terminated("Error", 2, 0)})
				p.Status.InitContainerStatuses[0].LastTerminationState = corev1.ContainerState{}
				p.DeletionTimestamp = ptr(ago(time.Second))
				return p
			}(),
			want: map[int]Row{
				25: row("p", "0/1", "Terminating", "0"),
				33: row("p", "0/1", "Error", "0"),
			},
		},
		{
			name: "deleted on a lost node shows Unknown",
			pod: func() corev1.Pod {
				p := twoContainers("p", corev1.PodRunning)
				p.Status.Reason = NodeLostReason
				p.DeletionTimestamp = ptr(ago(time.Second))
				return p
			}(),
			want: both(row("p", "0/2", "Unknown", "0")),
		},
		{
			name: "NodeLost without deletion stays the reason",
			pod: func() corev1.Pod {
				p := twoContainers("p", corev1.PodRunning)
				p.Status.Reason = NodeLostReason
				return p
			}(),
			want: both(row("p", "0/2", "NodeLost", "0")),
		},
		{
			name: "Init:CrashLoopBackOff",
			pod: oneInit("p", corev1.PodPending,
				corev1.ContainerStatus{Name: "init", RestartCount: 4, State: waitingFor("CrashLoopBackOff"), LastTerminationState: lastTerminated(30 * time.Second)},
				corev1.ContainerStatus{Name: "app", State: waitingFor("PodInitializing")}),
			want: both(row("p", "0/1", "Init:CrashLoopBackOff", "4 (30s ago)")),
		},
		{
			name: "init waiting PodInitializing counts as Init:i/n",
			pod: oneInit("p", corev1.PodPending,
				corev1.ContainerStatus{Name: "init", State: waitingFor("PodInitializing")},
				corev1.ContainerStatus{Name: "app", State: waitingFor("PodInitializing")}),
			want: both(row("p", "0/1", "Init:0/1", "0")),
		},
		{
			name: "Init:Signal",
			pod: oneInit("p", corev1.PodPending,
				corev1.ContainerStatus{Name: "init", State: terminated("", 137, 9)},
				corev1.ContainerStatus{Name: "app", State: waitingFor("PodInitializing")}),
			want: both(row("p", "0/1", "Init:Signal:9", "0")),
		},
		{
			name: "Init:ExitCode",
			pod: oneInit("p", corev1.PodPending,
				corev1.ContainerStatus{Name: "init", State: terminated("", 3, 0)},
				corev1.ContainerStatus{Name: "app", State: waitingFor("PodInitializing")}),
			want: both(row("p", "0/1", "Init:ExitCode:3", "0")),
		},
		{
			name: "Signal and ExitCode of regular containers",
			pod: twoContainers("p", corev1.PodRunning,
				corev1.ContainerStatus{State: terminated("", 143, 15)},
				corev1.ContainerStatus{State: terminated("", 7, 0)}),
			want: both(row("p", "0/2", "Signal:15", "0")),
		},
		{
			name: "last container's exit code when the first runs",
			pod: twoContainers("p", corev1.PodRunning,
				corev1.ContainerStatus{Ready: true, State: running()},
				corev1.ContainerStatus{State: terminated("", 7, 0)}),
			want: both(row("p", "1/2", "ExitCode:7", "0")),
		},
		{
			name: "CrashLoopBackOff with restarts",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "crash"},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}}},
				Status: corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{
					{Name: "app", RestartCount: 5, State: waitingFor("CrashLoopBackOff"), LastTerminationState: lastTerminated(0)},
				}},
			},
			want: both(row("crash", "0/1", "CrashLoopBackOff", "5 (0s ago)")),
		},
		{
			name: "started ready sidecar counts in READY",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "side"},
				Spec:       corev1.PodSpec{InitContainers: []corev1.Container{restartableInit("proxy")}, Containers: []corev1.Container{{Name: "app"}}},
				Status: corev1.PodStatus{
					Phase:                 corev1.PodRunning,
					Conditions:            []corev1.PodCondition{{Type: corev1.PodInitialized, Status: corev1.ConditionTrue}},
					InitContainerStatuses: []corev1.ContainerStatus{{Name: "proxy", Ready: true, Started: ptr(true), State: running(), RestartCount: 1, LastTerminationState: lastTerminated(3 * time.Minute)}},
					ContainerStatuses:     []corev1.ContainerStatus{appUp},
				},
			},
			want: only33(row("side", "2/2", "Running", "1 (3m ago)")),
		},
	}
	runPrintCases(t, cases)
}

// TestPrintPodAge checks AGE and the restart suffix against
// duration.HumanDuration's thresholds.
func TestPrintPodAge(t *testing.T) {
	cases := []struct {
		age, lastExit time.Duration
		wantAge       string
		wantRestarts  string
	}{
		{age: 0, lastExit: 0, wantAge: "0s", wantRestarts: "1 (0s ago)"},
		{age: 119 * time.Second, lastExit: 59 * time.Second, wantAge: "119s", wantRestarts: "1 (59s ago)"},
		{age: 2*time.Minute + 5*time.Second, lastExit: 2 * time.Minute, wantAge: "2m5s", wantRestarts: "1 (2m ago)"},
		{age: 2*time.Hour + 59*time.Minute + 59*time.Second, lastExit: 10 * time.Minute, wantAge: "179m", wantRestarts: "1 (10m ago)"},
		{age: 3*time.Hour + 30*time.Minute, lastExit: 3 * time.Hour, wantAge: "3h30m", wantRestarts: "1 (3h ago)"},
		{age: 53 * time.Hour, lastExit: 47 * time.Hour, wantAge: "2d5h", wantRestarts: "1 (47h ago)"},
		{age: 740 * 24 * time.Hour, lastExit: 8 * 24 * time.Hour, wantAge: "2y10d", wantRestarts: "1 (8d ago)"},
		{age: -time.Second, lastExit: -3 * time.Second, wantAge: "0s", wantRestarts: "1 (<invalid> ago)"},
	}
	for _, tc := range cases {
		t.Run(tc.wantAge, func(t *testing.T) {
			pod := corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "p", CreationTimestamp: ago(tc.age)},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}}},
				Status: corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{
					{Name: "app", RestartCount: 1, State: running(), LastTerminationState: lastTerminated(tc.lastExit)},
				}},
			}
			got := PrintPod(&pod, testNow, RulesFor(33))
			require.Equal(t, tc.wantAge, got.Age)
			require.Equal(t, tc.wantRestarts, got.Restarts)
		})
	}
}

// ExamplePrintPod prints a crash-looping pod as `kubectl get pods` does.
func ExamplePrintPod() {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web", CreationTimestamp: metav1.NewTime(start)},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app"}}},
		Status: corev1.PodStatus{
			Phase: corev1.PodRunning,
			ContainerStatuses: []corev1.ContainerStatus{{
				Name:                 "app",
				RestartCount:         5,
				State:                corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}},
				LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{FinishedAt: metav1.NewTime(start.Add(450 * time.Second))}},
			}},
		},
	}
	r := PrintPod(pod, start.Add(452*time.Second), RulesFor(33))
	fmt.Printf("%s  %s  %s  %s  %s\n", r.Name, r.Ready, r.Status, r.Restarts, r.Age)
	// Output:
	// web  0/1  CrashLoopBackOff  5 (2s ago)  7m32s
}

// The numbers behind READY and RESTARTS are those the row prints, under
// each version's rules: 1.33 counts the sidecar among the containers and,
// the pod being initialized, only its restarts of the init containers'
// (PrintWhenInitialized); 1.25 sees an init container still running, so the
// pod is initializing and only init containers' restarts count.
func TestPrintPodCounts(t *testing.T) {
	pod := corev1.Pod{
		Spec: corev1.PodSpec{
			InitContainers: []corev1.Container{{Name: "init"}, restartableInit("sidecar")},
			Containers:     []corev1.Container{{Name: "a"}, {Name: "b"}},
		},
		Status: corev1.PodStatus{
			Phase:      corev1.PodRunning,
			Conditions: []corev1.PodCondition{{Type: corev1.PodInitialized, Status: corev1.ConditionTrue}},
			InitContainerStatuses: []corev1.ContainerStatus{
				{Name: "init", RestartCount: 2, State: terminated("Completed", 0, 0)},
				{Name: "sidecar", RestartCount: 1, Ready: true, Started: ptr(true), State: running()},
			},
			ContainerStatuses: []corev1.ContainerStatus{
				{Name: "a", RestartCount: 3, Ready: true, State: running()},
				{Name: "b", RestartCount: 0, State: running()},
			},
		},
	}
	tests := []struct {
		minor int
		want  Counts
		ready string
	}{
		{25, Counts{ReadyContainers: 0, TotalContainers: 2, Restarts: 3}, "0/2"}, // Init:1/2: 1.25 knows no sidecars
		{33, Counts{ReadyContainers: 2, TotalContainers: 3, Restarts: 4}, "2/3"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.minor), func(t *testing.T) {
			row, got := PrintPodCounts(&pod, testNow, RulesFor(tc.minor))
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.ready, row.Ready)
			require.Equal(t, PrintPod(&pod, testNow, RulesFor(tc.minor)), row)
			requireCountsPrinted(t, &pod, RulesFor(tc.minor))
		})
	}
}

// requireCountsPrinted checks that PrintPodCounts' numbers are those its
// row prints in READY and RESTARTS.
func requireCountsPrinted(t *testing.T, pod *corev1.Pod, r Rules) {
	t.Helper()
	row, n := PrintPodCounts(pod, testNow, r)
	require.Equal(t, fmt.Sprintf("%d/%d", n.ReadyContainers, n.TotalContainers), row.Ready)
	require.Equal(t, fmt.Sprint(n.Restarts), strings.Fields(row.Restarts)[0])
}
