package apiserver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// A stored pod changed in place — its spec, or the status the kubelet's
// cache shares — fails the run at the next write of the pod.
func TestStoredPodChangedInPlaceFails(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *corev1.Pod)
		fails  bool
	}{
		{"unchanged", func(*corev1.Pod) {}, false},
		{"spec", func(p *corev1.Pod) { p.Spec.Containers[0].Image = "y" }, true},
		{"status condition", func(p *corev1.Pod) { p.Status.Conditions[0].Status = corev1.ConditionFalse }, true},
		{"label", func(p *corev1.Pod) { p.Labels["app"] = "other" }, true},
		// Shared by every pod created without them: a change would show in all.
		{"default toleration", func(p *corev1.Pod) { *p.Spec.Tolerations[0].TolerationSeconds = 10 }, true},
		{"default securityContext", func(p *corev1.Pod) { p.Spec.SecurityContext.RunAsUser = new(int64) }, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prof, err := profile.For(profile.Supported[len(profile.Supported)-1])
			require.NoError(t, err)
			eng := engine.New(1)
			s := New(Config{Engine: eng, Profile: prof, Trace: &trace.Trace{}, WatchLatency: 10 * time.Millisecond, CheckInvariants: true})
			p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "default", Labels: map[string]string{"app": "web"}},
				Spec: corev1.PodSpec{NodeName: "n", Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
			require.NoError(t, s.CreatePod(p, "user", ""))
			key := types.NamespacedName{Namespace: "default", Name: "p"}
			status := corev1.PodStatus{Phase: corev1.PodPending, Conditions: []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionTrue}}}
			require.True(t, s.UpdatePodStatus(key, "", "kubelet", "", status))
			tc.mutate(s.Pod(key))
			status.Phase = corev1.PodRunning
			require.True(t, s.UpdatePodStatus(key, "", "kubelet", "", status))
			t.Cleanup(func() { sharedDefaults = newSharedDefaults() }) // the next cases start from intact defaults
			if tc.fails {
				require.ErrorIs(t, eng.Err(), ErrInvariant)
				require.ErrorContains(t, eng.Err(), "changed in place")
			} else {
				require.NoError(t, eng.Err())
			}
		})
	}
}
