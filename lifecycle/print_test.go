package lifecycle

import (
	"fmt"
	"sort"
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

// TestPrintPod holds the 20 cases of printers_test.go TestPrintPod.
func TestPrintPod(t *testing.T) {
	readyRunning3 := corev1.ContainerStatus{Ready: true, RestartCount: 3, State: running()}
	deleted := ptr(ago(10 * time.Second))
	cases := []printCase{
		{
			name: "test1 last status without state keeps the phase",
			pod:  twoContainers("test1", "podPhase", readyRunning3, corev1.ContainerStatus{RestartCount: 3}),
			want: both(row("test1", "1/2", "podPhase", "6")),
		},
		{
			name: "test2 waiting reason",
			pod: twoContainers("test2", "podPhase", readyRunning3,
				corev1.ContainerStatus{State: waitingFor("ContainerWaitingReason"), RestartCount: 3}),
			want: both(row("test2", "1/2", "ContainerWaitingReason", "6")),
		},
		{
			name: "test3 first container's reason wins",
			pod: twoContainers("test3", "podPhase",
				corev1.ContainerStatus{State: waitingFor("ContainerWaitingReason"), RestartCount: 3},
				corev1.ContainerStatus{State: terminated("ContainerTerminatedReason", 0, 0), RestartCount: 3}),
			want: both(row("test3", "0/2", "ContainerWaitingReason", "6")),
		},
		{
			name: "test4 ready without running is not counted",
			pod:  twoContainers("test4", "podPhase", readyRunning3, corev1.ContainerStatus{Ready: true, RestartCount: 3}),
			want: both(row("test4", "1/2", "podPhase", "6")),
		},
		{
			name: "test5 status reason replaces the phase",
			pod: func() corev1.Pod {
				p := twoContainers("test5", "podPhase", readyRunning3, corev1.ContainerStatus{Ready: true, RestartCount: 3})
				p.Status.Reason = "podReason"
				return p
			}(),
			want: both(row("test5", "1/2", "podReason", "6")),
		},
		{
			name: "test6 completed plus running without Ready condition is NotReady",
			pod: twoContainers("test6", corev1.PodRunning,
				corev1.ContainerStatus{Ready: true, RestartCount: 3, State: terminated("Completed", 0, 0)},
				readyRunning3),
			want: both(row("test6", "1/2", "NotReady", "6")),
		},
		{
			name: "test6b completed plus running with Ready condition is Running",
			pod: func() corev1.Pod {
				p := twoContainers("test6", corev1.PodRunning,
					corev1.ContainerStatus{Ready: true, RestartCount: 3, State: terminated("Completed", 0, 0)},
					readyRunning3)
				p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
				return p
			}(),
			want: both(row("test6", "1/2", "Running", "6")),
		},
		{
			name: "test7 running init container",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test7"},
				Spec:       corev1.PodSpec{InitContainers: make([]corev1.Container, 1), Containers: make([]corev1.Container, 1)},
				Status: corev1.PodStatus{
					Phase: "podPhase",
					InitContainerStatuses: []corev1.ContainerStatus{
						{RestartCount: 3, State: running(), LastTerminationState: lastTerminated(10 * time.Second)},
					},
					ContainerStatuses: []corev1.ContainerStatus{{State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{}}}},
				},
			},
			want: both(row("test7", "0/1", "Init:0/1", "3 (10s ago)")),
		},
		{
			name: "test8 first of two init containers running",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test8"},
				Spec:       corev1.PodSpec{InitContainers: make([]corev1.Container, 2), Containers: make([]corev1.Container, 1)},
				Status: corev1.PodStatus{
					Phase: "podPhase",
					InitContainerStatuses: []corev1.ContainerStatus{
						{RestartCount: 3, State: running(), LastTerminationState: lastTerminated(10 * time.Second)},
						{State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{}}},
					},
					ContainerStatuses: []corev1.ContainerStatus{{State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{}}}},
				},
			},
			want: both(row("test8", "0/1", "Init:0/2", "3 (10s ago)")),
		},
		{
			name: "test9 second of two init containers running",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test9"},
				Spec:       corev1.PodSpec{InitContainers: make([]corev1.Container, 2), Containers: make([]corev1.Container, 1)},
				Status: corev1.PodStatus{
					Phase: "podPhase",
					InitContainerStatuses: []corev1.ContainerStatus{
						{State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{}}},
						{RestartCount: 3, State: running(), LastTerminationState: lastTerminated(10 * time.Second)},
					},
					ContainerStatuses: []corev1.ContainerStatus{{State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{}}}},
				},
			},
			want: both(row("test9", "0/1", "Init:1/2", "3 (10s ago)")),
		},
		{
			name: "test10 init restarts add up and the latest termination wins",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test10"},
				Spec:       corev1.PodSpec{InitContainers: make([]corev1.Container, 2), Containers: make([]corev1.Container, 1)},
				Status: corev1.PodStatus{
					Phase: "podPhase",
					InitContainerStatuses: []corev1.ContainerStatus{
						{RestartCount: 2, State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{}}, LastTerminationState: lastTerminated(2 * time.Minute)},
						{RestartCount: 3, State: running(), LastTerminationState: lastTerminated(10 * time.Second)},
					},
					ContainerStatuses: []corev1.ContainerStatus{{State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{}}}},
				},
			},
			want: both(row("test10", "0/1", "Init:1/2", "5 (10s ago)")),
		},
		{
			name: "test11 init restarts are dropped once initialized",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test11"},
				Spec:       corev1.PodSpec{InitContainers: make([]corev1.Container, 1), Containers: make([]corev1.Container, 1)},
				Status: corev1.PodStatus{
					Phase: corev1.PodRunning,
					InitContainerStatuses: []corev1.ContainerStatus{
						{RestartCount: 2, State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{}}, LastTerminationState: lastTerminated(2 * time.Minute)},
					},
					ContainerStatuses: []corev1.ContainerStatus{
						{RestartCount: 4, State: running(), LastTerminationState: lastTerminated(20 * time.Second)},
					},
				},
			},
			want: both(row("test11", "0/1", "Running", "4 (20s ago)")),
		},
		{
			name: "test12 five days ago",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test12"},
				Spec:       corev1.PodSpec{Containers: make([]corev1.Container, 1)},
				Status: corev1.PodStatus{
					Phase: corev1.PodRunning,
					ContainerStatuses: []corev1.ContainerStatus{
						{Ready: true, RestartCount: 3, State: running(), LastTerminationState: lastTerminated(5 * 24 * time.Hour)},
					},
				},
			},
			want: both(row("test12", "1/1", "Running", "3 (5d ago)")),
		},
		{
			name: "test13 ten days ago",
			pod: twoContainers("test13", corev1.PodRunning,
				corev1.ContainerStatus{Ready: true, State: running()},
				corev1.ContainerStatus{Ready: true, RestartCount: 3, State: running(), LastTerminationState: lastTerminated(10 * 24 * time.Hour)}),
			want: both(row("test13", "2/2", "Running", "3 (10d ago)")),
		},
		{
			name: "test14 most recent termination of all containers",
			pod: twoContainers("test14", corev1.PodRunning,
				corev1.ContainerStatus{Ready: true, RestartCount: 6, State: running(), LastTerminationState: lastTerminated(5 * 24 * time.Hour)},
				corev1.ContainerStatus{Ready: true, RestartCount: 3, State: running(), LastTerminationState: lastTerminated(20 * 24 * time.Hour)}),
			want: both(row("test14", "2/2", "Running", "9 (5d ago)")),
		},
		{
			name: "test15 scheduling gated",
			pod: func() corev1.Pod {
				p := twoContainers("test15", "podPhase")
				p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonSchedulingGated}}
				return p
			}(),
			want: map[int]Row{
				25: row("test15", "0/2", "podPhase", "0"),
				33: row("test15", "0/2", "SchedulingGated", "0"),
			},
		},
		{
			name: "test16 succeeded",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test16"},
				Spec:       corev1.PodSpec{Containers: make([]corev1.Container, 1)},
				Status: corev1.PodStatus{
					Phase:             corev1.PodSucceeded,
					ContainerStatuses: []corev1.ContainerStatus{{State: terminated("Completed", 0, 0)}},
				},
			},
			want: both(row("test16", "0/1", "Completed", "0")),
		},
		{
			name: "test17 failed",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test17"},
				Spec:       corev1.PodSpec{Containers: make([]corev1.Container, 1)},
				Status: corev1.PodStatus{
					Phase:             corev1.PodFailed,
					ContainerStatuses: []corev1.ContainerStatus{{State: terminated("Error", 1, 0)}},
				},
			},
			want: both(row("test17", "0/1", "Error", "0")),
		},
		{
			name: "test18 deleted after success",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test18", DeletionTimestamp: deleted},
				Spec:       corev1.PodSpec{Containers: make([]corev1.Container, 1)},
				Status: corev1.PodStatus{
					Phase:             corev1.PodSucceeded,
					ContainerStatuses: []corev1.ContainerStatus{{State: terminated("Completed", 0, 0)}},
				},
			},
			want: map[int]Row{
				25: row("test18", "0/1", "Terminating", "0"),
				33: row("test18", "0/1", "Completed", "0"),
			},
		},
		{
			name: "test19 deleted while running",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test19", DeletionTimestamp: deleted},
				Spec:       corev1.PodSpec{Containers: make([]corev1.Container, 1)},
				Status: corev1.PodStatus{
					Phase:             corev1.PodRunning,
					ContainerStatuses: []corev1.ContainerStatus{{State: running()}},
				},
			},
			want: both(row("test19", "0/1", "Terminating", "0")),
		},
		{
			name: "test20 deleted while pending",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test20", DeletionTimestamp: deleted},
				Spec:       corev1.PodSpec{Containers: make([]corev1.Container, 1)},
				Status:     corev1.PodStatus{Phase: corev1.PodPending},
			},
			want: both(row("test20", "0/1", "Terminating", "0")),
		},
	}
	runPrintCases(t, cases)
}

// TestPrintPodWithRestartableInitContainer holds the 5 cases of
// printers_test.go TestPrintPodWithRestartableInitContainer (1.33), plus
// what 1.25, which has no sidecars, makes of the first.
func TestPrintPodWithRestartableInitContainer(t *testing.T) {
	spec := corev1.PodSpec{
		InitContainers: []corev1.Container{restartableInit("restartable-init-1"), restartableInit("restartable-init-2")},
		Containers:     []corev1.Container{{Name: "container"}},
	}
	initialized := func(s corev1.ConditionStatus) []corev1.PodCondition {
		return []corev1.PodCondition{{Type: corev1.PodInitialized, Status: s}}
	}
	cases := []printCase{
		{
			name: "R1 first sidecar not started",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test1"},
				Spec:       spec,
				Status: corev1.PodStatus{
					Phase:      corev1.PodPending,
					Conditions: initialized(corev1.ConditionFalse),
					InitContainerStatuses: []corev1.ContainerStatus{
						{Name: "restartable-init-1", RestartCount: 3, State: running(), Started: ptr(false), LastTerminationState: lastTerminated(10 * time.Second)},
						{Name: "restartable-init-2", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{}}, Started: ptr(false)},
					},
					ContainerStatuses: []corev1.ContainerStatus{{Name: "container", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{}}}},
				},
			},
			want: map[int]Row{
				25: row("test1", "0/1", "Init:0/2", "3 (10s ago)"),
				33: row("test1", "0/3", "Init:0/2", "3 (10s ago)"),
			},
		},
		{
			name: "R2 first sidecar started, second not",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test1"},
				Spec:       spec,
				Status: corev1.PodStatus{
					Phase:      corev1.PodPending,
					Conditions: initialized(corev1.ConditionFalse),
					InitContainerStatuses: []corev1.ContainerStatus{
						{Name: "restartable-init-1", RestartCount: 3, State: running(), Started: ptr(true), LastTerminationState: lastTerminated(10 * time.Second)},
						{Name: "restartable-init-2", State: running(), Started: ptr(false)},
					},
					ContainerStatuses: []corev1.ContainerStatus{{Name: "container", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{}}}},
				},
			},
			want: only33(row("test1", "0/3", "Init:1/2", "3 (10s ago)")),
		},
		{
			name: "R3 both sidecars started, container ready",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test2"},
				Spec:       spec,
				Status: corev1.PodStatus{
					Phase:      corev1.PodRunning,
					Conditions: initialized(corev1.ConditionTrue),
					InitContainerStatuses: []corev1.ContainerStatus{
						{Name: "restartable-init-1", RestartCount: 3, State: running(), Started: ptr(true), LastTerminationState: lastTerminated(10 * time.Second)},
						{Name: "restartable-init-2", State: running(), Started: ptr(true)},
					},
					ContainerStatuses: []corev1.ContainerStatus{
						{Name: "container", Ready: true, RestartCount: 4, State: running(), LastTerminationState: lastTerminated(20 * time.Second)},
					},
				},
			},
			want: only33(row("test2", "1/3", "Running", "7 (10s ago)")),
		},
		{
			name: "R4 succeeded with sidecars killed",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test3"},
				Spec:       spec,
				Status: corev1.PodStatus{
					Phase:      corev1.PodSucceeded,
					Conditions: initialized(corev1.ConditionTrue),
					InitContainerStatuses: []corev1.ContainerStatus{
						{Name: "restartable-init-1", RestartCount: 3, State: terminated("Error", 137, 0), Started: ptr(false), LastTerminationState: lastTerminated(10 * time.Second)},
						{Name: "restartable-init-2", State: terminated("Error", 137, 0), Started: ptr(false)},
					},
					ContainerStatuses: []corev1.ContainerStatus{
						{Name: "container", RestartCount: 4, State: terminated("Completed", 0, 0), LastTerminationState: lastTerminated(20 * time.Second)},
					},
				},
			},
			want: only33(row("test3", "0/3", "Completed", "7 (10s ago)")),
		},
		{
			name: "R5 statuses without a matching spec",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test4"},
				Spec: corev1.PodSpec{
					InitContainers: []corev1.Container{{Name: "init1"}, restartableInit("sidecar1")},
					Containers:     []corev1.Container{{Name: "container1"}},
				},
				Status: corev1.PodStatus{
					Phase:                 corev1.PodRunning,
					InitContainerStatuses: []corev1.ContainerStatus{{Name: "initinvalid"}, {Name: "init1"}, {Name: "sidecar1"}},
					ContainerStatuses:     []corev1.ContainerStatus{{Name: "containerinvalid"}, {Name: "container1"}},
				},
			},
			want: only33(row("test4", "0/2", "Init:0/2", "0")),
		},
	}
	runPrintCases(t, cases)
}

// TestPrintPodPhases holds printers_test.go TestPrintPodConditions,
// TestPrintNonTerminatedPod and TestPrintPodList: with no reason from the
// last container, STATUS is the phase.
func TestPrintPodPhases(t *testing.T) {
	readyRunning3 := corev1.ContainerStatus{Ready: true, RestartCount: 3, State: running()}
	var cases []printCase
	for _, phase := range []corev1.PodPhase{corev1.PodRunning, corev1.PodSucceeded, corev1.PodFailed, corev1.PodPending, corev1.PodUnknown} {
		cases = append(cases, printCase{
			name: string(phase),
			pod:  twoContainers("test1", phase, readyRunning3, corev1.ContainerStatus{RestartCount: 3}),
			want: both(row("test1", "1/2", string(phase), "6")),
		})
	}
	cases = append(cases,
		printCase{
			name: "non-terminated Failed with a ready container without state",
			pod:  twoContainers("test5", corev1.PodFailed, readyRunning3, corev1.ContainerStatus{Ready: true, RestartCount: 3}),
			want: both(row("test5", "1/2", "Failed", "6")),
		},
		printCase{
			name: "list pod 1",
			pod:  twoContainers("test1", "podPhase", readyRunning3, readyRunning3),
			want: both(row("test1", "2/2", "podPhase", "6")),
		},
		printCase{
			name: "list pod 2",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test2"},
				Spec:       corev1.PodSpec{Containers: make([]corev1.Container, 1)},
				Status: corev1.PodStatus{
					Phase:             "podPhase",
					ContainerStatuses: []corev1.ContainerStatus{{Ready: true, RestartCount: 1, State: running()}},
				},
			},
			want: both(row("test2", "1/1", "podPhase", "1")),
		},
	)
	runPrintCases(t, cases)
}

// TestPrintPodWide holds the 3 cases of printers_test.go TestPrintPodwide.
func TestPrintPodWide(t *testing.T) {
	gates := []corev1.PodReadinessGate{{ConditionType: "condition1"}, {ConditionType: "condition2"}, {ConditionType: "condition3"}}
	conditions := []corev1.PodCondition{
		{Type: "condition1", Status: corev1.ConditionFalse},
		{Type: "condition2", Status: corev1.ConditionTrue},
	}
	statuses := []corev1.ContainerStatus{{Ready: true, RestartCount: 3, State: running()}, {RestartCount: 3}}
	cases := []struct {
		name string
		pod  corev1.Pod
		want Row
	}{
		{
			name: "W1 one IP, gates partly true",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test1"},
				Spec:       corev1.PodSpec{Containers: make([]corev1.Container, 2), NodeName: "test1", ReadinessGates: gates},
				Status: corev1.PodStatus{
					Conditions: conditions, Phase: "podPhase", PodIPs: []corev1.PodIP{{IP: "1.1.1.1"}},
					ContainerStatuses: statuses, NominatedNodeName: "node1",
				},
			},
			want: Row{Name: "test1", Ready: "1/2", Status: "podPhase", Restarts: "6", Age: "<unknown>",
				IP: "1.1.1.1", Node: "test1", NominatedNode: "node1", ReadinessGates: "1/3"},
		},
		{
			name: "W2 dual stack shows the first IP",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test1"},
				Spec:       corev1.PodSpec{Containers: make([]corev1.Container, 2), NodeName: "test1", ReadinessGates: gates},
				Status: corev1.PodStatus{
					Conditions: conditions, Phase: "podPhase", PodIPs: []corev1.PodIP{{IP: "1.1.1.1"}, {IP: "2001:db8::"}},
					ContainerStatuses: statuses, NominatedNodeName: "node1",
				},
			},
			want: Row{Name: "test1", Ready: "1/2", Status: "podPhase", Restarts: "6", Age: "<unknown>",
				IP: "1.1.1.1", Node: "test1", NominatedNode: "node1", ReadinessGates: "1/3"},
		},
		{
			name: "W3 nothing set",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test2"},
				Spec:       corev1.PodSpec{Containers: make([]corev1.Container, 2)},
				Status: corev1.PodStatus{
					Phase: "podPhase",
					ContainerStatuses: []corev1.ContainerStatus{
						{Ready: true, RestartCount: 3, State: running()},
						{State: waitingFor("ContainerWaitingReason"), RestartCount: 3},
					},
				},
			},
			want: Row{Name: "test2", Ready: "1/2", Status: "ContainerWaitingReason", Restarts: "6", Age: "<unknown>",
				IP: "<none>", Node: "<none>", NominatedNode: "<none>", ReadinessGates: "<none>"},
		},
		{
			name: "first condition of a gate's type decides; status.podIP is not used",
			pod: corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "test3"},
				Spec:       corev1.PodSpec{ReadinessGates: []corev1.PodReadinessGate{{ConditionType: "g"}}},
				Status: corev1.PodStatus{
					Phase: corev1.PodRunning, PodIP: "10.0.0.1",
					Conditions: []corev1.PodCondition{{Type: "g", Status: corev1.ConditionFalse}, {Type: "g", Status: corev1.ConditionTrue}},
				},
			},
			want: Row{Name: "test3", Ready: "0/0", Status: "Running", Restarts: "0", Age: "<unknown>",
				IP: "<none>", Node: "<none>", NominatedNode: "<none>", ReadinessGates: "0/1"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, minor := range []int{25, 33} {
				got := PrintPod(&tc.pod, testNow, RulesFor(minor))
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("1.%d PrintPod (-want +got):\n%s", minor, diff)
				}
			}
		})
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

func TestRulesFor(t *testing.T) {
	cases := []struct {
		minor int
		want  Rules
	}{
		{minor: 24, want: Rules{}},
		{minor: 25, want: Rules{}},
		{minor: 26, want: Rules{SchedulingGated: true}},
		{minor: 27, want: Rules{SchedulingGated: true, PodIsTerminalPhase: true}},
		{minor: 28, want: Rules{SchedulingGated: true, PodIsTerminalPhase: true, PrintWhenInitialized: true, PrintRestartsAgoOnlyNonZero: true}},
		{minor: 30, want: Rules{
			SchedulingGated: true, PodIsTerminalPhase: true, PrintWhenInitialized: true, PrintRestartsAgoOnlyNonZero: true,
			SidecarContainers: true, ReadyToStartContainersCondition: true, PhaseInitPendingYieldsToStarted: true,
		}},
		{minor: 31, want: Rules{
			SchedulingGated: true, PodIsTerminalPhase: true, PrintWhenInitialized: true, PrintRestartsAgoOnlyNonZero: true,
			SidecarContainers: true, ReadyToStartContainersCondition: true, PrintTerminatingOnlyNonTerminal: true,
		}},
		{minor: 33, want: Rules{
			SchedulingGated: true, PodIsTerminalPhase: true, PrintWhenInitialized: true, PrintRestartsAgoOnlyNonZero: true,
			SidecarContainers: true, ReadyToStartContainersCondition: true, PrintTerminatingOnlyNonTerminal: true,
			PodHasInitializedArg: true,
		}},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.minor), func(t *testing.T) {
			if diff := cmp.Diff(tc.want, RulesFor(tc.minor)); diff != "" {
				t.Errorf("RulesFor(%d) (-want +got):\n%s", tc.minor, diff)
			}
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
