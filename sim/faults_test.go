package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/sim"
)

// twoNodes is a cluster of node-1 and node-2 with busybox present, and a
// long-running pod pinned to node-2.
func twoNodes(t *testing.T, version string) *sim.Cluster {
	t.Helper()
	c, err := sim.New(sim.Config{Version: version, Seed: 1, CheckInvariants: true})
	require.NoError(t, err)
	for _, n := range []string{"node-1", "node-2"} {
		require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: n}}, sim.NodeOptions{Images: []string{"busybox:1.36"}}))
	}
	pod := podWith("web", corev1.RestartPolicyAlways, corev1.Container{Name: "app", Image: "busybox:1.36"})
	pod.Spec.NodeSelector = map[string]string{corev1.LabelHostname: "node-2"}
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": {Main: behavior.Script{behavior.Sleep(time.Hour)}}}))
	return c
}

func taintKeys(n *corev1.Node) []string {
	var out []string
	for _, t := range n.Spec.Taints {
		out = append(out, t.Key+":"+string(t.Effect))
	}
	return out
}

func podReady(t *testing.T, c *sim.Cluster, name string) corev1.ConditionStatus {
	t.Helper()
	p := c.Pod("default", name)
	require.NotNil(t, p)
	return podutil.FindCondition(p.Status.Conditions, corev1.PodReady).Status
}

// A node cut off from the control plane: Ready=Unknown after the grace
// period, the unreachable taints, its pod marked not ready while its
// container keeps running; when the network comes back, the kubelet's
// heartbeat clears the taints and its status manager puts Ready back.
func TestCutNodeNetwork(t *testing.T) {
	c := twoNodes(t, "1.33")
	require.NoError(t, c.At(30*time.Second, func(c *sim.Cluster) error { return c.CutNodeNetwork("node-2") }))
	require.NoError(t, c.RunUntil(29*time.Second))
	require.Equal(t, corev1.ConditionTrue, podReady(t, c, "web"))
	require.NoError(t, c.RunUntil(2*time.Minute))
	n := c.Node("node-2")
	ready := podutil.FindNodeCondition(n.Status.Conditions, corev1.NodeReady)
	require.Equal(t, corev1.ConditionUnknown, ready.Status)
	require.Equal(t, "Kubelet stopped posting node status.", ready.Message)
	require.ElementsMatch(t, []string{"node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"}, taintKeys(n))
	require.Equal(t, corev1.ConditionFalse, podReady(t, c, "web"))
	require.NotNil(t, c.Container("default", "web", "app"), "the container keeps running")
	require.Empty(t, taintKeys(c.Node("node-1")))

	require.NoError(t, c.At(150*time.Second, func(c *sim.Cluster) error { return c.RestoreNodeNetwork("node-2") }))
	require.NoError(t, c.RunUntil(170*time.Second))
	n = c.Node("node-2")
	require.Equal(t, corev1.ConditionTrue, podutil.FindNodeCondition(n.Status.Conditions, corev1.NodeReady).Status)
	require.Empty(t, taintKeys(n))
	require.Equal(t, corev1.ConditionTrue, podReady(t, c, "web"))
}

// A container runtime that stops: the kubelet reports NotReady 30 s later,
// "container runtime is down"; the not-ready NoSchedule taint follows at
// once and the NoExecute one at the next health pass, within 5 s.
func TestStopContainerRuntime(t *testing.T) {
	c := twoNodes(t, "1.33")
	require.NoError(t, c.At(20*time.Second, func(c *sim.Cluster) error { return c.StopContainerRuntime("node-2") }))
	require.NoError(t, c.RunUntil(2*time.Minute))
	n := c.Node("node-2")
	ready := podutil.FindNodeCondition(n.Status.Conditions, corev1.NodeReady)
	require.Equal(t, corev1.ConditionFalse, ready.Status)
	require.Equal(t, "container runtime is down", ready.Message)
	var noSchedule, noExecute time.Time
	for _, t := range n.Spec.Taints {
		switch t.Key + ":" + string(t.Effect) {
		case "node.kubernetes.io/not-ready:NoSchedule":
			noSchedule = t.TimeAdded.Time
		case "node.kubernetes.io/not-ready:NoExecute":
			noExecute = t.TimeAdded.Time
		}
	}
	require.False(t, noSchedule.IsZero())
	gap := noExecute.Sub(noSchedule)
	require.True(t, gap > 0 && gap <= 5*time.Second, "gap %v", gap)

	require.NoError(t, c.At(3*time.Minute, func(c *sim.Cluster) error { return c.StartContainerRuntime("node-2") }))
	require.NoError(t, c.RunUntil(200*time.Second))
	require.Empty(t, taintKeys(c.Node("node-2")))
}

// kubectl's node commands.
func TestNodeCommands(t *testing.T) {
	c := twoNodes(t, "1.33")
	require.NoError(t, c.Cordon("node-1"))
	require.True(t, c.Node("node-1").Spec.Unschedulable)
	require.NoError(t, c.RunUntil(time.Second))
	require.Equal(t, []string{"node.kubernetes.io/unschedulable:NoSchedule"}, taintKeys(c.Node("node-1")))
	require.NoError(t, c.Uncordon("node-1"))
	require.NoError(t, c.TaintNode("node-1", corev1.Taint{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule}, false))
	require.EqualError(t, c.TaintNode("node-1", corev1.Taint{Key: "dedicated", Value: "x", Effect: corev1.TaintEffectNoSchedule}, false),
		"node node-1 already has dedicated taint(s) with same effect(s) and --overwrite is false")
	require.NoError(t, c.RunUntil(2*time.Second))
	require.Equal(t, []string{"dedicated:NoSchedule"}, taintKeys(c.Node("node-1")))
	require.NoError(t, c.UntaintNode("node-1", "dedicated", ""))
	require.Empty(t, taintKeys(c.Node("node-1")))
	require.NoError(t, c.LabelNode("node-1", "disk", "ssd"))
	require.Equal(t, "ssd", c.Node("node-1").Labels["disk"])
	require.NoError(t, c.UnlabelNode("node-1", "disk"))
	require.NotContains(t, c.Node("node-1").Labels, "disk")
	require.NoError(t, c.DeleteNode("node-1"))
	require.Nil(t, c.Node("node-1"))
	require.Error(t, c.CutNodeNetwork("nope"))
}

// A node rebooted for 2 minutes: its containers are gone while it is off;
// when it boots, the kubelet finds the sandbox down, re-creates it and
// starts the container again — the same pod, one restart, the last state
// Terminated with exit code 255 and reason Unknown.
func TestRebootNode(t *testing.T) {
	c := twoNodes(t, "1.33")
	run(t, c, 30*time.Second)
	before := c.Pod("default", "web")
	require.NoError(t, c.RebootNode("node-2", 2*time.Minute))
	run(t, c, 40*time.Second)
	require.Nil(t, c.Container("default", "web", "app"), "the process is gone")
	run(t, c, 3*time.Minute)
	p := c.Pod("default", "web")
	require.Equal(t, before.UID, p.UID)
	cs := p.Status.ContainerStatuses[0]
	require.Equal(t, int32(1), cs.RestartCount)
	require.NotNil(t, cs.State.Running)
	require.NotNil(t, cs.LastTerminationState.Terminated)
	require.Equal(t, int32(255), cs.LastTerminationState.Terminated.ExitCode)
	require.Equal(t, "Unknown", cs.LastTerminationState.Terminated.Reason)
	require.Len(t, eventsOf(c, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created."), 1)
	require.Len(t, eventsOf(c, "Starting", "Starting kubelet."), 3, "node-1, node-2 and node-2 again")
	require.Equal(t, corev1.ConditionTrue, podReady(t, c, "web"))
	require.Empty(t, taintKeys(c.Node("node-2")))
}

// A stopped kubelet: heartbeats stop (Ready=Unknown after the grace
// period) while the container keeps running; nothing restarts it when it
// exits until the kubelet starts again.
func TestStopKubelet(t *testing.T) {
	c := twoNodes(t, "1.33")
	run(t, c, 30*time.Second)
	require.NoError(t, c.StopKubelet("node-2"))
	run(t, c, 2*time.Minute)
	require.Equal(t, corev1.ConditionUnknown, podutil.FindNodeCondition(c.Node("node-2").Status.Conditions, corev1.NodeReady).Status)
	require.NotNil(t, c.Container("default", "web", "app"), "the container keeps running")
	require.NoError(t, c.StartKubelet("node-2"))
	run(t, c, 130*time.Second)
	require.Equal(t, corev1.ConditionTrue, podutil.FindNodeCondition(c.Node("node-2").Status.Conditions, corev1.NodeReady).Status)
	require.Equal(t, int32(0), c.Pod("default", "web").Status.ContainerStatuses[0].RestartCount)
}
