package deployment

import (
	"testing"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

func rolling(replicas int32, surge, unavailable intstr.IntOrString) *appsv1.Deployment {
	return &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: ptr.To(replicas), Strategy: appsv1.DeploymentStrategy{
		Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &surge, MaxUnavailable: &unavailable}}}}
}

// maxSurge rounds up, maxUnavailable down, and both 0 means 1 unavailable
// (deployment_util.go ResolveFenceposts).
func TestFenceposts(t *testing.T) {
	pct := intstr.FromString
	n := intstr.FromInt32
	for _, tc := range []struct {
		name               string
		d                  *appsv1.Deployment
		surge, unavailable int32
	}{
		{"defaults over 4", rolling(4, pct("25%"), pct("25%")), 1, 1},
		{"defaults over 3", rolling(3, pct("25%"), pct("25%")), 1, 0},
		{"defaults over 10", rolling(10, pct("25%"), pct("25%")), 3, 2},
		{"both zero", rolling(3, n(0), n(0)), 0, 1},
		{"unavailable capped at replicas", rolling(2, n(0), n(5)), 0, 2},
		{"zero replicas", rolling(0, n(1), n(1)), 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.surge, MaxSurge(tc.d))
			require.Equal(t, tc.unavailable, MaxUnavailable(tc.d))
		})
	}
}

// The new set grows while the total stays within replicas + maxSurge
// (NewRSNewReplicas).
func TestNewRSNewReplicas(t *testing.T) {
	d := rolling(4, intstr.FromString("25%"), intstr.FromString("25%"))
	rs := func(n int32) *appsv1.ReplicaSet {
		return &appsv1.ReplicaSet{Spec: appsv1.ReplicaSetSpec{Replicas: ptr.To(n)}}
	}
	for _, tc := range []struct{ old, cur, want int32 }{{4, 0, 1}, {3, 1, 2}, {4, 1, 1}, {0, 3, 4}, {0, 4, 4}} {
		newRS := rs(tc.cur)
		require.Equal(t, tc.want, newRSNewReplicas(d, []*appsv1.ReplicaSet{rs(tc.old), newRS}, newRS), "old %d new %d", tc.old, tc.cur)
	}
}
