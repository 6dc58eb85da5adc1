package podgc

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
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

// recount is the index rebuilt from a list of every stored pod, as the
// pass once found it each time.
func recount(c *Controller) index {
	x := newIndex()
	c.api.EachPod(func(p *corev1.Pod) {
		if isTerminated(p) {
			x.terminated++
		}
		if p.DeletionTimestamp != nil {
			x.terminating[podutil.KeyOf(p)] = p
		}
		if keeps(p) {
			x.keep++
		}
		if n := p.Spec.NodeName; n != "" {
			x.nodePods[n]++
			if c.api.Node(n) == nil {
				x.missingNodes[n] = true
			}
		}
	})
	return x
}

// The index follows every change of the stores: pods created, bound,
// finished, deleted (gracefully, so that they are terminating, and for
// good), nodes deleted under their pods and registered again.
func TestIndexFollowsTheStores(t *testing.T) {
	prof, err := profile.For("1.33")
	require.NoError(t, err)
	eng := engine.New(1)
	api := apiserver.New(apiserver.Config{Engine: eng, Profile: prof, Trace: &trace.Trace{}, WatchLatency: 10 * time.Millisecond})
	c, err := New(Config{Engine: eng, Client: api, Profile: prof})
	require.NoError(t, err)
	check := func(what string) {
		t.Helper()
		want := recount(c)
		require.Equal(t, want.terminated, c.idx.terminated, what)
		require.Equal(t, want.keep, c.idx.keep, what)
		require.Equal(t, want.nodePods, c.idx.nodePods, what)
		require.Equal(t, want.missingNodes, c.idx.missingNodes, what)
		require.Equal(t, podutil.SortedObjectKeys(want.terminating), podutil.SortedObjectKeys(c.idx.terminating), what)
		for k, p := range want.terminating {
			require.Same(t, p, c.idx.terminating[k], what)
		}
	}
	for _, n := range []string{"n1", "n2"} {
		require.NoError(t, api.CreateNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: n}}, "kubelet", "registered"))
	}
	key := func(name string) types.NamespacedName { return types.NamespacedName{Namespace: "default", Name: name} }
	for _, name := range []string{"a", "b", "c", "d"} {
		require.NoError(t, api.CreatePod(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "busybox"}}}}, "user", "create"))
	}
	check("created")
	require.True(t, api.BindPod(key("a"), "", "n1", "scheduler"))
	require.True(t, api.BindPod(key("b"), "", "n1", "scheduler"))
	require.True(t, api.BindPod(key("c"), "", "n2", "scheduler"))
	check("bound")
	require.True(t, api.UpdatePod(key("a"), "", "kubelet", "done", func(p *corev1.Pod) { p.Status.Phase = corev1.PodSucceeded }))
	check("finished")
	require.True(t, api.DeletePod(key("b"), "", nil, "user", "delete"))
	check("terminating")
	require.NoError(t, api.DeleteNode("n1", "user", "delete"))
	check("node deleted")
	require.True(t, api.DeletePod(key("b"), "", ptr.To[int64](0), "user", "force"))
	check("force-deleted")
	require.NoError(t, api.CreateNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n1"}}, "kubelet", "registered again"))
	check("node back")
	require.True(t, api.DeletePod(key("d"), "", nil, "user", "delete unscheduled"))
	require.NoError(t, api.DeleteNode("n2", "user", "delete"))
	check("second node deleted")
	require.NoError(t, eng.RunUntil(2*time.Minute))
	check("after the passes")
	require.Nil(t, api.Pod(key("c")), "the pod of the deleted node n2 was collected")
}
