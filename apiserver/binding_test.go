package apiserver

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

// The binding subresource writes a pod's node only once, and never for a
// pod being deleted (pkg/registry/core/pod/storage setPodHostAndAnnotations).
func TestBindPodWritesANodeOnce(t *testing.T) {
	tests := []struct {
		name     string
		prepare  func(s *Server, key types.NamespacedName)
		uid      types.UID
		wantOK   bool
		wantNode string
	}{
		{name: "unbound pod", wantOK: true, wantNode: "node-b"},
		{name: "another UID", uid: "other", wantNode: ""},
		{name: "already bound", prepare: func(s *Server, key types.NamespacedName) {
			require.True(t, s.BindPod(key, "", "node-a", "default-scheduler"))
		}, wantNode: "node-a"},
		{name: "being deleted", prepare: func(s *Server, key types.NamespacedName) {
			s.UpdatePod(key, "", "test", "", func(p *corev1.Pod) { p.DeletionTimestamp = ptr.To(metav1.Unix(1, 0)) })
		}, wantNode: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _, _ := testServer(t, "1.33")
			p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p"}, Spec: corev1.PodSpec{
				Containers:                    []corev1.Container{{Name: "c", Image: "x"}},
				TerminationGracePeriodSeconds: ptr.To[int64](30),
			}}
			require.NoError(t, s.CreatePod(p, "user", ""))
			key := types.NamespacedName{Namespace: "default", Name: "p"}
			if tc.prepare != nil {
				tc.prepare(s, key)
			}
			require.Equal(t, tc.wantOK, s.BindPod(key, tc.uid, "node-b", "default-scheduler"))
			got := s.Pod(key)
			require.NotNil(t, got)
			require.Equal(t, tc.wantNode, got.Spec.NodeName)
		})
	}
	s, _, _ := testServer(t, "1.33")
	require.False(t, s.BindPod(types.NamespacedName{Namespace: "default", Name: "none"}, "", "node-b", "default-scheduler"), "no such pod")
}
