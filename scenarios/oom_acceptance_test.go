package scenarios_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/scenarios"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

const memoryDemo2 = "testdata/docs/memory-request-limit-2.yaml"

// The Kubernetes docs' memory-demo-2 (kubernetes/website
// content/en/examples/pods/resource/memory-request-limit-2.yaml, commit
// 5712187312b318c7223635333cee02d5e22cf8ae, kept byte for byte in
// testdata/docs): polinux/stress allocating 250M under a 100Mi limit. The
// docs show it OOMKilled, then CrashLoopBackOff, restarting again and
// again. The memory cgroup's OOM killer ends each run at once (exit 137 since 1.28,
// reason OOMKilled, lastState.terminated.reason OOMKilled), and the kubelet
// restarts it after back-offs of 10, 20, 40, 80, 160 and 300 s counted from
// each exit (the first restart is immediate).
func TestMemoryDemo2OOMKilledThenCrashLoopBackOff(t *testing.T) {
	_, err := scenarios.Load(memoryDemo2)
	require.NoError(t, err, "the docs' file loads as written, on its own")
	for _, version := range sim.SupportedVersions {
		t.Run(version, func(t *testing.T) {
			// The file as written, and a Scenario document naming the version.
			data, err := os.ReadFile(memoryDemo2)
			require.NoError(t, err)
			data = append(data, fmt.Sprintf("---\napiVersion: podsim.dev/v1alpha1\nkind: Scenario\nkubernetesVersion: %q\n", version)...)
			s, err := scenarios.Parse(memoryDemo2, data)
			require.NoError(t, err, "the docs' file loads as written")
			c, err := s.Build(scenarios.Options{})
			require.NoError(t, err)
			require.Equal(t, version, c.Profile().Version)
			// With memory.oom.group (1.28) the whole container dies, SIGKILL,
			// 137; before, the kernel killed stress's worker, the process
			// holding the memory, and stress exits 1 on seeing it.
			exitCode := 1
			if c.Profile().OOMKillsWholeContainer {
				exitCode = 137
			}
			require.NoError(t, c.RunUntil(30*time.Minute))

			// kubectl's STATUS column, write by write, without repeats.
			var statuses []string
			var lastTerminated []*corev1.ContainerStateTerminated
			for _, r := range c.Trace().Pods() {
				if r.Pod == nil || r.Pod.Name != "memory-demo-2" {
					continue
				}
				st := lifecycle.PrintPod(r.Pod, c.Trace().Header.Epoch.Add(r.T), c.Profile().Lifecycle).Status
				if len(statuses) == 0 || statuses[len(statuses)-1] != st {
					statuses = append(statuses, st)
				}
				if cs := r.Pod.Status.ContainerStatuses; len(cs) == 1 {
					if term := cs[0].State.Terminated; term != nil {
						require.Equal(t, "OOMKilled", term.Reason, "every run ends in an OOM kill")
						require.EqualValues(t, exitCode, term.ExitCode)
					}
					if lt := cs[0].LastTerminationState.Terminated; lt != nil {
						lastTerminated = append(lastTerminated, lt)
					}
				}
			}
			require.GreaterOrEqual(t, len(statuses), 5, "statuses %v", statuses)
			require.Equal(t, []string{"Pending", "ContainerCreating", "OOMKilled"}, statuses[:3],
				"the container is OOM-killed as soon as stress has allocated its 250M")
			require.Contains(t, statuses[3:], "CrashLoopBackOff")
			for _, st := range statuses[3:] {
				require.Contains(t, []string{"OOMKilled", "CrashLoopBackOff"}, st, "statuses %v", statuses)
			}
			require.NotEmpty(t, lastTerminated)
			for _, lt := range lastTerminated {
				require.Equal(t, "OOMKilled", lt.Reason)
				require.EqualValues(t, exitCode, lt.ExitCode)
			}

			// Each start is an OOM kill later; the restarts follow the
			// kubelet's back-off (pkg/kubelet/kuberuntime backOff: 10 s doubling
			// to 5 m), acted on at the kubelet's next sync after it ends.
			var starts, kills []time.Duration
			for _, r := range c.Trace().Events() {
				if r.Event.Reason == "Started" && r.Event.InvolvedObject.Name == "memory-demo-2" {
					starts = append(starts, r.T)
				}
			}
			for _, r := range c.Trace().All() {
				if r.Kind == "Container" && r.Runtime != nil && r.Runtime.Kind == trace.RuntimeExit {
					kills = append(kills, r.T)
				}
			}
			require.GreaterOrEqual(t, len(starts), 9, "starts %v", starts)
			require.GreaterOrEqual(t, len(kills), len(starts)-1)
			backoff := []time.Duration{0, 10, 20, 40, 80, 160, 300, 300}
			// The pull (imagePullPolicy Always for an untagged image), create and
			// start, the 1 s relist and a sync retry of up to 15 s.
			const slack = 2*time.Second + 400*time.Millisecond + time.Second + 15*time.Second + time.Second
			var report []string
			for i := 1; i < len(starts) && i <= len(backoff); i++ {
				require.Less(t, kills[i-1]-starts[i-1], time.Second, "run %d was not OOM-killed at once", i)
				gap := starts[i] - kills[i-1]
				b := backoff[i-1] * time.Second
				report = append(report, fmt.Sprintf("killed %v, started again %v later (back-off %v)", kills[i-1], gap, b))
				require.GreaterOrEqual(t, gap, b, "restart %d before its back-off ended\n%s", i, strings.Join(report, "\n"))
				require.LessOrEqual(t, gap, b+slack, "restart %d long after its back-off ended\n%s", i, strings.Join(report, "\n"))
			}
			t.Log(strings.Join(report, "\n"))
		})
	}
}
