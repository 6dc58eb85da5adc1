package sim_test

import (
	"fmt"
	"io"
	"math"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

// Regression tests for the defects issue 9 lists, one per defect, named
// after it.

// A terminationGracePeriodSeconds or a delete's gracePeriodSeconds too long
// for a time.Duration ended the run with "event scheduled in the past", or
// wrapped the deletionTimestamp around silently. The kill now waits beyond
// the end of any run, and the timestamp is exact (or the last one the API
// can write).
func TestHugeGracePeriodsDoNotOverflow(t *testing.T) {
	tests := []struct {
		name          string
		spec, delete  *int64
		wantTimestamp string
	}{
		{"terminationGracePeriodSeconds 9223372036", ptr.To[int64](9223372036), nil, "2317-04-12T23:47:36Z"},
		{"terminationGracePeriodSeconds 99999999999", ptr.To[int64](99999999999), nil, "5193-11-16T09:46:59Z"},
		{"terminationGracePeriodSeconds max int64", ptr.To[int64](math.MaxInt64), nil, "9999-12-31T23:59:59Z"},
		{"delete gracePeriodSeconds max int64", nil, ptr.To[int64](math.MaxInt64), "9999-12-31T23:59:59Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCluster(t, sim.DefaultVersion, 1, "busybox:1.36")
			pod := podWith("web", corev1.RestartPolicyAlways, corev1.Container{Name: "app", Image: "busybox:1.36"})
			pod.Spec.TerminationGracePeriodSeconds = tc.spec
			require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": {Main: behavior.Script{behavior.Sleep(time.Hour)}, Stop: behavior.IgnoreStop()}}))
			require.NoError(t, c.At(20*time.Second, func(c *sim.Cluster) error {
				return c.DeletePod("default", "web", sim.DeleteOptions{GracePeriodSeconds: tc.delete})
			}))
			require.NoError(t, c.RunUntil(10*time.Minute))
			p := c.Pod("default", "web")
			require.NotNil(t, p, "still terminating: the grace period has not run out")
			require.Equal(t, tc.wantTimestamp, p.DeletionTimestamp.UTC().Format(time.RFC3339))
		})
	}
}

// AddNode after RunUntil(math.MaxInt64) never returned: placing the new
// kubelet's loops on their phase grid overflowed and looped for ever.
func TestAddNodeAfterRunUntilMaxInt64(t *testing.T) {
	c, err := sim.New(sim.Config{Seed: 1})
	require.NoError(t, err)
	require.NoError(t, c.RunUntil(math.MaxInt64))
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "late"}}, sim.NodeOptions{}))
	require.NotNil(t, c.Node("late"))
}

// The IP allocator handed out 10.244.0.256 once a node had started 255
// sandboxes, and a podCIDR of 255.255.255.0/24 gave a second node
// 255.255.256.2. Addresses are now those of the node's /24, released when a
// sandbox stops and reused round robin; a node with none left fails its
// sandboxes as host-local IPAM does, and a node with no /24 is refused.
func TestPodIPsStayInTheNodesRange(t *testing.T) {
	c, err := sim.New(sim.Config{Seed: 1, CheckInvariants: true})
	require.NoError(t, err)
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}
	node.Status.Capacity = corev1.ResourceList{corev1.ResourcePods: resource.MustParse("1000"), corev1.ResourceCPU: resource.MustParse("100"), corev1.ResourceMemory: resource.MustParse("100Gi")}
	require.NoError(t, c.AddNode(node, sim.NodeOptions{Images: []string{"busybox:1.36"}}))
	run := map[string]behavior.Spec{"app": {Main: behavior.Script{behavior.Sleep(time.Hour)}, Stop: behavior.DieOnStop()}}
	name := func(i int) string { return fmt.Sprintf("p%03d", i) }
	// 300 pods one after another, each deleted before the next: 300 sandboxes
	// in all, never more than one at a time.
	for i := range 300 {
		at := time.Duration(i) * 10 * time.Second
		require.NoError(t, c.At(at, func(c *sim.Cluster) error {
			return c.CreatePod(podWith(name(i), corev1.RestartPolicyAlways, corev1.Container{Name: "app", Image: "busybox:1.36"}), run)
		}))
		require.NoError(t, c.At(at+5*time.Second, func(c *sim.Cluster) error {
			return c.DeletePod("default", name(i), sim.DeleteOptions{GracePeriodSeconds: ptr.To[int64](1)})
		}))
	}
	require.NoError(t, c.RunUntil(300*10*time.Second))
	seen := map[string]bool{}
	for _, r := range c.Trace().Pods() {
		if ip := r.Pod.Status.PodIP; ip != "" {
			addr := netip.MustParseAddr(ip)
			require.True(t, netip.MustParsePrefix("10.244.0.0/24").Contains(addr), "pod %s got %s", r.Name, ip)
			require.NotEqual(t, "10.244.0.255", ip)
			seen[ip] = true
		}
	}
	require.Len(t, seen, 253, "every address from .2 to .254 was used, and reused")

	// All at once: 253 fit, the 254th fails its sandbox.
	c, err = sim.New(sim.Config{Seed: 1})
	require.NoError(t, err)
	require.NoError(t, c.AddNode(node, sim.NodeOptions{Images: []string{"busybox:1.36"}}))
	for i := range 254 {
		require.NoError(t, c.CreatePod(podWith(name(i), corev1.RestartPolicyAlways, corev1.Container{Name: "app", Image: "busybox:1.36"}), run))
	}
	require.NoError(t, c.RunUntil(time.Minute))
	require.Equal(t, "10.244.0.254", c.Pod("default", name(252)).Status.PodIP)
	last := c.Pod("default", name(253))
	require.Empty(t, last.Status.PodIP)
	var failed []string
	for _, e := range c.Events() {
		if e.Reason == "FailedCreatePodSandBox" && e.InvolvedObject.Name == name(253) {
			failed = append(failed, e.Message)
		}
	}
	require.NotEmpty(t, failed)
	require.Contains(t, failed[0], "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox ")
	require.Contains(t, failed[0], `plugin type="bridge" failed (add): failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.254`)

	// No /24 left for a second node after 255.255.255.0/24.
	c, err = sim.New(sim.Config{Seed: 1, Env: sim.Environment{Network: sim.Network{PodCIDR: "255.255.255.0/24"}}})
	require.NoError(t, err)
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "a"}}, sim.NodeOptions{}))
	err = c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "b"}}, sim.NodeOptions{})
	require.EqualError(t, err, `node "b": no pod address range left: network.podCIDR 255.255.255.0/24 gives node 1 no /24 within 255.255.255.255`)
	require.Nil(t, c.Node("b"), "a refused node is not registered")
}

// preStop.sleep.seconds: 0 was refused on 1.33, where the API server allows
// it (PodLifecycleSleepActionAllowZero, beta in 1.33); a sleep longer than
// the grace period was accepted, where the API server refuses it.
func TestSleepHookZeroOnNewerVersions(t *testing.T) {
	pod := func(seconds int64) *corev1.Pod {
		p := podWith("p", "", corev1.Container{Name: "app", Image: "busybox:1.36",
			Lifecycle: &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{Sleep: &corev1.SleepAction{Seconds: seconds}}}})
		p.Spec.TerminationGracePeriodSeconds = ptr.To[int64](30)
		return p
	}
	errs, err := sim.ValidatePod(pod(0), "1.33")
	require.NoError(t, err)
	require.Empty(t, errs, "0 s is allowed in 1.33")
	errs, _ = sim.ValidatePod(pod(31), "1.33")
	require.EqualError(t, errs.ToAggregate(), "spec.containers[0].lifecycle.preStop.sleep.seconds: Invalid value: 31: must be non-negative and less than terminationGracePeriodSeconds (30)")
	errs, _ = sim.ValidatePod(pod(0), "1.25")
	require.EqualError(t, errs.ToAggregate(), "spec.containers[0].lifecycle.preStop.sleep: Forbidden: the sleep action needs Kubernetes 1.30 or later; this cluster follows 1.25")

	// And a zero sleep runs: the container is stopped at once.
	c := newCluster(t, "1.33", 1, "busybox:1.36")
	require.NoError(t, c.CreatePod(pod(0), map[string]behavior.Spec{"app": sleepForever()}))
	require.NoError(t, c.At(10*time.Second, func(c *sim.Cluster) error { return c.DeletePod("", "p", sim.DeleteOptions{}) }))
	require.NoError(t, c.RunUntil(15*time.Second))
	require.Nil(t, c.Pod("default", "p"), "deleted within a few seconds, no sleep")
}

// A negative terminationGracePeriodSeconds was refused, where the API server
// stores it with a warning and a delete treats it as 1 s.
func TestNegativeTerminationGracePeriodIsAWarning(t *testing.T) {
	c := newCluster(t, "1.33", 1, "busybox:1.36")
	p := podWith("p", "", corev1.Container{Name: "app", Image: "busybox:1.36"})
	p.Spec.TerminationGracePeriodSeconds = ptr.To[int64](-5)
	require.NoError(t, c.CreatePod(p, map[string]behavior.Spec{"app": sleepForever()}))
	added := c.Trace().Pods()[0]
	require.Equal(t, []string{"spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1"}, added.Warnings)
	require.EqualValues(t, -5, *c.Pod("default", "p").Spec.TerminationGracePeriodSeconds, "stored as given")
	require.NoError(t, c.At(10*time.Second, func(c *sim.Cluster) error { return c.DeletePod("", "p", sim.DeleteOptions{}) }))
	require.NoError(t, c.RunUntil(time.Minute))
	var grace []int64
	for _, r := range c.Trace().Pods() {
		if r.Actor == "user" && r.Pod.DeletionGracePeriodSeconds != nil {
			grace = append(grace, *r.Pod.DeletionGracePeriodSeconds)
		}
	}
	require.Equal(t, []int64{1}, grace, "the delete took 1 s as the grace period")
	require.Nil(t, c.Pod("default", "p"))
}

// The Go API panicked on nil arguments and on a Cluster not made by New;
// each call returns an error (or nothing to read) instead.
func TestNilArgumentsAndZeroClustersReturnErrors(t *testing.T) {
	c := newCluster(t, sim.DefaultVersion, 1)
	require.EqualError(t, c.CreatePod(nil, nil), "sim: CreatePod needs a pod (got a nil *corev1.Pod)")
	require.EqualError(t, c.Create((*corev1.Service)(nil)), "sim: Create needs an object (got a nil *v1.Service)")
	require.EqualError(t, c.Create(nil), "sim: Create needs an object (got nil)")
	require.EqualError(t, c.AddNode(nil, sim.NodeOptions{}), "node: metadata.name: Required value")
	require.EqualError(t, c.At(time.Second, nil), "sim: At needs a function to run")
	require.EqualError(t, c.InContainer("", "p", "c", "x", nil), "sim: InContainer needs something to do")
	require.ErrorIs(t, trace.Watch(io.Discard, nil, trace.WatchOptions{}), trace.ErrNilTrace)
	require.ErrorIs(t, trace.WriteJSONL(io.Discard, nil, c.Profile().Lifecycle), trace.ErrNilTrace)
	require.ErrorIs(t, trace.Timeline(io.Discard, nil, trace.TimelineOptions{}), trace.ErrNilTrace)
	require.Len(t, trace.WatchRows(nil, trace.WatchOptions{}), 1, "just the header")
	require.Error(t, trace.DescribePod(io.Discard, nil, nil, time.Time{}, trace.DescribeOptions{}))

	for name, c := range map[string]*sim.Cluster{"zero": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			require.ErrorIs(t, c.RunUntil(time.Minute), sim.ErrNotBuilt)
			require.ErrorIs(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n"}}, sim.NodeOptions{}), sim.ErrNotBuilt)
			require.ErrorIs(t, c.CreatePod(podWith("p", ""), nil), sim.ErrNotBuilt)
			require.ErrorIs(t, c.DeletePod("", "p", sim.DeleteOptions{}), sim.ErrNotBuilt)
			require.ErrorIs(t, c.At(0, func(*sim.Cluster) error { return nil }), sim.ErrNotBuilt)
			require.ErrorIs(t, c.Create(&corev1.Service{}), sim.ErrNotBuilt)
			require.ErrorIs(t, c.Delete("Service", "", "s"), sim.ErrNotBuilt)
			require.ErrorIs(t, c.SetPodCondition("", "p", corev1.PodCondition{Type: "x"}), sim.ErrNotBuilt)
			require.ErrorIs(t, c.InContainer("", "p", "c", "x", func(*behavior.Container) {}), sim.ErrNotBuilt)
			require.ErrorIs(t, c.Err(), sim.ErrNotBuilt)
			require.Nil(t, c.Pod("", "p"))
			require.Nil(t, c.Pods())
			require.Nil(t, c.Events())
			require.Nil(t, c.Node("n"))
			require.Nil(t, c.Service("", "s"))
			require.Nil(t, c.Endpoints("", "s"))
			require.Nil(t, c.Container("", "p", "c"))
			require.Nil(t, c.Profile())
			require.Nil(t, c.Engine())
			require.Zero(t, c.Now())
			require.Zero(t, c.Wall())
		})
	}
}

// requests.memory: 9Pi overflowed: the scheduler counted memory in
// milli-units, so 9Pi wrapped around and "fitted" a node of 8Pi, which the
// kubelet then refused. Memory is counted in bytes, CPU in millicores.
func TestHugeQuantitiesDoNotOverflow(t *testing.T) {
	c, err := sim.New(sim.Config{Seed: 1, CheckInvariants: true})
	require.NoError(t, err)
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "big"}}
	node.Status.Capacity = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("64"), corev1.ResourceMemory: resource.MustParse("8Pi"), corev1.ResourcePods: resource.MustParse("110")}
	require.NoError(t, c.AddNode(node, sim.NodeOptions{}))
	p := podWith("web", "", corev1.Container{Name: "app", Image: "busybox:1.36",
		Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("9Pi")}}})
	require.NoError(t, c.CreatePod(p, map[string]behavior.Spec{"app": sleepForever()}))
	require.NoError(t, c.RunUntil(time.Minute))
	got := c.Pod("default", "web")
	require.Empty(t, got.Spec.NodeName)
	cond := got.Status.Conditions[0]
	require.Equal(t, "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.", cond.Message)
}
