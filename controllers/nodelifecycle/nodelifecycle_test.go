package nodelifecycle_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/controllers/nodelifecycle"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// harness is an API server, the controller, and fake kubelets that renew
// their Leases every 10 s while alive.
type harness struct {
	t     *testing.T
	eng   *engine.Engine
	api   *apiserver.Server
	tr    *trace.Trace
	alive map[string]bool
}

func newHarness(t *testing.T, version string, nodes ...string) *harness {
	return newHarnessElision(t, version, false, nodes...)
}

func newHarnessElision(t *testing.T, version string, noElision bool, nodes ...string) *harness {
	eng := engine.New(1)
	prof, err := profile.For(version)
	require.NoError(t, err)
	tr := &trace.Trace{}
	api := apiserver.New(apiserver.Config{Engine: eng, Profile: prof, Trace: tr, WatchLatency: 10 * time.Millisecond})
	h := &harness{t: t, eng: eng, api: api, tr: tr, alive: map[string]bool{}}
	for _, name := range nodes {
		now := api.Stamp(0)
		require.NoError(t, api.CreateNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name},
			Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue,
				Reason: "KubeletReady", LastHeartbeatTime: now, LastTransitionTime: now}}}}, "kubelet/"+name, "registered"))
		h.alive[name] = true
		lease := &coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: corev1.NamespaceNodeLease},
			Spec: coordinationv1.LeaseSpec{RenewTime: &metav1.MicroTime{Time: eng.Wall(0)}}}
		require.NoError(t, api.CreateLease(lease, "kubelet/"+name, "created"))
		var renew *engine.Timer
		renew = eng.NewTimer(engine.PriorityNormal, func() {
			if h.alive[name] {
				l := api.Lease(types.NamespacedName{Namespace: corev1.NamespaceNodeLease, Name: name}).DeepCopy()
				l.Spec.RenewTime = &metav1.MicroTime{Time: eng.Wall(eng.Now())}
				require.NoError(t, api.UpdateLease(l, "kubelet/"+name, "renewed"))
			}
			renew.ResetAfter(10 * time.Second)
		})
		renew.Reset(10 * time.Second)
	}
	events := record.NewBroadcaster(eng, api, tr, true)
	_, err = nodelifecycle.New(nodelifecycle.Config{Engine: eng, Client: api, Profile: prof,
		Events: events.NewRecorder(record.Source{Component: nodelifecycle.Component}), MonitorPhase: 2 * time.Second,
		NoElision: noElision})
	require.NoError(t, err)
	return h
}

func (h *harness) runUntil(t time.Duration) {
	h.t.Helper()
	require.NoError(h.t, h.eng.RunUntil(t))
}

// setCondition is the kubelet posting a condition.
func (h *harness) setCondition(node string, typ corev1.NodeConditionType, st corev1.ConditionStatus) {
	now := h.api.Stamp(h.eng.Now())
	h.api.UpdateNode(node, "kubelet/"+node, "status", func(n *corev1.Node) {
		if c := podutil.FindNodeCondition(n.Status.Conditions, typ); c != nil {
			c.Status, c.LastHeartbeatTime, c.LastTransitionTime = st, now, now
			return
		}
		n.Status.Conditions = append(n.Status.Conditions, corev1.NodeCondition{Type: typ, Status: st, LastHeartbeatTime: now, LastTransitionTime: now})
	})
}

// taints are the node's taints as key:effect, with the time each was added.
func (h *harness) taints(node string) map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, t := range h.api.Node(node).Spec.Taints {
		at := time.Duration(-1)
		if t.TimeAdded != nil {
			at = t.TimeAdded.Sub(h.eng.Wall(0))
		}
		out[t.Key+":"+string(t.Effect)] = at
	}
	return out
}

// The conditions' NoSchedule taints come and go with the conditions, as
// doNoScheduleTaintingPass mirrors them (TaintNodesByCondition).
func TestNoScheduleTaintsFollowConditions(t *testing.T) {
	tests := []struct {
		cond corev1.NodeConditionType
		st   corev1.ConditionStatus
		want string
	}{
		{corev1.NodeMemoryPressure, corev1.ConditionTrue, "node.kubernetes.io/memory-pressure:NoSchedule"},
		{corev1.NodeDiskPressure, corev1.ConditionTrue, "node.kubernetes.io/disk-pressure:NoSchedule"},
		{corev1.NodePIDPressure, corev1.ConditionTrue, "node.kubernetes.io/pid-pressure:NoSchedule"},
		{corev1.NodeNetworkUnavailable, corev1.ConditionTrue, "node.kubernetes.io/network-unavailable:NoSchedule"},
		{corev1.NodeReady, corev1.ConditionFalse, "node.kubernetes.io/not-ready:NoSchedule"},
	}
	for _, tc := range tests {
		t.Run(string(tc.cond), func(t *testing.T) {
			h := newHarness(t, "1.33", "a", "b")
			h.runUntil(3 * time.Second)
			require.Empty(t, h.taints("a"))
			h.setCondition("a", tc.cond, tc.st)
			h.runUntil(3*time.Second + 20*time.Millisecond)
			require.Contains(t, h.taints("a"), tc.want)
			require.Equal(t, 3*time.Second, h.taints("a")[tc.want], "timeAdded")
			healthy := corev1.ConditionFalse
			if tc.cond == corev1.NodeReady {
				healthy = corev1.ConditionTrue
			}
			h.setCondition("a", tc.cond, healthy)
			h.runUntil(4 * time.Second)
			require.NotContains(t, h.taints("a"), tc.want)
		})
	}
	t.Run("unschedulable", func(t *testing.T) {
		h := newHarness(t, "1.33", "a")
		h.runUntil(time.Second)
		h.api.UpdateNode("a", "user", "cordon", func(n *corev1.Node) { n.Spec.Unschedulable = true })
		h.runUntil(2 * time.Second)
		require.Contains(t, h.taints("a"), "node.kubernetes.io/unschedulable:NoSchedule")
		h.api.UpdateNode("a", "user", "uncordon", func(n *corev1.Node) { n.Spec.Unschedulable = false })
		h.runUntil(3 * time.Second)
		require.Empty(t, h.taints("a"))
	})
}

// A kubelet that reports NotReady gets the NoSchedule taint when the write
// is seen and the NoExecute one at the next health pass; a node that is
// Ready again loses both.
func TestNotReadyTaints(t *testing.T) {
	h := newHarness(t, "1.33", "a", "b")
	// Health passes run at 2 s + 5k s: the kubelet's write at 13 s comes
	// 4 s before the pass at 17 s.
	h.runUntil(13 * time.Second)
	h.setCondition("a", corev1.NodeReady, corev1.ConditionFalse)
	h.runUntil(20 * time.Second)
	got := h.taints("a")
	require.Equal(t, 13*time.Second, got["node.kubernetes.io/not-ready:NoSchedule"])
	require.Equal(t, 17*time.Second, got["node.kubernetes.io/not-ready:NoExecute"])
	h.setCondition("a", corev1.NodeReady, corev1.ConditionTrue)
	h.runUntil(30 * time.Second)
	require.Empty(t, h.taints("a"))
}

// A node whose heartbeats stop becomes Unknown once the grace period of
// the version has passed, its pods are marked not ready, and it gets the
// unreachable taints; when it comes back they go.
func TestUnreachableNode(t *testing.T) {
	for _, tc := range []struct {
		version string
		grace   time.Duration
	}{{"1.25", 40 * time.Second}, {"1.33", 50 * time.Second}} {
		t.Run(tc.version, func(t *testing.T) {
			h := newHarness(t, tc.version, "a", "b")
			pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web"},
				Spec: corev1.PodSpec{NodeName: "a", Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
			require.NoError(t, h.api.CreatePod(pod, "user", "created"))
			key := types.NamespacedName{Namespace: "default", Name: "web"}
			h.api.UpdatePod(key, "", "kubelet/a", "ready", func(p *corev1.Pod) {
				p.Status.Phase = corev1.PodRunning
				p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
			})
			h.runUntil(25 * time.Second)
			h.alive["a"] = false // the last renewal was at 20 s
			h.runUntil(22*time.Second + tc.grace + time.Second)
			ready := podutil.FindNodeCondition(h.api.Node("a").Status.Conditions, corev1.NodeReady)
			require.Equal(t, corev1.ConditionTrue, ready.Status, "not before the grace period")
			// The pass at 22 s saw the last renewal (the probe timestamp);
			// the first pass more than the grace period later writes Unknown.
			detect := 22*time.Second + tc.grace + 5*time.Second
			h.runUntil(detect + 5*time.Second + time.Second)
			ready = podutil.FindNodeCondition(h.api.Node("a").Status.Conditions, corev1.NodeReady)
			require.Equal(t, corev1.ConditionUnknown, ready.Status)
			require.Equal(t, "NodeStatusUnknown", ready.Reason)
			require.Equal(t, "Kubelet stopped posting node status.", ready.Message)
			require.Equal(t, detect, ready.LastTransitionTime.Sub(h.eng.Wall(0)))
			got := h.taints("a")
			require.Equal(t, detect, got["node.kubernetes.io/unreachable:NoSchedule"])
			require.Equal(t, detect+5*time.Second, got["node.kubernetes.io/unreachable:NoExecute"])
			pr := podutil.FindCondition(h.api.Pod(key).Status.Conditions, corev1.PodReady)
			require.Equal(t, corev1.ConditionFalse, pr.Status)
			require.Empty(t, h.taints("b"))

			h.alive["a"] = true
			h.setCondition("a", corev1.NodeReady, corev1.ConditionTrue)
			h.runUntil(h.eng.Now() + 6*time.Second)
			require.Empty(t, h.taints("a"))
		})
	}
}

// With every node of the only zone down the controller suspects its own
// network: NoSchedule taints, but no NoExecute taint (handleDisruption).
func TestFullDisruptionAddsNoNoExecuteTaint(t *testing.T) {
	h := newHarness(t, "1.33", "a")
	h.runUntil(5 * time.Second)
	h.alive["a"] = false
	h.runUntil(3 * time.Minute)
	got := h.taints("a")
	require.Contains(t, got, "node.kubernetes.io/unreachable:NoSchedule")
	require.NotContains(t, got, "node.kubernetes.io/unreachable:NoExecute")
}

// The rate limiter of a zone: 0.1 nodes per second, so the second of two
// nodes lost together is tainted 10 s after the first.
func TestNoExecuteRateLimit(t *testing.T) {
	h := newHarness(t, "1.33", "a", "b", "c", "d", "e")
	h.runUntil(5 * time.Second)
	h.alive["a"], h.alive["b"] = false, false
	h.runUntil(3 * time.Minute)
	ta := h.taints("a")["node.kubernetes.io/unreachable:NoExecute"]
	tb := h.taints("b")["node.kubernetes.io/unreachable:NoExecute"]
	require.Positive(t, ta)
	require.Equal(t, 10*time.Second, tb-ta)
}
