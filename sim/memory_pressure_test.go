package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/sim"
)

const mi = int64(1) << 20

// pressureNode is a node whose allocatable memory is 1Gi: its capacity
// less the 100Mi of the default hard threshold memory.available<100Mi
// (pkg/kubelet/cm node_container_manager_linux.go GetNodeAllocatableReservation).
func pressureNode(t *testing.T, version string) *sim.Cluster {
	t.Helper()
	c, err := sim.New(sim.Config{Version: version, Seed: 1, CheckInvariants: true})
	require.NoError(t, err)
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}, Status: corev1.NodeStatus{Capacity: corev1.ResourceList{
		corev1.ResourceCPU: resource.MustParse("4"), corev1.ResourceMemory: resource.MustParse("1124Mi"),
		corev1.ResourceEphemeralStorage: resource.MustParse("100Gi"), corev1.ResourcePods: resource.MustParse("110"),
	}}}
	require.NoError(t, c.AddNode(node, sim.NodeOptions{Images: []string{"busybox:1.36"}}))
	alloc := c.Node("node-1").Status.Allocatable[corev1.ResourceMemory]
	require.Equal(t, "1Gi", alloc.String())
	return c
}

func sleeper(name string, res corev1.ResourceRequirements) *corev1.Pod {
	p := podWith(name, corev1.RestartPolicyAlways, corev1.Container{Name: "app", Image: "busybox:1.36", Command: []string{"sleep", "3600"}, Resources: res})
	return p
}

func memoryRes(req, limit string) corev1.ResourceRequirements {
	r := corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse(req)}}
	if limit != "" {
		r.Requests[corev1.ResourceCPU] = resource.MustParse("100m")
		r.Limits = corev1.ResourceList{corev1.ResourceMemory: resource.MustParse(limit), corev1.ResourceCPU: resource.MustParse("100m")}
	}
	return r
}

func uses(steps ...behavior.Stmt) map[string]behavior.Spec {
	return map[string]behavior.Spec{"app": {Main: behavior.Script(append(steps, behavior.Forever(behavior.Sleep(time.Hour))))}}
}

// nodeCondition is the node's condition of type ct as the API shows it.
func nodeCondition(c *sim.Cluster, ct corev1.NodeConditionType) *corev1.NodeCondition {
	for _, cond := range c.Node("node-1").Status.Conditions {
		if cond.Type == ct {
			return &cond
		}
	}
	return nil
}

// A node with 1Gi allocatable runs a BestEffort, a Burstable and a
// Guaranteed pod. At 31.19 s the BestEffort pod grows to 400Mi and
// memory.available (1124Mi − 1050Mi = 74Mi) falls below the hard
// threshold of 100Mi. The eviction manager's next pass, at 40 s (its loop
// runs every 10 s from 0 s), evicts the BestEffort pod — the only one over
// its request — with the kubelet's message (pkg/kubelet/eviction
// helpers.go evictionMessage), the Evicted event, phase Failed and reason
// Evicted once its container has stopped, and since 1.26 the
// DisruptionTarget condition (eviction_manager.go synchronize). The node
// reports MemoryPressure from that pass, and again MemoryPressure False 5
// minutes (evictionPressureTransitionPeriod) after the last pass that saw
// the threshold met; the node lifecycle controller adds and removes the
// node.kubernetes.io/memory-pressure:NoSchedule taint with it. Under memory pressure the kubelet refuses a new
// BestEffort pod and admits a Burstable one (eviction_manager.go Admit).
func TestMemoryPressureEvictsBestEffortFirst(t *testing.T) {
	for _, version := range sim.SupportedVersions {
		t.Run(version, func(t *testing.T) {
			c := pressureNode(t, version)
			require.NoError(t, c.CreatePod(sleeper("besteffort", corev1.ResourceRequirements{}),
				uses(behavior.UseMemory(100*mi), behavior.Sleep(30*time.Second), behavior.UseMemory(400*mi))))
			require.NoError(t, c.CreatePod(sleeper("burstable", memoryRes("200Mi", "")), uses(behavior.UseMemory(300*mi))))
			require.NoError(t, c.CreatePod(sleeper("guaranteed", memoryRes("400Mi", "400Mi")), uses(behavior.UseMemory(350*mi))))

			require.NoError(t, c.RunUntil(39*time.Second))
			require.Equal(t, corev1.ConditionFalse, nodeCondition(c, corev1.NodeMemoryPressure).Status, "no pass has seen the crossing yet")
			require.NoError(t, c.RunUntil(40*time.Second))

			// The Evicted event, at the first pass after the crossing.
			// helpers.go evictionMessage of the version: the threshold sentence
			// and the container sentence of PR #111597 (1.26).
			rules := c.Profile().Eviction
			want := "The node was low on resource: memory. "
			if rules.ThresholdInMessage {
				want += "Threshold quantity: 100Mi, available: 74Mi. "
			}
			if rules.ContainerMessageRequestIs {
				want += "Container app was using 400Mi, request is 0, has larger consumption of memory. "
			} else {
				want += "Container app was using 400Mi, which exceeds its request of 0. "
			}
			if version == "1.33" {
				require.Equal(t, "The node was low on resource: memory. Threshold quantity: 100Mi, available: 74Mi. Container app was using 400Mi, request is 0, has larger consumption of memory. ", want)
			}
			var evicted []string
			var at time.Duration
			for _, r := range c.Trace().Events() {
				if r.Event.Reason == "Evicted" {
					evicted = append(evicted, r.Event.InvolvedObject.Name)
					at = r.T
					require.Equal(t, want, r.Event.Message)
					require.Equal(t, corev1.EventTypeWarning, r.Event.Type)
				}
			}
			require.Equal(t, []string{"besteffort"}, evicted)
			require.Equal(t, 40*time.Second, at)

			// Admission under memory pressure: BestEffort refused, Burstable
			// admitted. nodeName set: the kubelet's admission, not the scheduler,
			// is under test.
			require.NoError(t, c.At(60*time.Second, func(c *sim.Cluster) error {
				late := sleeper("late-besteffort", corev1.ResourceRequirements{})
				late.Spec.NodeName = "node-1"
				if err := c.CreatePod(late, uses()); err != nil {
					return err
				}
				ok := sleeper("late-burstable", memoryRes("10Mi", ""))
				ok.Spec.NodeName = "node-1"
				return c.CreatePod(ok, uses())
			}))
			require.NoError(t, c.RunUntil(2*time.Minute))

			p := c.Pod("default", "besteffort")
			require.Equal(t, corev1.PodFailed, p.Status.Phase)
			require.Equal(t, "Evicted", p.Status.Reason)
			require.Equal(t, want, p.Status.Message)
			var dt *corev1.PodCondition
			for i := range p.Status.Conditions {
				if p.Status.Conditions[i].Type == corev1.DisruptionTarget {
					dt = &p.Status.Conditions[i]
				}
			}
			if c.Profile().Eviction.DisruptionTarget {
				require.NotNil(t, dt, "DisruptionTarget since 1.26")
				require.Equal(t, corev1.ConditionTrue, dt.Status)
				require.Equal(t, "TerminationByKubelet", dt.Reason)
				require.Equal(t, want, dt.Message)
			} else {
				require.Nil(t, dt)
			}
			for _, name := range []string{"burstable", "guaranteed", "late-burstable"} {
				require.Equal(t, corev1.PodRunning, c.Pod("default", name).Status.Phase, name)
			}
			late := c.Pod("default", "late-besteffort")
			require.Equal(t, corev1.PodFailed, late.Status.Phase)
			require.Equal(t, "Evicted", late.Status.Reason)
			// kubelet.go rejectPod prefixes the admission message.
			require.Equal(t, "Pod was rejected: The node had condition: [MemoryPressure]. ", late.Status.Message)
			require.Equal(t, "Evicted", lifecycle.PrintPod(late, c.Wall(), c.Profile().Lifecycle).Status)
			requireEvent(t, c, "late-besteffort", "Evicted", "The node had condition: [MemoryPressure]. ")

			// The node lifecycle controller mirrors the condition as a NoSchedule
			// taint (TaintNodesByCondition, node_lifecycle_controller.go
			// doNoScheduleTaintingPass).
			require.True(t, hasTaint(c, corev1.TaintNodeMemoryPressure), "taints %v", c.Node("node-1").Spec.Taints)
			mp := nodeCondition(c, corev1.NodeMemoryPressure)
			require.Equal(t, corev1.ConditionTrue, mp.Status)
			require.Equal(t, "KubeletHasInsufficientMemory", mp.Reason)
			require.Equal(t, "kubelet has insufficient memory available", mp.Message)

			// The last pass that met the threshold was at 40 s: the condition
			// clears at the first pass from 5m40s, reported by the next node
			// status update (every 10 s).
			var on, off time.Duration
			for _, r := range c.Trace().All() {
				n, ok := r.Object.(*corev1.Node)
				if r.Kind != "Node" || !ok {
					continue
				}
				for _, cond := range n.Status.Conditions {
					if cond.Type != corev1.NodeMemoryPressure {
						continue
					}
					if cond.Status == corev1.ConditionTrue && on == 0 {
						on = r.T
					}
					if cond.Status == corev1.ConditionFalse && on != 0 && off == 0 {
						off = r.T
					}
				}
			}
			require.NoError(t, c.RunUntil(10*time.Minute))
			for _, r := range c.Trace().All() {
				n, ok := r.Object.(*corev1.Node)
				if r.Kind != "Node" || !ok || r.T <= 2*time.Minute {
					continue
				}
				for _, cond := range n.Status.Conditions {
					if cond.Type == corev1.NodeMemoryPressure && cond.Status == corev1.ConditionFalse && off == 0 {
						off = r.T
						require.Equal(t, "KubeletHasSufficientMemory", cond.Reason)
					}
				}
			}
			require.False(t, hasTaint(c, corev1.TaintNodeMemoryPressure), "the taint goes with the condition")
			var tainted, untainted time.Duration
			for _, r := range c.Trace().All() {
				n, ok := r.Object.(*corev1.Node)
				if r.Kind != "Node" || !ok {
					continue
				}
				has := false
				for _, tn := range n.Spec.Taints {
					has = has || tn.Key == corev1.TaintNodeMemoryPressure && tn.Effect == corev1.TaintEffectNoSchedule
				}
				if has && tainted == 0 {
					tainted = r.T
				}
				if !has && tainted != 0 && untainted == 0 {
					untainted = r.T
				}
			}
			require.GreaterOrEqual(t, tainted, on)
			require.Less(t, tainted, on+time.Second, "tainted as the controller sees the condition")
			require.GreaterOrEqual(t, untainted, off)
			require.Less(t, untainted, off+time.Second, "untainted as the controller sees the condition go")
			t.Logf("tainted at %v, untainted at %v", tainted, untainted)
			require.GreaterOrEqual(t, on, 40*time.Second)
			require.Less(t, on, 50*time.Second, "MemoryPressure reported within a node status period of the pass")
			require.GreaterOrEqual(t, off, 40*time.Second+5*time.Minute, "MemoryPressure cleared before the transition period")
			require.Less(t, off, 40*time.Second+5*time.Minute+20*time.Second, "MemoryPressure cleared long after the transition period")
			t.Logf("MemoryPressure True at %v, False at %v", on, off)
		})
	}
}

// requireEvent requires a Warning event about the pod with this reason and
// message.
func requireEvent(t *testing.T, c *sim.Cluster, pod, reason, message string) {
	t.Helper()
	var seen []string
	for _, r := range c.Trace().Events() {
		if r.Event.InvolvedObject.Name == pod && r.Event.Reason == reason {
			if r.Event.Message == message && r.Event.Type == corev1.EventTypeWarning {
				return
			}
			seen = append(seen, r.Event.Message)
		}
	}
	require.Failf(t, "no event", "no Warning %s event %q about %s; saw %q", reason, message, pod, seen)
}

// Under disk pressure the kubelet refuses every pod, Guaranteed ones too
// (eviction_manager.go Admit). A pod fills the node's 10Gi disk to 9Gi
// through its writable layer; the pass at 10 s sees nodefs.available (1Gi
// less the images) below 10% and imagefs.available below 15%: DiskPressure.
// Image garbage collection finds no unused image, so the writer is evicted;
// the condition stays for 5 minutes and a Guaranteed pod created meanwhile
// is refused.
func TestDiskPressureRefusesEveryPod(t *testing.T) {
	for _, version := range sim.SupportedVersions {
		t.Run(version, func(t *testing.T) {
			c, err := sim.New(sim.Config{Version: version, Seed: 1, CheckInvariants: true})
			require.NoError(t, err)
			node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}, Status: corev1.NodeStatus{Capacity: corev1.ResourceList{
				corev1.ResourceCPU: resource.MustParse("4"), corev1.ResourceMemory: resource.MustParse("8Gi"),
				corev1.ResourceEphemeralStorage: resource.MustParse("10Gi"), corev1.ResourcePods: resource.MustParse("110"),
			}}}
			require.NoError(t, c.AddNode(node, sim.NodeOptions{Images: []string{"busybox:1.36"}}))
			require.NoError(t, c.CreatePod(sleeper("writer", corev1.ResourceRequirements{}),
				uses(behavior.Sleep(5*time.Second), behavior.UseDisk("/var/cache", 9<<30))))
			require.NoError(t, c.At(30*time.Second, func(c *sim.Cluster) error {
				g := sleeper("guaranteed", memoryRes("100Mi", "100Mi"))
				g.Spec.NodeName = "node-1"
				return c.CreatePod(g, uses())
			}))
			require.NoError(t, c.RunUntil(time.Minute))

			w := c.Pod("default", "writer")
			require.Equal(t, corev1.PodFailed, w.Status.Phase)
			require.Equal(t, "Evicted", w.Status.Reason)
			require.Contains(t, w.Status.Message, "The node was low on resource: ephemeral-storage. ")
			var reclaim []string
			for _, r := range c.Trace().Events() {
				if r.Event.InvolvedObject.Kind == "Node" && r.Event.Reason == "EvictionThresholdMet" {
					reclaim = append(reclaim, r.Event.Message)
				}
			}
			require.Contains(t, reclaim, "Attempting to reclaim ephemeral-storage")

			require.Equal(t, corev1.ConditionTrue, nodeCondition(c, corev1.NodeDiskPressure).Status)
			g := c.Pod("default", "guaranteed")
			require.Equal(t, corev1.PodFailed, g.Status.Phase)
			require.Equal(t, "Evicted", g.Status.Reason)
			require.Equal(t, "Pod was rejected: The node had condition: [DiskPressure]. ", g.Status.Message)
			requireEvent(t, c, "guaranteed", "Evicted", "The node had condition: [DiskPressure]. ")
		})
	}
}

func hasTaint(c *sim.Cluster, key string) bool {
	for _, tn := range c.Node("node-1").Spec.Taints {
		if tn.Key == key && tn.Effect == corev1.TaintEffectNoSchedule {
			return true
		}
	}
	return false
}
