package tainteviction

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"
)

// The cases of pkg/controller/tainteviction/taint_eviction_test.go
// TestGetMinTolerationTime.
func TestGetMinTolerationTime(t *testing.T) {
	one, two, zero, neg := ptr.To[int64](1), ptr.To[int64](2), ptr.To[int64](0), ptr.To[int64](-1)
	tests := []struct {
		name string
		tols []corev1.Toleration
		want time.Duration
	}{
		{"no tolerations", nil, 0},
		{"one with seconds", []corev1.Toleration{{TolerationSeconds: one}}, time.Second},
		{"the minimum", []corev1.Toleration{{TolerationSeconds: one}, {TolerationSeconds: two}}, time.Second},
		{"one forever, one with seconds", []corev1.Toleration{{TolerationSeconds: nil}, {TolerationSeconds: two}}, 2 * time.Second},
		{"forever", []corev1.Toleration{{TolerationSeconds: nil}}, -1},
		{"zero means now", []corev1.Toleration{{TolerationSeconds: zero}, {TolerationSeconds: two}}, 0},
		{"negative means now", []corev1.Toleration{{TolerationSeconds: neg}}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, getMinTolerationTime(tc.tols))
		})
	}
}

// v1helper.GetMatchingTolerations: every taint must be tolerated; the
// tolerations that matched are returned.
func TestGetMatchingTolerations(t *testing.T) {
	unreachable := corev1.Taint{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoExecute}
	notReady := corev1.Taint{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoExecute}
	tolUnreachable := corev1.Toleration{Key: corev1.TaintNodeUnreachable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr.To[int64](300)}
	tolAll := corev1.Toleration{Operator: corev1.TolerationOpExists}
	tests := []struct {
		name     string
		taints   []corev1.Taint
		tols     []corev1.Toleration
		all      bool
		matching []corev1.Toleration
	}{
		{"no taints", nil, []corev1.Toleration{tolUnreachable}, true, nil},
		{"no tolerations", []corev1.Taint{unreachable}, nil, false, nil},
		{"tolerated", []corev1.Taint{unreachable}, []corev1.Toleration{tolUnreachable}, true, []corev1.Toleration{tolUnreachable}},
		{"one of two not tolerated", []corev1.Taint{unreachable, notReady}, []corev1.Toleration{tolUnreachable}, false, nil},
		{"tolerate everything", []corev1.Taint{unreachable, notReady}, []corev1.Toleration{tolAll}, true, []corev1.Toleration{tolAll, tolAll}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			all, matching := getMatchingTolerations(tc.taints, tc.tols)
			require.Equal(t, tc.all, all)
			require.Equal(t, tc.matching, matching)
		})
	}
}
