package sweep_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/scenarios"
	"github.com/podsim/podsim/sweep"
)

func bundled(name string) string { return filepath.Join("..", "scenarios", name) }

func measure(t *testing.T, file string) sweep.PodMetrics {
	t.Helper()
	s, err := scenarios.Load(bundled(file))
	require.NoError(t, err)
	c, err := s.Run(scenarios.Options{})
	require.NoError(t, err)
	m := sweep.Measure(c.Trace())
	require.Len(t, m, 1)
	return m[0]
}

func secs(s *sweep.Seconds) time.Duration {
	if s == nil {
		return -1
	}
	return s.Duration()
}

// Seed 1b: Ready at 3.6 s (the watch's "1/1 Running 3s"), the first restart
// shown at 77.6 s ("1 (2s ago) 77s"), seven restarts in 13 minutes; the
// liveness probe fails at 35, 40 and 45 s after the container started and
// the kubelet kills it at the third failure: 10 s after the first.
func TestMeasureSeed1b(t *testing.T) {
	m := measure(t, "1b-liveness.yaml")
	require.Equal(t, "default", m.Namespace)
	require.Equal(t, "liveness", m.Pod)
	require.Equal(t, 3600*time.Millisecond, secs(m.Ready).Round(100*time.Millisecond))
	require.Equal(t, 77600*time.Millisecond, secs(m.FirstRestart).Round(100*time.Millisecond))
	require.Equal(t, int32(7), m.Restarts)
	require.Equal(t, 10*time.Second, secs(m.LivenessDetection))
	require.Nil(t, m.ReadinessDetection, "1b has no readiness probe")
}

// Seed 1a: Ready at 35 s, the file goes at 40 s, the readiness probe fails
// at 45, 50 and 55 s, and the pod is not Ready from the third: 10 s after
// the first failure. It never restarts.
func TestMeasureSeed1a(t *testing.T) {
	m := measure(t, "1a-initial-delay.yaml")
	require.Equal(t, 35*time.Second, secs(m.Ready).Round(time.Second))
	require.Nil(t, m.FirstRestart)
	require.Equal(t, int32(0), m.Restarts)
	require.Nil(t, m.LivenessDetection)
	require.Equal(t, 10*time.Second, secs(m.ReadinessDetection).Round(10*time.Millisecond))
}

// A pod that never becomes Ready has no time to Ready.
func TestMeasureNeverReady(t *testing.T) {
	m := measure(t, "status-crashloopbackoff.yaml")
	require.Nil(t, m.Ready)
	require.NotNil(t, m.FirstRestart)
	require.Greater(t, m.Restarts, int32(1))
}
