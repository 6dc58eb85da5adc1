package sim_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// Regression tests for the defects issue 9 lists, one per defect, named
// after it.

// A terminationGracePeriodSeconds or a delete's gracePeriodSeconds too long
// for a time.Duration ended the run with "event scheduled in the past", or
// wrapped the deletionTimestamp around silently. The kill now waits beyond
// the end of any run, and the timestamp is exact (or the last one the API
// can write).
func TestHugeGracePeriodsDoNotOverflow(t *testing.T) {
	tests := []struct {
		name          string
		spec, delete  *int64
		wantTimestamp string
	}{
		{"terminationGracePeriodSeconds 9223372036", ptr.To[int64](9223372036), nil, "2317-04-12T23:47:36Z"},
		{"terminationGracePeriodSeconds 99999999999", ptr.To[int64](99999999999), nil, "5193-11-16T09:46:59Z"},
		{"terminationGracePeriodSeconds max int64", ptr.To[int64](math.MaxInt64), nil, "9999-12-31T23:59:59Z"},
		{"delete gracePeriodSeconds max int64", nil, ptr.To[int64](math.MaxInt64), "9999-12-31T23:59:59Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCluster(t, sim.DefaultVersion, 1, "busybox:1.36")
			pod := podWith("web", corev1.RestartPolicyAlways, corev1.Container{Name: "app", Image: "busybox:1.36"})
			pod.Spec.TerminationGracePeriodSeconds = tc.spec
			require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": {Main: behavior.Script{behavior.Sleep(time.Hour)}, Stop: behavior.IgnoreStop()}}))
			require.NoError(t, c.At(20*time.Second, func(c *sim.Cluster) error {
				return c.DeletePod("default", "web", sim.DeleteOptions{GracePeriodSeconds: tc.delete})
			}))
			require.NoError(t, c.RunUntil(10*time.Minute))
			p := c.Pod("default", "web")
			require.NotNil(t, p, "still terminating: the grace period has not run out")
			require.Equal(t, tc.wantTimestamp, p.DeletionTimestamp.UTC().Format(time.RFC3339))
		})
	}
}

// AddNode after RunUntil(math.MaxInt64) never returned: placing the new
// kubelet's loops on their phase grid overflowed and looped for ever.
func TestAddNodeAfterRunUntilMaxInt64(t *testing.T) {
	c, err := sim.New(sim.Config{Seed: 1})
	require.NoError(t, err)
	require.NoError(t, c.RunUntil(math.MaxInt64))
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "late"}}, sim.NodeOptions{}))
	require.NotNil(t, c.Node("late"))
}
