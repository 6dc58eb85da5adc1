package eviction

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/utils/ptr"
)

// Quiet is true only after a pass that found nothing to act on, and stays
// false while a condition waits out the pressure transition period, a soft
// threshold its grace period, or a pod breaks a local storage limit that
// no eviction ends (a critical pod).
func TestQuiet(t *testing.T) {
	be, bu, gu := qosPods()
	order := []*corev1.Pod{be, bu, gu}
	calm := map[*corev1.Pod]int64{be: 100 * mi, bu: 100 * mi, gu: 100 * mi}
	tight := map[*corev1.Pod]int64{be: 440 * mi, bu: 200 * mi, gu: 300 * mi} // 84Mi available: under 100Mi
	soft := map[*corev1.Pod]int64{be: 300 * mi, bu: 200 * mi, gu: 300 * mi}  // 224Mi available: under the soft 300Mi only
	critical := newPod("critical", 2000000000, []corev1.Container{newContainer("app", nil, nil)},
		[]corev1.Volume{{Name: "cache", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{SizeLimit: ptr.To(resource.MustParse("1Mi"))}}}})
	for _, tc := range []struct {
		name   string
		soft   map[string]string
		passes []map[*corev1.Pod]int64 // one pass every 10 s
		want   []bool
	}{
		{"room to spare", nil, []map[*corev1.Pod]int64{calm, calm}, []bool{true, true}},
		{"hard threshold, then the transition period", nil,
			append([]map[*corev1.Pod]int64{calm, tight}, repeat(calm, 31)...),
			append(append([]bool{true, false}, repeatBool(false, 29)...), true, true)},
		{"soft threshold within its grace period", map[string]string{"memory.available": "300Mi"},
			[]map[*corev1.Pod]int64{soft, soft, calm}, []bool{false, false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			grace := map[string]string(nil)
			if tc.soft != nil {
				grace = map[string]string{"memory.available": "1m"}
			}
			m := NewManager(Config{Thresholds: defaultThresholds(t, tc.soft, grace), LocalStorageCapacityIsolation: true, Rules: RulesFor(33)})
			var got []bool
			for i, pods := range tc.passes {
				now := time.Duration(i) * MonitoringInterval
				m.Synchronize(now, &fakeHost{pods: order, summary: memoryNode(now, pods, order)})
				got = append(got, m.Quiet())
			}
			require.Equal(t, tc.want, got)
		})
	}
	t.Run("a critical pod over its emptyDir limit", func(t *testing.T) {
		m := NewManager(Config{Thresholds: defaultThresholds(t, nil, nil), LocalStorageCapacityIsolation: true, Rules: RulesFor(33)})
		s := memoryNode(0, map[*corev1.Pod]int64{critical: 10 * mi}, []*corev1.Pod{critical})
		s.Pods[0].Volumes = []VolumeStats{{Name: "cache", UsedBytes: 2 * mi}}
		h := &fakeHost{pods: []*corev1.Pod{critical}, summary: s}
		require.Empty(t, m.Synchronize(0, h), "a critical pod is not evicted")
		require.False(t, m.Quiet(), "its violation stays to be looked at")
	})
}

func repeat[T any](v T, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func repeatBool(v bool, n int) []bool { return repeat(v, n) }
