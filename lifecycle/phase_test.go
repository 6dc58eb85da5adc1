package lifecycle

import (
	"fmt"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

// Status constructors named after kubelet_pods_test.go's helpers.

func runningState(name string) corev1.ContainerStatus {
	return corev1.ContainerStatus{Name: name, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}
}

func startedState(name string) corev1.ContainerStatus {
	s := runningState(name)
	s.Started = ptr(true)
	return s
}

func stoppedState(name string) corev1.ContainerStatus {
	return corev1.ContainerStatus{Name: name, State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{}}}
}

func succeededState(name string) corev1.ContainerStatus {
	return corev1.ContainerStatus{Name: name, State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 0}}}
}

func failedState(name string) corev1.ContainerStatus {
	return corev1.ContainerStatus{Name: name, State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: -1}}}
}

func waitingState(name string) corev1.ContainerStatus {
	return corev1.ContainerStatus{Name: name, State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{}}}
}

func waitingStateWithLastTermination(name string) corev1.ContainerStatus {
	s := waitingState(name)
	s.LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 0}}
	return s
}

func waitingStateWithNonZeroTermination(name string) corev1.ContainerStatus {
	s := waitingState(name)
	s.LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: -1}}
	return s
}

func cs(s ...corev1.ContainerStatus) []corev1.ContainerStatus { return s }

type phaseCase struct {
	name     string
	spec     *corev1.PodSpec
	init     []corev1.ContainerStatus
	regular  []corev1.ContainerStatus
	terminal bool // podIsTerminal
	// started is podHasInitialized: what the 1.33 kubelet passes, i.e.
	// whether a regular container has run in the current sandbox.
	started bool
	want    map[int]corev1.PodPhase // by minor version
}

func phases(p25, p33 corev1.PodPhase) map[int]corev1.PodPhase {
	return map[int]corev1.PodPhase{25: p25, 33: p33}
}

func same(p corev1.PodPhase) map[int]corev1.PodPhase { return phases(p, p) }

func phase33(p corev1.PodPhase) map[int]corev1.PodPhase { return map[int]corev1.PodPhase{33: p} }

func runPhaseCases(t *testing.T, cases []phaseCase) {
	t.Helper()
	for _, tc := range cases {
		minors := make([]int, 0, len(tc.want))
		for m := range tc.want {
			minors = append(minors, m)
		}
		sort.Ints(minors)
		for _, minor := range minors {
			t.Run(fmt.Sprintf("%s/1.%d", tc.name, minor), func(t *testing.T) {
				got := PodPhase(tc.spec, tc.init, tc.regular, tc.terminal, tc.started, RulesFor(minor))
				require.Equal(t, tc.want[minor], got)
			})
		}
	}
}

func phaseSpec(policy corev1.RestartPolicy, init ...corev1.Container) *corev1.PodSpec {
	return &corev1.PodSpec{
		RestartPolicy:  policy,
		InitContainers: init,
		Containers:     []corev1.Container{{Name: "containerA"}, {Name: "containerB"}},
	}
}

const (
	a = "containerA"
	b = "containerB"
	x = "containerX"
	y = "containerY"
)

// TestPodPhaseRestartAlways: kubelet_pods_test.go TestPodPhaseWithRestartAlways
// and TestPodPhaseWithRestartAlwaysInitContainers.
func TestPodPhaseRestartAlways(t *testing.T) {
	spec := phaseSpec(corev1.RestartPolicyAlways)
	initSpec := phaseSpec(corev1.RestartPolicyAlways, corev1.Container{Name: x})
	runPhaseCases(t, []phaseCase{
		{name: "waiting", spec: spec, want: same(corev1.PodPending)},
		{name: "all running", spec: spec, regular: cs(runningState(a), runningState(b)), started: true, want: same(corev1.PodRunning)},
		{name: "all stopped with restart always", spec: spec, regular: cs(stoppedState(a), stoppedState(b)), started: true, want: same(corev1.PodRunning)},
		{name: "all succeeded with restart always, but the pod is terminal", spec: spec, regular: cs(succeededState(a), succeededState(b)),
			terminal: true, started: true, want: phases(corev1.PodRunning, corev1.PodSucceeded)},
		{name: "all stopped with restart always, but the pod is terminal", spec: spec, regular: cs(succeededState(a), failedState(b)),
			terminal: true, started: true, want: phases(corev1.PodRunning, corev1.PodFailed)},
		{name: "mixed state #1 with restart always", spec: spec, regular: cs(runningState(a), stoppedState(b)), started: true, want: same(corev1.PodRunning)},
		{name: "mixed state #2 with restart always", spec: spec, regular: cs(runningState(a)), started: true, want: same(corev1.PodPending)},
		{name: "mixed state #3 with restart always", spec: spec, regular: cs(runningState(a), waitingState(b)), started: true, want: same(corev1.PodPending)},
		{name: "backoff crashloop container with restart always", spec: spec, regular: cs(runningState(a), waitingStateWithLastTermination(b)),
			started: true, want: same(corev1.PodRunning)},

		{name: "init: empty, waiting", spec: initSpec, want: same(corev1.PodPending)},
		{name: "init: container running", spec: initSpec, init: cs(runningState(x)), want: same(corev1.PodPending)},
		{name: "init: container terminated non-zero", spec: initSpec, init: cs(failedState(x)), want: same(corev1.PodPending)},
		{name: "init: container waiting, terminated zero", spec: initSpec, init: cs(waitingStateWithLastTermination(x)), want: same(corev1.PodPending)},
		{name: "init: container waiting, terminated non-zero", spec: initSpec, init: cs(waitingStateWithNonZeroTermination(x)), want: same(corev1.PodPending)},
		{name: "init: container waiting, not terminated", spec: initSpec, init: cs(waitingState(x)), want: same(corev1.PodPending)},
		{name: "init: all containers succeeded, main running", spec: initSpec, init: cs(succeededState(x)),
			regular: cs(runningState(a), runningState(b)), started: true, want: same(corev1.PodRunning)},
	})
}

// TestPodPhaseRestartAlwaysSidecars: kubelet_pods_test.go
// TestPodPhaseWithRestartAlwaysRestartableInitContainers and
// TestPodPhaseWithRestartAlwaysAndPodHasRun. 1.25 has no sidecars; where a
// 1.25 column is given, the init container is an ordinary one.
func TestPodPhaseRestartAlwaysSidecars(t *testing.T) {
	spec := phaseSpec(corev1.RestartPolicyAlways, restartableInit(x))
	runPhaseCases(t, []phaseCase{
		{name: "empty, waiting", spec: spec, want: same(corev1.PodPending)},
		{name: "restartable init container running", spec: spec, init: cs(runningState(x)), want: same(corev1.PodPending)},
		{name: "restartable init container stopped", spec: spec, init: cs(stoppedState(x)), want: phase33(corev1.PodPending)},
		{name: "restartable init container waiting, terminated zero", spec: spec, init: cs(waitingStateWithLastTermination(x)), want: phase33(corev1.PodPending)},
		{name: "restartable init container waiting, terminated non-zero", spec: spec, init: cs(waitingStateWithNonZeroTermination(x)), want: phase33(corev1.PodPending)},
		{name: "restartable init container waiting, not terminated", spec: spec, init: cs(waitingState(x)), want: phase33(corev1.PodPending)},
		{name: "restartable init container started, 1/2 regular container running", spec: spec, init: cs(startedState(x)),
			regular: cs(runningState(a)), started: true, want: phase33(corev1.PodPending)},
		{name: "restartable init container started, all regular containers running", spec: spec, init: cs(startedState(x)),
			regular: cs(runningState(a), runningState(b)), started: true,
			// 1.25 sees a running ordinary init container: still initializing.
			want: phases(corev1.PodPending, corev1.PodRunning)},
		{name: "restartable init container running, all regular containers running", spec: spec, init: cs(runningState(x)),
			regular: cs(runningState(a), runningState(b)), started: true, want: phase33(corev1.PodRunning)},
		{name: "restartable init container stopped, all regular containers running", spec: spec, init: cs(stoppedState(x)),
			regular: cs(runningState(a), runningState(b)), started: true, want: phase33(corev1.PodRunning)},
		{name: "backoff crashloop restartable init container, all regular containers running", spec: spec, init: cs(waitingStateWithLastTermination(x)),
			regular: cs(runningState(a), runningState(b)), started: true, want: phase33(corev1.PodRunning)},
		{name: "backoff crashloop with non-zero restartable init container, main containers succeeded", spec: spec, init: cs(failedState(x)),
			regular: cs(succeededState(a), succeededState(b)), terminal: true, started: true, want: phase33(corev1.PodSucceeded)},
		{name: "backoff crashloop with zero restartable init container, main containers succeeded", spec: spec, init: cs(succeededState(x)),
			regular: cs(succeededState(a), succeededState(b)), terminal: true, started: true, want: phase33(corev1.PodSucceeded)},
	})

	hasRun := &corev1.PodSpec{
		RestartPolicy:  corev1.RestartPolicyAlways,
		InitContainers: []corev1.Container{{Name: x}, restartableInit(y)},
		Containers:     []corev1.Container{{Name: a}},
	}
	runPhaseCases(t, []phaseCase{
		{name: "regular init container running while the main container runs", spec: hasRun, init: cs(runningState(x), runningState(y)),
			regular: cs(runningState(a)), started: true, want: phase33(corev1.PodPending)},
		{name: "regular init container running, main container stopped", spec: hasRun, init: cs(runningState(x), runningState(y)),
			regular: cs(stoppedState(a)), started: true, want: phase33(corev1.PodPending)},
		{name: "regular init done, sidecar not started, main container stopped", spec: hasRun, init: cs(succeededState(x), runningState(y)),
			regular: cs(stoppedState(a)), started: true, want: phase33(corev1.PodRunning)},
		{name: "regular init done, sidecar and main container running", spec: hasRun, init: cs(succeededState(x), runningState(y)),
			regular: cs(runningState(a)), started: true, want: phase33(corev1.PodRunning)},
	})
}

// TestPodPhaseRestartNever: kubelet_pods_test.go TestPodPhaseWithRestartNever,
// TestPodPhaseWithRestartNeverInitContainers and
// TestPodPhaseWithRestartNeverRestartableInitContainers.
func TestPodPhaseRestartNever(t *testing.T) {
	spec := phaseSpec(corev1.RestartPolicyNever)
	initSpec := phaseSpec(corev1.RestartPolicyNever, corev1.Container{Name: x})
	sidecarSpec := phaseSpec(corev1.RestartPolicyNever, restartableInit(x))
	runPhaseCases(t, []phaseCase{
		{name: "waiting", spec: spec, want: same(corev1.PodPending)},
		{name: "all running", spec: spec, regular: cs(runningState(a), runningState(b)), started: true, want: same(corev1.PodRunning)},
		{name: "all succeeded with restart never", spec: spec, regular: cs(succeededState(a), succeededState(b)), started: true, want: same(corev1.PodSucceeded)},
		{name: "all failed with restart never", spec: spec, regular: cs(failedState(a), failedState(b)), started: true, want: same(corev1.PodFailed)},
		{name: "mixed state #1 with restart never", spec: spec, regular: cs(runningState(a), succeededState(b)), started: true, want: same(corev1.PodRunning)},
		{name: "mixed state #2 with restart never", spec: spec, regular: cs(runningState(a)), started: true, want: same(corev1.PodPending)},
		{name: "mixed state #3 with restart never", spec: spec, regular: cs(runningState(a), waitingState(b)), started: true, want: same(corev1.PodPending)},

		{name: "init: empty, waiting", spec: initSpec, want: same(corev1.PodPending)},
		{name: "init: container running", spec: initSpec, init: cs(runningState(x)), want: same(corev1.PodPending)},
		{name: "init: container terminated non-zero", spec: initSpec, init: cs(failedState(x)), want: same(corev1.PodFailed)},
		{name: "init: container waiting, terminated zero", spec: initSpec, init: cs(waitingStateWithLastTermination(x)), want: same(corev1.PodPending)},
		{name: "init: container waiting, terminated non-zero", spec: initSpec, init: cs(waitingStateWithNonZeroTermination(x)), want: same(corev1.PodFailed)},
		{name: "init: container waiting, not terminated", spec: initSpec, init: cs(waitingState(x)), want: same(corev1.PodPending)},
		{name: "init: init container succeeded, main running", spec: initSpec, init: cs(succeededState(x)),
			regular: cs(runningState(a), runningState(b)), started: true, want: same(corev1.PodRunning)},

		{name: "sidecar: empty, waiting", spec: sidecarSpec, want: same(corev1.PodPending)},
		{name: "sidecar: running", spec: sidecarSpec, init: cs(runningState(x)), want: phase33(corev1.PodPending)},
		{name: "sidecar: stopped", spec: sidecarSpec, init: cs(stoppedState(x)), want: phase33(corev1.PodPending)},
		{name: "sidecar: waiting, terminated zero", spec: sidecarSpec, init: cs(waitingStateWithLastTermination(x)), want: phase33(corev1.PodPending)},
		{name: "sidecar: waiting, terminated non-zero", spec: sidecarSpec, init: cs(waitingStateWithNonZeroTermination(x)),
			// 1.25 takes it for a failed ordinary init container.
			want: phases(corev1.PodFailed, corev1.PodPending)},
		{name: "sidecar: waiting, not terminated", spec: sidecarSpec, init: cs(waitingState(x)), want: phase33(corev1.PodPending)},
		{name: "sidecar: started, 1/2 regular container running", spec: sidecarSpec, init: cs(startedState(x)),
			regular: cs(runningState(a)), started: true, want: phase33(corev1.PodPending)},
		{name: "sidecar: started, all regular containers succeeded", spec: sidecarSpec, init: cs(startedState(x)),
			regular: cs(succeededState(a), succeededState(b)), started: true, want: phase33(corev1.PodRunning)},
		{name: "sidecar: running, all regular containers succeeded", spec: sidecarSpec, init: cs(runningState(x)),
			regular: cs(succeededState(a), succeededState(b)), started: true, want: phase33(corev1.PodRunning)},
		{name: "sidecar: stopped, all regular containers succeeded", spec: sidecarSpec, init: cs(succeededState(x)),
			regular: cs(succeededState(a), succeededState(b)), started: true, want: phase33(corev1.PodSucceeded)},
		{name: "sidecar: failed, all regular containers succeeded", spec: sidecarSpec, init: cs(failedState(x)),
			regular: cs(succeededState(a), succeededState(b)), started: true,
			// 1.25 takes it for a failed ordinary init container.
			want: phases(corev1.PodFailed, corev1.PodSucceeded)},
		{name: "sidecar: waiting, terminated zero, all regular containers succeeded", spec: sidecarSpec, init: cs(waitingStateWithLastTermination(x)),
			regular: cs(succeededState(a), succeededState(b)), started: true, want: phase33(corev1.PodSucceeded)},
		{name: "sidecar: waiting, terminated non-zero, all regular containers succeeded", spec: sidecarSpec, init: cs(waitingStateWithNonZeroTermination(x)),
			regular: cs(succeededState(a), succeededState(b)), started: true, want: phase33(corev1.PodSucceeded)},
	})
}

// TestPodPhaseRestartOnFailure: kubelet_pods_test.go
// TestPodPhaseWithRestartOnFailure.
func TestPodPhaseRestartOnFailure(t *testing.T) {
	spec := phaseSpec(corev1.RestartPolicyOnFailure)
	runPhaseCases(t, []phaseCase{
		{name: "all running with restart onfailure", spec: spec, regular: cs(runningState(a), runningState(b)), started: true, want: same(corev1.PodRunning)},
		{name: "all succeeded with restart onfailure", spec: spec, regular: cs(succeededState(a), succeededState(b)), started: true, want: same(corev1.PodSucceeded)},
		{name: "all failed with restart onfailure", spec: spec, regular: cs(failedState(a), failedState(b)), started: true, want: same(corev1.PodRunning)},
		{name: "all failed with restart onfailure, but the pod is terminal", spec: spec, regular: cs(failedState(a), failedState(b)),
			terminal: true, started: true, want: phases(corev1.PodRunning, corev1.PodFailed)},
		{name: "mixed state #1 with restart onfailure", spec: spec, regular: cs(runningState(a), succeededState(b)), started: true, want: same(corev1.PodRunning)},
		{name: "mixed state #2 with restart onfailure", spec: spec, regular: cs(runningState(a)), started: true, want: same(corev1.PodPending)},
		{name: "mixed state #3 with restart onfailure", spec: spec, regular: cs(runningState(a), waitingState(b)), started: true, want: same(corev1.PodPending)},
		{name: "backoff crashloop container with restart onfailure", spec: spec, regular: cs(runningState(a), waitingStateWithLastTermination(b)),
			started: true, want: same(corev1.PodRunning)},
		{name: "crashlooping after failure, not terminal", spec: spec, regular: cs(waitingStateWithNonZeroTermination(a), succeededState(b)),
			started: true, want: same(corev1.PodRunning)},
		{name: "init: failed init container restarts", spec: phaseSpec(corev1.RestartPolicyOnFailure, corev1.Container{Name: x}),
			init: cs(failedState(x)), want: same(corev1.PodPending)},
	})
}

// TestPodPhaseInitializedVersions pins how the versions decide whether a
// pending init container still holds the pod in Pending: 1.29–1.30 let any
// pending init container yield once a regular container has started
// (derived from the statuses); 1.31 keeps a pending regular init container
// Pending; 1.32+ takes podHasInitialized from the caller.
func TestPodPhaseInitializedVersions(t *testing.T) {
	hasRun := &corev1.PodSpec{
		RestartPolicy:  corev1.RestartPolicyAlways,
		InitContainers: []corev1.Container{{Name: x}, restartableInit(y)},
		Containers:     []corev1.Container{{Name: a}},
	}
	sidecar := phaseSpec(corev1.RestartPolicyAlways, restartableInit(x))
	runPhaseCases(t, []phaseCase{
		{name: "regular init running after the main container ran", spec: hasRun, init: cs(runningState(x), runningState(y)),
			regular: cs(runningState(a)), started: true,
			want: map[int]corev1.PodPhase{25: corev1.PodPending, 30: corev1.PodRunning, 31: corev1.PodPending, 33: corev1.PodPending}},
		{name: "regular init running, main stopped", spec: hasRun, init: cs(runningState(x), runningState(y)),
			regular: cs(stoppedState(a)), started: true,
			want: map[int]corev1.PodPhase{30: corev1.PodRunning, 31: corev1.PodPending, 33: corev1.PodPending}},
		{name: "restarting sidecar, sandbox has no regular container yet", spec: sidecar, init: cs(runningState(x)),
			regular: cs(runningState(a), runningState(b)), started: false,
			// 1.30 and 1.31 derive "initialized" from the API statuses.
			want: map[int]corev1.PodPhase{30: corev1.PodRunning, 31: corev1.PodRunning, 32: corev1.PodPending, 33: corev1.PodPending}},
		{name: "restarting sidecar, caller says initialized though statuses show no start", spec: sidecar, init: cs(runningState(x)),
			regular: cs(waitingStateWithLastTermination(a), waitingStateWithLastTermination(b)), started: true,
			want: map[int]corev1.PodPhase{30: corev1.PodPending, 31: corev1.PodPending, 33: corev1.PodRunning}},
		{name: "podIsTerminal is ignored before 1.27", spec: phaseSpec(corev1.RestartPolicyAlways),
			regular: cs(failedState(a), waitingStateWithNonZeroTermination(b)), terminal: true, started: true,
			want: map[int]corev1.PodPhase{25: corev1.PodRunning, 26: corev1.PodRunning, 27: corev1.PodFailed, 33: corev1.PodFailed}},
	})
}

func TestPodPhaseDoesNotModifyArguments(t *testing.T) {
	spec := phaseSpec(corev1.RestartPolicyAlways, restartableInit(x))
	init := make([]corev1.ContainerStatus, 1, 4) // spare capacity an append could write into
	init[0] = startedState(x)
	regular := cs(runningState(a), runningState(b))
	got := PodPhase(spec, init, regular, false, true, RulesFor(33))
	require.Equal(t, corev1.PodRunning, got)
	require.Equal(t, cs(startedState(x), corev1.ContainerStatus{}, corev1.ContainerStatus{}), init[:3])
}
