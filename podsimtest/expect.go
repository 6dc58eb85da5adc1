package podsimtest

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/scenarios"
)

// Expectation is a check of the cluster at a moment: a pod's state
// ([Pod]), a Service's endpoints ([Endpoints]) or the watch so far. Its
// fields are those of the scenario format's expect entries
// (scenarios.ExpectDoc), so a check written in Go and one written in a file
// say the same and fail with the same diff.
type Expectation interface {
	Doc() scenarios.ExpectDoc
}

// PodExpectation is the expected state of a pod; each method sets one
// field and returns the expectation, so they chain:
//
//	podsimtest.Pod("web").Ready("1/1").Restarts(0)
type PodExpectation struct{ doc scenarios.ExpectDoc }

// Pod starts an expectation about a pod ("name" or "namespace/name").
func Pod(name string) *PodExpectation {
	key := keyOf(name)
	return &PodExpectation{scenarios.ExpectDoc{Namespace: key.Namespace, Pod: key.Name}}
}

// Doc is the expectation in the scenario format.
func (e *PodExpectation) Doc() scenarios.ExpectDoc { return e.doc }

// Phase expects the pod's phase.
func (e *PodExpectation) Phase(p corev1.PodPhase) *PodExpectation { e.doc.Phase = p; return e }

// Status expects kubectl's STATUS column.
func (e *PodExpectation) Status(s string) *PodExpectation { e.doc.Status = s; return e }

// Ready expects kubectl's READY column, such as "1/1".
func (e *PodExpectation) Ready(r string) *PodExpectation { e.doc.Ready = r; return e }

// Restarts expects the restarts of all containers together.
func (e *PodExpectation) Restarts(n int32) *PodExpectation { e.doc.Restarts = &n; return e }

// Gone expects the pod to be deleted (or, with false, to exist).
func (e *PodExpectation) Gone(gone bool) *PodExpectation { e.doc.Gone = &gone; return e }

// Condition expects a pod condition's status.
func (e *PodExpectation) Condition(t corev1.PodConditionType, s corev1.ConditionStatus) *PodExpectation {
	if e.doc.Conditions == nil {
		e.doc.Conditions = map[string]scenarios.ConditionExpect{}
	}
	e.doc.Conditions[string(t)] = scenarios.ConditionExpect{Status: s}
	return e
}

// Container expects the state of one container; build it with [Running],
// [Waiting] or [Terminated] and its methods.
func (e *PodExpectation) Container(name string, c *ContainerExpectation) *PodExpectation {
	if e.doc.Containers == nil {
		e.doc.Containers = map[string]scenarios.ContainerExpect{}
	}
	e.doc.Containers[name] = c.doc
	return e
}

// Event expects an event about the pod with this reason; a message, if
// given, must match too.
func (e *PodExpectation) Event(reason string, message ...string) *PodExpectation {
	ev := scenarios.EventExpect{Reason: reason}
	if len(message) > 0 {
		ev.Message = ptr.To(strings.Join(message, " "))
	}
	e.doc.Events = append(e.doc.Events, ev)
	return e
}

// ContainerExpectation is the expected state of one container.
type ContainerExpectation struct{ doc scenarios.ContainerExpect }

// Running expects a running container.
func Running() *ContainerExpectation {
	return &ContainerExpectation{scenarios.ContainerExpect{State: "running"}}
}

// Waiting expects a waiting container with this reason ("CrashLoopBackOff").
func Waiting(reason string) *ContainerExpectation {
	return &ContainerExpectation{scenarios.ContainerExpect{State: "waiting", Reason: &reason}}
}

// Terminated expects a terminated container with this exit code.
func Terminated(exitCode int32) *ContainerExpectation {
	return &ContainerExpectation{scenarios.ContainerExpect{State: "terminated", ExitCode: &exitCode}}
}

// Ready expects the container's ready flag.
func (c *ContainerExpectation) Ready(r bool) *ContainerExpectation { c.doc.Ready = &r; return c }

// RestartCount expects the container's restart count.
func (c *ContainerExpectation) RestartCount(n int32) *ContainerExpectation {
	c.doc.RestartCount = &n
	return c
}

// LastExitCode expects the exit code of the container's last termination.
func (c *ContainerExpectation) LastExitCode(code int32) *ContainerExpectation {
	c.doc.LastState, c.doc.LastExitCode = "terminated", &code
	return c
}

// EndpointsExpectation is the expected endpoints of a Service.
type EndpointsExpectation struct{ doc scenarios.ExpectDoc }

// Endpoints expects a Service ("name" or "namespace/name") to have ready
// and not-ready endpoints in these numbers.
func Endpoints(service string, ready, notReady int) *EndpointsExpectation {
	key := keyOf(service)
	return &EndpointsExpectation{scenarios.ExpectDoc{Namespace: key.Namespace, Service: key.Name, ReadyEndpoints: &ready, NotReadyEndpoints: &notReady}}
}

// Doc is the expectation in the scenario format.
func (e *EndpointsExpectation) Doc() scenarios.ExpectDoc { return e.doc }

// Expect runs the cluster to time at and checks each expectation there.
// Each miss is a test error with a -want +got diff in YAML, such as
//
//	pod "web" at 30s (-want +got):
//	  phase: Running
//	- ready: 0/1
//	+ ready: 1/1
func (c *Cluster) Expect(at time.Duration, es ...Expectation) {
	c.t.Helper()
	c.RunUntil(at)
	for _, e := range es {
		doc := e.Doc()
		diff, err := scenarios.Check(c.Cluster, doc)
		what := fmt.Sprintf("pod %q", doc.Pod)
		if doc.Service != "" {
			what = fmt.Sprintf("endpoints of service %q", doc.Service)
		}
		switch {
		case err != nil:
			c.t.Errorf("%s at %v: %v", what, at, err)
		case diff != "":
			c.t.Errorf("%s at %v (-want +got):\n%s", what, at, strings.TrimRight(diff, "\n"))
		}
	}
}

// ExpectWatch compares the watch so far (`kubectl get pods -w` from time
// zero) with a table in that form; a header line is optional. Lines must
// match in order with identical ages. A miss is one test error listing
// each differing line; lines are aligned by longest common subsequence,
// so one missing line is one line of the report.
func (c *Cluster) ExpectWatch(table string) {
	c.t.Helper()
	c.expectWatch(scenarios.ExpectDoc{Watch: table})
}

// ExpectWatchWithin is ExpectWatch with ages exact only for the first
// exact lines and within tol after them, for runs whose later times
// follow the kubelet's jittered retries.
func (c *Cluster) ExpectWatchWithin(table string, exact int, tol time.Duration) {
	c.t.Helper()
	c.expectWatch(scenarios.ExpectDoc{Watch: table, ExactLines: &exact, Tolerance: &scenarios.Duration{Duration: tol}})
}

func (c *Cluster) expectWatch(doc scenarios.ExpectDoc) {
	c.t.Helper()
	diff, err := scenarios.Check(c.Cluster, doc)
	switch {
	case err != nil:
		c.t.Errorf("watch: %v", err)
	case diff != "":
		c.t.Errorf("watch at %v:\n%s", c.Now(), diff)
	}
}

// RunScenario loads a scenario file, runs it and checks its expectations,
// as `podsim test` does; each failed one is a test error with its file,
// line and diff. A file that does not load, or a run that stops with an
// error, fails the test at once. It returns the cluster at the end of the
// run, to ask more of.
func RunScenario(t TB, path string, opts ...scenarios.Options) *Cluster {
	t.Helper()
	s, err := scenarios.Load(path)
	if err != nil {
		t.Fatalf("%v", err)
		return nil
	}
	var o scenarios.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	failures, c, err := s.Test(o)
	if err != nil {
		t.Fatalf("%v", err)
		return nil
	}
	for _, f := range failures {
		t.Errorf("%s", f)
	}
	return Wrap(t, c)
}
