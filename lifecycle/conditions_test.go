package lifecycle

import (
	"fmt"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
)

func readyStatus(name string) corev1.ContainerStatus {
	s := runningState(name)
	s.Ready = true
	return s
}

// initDone is an init container that exited 0; the kubelet marks it Ready.
func initDone(name string) corev1.ContainerStatus {
	s := succeededState(name)
	s.Ready = true
	return s
}

type conditionCase struct {
	name       string
	spec       *corev1.PodSpec
	conditions []corev1.PodCondition // ReadyCondition only
	init       []corev1.ContainerStatus
	regular    []corev1.ContainerStatus
	phase      corev1.PodPhase
	want       map[int]corev1.PodCondition // by minor version
}

func sameCond(c corev1.PodCondition) map[int]corev1.PodCondition {
	return map[int]corev1.PodCondition{25: c, 33: c}
}

func conds(c25, c33 corev1.PodCondition) map[int]corev1.PodCondition {
	return map[int]corev1.PodCondition{25: c25, 33: c33}
}

func cond33(c corev1.PodCondition) map[int]corev1.PodCondition {
	return map[int]corev1.PodCondition{33: c}
}

func runConditionCases(t *testing.T, cases []conditionCase, generate func(tc conditionCase, r Rules) corev1.PodCondition) {
	t.Helper()
	for _, tc := range cases {
		minors := make([]int, 0, len(tc.want))
		for m := range tc.want {
			minors = append(minors, m)
		}
		sort.Ints(minors)
		for _, minor := range minors {
			t.Run(fmt.Sprintf("%s/1.%d", tc.name, minor), func(t *testing.T) {
				got := generate(tc, RulesFor(minor))
				if diff := cmp.Diff(tc.want[minor], got); diff != "" {
					t.Errorf("condition (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func condSpec(init []corev1.Container, names ...string) *corev1.PodSpec {
	spec := &corev1.PodSpec{InitContainers: init}
	for _, n := range names {
		spec.Containers = append(spec.Containers, corev1.Container{Name: n})
	}
	return spec
}

func TestReadyToStartContainersCondition(t *testing.T) {
	cases := []struct {
		sandboxReady bool
		want         corev1.PodCondition
	}{
		{sandboxReady: true, want: corev1.PodCondition{Type: corev1.PodReadyToStartContainers, Status: corev1.ConditionTrue}},
		{sandboxReady: false, want: corev1.PodCondition{Type: corev1.PodReadyToStartContainers, Status: corev1.ConditionFalse}},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.sandboxReady), func(t *testing.T) {
			if diff := cmp.Diff(tc.want, ReadyToStartContainersCondition(tc.sandboxReady)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestInitializedCondition(t *testing.T) {
	initialized := corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionTrue}
	notInitialized := func(msg string) corev1.PodCondition {
		return corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionFalse, Reason: ContainersNotInitialized, Message: msg}
	}
	unknownStatuses := corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionFalse, Reason: UnknownContainerStatuses}
	completed := corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionTrue, Reason: PodCompleted}

	noInit := condSpec(nil, "app")
	twoInit := condSpec([]corev1.Container{{Name: "a"}, {Name: "b"}}, "app")
	sidecar := condSpec([]corev1.Container{restartableInit("proxy")}, "app")

	notStarted := runningState("proxy")
	notStarted.Started = ptr(false)
	startedNotReady := startedState("proxy")

	runConditionCases(t, []conditionCase{
		{name: "no init containers, no statuses", spec: noInit, phase: corev1.PodPending, want: sameCond(initialized)},
		{name: "init containers, no statuses", spec: twoInit, phase: corev1.PodPending, want: sameCond(unknownStatuses)},
		{name: "init containers, only regular statuses", spec: twoInit, regular: cs(waitingState("app")), phase: corev1.PodPending,
			// 1.33 gets init and regular statuses together: not nil.
			want: conds(unknownStatuses, notInitialized("containers with unknown status: [a b]"))},
		{name: "all init containers done", spec: twoInit, init: cs(initDone("a"), initDone("b")), phase: corev1.PodPending, want: sameCond(initialized)},
		{name: "second init container running", spec: twoInit, init: cs(initDone("a"), runningState("b")), phase: corev1.PodPending,
			want: sameCond(notInitialized("containers with incomplete status: [b]"))},
		{name: "both init containers incomplete", spec: twoInit, init: cs(runningState("a"), waitingState("b")), phase: corev1.PodPending,
			want: sameCond(notInitialized("containers with incomplete status: [a b]"))},
		{name: "unknown and incomplete", spec: twoInit, init: cs(runningState("a")), phase: corev1.PodPending,
			want: sameCond(notInitialized("containers with unknown status: [b], containers with incomplete status: [a]"))},
		{name: "succeeded, all known", spec: twoInit, init: cs(runningState("a"), waitingState("b")), phase: corev1.PodSucceeded, want: sameCond(completed)},
		{name: "succeeded with an unknown init container", spec: twoInit, init: cs(initDone("a")), phase: corev1.PodSucceeded,
			want: sameCond(notInitialized("containers with unknown status: [b]"))},
		{name: "terminated init container that was never marked ready", spec: twoInit, init: cs(succeededState("a"), initDone("b")), phase: corev1.PodPending,
			want: sameCond(notInitialized("containers with incomplete status: [a]"))},
		{name: "sidecar started, not ready", spec: sidecar, init: cs(startedNotReady), regular: cs(waitingState("app")), phase: corev1.PodPending,
			// 1.25 has no sidecars: an init container must be Ready.
			want: conds(notInitialized("containers with incomplete status: [proxy]"), initialized)},
		{name: "sidecar running, not started", spec: sidecar, init: cs(notStarted), regular: cs(waitingState("app")), phase: corev1.PodPending,
			want: cond33(notInitialized("containers with incomplete status: [proxy]"))},
		{name: "regular container ran, so the pod initialized before", spec: twoInit, init: cs(initDone("a"), waitingStateWithNonZeroTermination("b")),
			regular: cs(runningState("app")), phase: corev1.PodRunning,
			want: conds(notInitialized("containers with incomplete status: [b]"), initialized)},
		{name: "restarting sidecar after the app ran", spec: sidecar, init: cs(waitingStateWithNonZeroTermination("proxy")),
			regular: cs(stoppedState("app")), phase: corev1.PodRunning, want: cond33(initialized)},
	}, func(tc conditionCase, r Rules) corev1.PodCondition {
		return InitializedCondition(tc.spec, tc.init, tc.regular, tc.phase, r)
	})
}

func TestContainersReadyCondition(t *testing.T) {
	ready := corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionTrue}
	notReady := func(msg string) corev1.PodCondition {
		return corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionFalse, Reason: ContainersNotReady, Message: msg}
	}
	unknownStatuses := corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionFalse, Reason: UnknownContainerStatuses}
	completed := corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionFalse, Reason: PodCompleted}
	failed := corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionFalse, Reason: PodFailed}

	two := condSpec(nil, "a", "b")
	sidecar := condSpec([]corev1.Container{{Name: "init"}, restartableInit("proxy")}, "app")

	runConditionCases(t, []conditionCase{
		{name: "no statuses", spec: two, phase: corev1.PodPending, want: sameCond(unknownStatuses)},
		{name: "empty, not nil, statuses", spec: two, regular: []corev1.ContainerStatus{}, phase: corev1.PodPending,
			// 1.33's append(nil init statuses, no regular statuses...) is nil.
			want: conds(notReady("containers with unknown status: [a b]"), unknownStatuses)},
		{name: "all ready", spec: two, regular: cs(readyStatus("a"), readyStatus("b")), phase: corev1.PodRunning, want: sameCond(ready)},
		{name: "one unready", spec: two, regular: cs(readyStatus("a"), runningState("b")), phase: corev1.PodRunning,
			want: sameCond(notReady("containers with unready status: [b]"))},
		{name: "unknown and unready", spec: two, regular: cs(runningState("a")), phase: corev1.PodRunning,
			want: sameCond(notReady("containers with unknown status: [b], containers with unready status: [a]"))},
		{name: "succeeded", spec: two, regular: cs(succeededState("a"), succeededState("b")), phase: corev1.PodSucceeded, want: sameCond(completed)},
		{name: "succeeded with an unknown container", spec: two, regular: cs(succeededState("a")), phase: corev1.PodSucceeded,
			want: sameCond(notReady("containers with unknown status: [b], containers with unready status: [a]"))},
		{name: "failed, even with ready and unknown containers", spec: two, regular: cs(readyStatus("a")), phase: corev1.PodFailed, want: sameCond(failed)},
		{name: "only init statuses", spec: two, init: cs(initDone("x")), phase: corev1.PodPending,
			want: conds(unknownStatuses, notReady("containers with unknown status: [a b]"))},
		{name: "unready sidecar comes first", spec: sidecar, init: cs(initDone("init"), startedState("proxy")), regular: cs(runningState("app")), phase: corev1.PodRunning,
			want: conds(notReady("containers with unready status: [app]"), notReady("containers with unready status: [proxy app]"))},
		{name: "sidecar unready, app ready", spec: sidecar, init: cs(initDone("init"), startedState("proxy")), regular: cs(readyStatus("app")), phase: corev1.PodRunning,
			want: conds(ready, notReady("containers with unready status: [proxy]"))},
		{name: "sidecar without status", spec: sidecar, init: cs(initDone("init")), regular: cs(readyStatus("app")), phase: corev1.PodRunning,
			want: conds(ready, notReady("containers with unknown status: [proxy]"))},
		{name: "sidecar and app ready; a regular init container is not judged", spec: sidecar,
			init: cs(failedState("init"), readyStatus("proxy")), regular: cs(readyStatus("app")), phase: corev1.PodRunning, want: sameCond(ready)},
	}, func(tc conditionCase, r Rules) corev1.PodCondition {
		return ContainersReadyCondition(tc.spec, tc.init, tc.regular, tc.phase, r)
	})
}

func TestReadyCondition(t *testing.T) {
	ready := corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionTrue}
	gatesNotReady := func(msg string) corev1.PodCondition {
		return corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: ReadinessGatesNotReady, Message: msg}
	}
	withGates := func(gates ...corev1.PodConditionType) *corev1.PodSpec {
		spec := condSpec(nil, "a")
		for _, g := range gates {
			spec.ReadinessGates = append(spec.ReadinessGates, corev1.PodReadinessGate{ConditionType: g})
		}
		return spec
	}
	upA := cs(readyStatus("a"))

	runConditionCases(t, []conditionCase{
		{name: "no statuses mirrors ContainersReady", spec: withGates(), phase: corev1.PodPending,
			want: sameCond(corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: UnknownContainerStatuses})},
		{name: "unready container mirrors ContainersReady", spec: withGates("g1"), regular: cs(runningState("a")), phase: corev1.PodRunning,
			want: sameCond(corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: ContainersNotReady,
				Message: "containers with unready status: [a]"})},
		{name: "succeeded", spec: withGates(), regular: cs(succeededState("a")), phase: corev1.PodSucceeded,
			want: sameCond(corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: PodCompleted})},
		{name: "failed", spec: withGates(), regular: upA, phase: corev1.PodFailed,
			want: sameCond(corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: PodFailed})},
		{name: "ready without gates", spec: withGates(), regular: upA, phase: corev1.PodRunning, want: sameCond(ready)},
		{name: "gate condition missing", spec: withGates("g1"), regular: upA, phase: corev1.PodRunning,
			want: sameCond(gatesNotReady(`corresponding condition of pod readiness gate "g1" does not exist.`))},
		{name: "gate condition false", spec: withGates("g1"), regular: upA, phase: corev1.PodRunning,
			conditions: []corev1.PodCondition{{Type: "g1", Status: corev1.ConditionFalse}},
			want:       sameCond(gatesNotReady(`the status of pod readiness gate "g1" is not "True", but False`))},
		{name: "gate condition unknown", spec: withGates("g1"), regular: upA, phase: corev1.PodRunning,
			conditions: []corev1.PodCondition{{Type: "g1", Status: corev1.ConditionUnknown}},
			want:       sameCond(gatesNotReady(`the status of pod readiness gate "g1" is not "True", but Unknown`))},
		{name: "two unmet gates", spec: withGates("g1", "g2", "g3"), regular: upA, phase: corev1.PodRunning,
			conditions: []corev1.PodCondition{{Type: "g2", Status: corev1.ConditionTrue}, {Type: "g3", Status: corev1.ConditionFalse}},
			want: sameCond(gatesNotReady(`corresponding condition of pod readiness gate "g1" does not exist., ` +
				`the status of pod readiness gate "g3" is not "True", but False`))},
		{name: "all gates true", spec: withGates("g1", "g2"), regular: upA, phase: corev1.PodRunning,
			conditions: []corev1.PodCondition{{Type: "g2", Status: corev1.ConditionTrue}, {Type: "g1", Status: corev1.ConditionTrue}},
			want:       sameCond(ready)},
		{name: "first condition of the type decides", spec: withGates("g1"), regular: upA, phase: corev1.PodRunning,
			conditions: []corev1.PodCondition{{Type: "g1", Status: corev1.ConditionFalse}, {Type: "g1", Status: corev1.ConditionTrue}},
			want:       sameCond(gatesNotReady(`the status of pod readiness gate "g1" is not "True", but False`))},
		{name: "unready sidecar holds Ready in 1.33", spec: condSpec([]corev1.Container{restartableInit("proxy")}, "a"),
			init: cs(startedState("proxy")), regular: upA, phase: corev1.PodRunning,
			want: conds(ready, corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: ContainersNotReady,
				Message: "containers with unready status: [proxy]"})},
	}, func(tc conditionCase, r Rules) corev1.PodCondition {
		return ReadyCondition(tc.spec, tc.conditions, tc.init, tc.regular, tc.phase, r)
	})
}
