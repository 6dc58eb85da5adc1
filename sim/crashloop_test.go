package sim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// newCluster is a one-node cluster with invariant checks on.
func newCluster(t *testing.T, version string, seed uint64, images ...string) *sim.Cluster {
	t.Helper()
	c, err := sim.New(sim.Config{Version: version, Seed: seed, CheckInvariants: true})
	require.NoError(t, err)
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{Images: images}))
	return c
}

func podWith(name string, policy corev1.RestartPolicy, containers ...corev1.Container) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.PodSpec{RestartPolicy: policy, Containers: containers}}
}

// A container that exits at once under restartPolicy Always is started
// again at once after its first exit, then after back-offs of 10, 20, 40,
// 80, 160 and 300 s counted from each exit — so, were the kubelet to act the
// instant each back-off ends, at 0, 0, 10, 30, 70, 150, 310 s and every
// 300 s after. The kubelet acts at its next sync instead: the sync that
// refuses a start (CrashLoopBackOff) is retried 10–15 s later, so every
// restart comes up to a retry period after its back-off ends.
func TestCrashLoopBackOffSchedule(t *testing.T) {
	for _, version := range sim.SupportedVersions {
		t.Run(version, func(t *testing.T) {
			c := newCluster(t, version, 1, "busybox:1.36")
			pod := podWith("crash", corev1.RestartPolicyAlways, corev1.Container{Name: "crash", Image: "busybox:1.36"})
			require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"crash": {Main: behavior.Script{behavior.Exit(1)}}}))
			require.NoError(t, c.RunUntil(40*time.Minute))

			var starts []time.Duration
			for _, r := range c.Trace().Events() {
				if r.Event.Reason == "Started" {
					starts = append(starts, r.T) // dropped by the spam filter or not, it happened
				}
			}
			require.GreaterOrEqual(t, len(starts), 12)
			ideal := []time.Duration{0, 0, 10, 30, 70, 150, 310, 610, 910, 1210, 1510}
			backoff := []time.Duration{0, 10, 20, 40, 80, 160, 300, 300, 300, 300}
			// Retry slack: the 10–15 s error requeue, the 1 s sync tick, the
			// 1 s relist that reports the exit, and create + start (0.4 s).
			// Since 1.35 the retry is at the back-off's expiry, jittered by up
			// to half the time left to it (at most the 60 s resync interval):
			// up to 30 s late.
			p, err := sim.ProfileFor(version)
			require.NoError(t, err)
			retry := 15 * time.Second
			if p.CrashLoopRetryAtExpiry {
				retry = 30 * time.Second
			}
			slack := retry + time.Second + time.Second + 400*time.Millisecond
			var report []string
			for i := 1; i < len(ideal); i++ {
				gap := starts[i] - starts[i-1]
				b := backoff[i-1] * time.Second
				report = append(report, fmt.Sprintf("start %d at %v (ideal %ds, gap %v, back-off %v)", i, starts[i].Round(time.Millisecond), ideal[i], gap.Round(time.Millisecond), b))
				require.GreaterOrEqual(t, gap, b, "restart %d came before its back-off ended\n%s", i, strings.Join(report, "\n"))
				require.LessOrEqual(t, gap, b+slack, "restart %d came later than a retry period after its back-off\n%s", i, strings.Join(report, "\n"))
				require.GreaterOrEqual(t, starts[i]-starts[0], ideal[i]*time.Second, "start %d before its ideal time", i)
			}
			t.Log(strings.Join(report, "\n"))

			// Between restarts the container waits in CrashLoopBackOff with the
			// kubelet's message naming the back-off in force.
			seen := map[string]bool{}
			for _, r := range c.Trace().Pods() {
				cs := r.Pod.Status.ContainerStatuses
				if len(cs) == 1 && cs[0].State.Waiting != nil && cs[0].State.Waiting.Reason == "CrashLoopBackOff" {
					msg := cs[0].State.Waiting.Message
					want := fmt.Sprintf("restarting failed container=crash pod=crash_default(%s)", r.Pod.UID)
					require.True(t, strings.HasSuffix(msg, want), "message %q", msg)
					seen[strings.Fields(msg)[1]] = true
				}
			}
			for _, b := range []string{"10s", "20s", "40s", "1m20s", "2m40s", "5m0s"} {
				require.True(t, seen[b], "no CrashLoopBackOff status with back-off %s (saw %v)", b, seen)
			}
		})
	}
}
