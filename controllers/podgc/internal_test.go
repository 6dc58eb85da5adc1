package podgc

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// byEvictionAndCreationTimestamp: evicted pods first, then the oldest,
// then by name.
func TestByEvictionAndCreation(t *testing.T) {
	at := func(s int) metav1.Time { return metav1.NewTime(time.Unix(int64(s), 0)) }
	pod := func(name string, created int, reason string) *corev1.Pod {
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, CreationTimestamp: at(created)}, Status: corev1.PodStatus{Reason: reason}}
	}
	pods := []*corev1.Pod{pod("d", 1, ""), pod("c", 3, "Evicted"), pod("b", 1, ""), pod("a", 2, ""), pod("e", 5, "Evicted")}
	slices.SortStableFunc(pods, byEvictionAndCreation)
	var got []string
	for _, p := range pods {
		got = append(got, p.Name)
	}
	require.Equal(t, []string{"c", "e", "b", "d", "a"}, got)
}
