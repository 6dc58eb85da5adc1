package sim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

// webPod is a pod of the PDB's app, pinned to a node; its process exits
// on SIGTERM.
func webPod(name, node string) *corev1.Pod {
	p := podWith(name, "", corev1.Container{Name: "app", Image: "app:1"})
	p.Labels = map[string]string{"app": "web"}
	p.Spec.NodeName = node
	return p
}

func createWeb(t *testing.T, c *sim.Cluster, name, node string) {
	t.Helper()
	spec := sleepForever()
	spec.Stop = behavior.ExitOnStop(0, 0)
	require.NoError(t, c.CreatePod(webPod(name, node), map[string]behavior.Spec{"app": spec}))
}

// A drain of a node whose pods a PDB guards (minAvailable 2 of 3) evicts
// one pod, is refused the others with 429 and retries every 5 s; a new
// pod elsewhere lets the next one go. The PDB's status is the disruption
// controller's at every step.
func TestDrainBlockedThenAllowed(t *testing.T) {
	c := newCluster(t, "1.33", 1, "app:1")
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-2"}}, sim.NodeOptions{Images: []string{"app:1"}}))
	for _, n := range []string{"web-1", "web-2", "web-3"} {
		createWeb(t, c, n, "node-1")
	}
	require.NoError(t, c.Create(&policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: policyv1.PodDisruptionBudgetSpec{
		MinAvailable: ptr.To(intstr.FromInt32(2)), Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}}}))
	run(t, c, 20*time.Second)
	st := c.PodDisruptionBudget("", "web").Status
	require.Equal(t, [4]int32{3, 2, 3, 1}, [4]int32{st.ExpectedPods, st.DesiredHealthy, st.CurrentHealthy, st.DisruptionsAllowed})

	var d *sim.Drain
	require.NoError(t, c.At(20*time.Second, func(c *sim.Cluster) (err error) {
		d, err = c.Drain("node-1", sim.DrainOptions{Force: true})
		return err
	}))
	run(t, c, 20*time.Second+100*time.Millisecond)
	st = c.PodDisruptionBudget("", "web").Status
	require.Equal(t, [4]int32{3, 2, 2, 0}, [4]int32{st.ExpectedPods, st.DesiredHealthy, st.CurrentHealthy, st.DisruptionsAllowed},
		"the API server took the one disruption; the controller, seeing web-1 being deleted, no longer counts it")
	run(t, c, 40*time.Second)
	require.Nil(t, c.Pod("", "web-1"))
	require.False(t, d.Done())
	require.NoError(t, c.At(40*time.Second, func(c *sim.Cluster) error {
		createWeb(t, c, "web-4", "node-2")
		return nil
	}))
	run(t, c, 80*time.Second)
	require.NoError(t, c.At(80*time.Second, func(c *sim.Cluster) error {
		createWeb(t, c, "web-5", "node-2")
		return nil
	}))
	run(t, c, 2*time.Minute)
	require.True(t, d.Done())
	require.NoError(t, d.Err())

	var lines []string
	for _, l := range d.Lines() {
		lines = append(lines, fmt.Sprintf("%v %s", l.T.Truncate(time.Second), l.Text))
	}
	t.Log(strings.Join(lines, "\n"))
	retry := `error when evicting pods/"web-2" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`
	require.Equal(t, "20s node/node-1 cordoned", lines[0])
	require.Equal(t, "20s Warning: deleting Pods that declare no controller: default/web-1, default/web-2, default/web-3", lines[1])
	require.Equal(t, "20s evicting pod default/web-1", lines[2])
	require.Equal(t, "20s evicting pod default/web-2", lines[3])
	require.Equal(t, "20s "+retry, lines[4])
	require.Contains(t, lines, "25s evicting pod default/web-2")
	require.Contains(t, lines, "25s "+retry)
	require.Equal(t, "node/node-1 drained", strings.SplitN(lines[len(lines)-1], " ", 2)[1])
}

// Drain refuses pods without a controller unless forced.
func TestDrainRefusesUnmanagedPods(t *testing.T) {
	c := newCluster(t, "1.33", 1, "app:1")
	createWeb(t, c, "web-1", "node-1")
	run(t, c, 10*time.Second)
	d, err := c.Drain("node-1", sim.DrainOptions{})
	require.NoError(t, err)
	require.True(t, d.Done())
	require.EqualError(t, d.Err(), "cannot delete Pods that declare no controller (use --force to override): default/web-1")
	var texts []string
	for _, l := range d.Lines() {
		texts = append(texts, l.Text)
	}
	require.Equal(t, []string{
		"node/node-1 cordoned",
		`error: unable to drain node "node-1" due to error: cannot delete Pods that declare no controller (use --force to override): default/web-1, continuing command...`,
		"There are pending nodes to be drained:",
		" node-1",
		"error: cannot delete Pods that declare no controller (use --force to override): default/web-1",
	}, texts)
	require.True(t, c.Node("node-1").Spec.Unschedulable, "the cordon stays")
	_, err = c.Drain("nope", sim.DrainOptions{})
	require.EqualError(t, err, `Error from server (NotFound): nodes "nope" not found`)
}

// The acceptance case: a ReplicaSet of 3 under a PDB with maxUnavailable 1.
// The drain evicts one pod at a time: each eviction waits until the
// ReplicaSet's replacement (on the other node) is Ready. The budget's
// status, at every write, is what the disruption controller computes.
func TestDrainMaxUnavailableOneAtATime(t *testing.T) {
	c := workloadCluster(t, "node-1")
	rs := webReplicaSet(3)
	require.NoError(t, c.CreateWorkload(rs, map[string]behavior.Spec{"app": sleepForever()}))
	require.NoError(t, c.Create(&policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: policyv1.PodDisruptionBudgetSpec{
		MaxUnavailable: ptr.To(intstr.FromInt32(1)), Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}}}))
	run(t, c, 20*time.Second)
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-2"}}, sim.NodeOptions{}))
	var d *sim.Drain
	require.NoError(t, c.At(30*time.Second, func(c *sim.Cluster) (err error) {
		d, err = c.Drain("node-1", sim.DrainOptions{})
		return err
	}))
	run(t, c, 3*time.Minute)
	require.True(t, d.Done())
	require.NoError(t, d.Err())
	for _, p := range c.Pods() {
		require.Equal(t, "node-2", p.Spec.NodeName)
	}

	// Every write of the budget's status, as (expected, desired, healthy,
	// allowed) and who wrote it.
	var steps []string
	for _, r := range c.Trace().All() {
		if r.Kind == "PodDisruptionBudget" && r.Op == trace.Modified {
			st := r.Object.(*policyv1.PodDisruptionBudget).Status
			steps = append(steps, fmt.Sprintf("%s %d/%d/%d/%d", r.Actor, st.ExpectedPods, st.DesiredHealthy, st.CurrentHealthy, st.DisruptionsAllowed))
		}
	}
	t.Log(strings.Join(steps, "\n"))
	// One eviction at a time: between two evictions (user writes), the
	// controller sees a replacement Ready and allows one more.
	evictions := 0
	for i, s := range steps {
		if strings.HasPrefix(s, "user ") {
			evictions++
			require.Equal(t, "user 3/2/3/0", s, "an eviction takes the one disruption allowed")
			require.Equal(t, "disruption-controller 3/2/3/1", steps[i-1])
		}
	}
	require.Equal(t, 3, evictions)

	var evicting []string
	for _, l := range d.Lines() {
		if strings.HasPrefix(l.Text, "pod/") {
			evicting = append(evicting, fmt.Sprintf("%v %s", l.T.Truncate(time.Second), l.Text))
		}
	}
	t.Log(strings.Join(evicting, "\n"))
	require.Len(t, evicting, 3)
}
