package lifecycle

// The cases of Kubernetes' pkg/printers/internalversion/printers_test.go,
// run against PrintPod in 1.25 and 1.33. The helpers they share with the
// other printer tests are in print_test.go.

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

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
				requireCountsPrinted(t, &tc.pod, RulesFor(minor))
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("1.%d PrintPod (-want +got):\n%s", minor, diff)
				}
			}
		})
	}
}
