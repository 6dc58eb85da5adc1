package apiserver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/internal/podutil"
)

// Cases after pkg/registry/core/pod/storage/eviction_test.go.
func TestEvictPod(t *testing.T) {
	type budget struct {
		allowed, current, desired int32
		stale                     bool // observedGeneration behind generation
		policy                    policyv1.UnhealthyPodEvictionPolicyType
	}
	tests := []struct {
		name     string
		version  string
		phase    corev1.PodPhase
		ready    bool
		budgets  []budget
		wantCode int32  // 0: evicted
		wantMsg  string // the error's message
		cause    string // its DisruptionBudget cause
		decrease bool   // the budget lost a disruption
	}{
		{"no budget", "1.33", corev1.PodRunning, true, nil, 0, "", "", false},
		{"a pending pod skips the budget", "1.33", corev1.PodPending, true, []budget{{}}, 0, "", "", false},
		{"allowed", "1.33", corev1.PodRunning, true, []budget{{allowed: 1, current: 3, desired: 2}}, 0, "", "", true},
		{"allowed, 1.25", "1.25", corev1.PodRunning, true, []budget{{allowed: 1, current: 3, desired: 2}}, 0, "", "", true},
		{"no disruption allowed", "1.33", corev1.PodRunning, true, []budget{{allowed: 0, current: 2, desired: 2}}, 429,
			"Cannot evict pod as it would violate the pod's disruption budget.", "The disruption budget pdb-0 needs 2 healthy pods and has 2 currently", false},
		{"the budget's latest spec not seen yet", "1.33", corev1.PodRunning, true, []budget{{allowed: 1, stale: true}}, 429,
			"Cannot evict pod as it would violate the pod's disruption budget.", "The disruption budget pdb-0 is still being processed by the server.", false},
		{"two budgets", "1.33", corev1.PodRunning, true, []budget{{allowed: 1}, {allowed: 1}}, 500,
			"This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", "", false},
		{"an unready pod, the budget healthy", "1.33", corev1.PodRunning, false, []budget{{allowed: 0, current: 2, desired: 2}}, 0, "", "", false},
		{"an unready pod, the budget unhealthy", "1.33", corev1.PodRunning, false, []budget{{allowed: 0, current: 1, desired: 2}}, 429,
			"Cannot evict pod as it would violate the pod's disruption budget.", "The disruption budget pdb-0 needs 2 healthy pods and has 1 currently", false},
		{"an unready pod, AlwaysAllow", "1.33", corev1.PodRunning, false, []budget{{allowed: 0, current: 1, desired: 2, policy: policyv1.AlwaysAllow}}, 0, "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, eng, _ := testServer(t, tc.version)
			p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "default", Labels: map[string]string{"app": "web"}},
				Spec: corev1.PodSpec{NodeName: "n", Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
			require.NoError(t, s.CreatePod(p, "user", ""))
			key := types.NamespacedName{Namespace: "default", Name: "p"}
			ready := corev1.ConditionFalse
			if tc.ready {
				ready = corev1.ConditionTrue
			}
			s.UpdatePod(key, "", "kubelet/n", "", func(p *corev1.Pod) {
				p.Status.Phase = tc.phase
				p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: ready}}
			})
			for i, b := range tc.budgets {
				pdb := &policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Name: "pdb-" + string(rune('0'+i)), Namespace: "default"},
					Spec: policyv1.PodDisruptionBudgetSpec{MinAvailable: ptr.To(intstr.FromInt32(1)), Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}}}
				if b.policy != "" {
					pdb.Spec.UnhealthyPodEvictionPolicy = &b.policy
				}
				require.NoError(t, s.CreatePodDisruptionBudget(pdb, "user", ""))
				s.UpdatePodDisruptionBudgetStatus(podutil.KeyOf(pdb), "disruption-controller", "", func(st *policyv1.PodDisruptionBudgetStatus) {
					st.DisruptionsAllowed, st.CurrentHealthy, st.DesiredHealthy = b.allowed, b.current, b.desired
					if !b.stale {
						st.ObservedGeneration = 1
					}
				})
			}
			require.NoError(t, eng.RunUntil(time.Second))
			err := s.EvictPod(key, nil, "user", "eviction")
			got := s.Pod(key)
			if tc.wantCode != 0 {
				var se *apierrors.StatusError
				require.ErrorAs(t, err, &se)
				require.Equal(t, tc.wantCode, se.ErrStatus.Code)
				require.Equal(t, tc.wantMsg, se.ErrStatus.Message)
				if tc.cause != "" {
					require.Equal(t, []metav1.StatusCause{{Type: policyv1.DisruptionBudgetCause, Message: tc.cause}}, se.ErrStatus.Details.Causes)
				}
				require.Nil(t, got.DeletionTimestamp, "not evicted")
				return
			}
			require.NoError(t, err)
			if tc.phase == corev1.PodPending {
				require.NotNil(t, got.DeletionTimestamp, "deleted without a look at the budget")
			} else {
				require.NotNil(t, got.DeletionTimestamp)
				cond := podutil.FindCondition(got.Status.Conditions, corev1.DisruptionTarget)
				if tc.version == "1.25" {
					require.Nil(t, cond)
				} else {
					require.Equal(t, corev1.PodCondition{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue, Reason: "EvictionByEvictionAPI",
						Message: "Eviction API: evicting", LastTransitionTime: s.Stamp(time.Second)}, *cond)
				}
			}
			if len(tc.budgets) == 1 {
				st := s.PodDisruptionBudget(types.NamespacedName{Namespace: "default", Name: "pdb-0"}).Status
				if tc.decrease {
					require.EqualValues(t, tc.budgets[0].allowed-1, st.DisruptionsAllowed)
					require.Contains(t, st.DisruptedPods, "p")
					require.Equal(t, policyv1.InsufficientPodsReason, st.Conditions[0].Reason)
				} else {
					require.Empty(t, st.DisruptedPods)
				}
			}
		})
	}
}

func TestEvictMissingPod(t *testing.T) {
	s, _, _ := testServer(t, "1.33")
	err := s.EvictPod(types.NamespacedName{Namespace: "default", Name: "nope"}, nil, "user", "")
	require.True(t, apierrors.IsNotFound(err))
	require.EqualError(t, err, `pods "nope" not found`)
}

func TestValidatePodDisruptionBudget(t *testing.T) {
	s, _, _ := testServer(t, "1.25")
	both := &policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Name: "b"}, Spec: policyv1.PodDisruptionBudgetSpec{
		MinAvailable: ptr.To(intstr.FromInt32(1)), MaxUnavailable: ptr.To(intstr.FromString("200%")),
		UnhealthyPodEvictionPolicy: ptr.To(policyv1.AlwaysAllow)}}
	err := s.CreatePodDisruptionBudget(both, "user", "")
	require.ErrorContains(t, err, "spec: Invalid value: ")
	require.ErrorContains(t, err, "minAvailable and maxUnavailable cannot be both set")
	require.ErrorContains(t, err, `spec.maxUnavailable: Invalid value: "200%": must not be greater than 100%`)
	require.ErrorContains(t, err, "spec.unhealthyPodEvictionPolicy: Forbidden: needs Kubernetes 1.27 or later")
}
