package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// CreatePod without behaviours reads what each container does from its
// manifest, as a scenario file does; a container it cannot read is an
// error naming it, and an explicit behaviour wins over the manifest.
func TestCreatePodReadsBehaviourFromManifest(t *testing.T) {
	newCluster := func(t *testing.T) *sim.Cluster {
		c, err := sim.New(sim.Config{Seed: 1, CheckInvariants: true})
		require.NoError(t, err)
		require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{}))
		return c
	}
	pod := func(args ...string) *corev1.Pod {
		return &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: "p"},
			Spec: corev1.PodSpec{
				RestartPolicy: corev1.RestartPolicyNever,
				Containers:    []corev1.Container{{Name: "app", Image: "busybox:1.36", Command: args}},
			},
		}
	}
	phaseAt := func(t *testing.T, c *sim.Cluster, at time.Duration) corev1.PodPhase {
		require.NoError(t, c.RunUntil(at))
		return c.Pod("default", "p").Status.Phase
	}

	t.Run("nil reads the command", func(t *testing.T) {
		c := newCluster(t)
		require.NoError(t, c.CreatePod(pod("sh", "-c", "sleep 20; exit 3"), nil))
		require.Equal(t, corev1.PodRunning, phaseAt(t, c, 15*time.Second))
		require.Equal(t, corev1.PodFailed, phaseAt(t, c, 40*time.Second))
	})
	t.Run("an explicit behaviour wins", func(t *testing.T) {
		c := newCluster(t)
		exit0 := behavior.Spec{Main: behavior.Script{behavior.Exit(0)}}
		require.NoError(t, c.CreatePod(pod("sh", "-c", "sleep 20; exit 3"), map[string]behavior.Spec{"app": exit0}))
		require.Equal(t, corev1.PodSucceeded, phaseAt(t, c, 15*time.Second))
	})
	t.Run("an unreadable command names the container", func(t *testing.T) {
		c := newCluster(t)
		err := c.CreatePod(pod("/opt/app/server", "--port=8080"), nil)
		require.ErrorContains(t, err, `pod default/p: container "app": `)
		require.ErrorContains(t, err, "behavior.Spec")
		require.Nil(t, c.Pod("default", "p"))
	})
}
