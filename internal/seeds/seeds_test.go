package seeds_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/internal/seeds"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/scenarios"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

// The watch lines of the seed documents (docs/seed-timelines.md).
const (
	watch1a = `
NAME            READY   STATUS              RESTARTS   AGE
initial-delay   0/1     Pending             0          0s
initial-delay   0/1     Pending             0          0s
initial-delay   0/1     ContainerCreating   0          0s
initial-delay   0/1     ContainerCreating   0          1s
initial-delay   0/1     Running             0          2s
initial-delay   1/1     Running             0          35s
initial-delay   0/1     Running             0          55s`
	watch1b = `
NAME       READY   STATUS              RESTARTS        AGE
liveness   0/1     Pending             0               0s
liveness   0/1     Pending             0               0s
liveness   0/1     ContainerCreating   0               0s
liveness   0/1     ContainerCreating   0               0s
liveness   1/1     Running             0               3s
liveness   1/1     Running             1 (2s ago)      77s
liveness   1/1     Running             2 (3s ago)      2m33s
liveness   1/1     Running             3 (4s ago)      3m49s
liveness   1/1     Running             4 (3s ago)      5m3s
liveness   1/1     Running             5 (2s ago)      6m17s
liveness   0/1     CrashLoopBackOff    5 (0s ago)      7m30s
liveness   1/1     Running             6 (85s ago)     8m55s
liveness   0/1     CrashLoopBackOff    6 (0s ago)      10m
liveness   1/1     Running             7 (2m51s ago)   12m`
	watch1d = `
no-sigterm   0/1   Pending             0   0s
no-sigterm   0/1   Pending             0   0s
no-sigterm   0/1   ContainerCreating   0   0s
no-sigterm   0/1   ContainerCreating   0   0s
no-sigterm   1/1   Running             0   3s
no-sigterm   1/1   Terminating         0   10s
no-sigterm   1/1   Terminating         0   70s
no-sigterm   0/1   Terminating         0   71s
no-sigterm   0/1   Terminating         0   71s
no-sigterm   0/1   Terminating         0   71s`
)

// SeedLiveness is the seed of the 1b scenario. The restarts after the
// first CrashLoopBackOff come at the kubelet's jittered resync (60–90 s
// after a sync); this seed draws a resync that lands where the observed
// cluster's did. The lines up to 7m30s do not depend on it.
const SeedLiveness = 87

func runWatch(t *testing.T, s *seeds.Scenario) []scenarios.WatchRow {
	t.Helper()
	c, err := s.Build()
	require.NoError(t, err)
	require.NoError(t, c.RunUntil(s.Until))
	var b strings.Builder
	require.NoError(t, trace.Watch(&b, c.Trace(), trace.WatchOptions{Rules: c.Profile().Lifecycle}))
	rows, err := scenarios.ParseWatch(b.String())
	require.NoError(t, err)
	t.Logf("%s watch:\n%s", s.Name, b.String())
	return rows
}

func TestSeedWatchLines(t *testing.T) {
	tests := []struct {
		name     string
		scenario *seeds.Scenario
		want     string
		exact    int // lines whose AGE and "(Xs ago)" must match exactly
	}{
		{"1a initial delay", seeds.InitialDelay(1), watch1a, 7},
		{"1b liveness", seeds.Liveness(SeedLiveness), watch1b, 11},
		{"1d no sigterm", seeds.NoSigterm(1), watch1d, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := scenarios.ParseWatch(tc.want)
			require.NoError(t, err)
			got := runWatch(t, tc.scenario)
			if diffs := scenarios.CompareWatch(got, want, tc.exact, 5*time.Second); len(diffs) > 0 {
				t.Errorf("watch lines differ from the seed (reproduce with seed=%d):\n%s", tc.scenario.Config.Seed, strings.Join(diffs, "\n"))
			}
		})
	}
}

// The lines up to 7m30s follow from the rules alone: no seed changes them.
func TestSeedLivenessFirstLinesDoNotDependOnTheSeed(t *testing.T) {
	want, err := scenarios.ParseWatch(watch1b)
	require.NoError(t, err)
	for seed := uint64(1); seed <= 20; seed++ {
		got := runWatch(t, seeds.Liveness(seed))
		require.GreaterOrEqual(t, len(got), 11)
		if diffs := scenarios.CompareWatch(got[:11], want[:11], 11, 0); len(diffs) > 0 {
			t.Errorf("seed %d:\n%s", seed, strings.Join(diffs, "\n"))
		}
	}
}

// 1b as `kubectl describe` showed it 87 s after creation.
func TestSeedLivenessAt87s(t *testing.T) {
	s := seeds.Liveness(SeedLiveness)
	c, err := s.Build()
	require.NoError(t, err)
	require.NoError(t, c.RunUntil(87*time.Second+500*time.Millisecond))
	pod := c.Pod("default", "liveness")
	require.NotNil(t, pod)
	created := pod.CreationTimestamp.Time
	at := func(d time.Duration) time.Time { return created.Add(d) }

	require.Len(t, pod.Status.ContainerStatuses, 1)
	cs := pod.Status.ContainerStatuses[0]
	require.NotNil(t, cs.State.Running, "state")
	require.Equal(t, at(77*time.Second), cs.State.Running.StartedAt.Time, "started")
	last := cs.LastTerminationState.Terminated
	require.NotNil(t, last, "lastState")
	require.Equal(t, "Error", last.Reason)
	require.EqualValues(t, 137, last.ExitCode)
	require.Equal(t, at(2*time.Second), last.StartedAt.Time)
	require.Equal(t, at(75*time.Second), last.FinishedAt.Time)
	require.EqualValues(t, 1, cs.RestartCount)
	require.True(t, cs.Ready)

	events := map[string]corev1Event{}
	for _, e := range c.Events() {
		events[e.Reason] = corev1Event{count: e.Count, message: e.Message, first: e.FirstTimestamp.Time, last: e.LastTimestamp.Time}
	}
	unhealthy := events["Unhealthy"]
	require.EqualValues(t, 3, unhealthy.count, "Unhealthy (x3)")
	require.Equal(t, "Liveness probe failed: cat: /tmp/healthy: No such file or directory\n", unhealthy.message)
	// describe at 87 s: "42s (x3 over 52s)".
	require.Equal(t, at(35*time.Second), unhealthy.first)
	require.Equal(t, at(45*time.Second), unhealthy.last)
	killing := events["Killing"]
	require.EqualValues(t, 1, killing.count)
	require.Equal(t, "Container liveness failed liveness probe, will be restarted", killing.message)
	require.Equal(t, at(45*time.Second), killing.first)
	require.EqualValues(t, 2, events["Pulling"].count, "Pulling (x2 over 87s)")
	require.EqualValues(t, 2, events["Created"].count, "Created (x2 over 85s)")
	require.Equal(t, "Created container liveness", events["Created"].message, "1.25 wording")
	require.EqualValues(t, 2, events["Started"].count, "Started (x2 over 85s)")
}

type corev1Event struct {
	count       int32
	message     string
	first, last time.Time
}

func condition(t *testing.T, pod *corev1.Pod, ct corev1.PodConditionType) corev1.PodCondition {
	t.Helper()
	for _, c := range pod.Status.Conditions {
		if c.Type == ct {
			return c
		}
	}
	t.Fatalf("pod %s has no %s condition: %+v", pod.Name, ct, pod.Status.Conditions)
	return corev1.PodCondition{}
}

// 1e: a readiness gate nobody sets keeps a running, ready container's pod
// out of its Service.
func TestSeedReadinessGate(t *testing.T) {
	s := seeds.ReadinessGate(1)
	c, err := s.Build()
	require.NoError(t, err)
	require.NoError(t, c.RunUntil(16*time.Second))
	pod := c.Pod("default", "readiness-gate")
	row := lifecycle.PrintPod(pod, c.Wall(), c.Profile().Lifecycle)
	require.Equal(t, lifecycle.Row{Name: "readiness-gate", Ready: "1/1", Status: "Running", Restarts: "0", Age: "16s",
		IP: pod.Status.PodIP, Node: seeds.Node, NominatedNode: "<none>", ReadinessGates: "0/1"}, row)

	t0 := pod.CreationTimestamp.Time
	want := []struct {
		typ    corev1.PodConditionType
		status corev1.ConditionStatus
		reason string
		msg    string
		at     time.Time
	}{
		{corev1.PodInitialized, corev1.ConditionTrue, "", "", t0},
		{corev1.PodReady, corev1.ConditionFalse, "ReadinessGatesNotReady", `corresponding condition of pod readiness gate "www.example.com/feature-1" does not exist.`, t0},
		{corev1.ContainersReady, corev1.ConditionTrue, "", "", t0.Add(time.Second)},
		{corev1.PodScheduled, corev1.ConditionTrue, "", "", t0},
	}
	require.Len(t, pod.Status.Conditions, len(want), "1.25 has no PodReadyToStartContainers")
	for i, w := range want {
		got := pod.Status.Conditions[i]
		require.Equal(t, w.typ, got.Type, "condition %d", i)
		require.Equal(t, w.status, got.Status, "%s status", w.typ)
		require.Equal(t, w.reason, got.Reason, "%s reason", w.typ)
		require.Equal(t, w.msg, got.Message, "%s message", w.typ)
		require.Equal(t, w.at, got.LastTransitionTime.Time, "%s lastTransitionTime", w.typ)
	}
	cs := pod.Status.ContainerStatuses[0]
	require.True(t, cs.Ready)
	require.Equal(t, t0.Add(time.Second), cs.State.Running.StartedAt.Time)

	ep := c.Endpoints("default", "readiness-gate")
	require.NotNil(t, ep)
	require.Len(t, ep.Subsets, 1)
	require.Empty(t, ep.Subsets[0].Addresses, "the Service has no ready endpoints")
	require.Len(t, ep.Subsets[0].NotReadyAddresses, 1)

	var pulled string
	for _, e := range c.Events() {
		if e.Reason == "Pulled" {
			pulled = e.Message
		}
	}
	require.Equal(t, `Container image "nginx:1.25.2" already present on machine`, pulled)

	// A controller now sets the gate's condition: the kubelet notices the
	// Ready condition is out of date, syncs, and the pod joins the Service.
	require.NoError(t, c.At(20*time.Second, func(c *sim.Cluster) error {
		return c.SetPodCondition("default", "readiness-gate", corev1.PodCondition{Type: "www.example.com/feature-1", Status: corev1.ConditionTrue})
	}))
	require.NoError(t, c.RunUntil(22*time.Second))
	pod = c.Pod("default", "readiness-gate")
	require.Equal(t, corev1.ConditionTrue, condition(t, pod, corev1.PodReady).Status)
	require.Equal(t, "1/1", lifecycle.PrintPod(pod, c.Wall(), c.Profile().Lifecycle).ReadinessGates)
	ep = c.Endpoints("default", "readiness-gate")
	require.Len(t, ep.Subsets[0].Addresses, 1)
}

// 1f: a ready nginx pod.
func TestSeedNginx(t *testing.T) {
	s := seeds.Nginx(1)
	c, err := s.Build()
	require.NoError(t, err)
	require.NoError(t, c.RunUntil(s.Until))
	pod := c.Pod("default", "nginx")
	row := lifecycle.PrintPod(pod, c.Wall(), c.Profile().Lifecycle)
	require.Equal(t, "nginx 1/1 Running 0 35s", strings.Join([]string{row.Name, row.Ready, row.Status, row.Restarts, row.Age}, " "))
	t0 := pod.CreationTimestamp.Time
	for ct, at := range map[corev1.PodConditionType]time.Time{
		corev1.PodInitialized: t0, corev1.PodScheduled: t0,
		corev1.ContainersReady: t0.Add(time.Second), corev1.PodReady: t0.Add(time.Second),
	} {
		cond := condition(t, pod, ct)
		require.Equal(t, corev1.ConditionTrue, cond.Status, ct)
		require.Equal(t, at, cond.LastTransitionTime.Time, ct)
	}
	cs := pod.Status.ContainerStatuses[0]
	require.True(t, cs.Ready)
	require.EqualValues(t, 0, cs.RestartCount)
	require.NotNil(t, cs.Started)
	require.True(t, *cs.Started)
	require.NotNil(t, cs.State.Running)
	require.Equal(t, t0.Add(time.Second), cs.State.Running.StartedAt.Time)
	require.Equal(t, corev1.PodRunning, pod.Status.Phase)
}
