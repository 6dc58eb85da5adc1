package podsimtest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/podsimtest"
	"github.com/podsim/podsim/sim"
)

// recorder is a TB that keeps the failures, to test what podsimtest
// reports; Fatalf ends the function under test by panicking.
type recorder struct {
	errors []string
	fatal  bool
}

type stop struct{}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.fatal = true
	panic(stop{})
}
func (r *recorder) FailNow() { r.fatal = true; panic(stop{}) }

// run calls f with a recorder and returns it once f ends, normally or by
// a fatal failure.
func run(f func(t podsimtest.TB)) (r *recorder) {
	r = &recorder{}
	defer func() {
		if p := recover(); p != nil {
			if _, ok := p.(stop); !ok {
				panic(p)
			}
		}
	}()
	f(r)
	return r
}

func TestFailures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		do    func(t podsimtest.TB)
		fatal bool
		want  string
	}{
		{"unsupported version", func(t podsimtest.TB) { podsimtest.NewCluster(t, podsimtest.Version("1.20")) },
			true, `podsimtest.NewCluster: kubernetes version "1.20" is not supported`},
		{"duplicate node", func(t podsimtest.TB) { podsimtest.NewCluster(t, podsimtest.Node("a"), podsimtest.Node("a")) },
			true, `podsimtest.NewCluster: node "a": node "a" already exists`},
		{"bad manifest", func(t podsimtest.TB) { podsimtest.ParsePod(t, "spec: {containerz: []}") },
			true, `podsimtest.ParsePod: error unmarshaling JSON`},
		{"unreadable command", func(t podsimtest.TB) {
			c := podsimtest.NewCluster(t)
			c.CreatePod(podsimtest.ParsePod(t, `
metadata: {name: p}
spec: {containers: [{name: app, image: example.com/app, command: [/app/server]}]}`), nil)
		}, true, `create pod "p": pod default/p: container "app": `},
		{"never happened", func(t podsimtest.TB) {
			c := podsimtest.NewCluster(t)
			c.RunUntil(time.Second)
			require.Equal(t, time.Duration(-1), c.FirstTime(podsimtest.PodReady("web")))
		}, false, `by 1s, never: pod "web" Ready`},
		{"no such pod", func(t podsimtest.TB) { podsimtest.NewCluster(t).RestartCount("web") },
			true, `at 0s: no pod "web"`},
		{"action in the past", func(t podsimtest.TB) {
			c := podsimtest.NewCluster(t)
			c.RunUntil(time.Minute)
			c.At(time.Second, func(*sim.Cluster) error { return nil })
		}, true, `action at 1s: the simulation is already at 1m0s`},
		{"bad ready count", func(t podsimtest.TB) {
			podsimtest.NewCluster(t).Expect(0, podsimtest.Pod("web").Ready("ready"))
		}, false, `pod "web" at 0s: ready: Invalid value: "ready"`},
		{"endpoints of a missing service", func(t podsimtest.TB) {
			podsimtest.NewCluster(t).Expect(0, podsimtest.Endpoints("web", 1, 0))
		}, false, "endpoints of service \"web\" at 0s (-want +got):\n- readyEndpoints: 1\n+ readyEndpoints: 0"},
		{"missing scenario file", func(t podsimtest.TB) { podsimtest.RunScenario(t, "no-such-file.yaml") },
			true, "no-such-file.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(tc.do)
			require.Equal(t, tc.fatal, r.fatal, "fatal; errors: %q", r.errors)
			require.NotEmpty(t, r.errors)
			require.Contains(t, r.errors[0], tc.want)
		})
	}
}

func TestRunScenarioReportsEachFailedExpectation(t *testing.T) {
	file := filepath.Join(t.TempDir(), "wrong.yaml")
	require.NoError(t, os.WriteFile(file, []byte(`apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: nginx
    image: nginx:1.25.2
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 1m
expect:
- at: 30s
  pod: web
  restarts: 9
- at: 40s
  pod: web
  phase: Running
`), 0o644))
	r := run(func(t podsimtest.TB) { podsimtest.RunScenario(t, file) })
	require.False(t, r.fatal)
	require.Equal(t, []string{file + ":13: pod \"web\" at 30s (-want +got):\n- restarts: 9\n+ restarts: 0"}, r.errors)
}

func TestHistoryQueries(t *testing.T) {
	c := podsimtest.NewCluster(t, podsimtest.Version("1.25"), podsimtest.Seed(6))
	c.CreatePod(podsimtest.ParsePod(t, `
metadata: {name: crasher}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, "sleep 5; exit 3"]
`), nil)
	c.RunUntil(3 * time.Minute)
	h := c.History()
	exits := h.Exits("crasher")
	require.GreaterOrEqual(t, len(exits), 4)
	for _, e := range exits {
		require.Equal(t, 3, e.ExitCode)
		require.Empty(t, e.Signal)
	}
	require.Empty(t, h.Signals("crasher"), "nothing was killed")
	backoff, ok := h.FirstTime(podsimtest.PodStatus("crasher", "CrashLoopBackOff"))
	require.True(t, ok)
	// The first exit restarts at once; the second meets the 10 s back-off.
	require.Greater(t, backoff, exits[1].T-time.Millisecond)
	require.Equal(t, h.RestartCount("crasher", backoff), int32(1))
	require.Len(t, h.Times(podsimtest.Exited("crasher")), len(exits))
	require.Nil(t, h.PodAt("crasher", -time.Second))
	require.Equal(t, corev1.PodPending, h.PodAt("crasher", 0).Status.Phase)
	require.False(t, h.Ready("crasher", backoff))
	// Ready, then not: each exit takes the pod's readiness away.
	ready := h.Changes(podsimtest.PodReady("crasher"))
	lost := h.Times(podsimtest.PodNotReady("crasher"))
	require.GreaterOrEqual(t, len(lost), 3)
	for i, at := range lost {
		require.Greater(t, at, ready[i], "lost readiness %d after gaining it", i+1)
		require.Greater(t, at, exits[i].T-time.Millisecond, "after exit %d", i+1)
	}
	first, ok := h.FirstTime(podsimtest.Restarted("crasher", 2))
	require.True(t, ok)
	require.Greater(t, first, backoff)
	require.True(t, strings.HasPrefix(podsimtest.Restarted("crasher", 2).What, `pod "crasher"`))
}
