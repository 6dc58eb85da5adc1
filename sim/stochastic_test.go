package sim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/stochastic"
	"github.com/podsim/podsim/trace"
)

// varyingCluster is a one-node cluster whose image "app" has env.
func varyingCluster(t *testing.T, seed uint64, env sim.ImageEnv) *sim.Cluster {
	t.Helper()
	c, err := sim.New(sim.Config{Seed: seed, CheckInvariants: true, Env: sim.Environment{Images: map[string]sim.ImageEnv{"app": env}}})
	require.NoError(t, err)
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{}))
	return c
}

// readyApp is a pod of image app:1 whose process creates /tmp/ready and
// sleeps, with the given readiness probe.
func readyApp(t *testing.T, c *sim.Cluster, probe corev1.ProbeHandler, main behavior.Script) {
	t.Helper()
	pod := podWith("app", corev1.RestartPolicyAlways, corev1.Container{Name: "app", Image: "app:1",
		ReadinessProbe: &corev1.Probe{ProbeHandler: probe, PeriodSeconds: 2}})
	spec := behavior.Spec{Main: main, Stop: behavior.DieOnStop()}
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": spec}))
}

var (
	touchAndSleep = behavior.Script{behavior.Touch("/tmp/ready"), behavior.Forever(behavior.Sleep(time.Hour))}
	serveAndSleep = behavior.Script{behavior.ServeHTTP(8080, "/", 200), behavior.Listen(8080), behavior.Forever(behavior.Sleep(time.Hour))}
	catReady      = corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/ready"}}}
	httpRoot      = corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Port: intstr.FromInt32(8080), Path: "/"}}
	tcpPort       = corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(8080)}}
	grpcHealth    = corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 8080}}
	grpcAndSleep  = behavior.Script{behavior.ServeGRPC(8080, "", behavior.GRPCServing), behavior.Forever(behavior.Sleep(time.Hour))}
)

// firstReady is when the pod's Ready condition first turned True.
func firstReady(t *testing.T, c *sim.Cluster) time.Duration {
	t.Helper()
	for _, r := range c.Trace().Pods() {
		for _, cond := range r.Pod.Status.Conditions {
			if cond.Type == corev1.PodReady && cond.Status == corev1.ConditionTrue {
				return r.T
			}
		}
	}
	t.Fatal("the pod never became ready")
	return 0
}

// runtimeCauses lists what the runtime recorded for the pod's containers.
func runtimeCauses(c *sim.Cluster) []string {
	var out []string
	for _, r := range c.Trace().All() {
		if r.Op == trace.Runtime {
			out = append(out, r.Cause)
		}
	}
	return out
}

// An application that takes 5 s to start creates its file 5 s after the
// container started, so the readiness probe succeeds later; the runtime
// says so in the trace.
func TestStartTimeDelaysTheEntrypoint(t *testing.T) {
	plain := varyingCluster(t, 1, sim.ImageEnv{})
	readyApp(t, plain, catReady, touchAndSleep)
	run(t, plain, time.Minute)
	slow := varyingCluster(t, 1, sim.ImageEnv{StartTime: stochastic.Constant{Value: 5 * sec}})
	readyApp(t, slow, catReady, touchAndSleep)
	run(t, slow, time.Minute)

	require.Less(t, firstReady(t, plain), 5*sec)
	require.GreaterOrEqual(t, firstReady(t, slow), firstReady(t, plain)+4*sec)
	require.Contains(t, runtimeCauses(slow), "the application takes 5s to start")
	for _, r := range slow.Trace().All() {
		if r.Cause == "the application takes 5s to start" {
			require.Equal(t, &trace.RuntimeAction{Kind: trace.RuntimeAppStart, Duration: 5 * sec}, r.Runtime)
		}
	}
	require.NotContains(t, strings.Join(runtimeCauses(plain), "\n"), "to start")
}

// Draws come from the engine's streams: one seed gives one history,
// another seed another.
func TestStartTimeDrawsFollowTheSeed(t *testing.T) {
	readyAt := func(seed uint64) time.Duration {
		c := varyingCluster(t, seed, sim.ImageEnv{StartTime: stochastic.Uniform{Min: 0, Max: 20 * sec}})
		readyApp(t, c, catReady, touchAndSleep)
		run(t, c, time.Minute)
		return firstReady(t, c)
	}
	require.Equal(t, readyAt(1), readyAt(1))
	seen := map[time.Duration]bool{}
	for seed := range uint64(8) {
		seen[readyAt(seed)] = true
	}
	require.Greater(t, len(seen), 2, "eight seeds gave the same ready times: %v", seen)
}

// A pull time drawn from a distribution is what the Pulled event reports.
func TestPullTimeIsDrawn(t *testing.T) {
	c := varyingCluster(t, 1, sim.ImageEnv{PullTime: stochastic.Constant{Value: 7 * sec}, Pulls: nil})
	readyApp(t, c, catReady, touchAndSleep)
	run(t, c, time.Minute)
	var pulled []string
	for _, e := range c.Events() {
		if e.Reason == "Pulled" {
			pulled = append(pulled, e.Message)
		}
	}
	require.Equal(t, []string{`Successfully pulled image "app:1" in 7s (7s including waiting). Image size: 4194304 bytes.`}, pulled)
}

// unhealthy lists the messages of the pod's Unhealthy events.
func unhealthy(c *sim.Cluster) []string {
	var out []string
	for _, e := range c.Events() {
		if e.Reason == "Unhealthy" {
			out = append(out, e.Message)
		}
	}
	return out
}

// A probe whose answer takes longer than timeoutSeconds (1 s by default)
// fails as a timeout, in the words of each handler's client; a shorter
// latency only delays the answer.
func TestProbeLatency(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler corev1.ProbeHandler
		main    behavior.Script
		want    string
	}{
		{"exec", catReady, touchAndSleep, `Readiness probe failed: command "cat /tmp/ready" timed out`},
		{"http", httpRoot, serveAndSleep, `Readiness probe failed: Get "http://10.244.0.2:8080/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`},
		{"tcp", tcpPort, serveAndSleep, `Readiness probe failed: dial tcp 10.244.0.2:8080: i/o timeout`},
		{"grpc", grpcHealth, grpcAndSleep, `Readiness probe failed: timeout: health rpc did not complete within 1s`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			slow := varyingCluster(t, 1, sim.ImageEnv{ProbeLatency: stochastic.Constant{Value: 1500 * time.Millisecond}})
			readyApp(t, slow, tc.handler, tc.main)
			run(t, slow, 20*sec)
			require.NotEmpty(t, unhealthy(slow))
			require.Equal(t, tc.want, unhealthy(slow)[0])
			require.Equal(t, corev1.ConditionFalse, podCondition(slow, corev1.PodReady))

			plain := varyingCluster(t, 1, sim.ImageEnv{})
			readyApp(t, plain, tc.handler, tc.main)
			run(t, plain, 20*sec)
			quick := varyingCluster(t, 1, sim.ImageEnv{ProbeLatency: stochastic.Constant{Value: 400 * time.Millisecond}})
			readyApp(t, quick, tc.handler, tc.main)
			run(t, quick, 20*sec)
			require.Empty(t, unhealthy(quick))
			require.Greater(t, firstReady(t, quick), firstReady(t, plain))
		})
	}
}

func podCondition(c *sim.Cluster, typ corev1.PodConditionType) corev1.ConditionStatus {
	for _, cond := range c.Pod("default", "app").Status.Conditions {
		if cond.Type == typ {
			return cond.Status
		}
	}
	return ""
}

// A distribution whose parameters make no sense is refused when the
// cluster is made, naming the image and the field.
func TestBadDistributionIsRefused(t *testing.T) {
	_, err := sim.New(sim.Config{Env: sim.Environment{Images: map[string]sim.ImageEnv{
		"app": {ProbeLatency: stochastic.LogNormal{Median: time.Second}},
	}}})
	require.EqualError(t, err, `images[app].probeLatency: sigma: Invalid value: "0": must be a number greater than 0`)
}

// The trace header shows the distributions, so a trace says how it was made.
func TestTraceHeaderShowsDistributions(t *testing.T) {
	c := varyingCluster(t, 1, sim.ImageEnv{StartTime: stochastic.Uniform{Min: 0, Max: 2 * sec}})
	var b strings.Builder
	require.NoError(t, trace.WriteJSONL(&b, c.Trace(), c.Profile().Lifecycle))
	header, _, _ := strings.Cut(b.String(), "\n")
	require.Contains(t, header, `"startTime":"uniform{min: 0s, max: 2s}"`)
}
