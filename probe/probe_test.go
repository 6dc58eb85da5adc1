package probe

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/utils/ptr"
)

func execHandler() corev1.ProbeHandler {
	return corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"true"}}}
}

func TestValidate(t *testing.T) {
	path := field.NewPath("spec", "containers").Index(0)
	tests := []struct {
		name  string
		kind  Kind
		probe corev1.Probe
		want  []string
	}{
		{"defaults are valid", Liveness, corev1.Probe{ProbeHandler: execHandler()}, nil},
		{"liveness success threshold", Liveness, corev1.Probe{ProbeHandler: execHandler(), SuccessThreshold: 2},
			[]string{"spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"}},
		{"startup success threshold", Startup, corev1.Probe{ProbeHandler: execHandler(), SuccessThreshold: 3},
			[]string{"spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1"}},
		{"readiness may have success threshold 3", Readiness, corev1.Probe{ProbeHandler: execHandler(), SuccessThreshold: 3}, nil},
		{"negative period", Readiness, corev1.Probe{ProbeHandler: execHandler(), PeriodSeconds: -1},
			[]string{"spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0"}},
		{"negative initial delay", Liveness, corev1.Probe{ProbeHandler: execHandler(), InitialDelaySeconds: -5},
			[]string{"spec.containers[0].livenessProbe.initialDelaySeconds: Invalid value: -5: must be greater than or equal to 0"}},
		{"readiness grace", Readiness, corev1.Probe{ProbeHandler: execHandler(), TerminationGracePeriodSeconds: ptr.To[int64](10)},
			[]string{"spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes"}},
		{"zero probe grace", Liveness, corev1.Probe{ProbeHandler: execHandler(), TerminationGracePeriodSeconds: ptr.To[int64](0)},
			[]string{"spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0"}},
		{"no handler", Liveness, corev1.Probe{},
			[]string{"spec.containers[0].livenessProbe: Required value: must specify a handler type"}},
		{"two handlers", Liveness, corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"true"}}, TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(80)}}},
			[]string{"spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"}},
		{"empty exec", Liveness, corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{}}},
			[]string{"spec.containers[0].livenessProbe.exec.command: Required value"}},
		{"port out of range", Readiness, corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromInt32(70000), Scheme: "HTTP"}}},
			[]string{"spec.containers[0].readinessProbe.httpGet.port: Invalid value: 70000: must be between 1 and 65535, inclusive"}},
		{"bad scheme", Readiness, corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromInt32(80), Scheme: "FTP"}}},
			[]string{`spec.containers[0].readinessProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"`}},
		{"grpc port", Liveness, corev1.Probe{ProbeHandler: corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 0}}},
			[]string{"spec.containers[0].livenessProbe.grpc.port: Invalid value: 0: must be between 1 and 65535, inclusive"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.probe.DeepCopy()
			ApplyDefaults(p)
			var got []string
			for _, e := range Validate(p, tc.kind, path.Child(tc.kind.Field())) {
				got = append(got, e.Error())
			}
			require.Equal(t, tc.want, got)
		})
	}
}

func TestApplyDefaults(t *testing.T) {
	p := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Port: intstr.FromInt32(80)}}}
	ApplyDefaults(p)
	require.EqualValues(t, 1, p.TimeoutSeconds)
	require.EqualValues(t, 10, p.PeriodSeconds)
	require.EqualValues(t, 1, p.SuccessThreshold)
	require.EqualValues(t, 3, p.FailureThreshold)
	require.EqualValues(t, 0, p.InitialDelaySeconds)
	require.Equal(t, "/", p.HTTPGet.Path)
	require.Equal(t, corev1.URISchemeHTTP, p.HTTPGet.Scheme)
}

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func running(id string, started bool, since time.Duration) *corev1.ContainerStatus {
	return &corev1.ContainerStatus{Name: "c", ContainerID: id, Started: ptr.To(started),
		State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(t0.Add(-since))}}}
}

func TestWorkerDecide(t *testing.T) {
	spec := func(k Kind) Spec {
		return Spec{Kind: k, InitialDelaySeconds: 10, Period: 5 * time.Second, SuccessThreshold: 1, FailureThreshold: 3}
	}
	terminated := &corev1.ContainerStatus{Name: "c", ContainerID: "id1", State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1}}}
	tests := []struct {
		name       string
		kind       Kind
		obs        Observation
		want       Decision
		wantStored Result
		stored     bool
	}{
		{"no status yet", Liveness, Observation{}, Wait, 0, false},
		{"pod finished", Readiness, Observation{HasStatus: true, Phase: corev1.PodSucceeded}, Exit, 0, false},
		{"container not created", Readiness, Observation{HasStatus: true, Phase: corev1.PodPending}, Wait, 0, false},
		{"readiness starts Failure, inside the delay", Readiness, Observation{HasStatus: true, Container: running("id1", true, 9500*time.Millisecond), Now: t0}, Wait, Failure, true},
		{"liveness starts Success", Liveness, Observation{HasStatus: true, Container: running("id1", true, 9*time.Second), Now: t0}, Wait, Success, true},
		{"startup starts Unknown", Startup, Observation{HasStatus: true, Container: running("id1", false, 9*time.Second), Now: t0}, Wait, Unknown, true},
		{"delay passed in whole seconds", Liveness, Observation{HasStatus: true, Container: running("id1", true, 10*time.Second), Now: t0}, Probe, Success, true},
		{"liveness waits for started", Liveness, Observation{HasStatus: true, Container: running("id1", false, time.Minute), Now: t0}, Wait, Success, true},
		{"startup stops once started", Startup, Observation{HasStatus: true, Container: running("id1", true, time.Minute), Now: t0}, Wait, Unknown, true},
		{"startup probes before started", Startup, Observation{HasStatus: true, Container: running("id1", false, time.Minute), Now: t0}, Probe, Unknown, true},
		{"deleting: liveness stops quietly", Liveness, Observation{HasStatus: true, Deleting: true, Container: running("id1", true, time.Minute), Now: t0}, Exit, Success, true},
		{"deleting: readiness keeps probing", Readiness, Observation{HasStatus: true, Deleting: true, Container: running("id1", true, time.Minute), Now: t0}, Probe, Failure, true},
		{"not running: Failure, keep going", Readiness, Observation{HasStatus: true, Container: terminated, RestartPolicy: corev1.RestartPolicyAlways}, Wait, Failure, true},
		{"not running, Never: exit", Liveness, Observation{HasStatus: true, Container: terminated, RestartPolicy: corev1.RestartPolicyNever}, Exit, Failure, true},
		{"not running, Never, sidecar: keep going", Liveness, Observation{HasStatus: true, Container: terminated, RestartPolicy: corev1.RestartPolicyNever, RestartableInit: true}, Wait, Failure, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := NewResults()
			s := spec(tc.kind)
			w := NewWorker(&s, RulesFor(33), res)
			require.Equal(t, tc.want, w.Decide(tc.obs))
			got, ok := res.Get("id1")
			require.Equal(t, tc.stored, ok)
			if ok {
				require.Equal(t, tc.wantStored, got)
			}
		})
	}
}

func TestWorkerThresholdsAndHold(t *testing.T) {
	tests := []struct {
		name     string
		kind     Kind
		rules    Rules
		success  int32
		results  []Result
		stored   []Result // stored value after each result
		holdLast bool
	}{
		{"liveness: third failure stored, then hold", Liveness, RulesFor(33), 1,
			[]Result{Failure, Failure, Failure}, []Result{Success, Success, Failure}, true},
		{"a success resets the run", Liveness, RulesFor(33), 1,
			[]Result{Failure, Failure, Success, Failure, Failure}, []Result{Success, Success, Success, Success, Success}, false},
		{"readiness needs successThreshold in a row", Readiness, RulesFor(33), 2,
			[]Result{Success, Failure, Success, Success}, []Result{Failure, Failure, Failure, Success}, false},
		{"readiness never holds", Readiness, RulesFor(33), 1,
			[]Result{Failure, Failure, Failure, Success}, []Result{Failure, Failure, Failure, Success}, false},
		{"startup success holds since 1.29", Startup, RulesFor(33), 1,
			[]Result{Success}, []Result{Success}, true},
		{"startup success did not hold in 1.25", Startup, RulesFor(25), 1,
			[]Result{Success}, []Result{Success}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := NewResults()
			w := NewWorker(&Spec{Kind: tc.kind, Period: time.Second, SuccessThreshold: tc.success, FailureThreshold: 3}, tc.rules, res)
			require.Equal(t, Probe, w.Decide(Observation{HasStatus: true, Container: running("id1", tc.kind != Startup, time.Minute), Now: t0}))
			for i, r := range tc.results {
				w.Record(r)
				got, _ := res.Get("id1")
				require.Equal(t, tc.stored[i], got, "after result %d", i+1)
			}
			require.Equal(t, tc.holdLast, w.OnHold())
			if tc.holdLast {
				require.Equal(t, Wait, w.Decide(Observation{HasStatus: true, Container: running("id1", true, time.Minute), Now: t0}), "held")
				require.NotEqual(t, Wait, w.Decide(Observation{HasStatus: true, Container: running("id2", tc.kind != Startup, time.Minute), Now: t0}), "a new container resumes probing")
			}
		})
	}
}

func TestResultsPublishOnlyChanges(t *testing.T) {
	r := NewResults()
	r.Set("a", Success)
	r.Set("a", Success)
	r.Set("a", Failure)
	r.Remove("a")
	r.Set("a", Failure)
	require.Equal(t, []Update{{"a", Success}, {"a", Failure}, {"a", Failure}}, r.Drain())
	require.Empty(t, r.Drain())
}

func TestOutcomes(t *testing.T) {
	tests := []struct {
		name string
		got  Outcome
		want Outcome
	}{
		{"exec ok", ExecOutcome(0, "fine\n", false, []string{"cat", "/f"}), Outcome{Result: OutcomeSuccess, Output: "fine\n"}},
		{"exec fails with its output", ExecOutcome(1, "cat: /f: No such file or directory\n", false, []string{"cat", "/f"}),
			Outcome{Result: OutcomeFailure, Output: "cat: /f: No such file or directory\n"}},
		{"exec timeout", ExecOutcome(0, "", true, []string{"sleep", "5"}), Outcome{Result: OutcomeFailure, Output: `command "sleep 5" timed out`}},
		{"http 200", HTTPOutcome(&HTTPGet{Port: 8080, Path: "/healthz"}, "10.0.0.1", 200), Outcome{Result: OutcomeSuccess}},
		{"http 302 is a warning", HTTPOutcome(&HTTPGet{Port: 8080, Path: "/"}, "10.0.0.1", 302), Outcome{Result: OutcomeWarning, Output: "Probe terminated redirects, Response body: "}},
		{"http 500", HTTPOutcome(&HTTPGet{Port: 8080, Path: "/"}, "10.0.0.1", 500), Outcome{Result: OutcomeFailure, Output: "HTTP probe failed with statuscode: 500"}},
		{"http refused", HTTPOutcome(&HTTPGet{Port: 8080, Path: "/healthz"}, "10.0.0.1", 0),
			Outcome{Result: OutcomeFailure, Output: `Get "http://10.0.0.1:8080/healthz": dial tcp 10.0.0.1:8080: connect: connection refused`}},
		{"tcp refused", TCPOutcome(&TCPSocket{Port: 5432}, "10.0.0.1", false), Outcome{Result: OutcomeFailure, Output: "dial tcp 10.0.0.1:5432: connect: connection refused"}},
		{"grpc not serving", GRPCOutcome(&GRPC{Port: 9090}, "10.0.0.1", "NOT_SERVING", true, false, time.Second),
			Outcome{Result: OutcomeFailure, Output: `service unhealthy (responded with "NOT_SERVING")`}},
		{"grpc down", GRPCOutcome(&GRPC{Port: 9090}, "10.0.0.1", "", false, false, time.Second),
			Outcome{Result: OutcomeFailure, Output: `timeout: failed to connect service "10.0.0.1:9090" within 1s: context deadline exceeded`}},
		{"grpc serving", GRPCOutcome(&GRPC{Port: 9090}, "10.0.0.1", "SERVING", true, false, time.Second), Outcome{Result: OutcomeSuccess, Output: "service healthy"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { require.Equal(t, tc.want, tc.got) })
	}
	named := HTTPOutcome(&HTTPGet{PortName: "http-metrics"}, "10.0.0.1", 200)
	require.EqualError(t, named.Err, `port "http-metrics" not found`)
}

func TestCompileResolvesNamedPorts(t *testing.T) {
	c := &corev1.Container{Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 8080}}}
	p := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Port: intstr.FromString("http")}}}
	ApplyDefaults(p)
	s := Compile(p, Readiness, c)
	require.Equal(t, 8080, s.Handler.HTTP.Port)
	require.Equal(t, 10*time.Second, s.Period)
	require.True(t, strings.HasPrefix(s.Kind.String(), "Readiness"))
}
