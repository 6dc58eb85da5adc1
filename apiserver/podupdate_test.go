package apiserver

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

func manifest(mutate func(*corev1.Pod)) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web", Labels: map[string]string{"app": "web"}},
		Spec: corev1.PodSpec{ActiveDeadlineSeconds: ptr.To[int64](600), Containers: []corev1.Container{{Name: "nginx", Image: "nginx:1.14.2", Ports: []corev1.ContainerPort{{ContainerPort: 80}}}}}}
	if mutate != nil {
		mutate(p)
	}
	return p
}

// ValidatePodUpdate's rules, as kubectl apply meets them.
func TestApplyPod(t *testing.T) {
	for _, tc := range []struct {
		name        string
		mutate      func(*corev1.Pod)
		wantErr     string
		wantChanged []string
	}{
		{name: "same manifest", mutate: nil},
		{name: "new image", mutate: func(p *corev1.Pod) { p.Spec.Containers[0].Image = "nginx:1.16.1" }, wantChanged: []string{"nginx"}},
		{name: "labels", mutate: func(p *corev1.Pod) { p.Labels["tier"] = "front" }},
		{name: "lower deadline", mutate: func(p *corev1.Pod) { p.Spec.ActiveDeadlineSeconds = ptr.To[int64](30) }},
		{name: "raise deadline", mutate: func(p *corev1.Pod) { p.Spec.ActiveDeadlineSeconds = ptr.To[int64](900) },
			wantErr: "spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to previous value"},
		{name: "remove deadline", mutate: func(p *corev1.Pod) { p.Spec.ActiveDeadlineSeconds = nil },
			wantErr: "spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"},
		{name: "add a toleration", mutate: func(p *corev1.Pod) {
			p.Spec.Tolerations = []corev1.Toleration{{Key: "gpu", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}}
		}},
		{name: "change a port", mutate: func(p *corev1.Pod) { p.Spec.Containers[0].Ports[0].ContainerPort = 8080 },
			wantErr: "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`"},
		{name: "add a container", mutate: func(p *corev1.Pod) {
			p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: "side", Image: "busybox"})
		}, wantErr: "pod updates may not change fields other than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _, _ := testServer(t, "1.33")
			require.NoError(t, s.CreatePod(manifest(nil), "user", "created"))
			key := types.NamespacedName{Namespace: "default", Name: "web"}
			s.BindPod(key, "", "node-1", "sched")
			before := s.Pod(key)
			changed, err := s.ApplyPod(manifest(tc.mutate), "user", "kubectl apply")
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				require.Same(t, before, s.Pod(key), "a refused update changes nothing")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.wantChanged, changed)
			got := s.Pod(key)
			want := manifest(tc.mutate)
			require.Equal(t, want.Spec.Containers[0].Image, got.Spec.Containers[0].Image)
			require.Equal(t, want.Labels, got.Labels)
			require.Equal(t, "node-1", got.Spec.NodeName, "the binding stays")
			require.Len(t, got.Spec.Tolerations, 2+len(want.Spec.Tolerations), "the admission tolerations stay")
		})
	}
}
