package controllerutil

import (
	"testing"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

func TestResolveControllerRef(t *testing.T) {
	stored := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "ds", UID: "u1"}}
	get := func(k types.NamespacedName) *appsv1.DaemonSet {
		if k == (types.NamespacedName{Namespace: "ns", Name: "ds"}) {
			return stored
		}
		return nil
	}
	pod := func(kind, name, uid string, controller bool) *corev1.Pod {
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "p", OwnerReferences: []metav1.OwnerReference{
			{Kind: kind, Name: name, UID: types.UID(uid), Controller: ptr.To(controller)}}}}
	}
	for _, tc := range []struct {
		name string
		pod  *corev1.Pod
		want *appsv1.DaemonSet
	}{
		{"its controller", pod("DaemonSet", "ds", "u1", true), stored},
		{"a namesake with another UID", pod("DaemonSet", "ds", "u2", true), nil},
		{"another kind", pod("StatefulSet", "ds", "u1", true), nil},
		{"an owner that is not the controller", pod("DaemonSet", "ds", "u1", false), nil},
		{"no such object", pod("DaemonSet", "gone", "u1", true), nil},
		{"no owner", &corev1.Pod{}, nil},
	} {
		require.Equal(t, tc.want, ResolveControllerRef(tc.pod, "DaemonSet", get), tc.name)
	}
}
