package apiserver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/trace"
)

func TestNodeChanges(t *testing.T) {
	node := func(mutate func(n *corev1.Node)) *corev1.Node {
		n := &corev1.Node{
			ObjectMeta: metav1.ObjectMeta{Name: "n", Labels: map[string]string{"a": "1"}},
			Spec:       corev1.NodeSpec{Taints: []corev1.Taint{{Key: "k", Value: "v", Effect: corev1.TaintEffectNoSchedule}}},
			Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{
				{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionFalse},
				{Type: corev1.NodeReady, Status: corev1.ConditionTrue, LastHeartbeatTime: metav1.Unix(0, 0)},
			}},
		}
		if mutate != nil {
			mutate(n)
		}
		return n
	}
	tests := []struct {
		name   string
		mutate func(n *corev1.Node)
		want   []string
	}{
		{"nothing", nil, nil},
		{"heartbeat only", func(n *corev1.Node) { n.Status.Conditions[1].LastHeartbeatTime = metav1.Unix(10, 0) }, nil},
		{"cordon", func(n *corev1.Node) { n.Spec.Unschedulable = true }, []string{"spec.unschedulable: false → true"}},
		{"taint swapped", func(n *corev1.Node) {
			n.Spec.Taints = []corev1.Taint{{Key: "node.kubernetes.io/unreachable", Effect: corev1.TaintEffectNoExecute}}
		}, []string{"taint k=v:NoSchedule: present → absent", "taint node.kubernetes.io/unreachable:NoExecute: absent → present"}},
		{"a taint's time alone is no change", func(n *corev1.Node) { n.Spec.Taints[0].TimeAdded = ptr.To(metav1.Unix(5, 0)) }, nil},
		{"labels", func(n *corev1.Node) { n.Labels = map[string]string{"b": "2"} },
			[]string{`metadata.labels[a]: "1" → <absent>`, `metadata.labels[b]: <absent> → "2"`}},
		{"conditions", func(n *corev1.Node) {
			n.Status.Conditions[1].Status = corev1.ConditionUnknown
			n.Status.Conditions = append(n.Status.Conditions, corev1.NodeCondition{Type: corev1.NodeNetworkUnavailable, Status: corev1.ConditionFalse})
		}, []string{"condition Ready: True → Unknown", "condition NetworkUnavailable: absent → False"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, nodeChanges(node(nil), node(tc.mutate)))
		})
	}
}

// A node update is a MODIFIED record with a new resourceVersion, and the
// object watchers hear of it; an update that changes nothing is dropped,
// as are attempts to change the node's identity.
func TestUpdateAndDeleteNode(t *testing.T) {
	s, eng, tr := testServer(t, "1.33")
	require.NoError(t, s.CreateNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n"}}, "kubelet/n", "node registered"))
	var heard []string
	s.WatchObjects(func(kind string, op trace.Op, key types.NamespacedName) {
		heard = append(heard, kind+" "+string(op)+" "+key.Name)
	})
	uid := s.Node("n").UID
	before := tr.Len()

	require.True(t, s.UpdateNode("n", "user", "noop", func(n *corev1.Node) {}))
	require.True(t, s.UpdateNode("n", "user", "noop", func(n *corev1.Node) { n.UID = "other" }))
	require.Equal(t, before, tr.Len(), "no-op writes are dropped")

	require.True(t, s.UpdateNode("n", "user", "kubectl cordon", func(n *corev1.Node) { n.Spec.Unschedulable = true }))
	require.False(t, s.UpdateNode("missing", "user", "x", func(n *corev1.Node) {}))
	got := s.Node("n")
	require.True(t, got.Spec.Unschedulable)
	require.Equal(t, uid, got.UID)
	require.Equal(t, "2", got.ResourceVersion)
	rec := tr.At(tr.Len() - 1)
	require.Equal(t, trace.Modified, rec.Op)
	require.Equal(t, []string{"spec.unschedulable: false → true"}, rec.Changes)

	require.NoError(t, s.DeleteNode("n", "user", "kubectl delete"))
	require.Nil(t, s.Node("n"))
	require.Empty(t, s.NodeNames())
	require.Error(t, s.DeleteNode("n", "user", "kubectl delete"))
	require.NoError(t, eng.RunUntil(time.Second))
	require.Equal(t, []string{"Node MODIFIED n", "Node DELETED n"}, heard)
}

// A Lease is created once, then renewed by updates that keep its
// metadata; each is a record of kind Lease.
func TestLeases(t *testing.T) {
	s, _, tr := testServer(t, "1.33")
	key := types.NamespacedName{Namespace: corev1.NamespaceNodeLease, Name: "n"}
	l := &coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Name: "n", Namespace: corev1.NamespaceNodeLease},
		Spec: coordinationv1.LeaseSpec{HolderIdentity: ptr.To("n"), RenewTime: &metav1.MicroTime{Time: time.Unix(1, 0)}}}
	require.Error(t, s.UpdateLease(l.DeepCopy(), "kubelet/n", "lease renewed"), "no such Lease yet")
	require.NoError(t, s.CreateLease(l, "kubelet/n", "lease created"))
	require.Error(t, s.CreateLease(l.DeepCopy(), "kubelet/n", "lease created"))
	created := s.Lease(key)
	renewed := created.DeepCopy()
	renewed.UID = "ignored"
	renewed.Spec.RenewTime = &metav1.MicroTime{Time: time.Unix(11, 0)}
	require.NoError(t, s.UpdateLease(renewed, "kubelet/n", "lease renewed"))
	got := s.Lease(key)
	require.Equal(t, created.UID, got.UID)
	require.Equal(t, time.Unix(11, 0), got.Spec.RenewTime.Time)
	require.NotEqual(t, created.ResourceVersion, got.ResourceVersion)
	var ops []trace.Op
	for _, r := range tr.All() {
		if r.Kind == "Lease" {
			ops = append(ops, r.Op)
			require.Equal(t, corev1.NamespaceNodeLease, r.Namespace)
		}
	}
	require.Equal(t, []trace.Op{trace.Added, trace.Modified}, ops)
}

// A watch of some kinds hears only of those, in the order the watches
// registered among the watchers of each kind; a watch of no kind in
// particular hears of every kind. A Lease renewal nobody asked for is
// delivered to nobody: it schedules no event.
func TestWatchKinds(t *testing.T) {
	s, eng, _ := testServer(t, "1.33")
	var heard []string
	watch := func(name string, kinds ...string) {
		s.WatchKinds(func(kind string, op trace.Op, key types.NamespacedName) {
			heard = append(heard, name+": "+kind+" "+string(op)+" "+key.Name)
		}, kinds...)
	}
	watch("nodes", "Node")
	s.WatchObjects(func(kind string, op trace.Op, key types.NamespacedName) {
		heard = append(heard, "all: "+kind+" "+string(op)+" "+key.Name)
	})
	watch("services and nodes", "Service", "Node")
	require.NoError(t, s.CreateNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n"}}, "kubelet/n", "node registered"))
	require.NoError(t, s.Create(&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "svc"}}, "user", "kubectl create"))
	watch("leases", "Lease") // a watch added later hears what follows
	l := &coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Name: "n", Namespace: corev1.NamespaceNodeLease}}
	require.NoError(t, s.CreateLease(l, "kubelet/n", "lease created"))
	require.NoError(t, eng.RunUntil(time.Second))
	require.Equal(t, []string{
		"nodes: Node ADDED n", "all: Node ADDED n", "services and nodes: Node ADDED n",
		"all: Service ADDED svc", "services and nodes: Service ADDED svc",
		"all: Lease ADDED n", "leases: Lease ADDED n",
	}, heard)

	s2, eng2, _ := testServer(t, "1.33")
	s2.WatchKinds(func(string, trace.Op, types.NamespacedName) { t.Error("a Node watch heard of a Lease") }, "Node")
	require.NoError(t, s2.CreateLease(l.DeepCopy(), "kubelet/n", "lease created"))
	require.Zero(t, eng2.Pending(), "a change no watcher selects schedules nothing")
}

// A kubelet's status PATCH replaces the status and labels and keeps the
// spec and identity; one that changes nothing is dropped, like any write.
func TestUpdateNodeStatus(t *testing.T) {
	s, _, tr := testServer(t, "1.33")
	hb := metav1.Unix(10, 0)
	require.NoError(t, s.CreateNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n", Labels: map[string]string{"a": "1"}},
		Spec:   corev1.NodeSpec{Unschedulable: true},
		Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue, LastHeartbeatTime: hb}}}},
		"kubelet/n", "registered"))
	created := s.Node("n")
	before := len(tr.Records())
	same := created.Status.DeepCopy()
	require.True(t, s.UpdateNodeStatus("n", "kubelet/n", "report", *same, map[string]string{"a": "1"}))
	require.Len(t, tr.Records(), before, "a PATCH that changes nothing is dropped")
	require.Same(t, created, s.Node("n"))

	next := created.Status.DeepCopy()
	next.Conditions[0].LastHeartbeatTime = metav1.Unix(20, 0)
	require.True(t, s.UpdateNodeStatus("n", "kubelet/n", "report", *next, map[string]string{"a": "1", "b": "2"}))
	got := s.Node("n")
	require.Equal(t, created.UID, got.UID)
	require.True(t, got.Spec.Unschedulable, "the spec stays")
	require.Equal(t, map[string]string{"a": "1", "b": "2"}, got.Labels)
	require.Equal(t, metav1.Unix(20, 0), got.Status.Conditions[0].LastHeartbeatTime)
	require.NotEqual(t, created.ResourceVersion, got.ResourceVersion)
	require.Equal(t, metav1.Unix(10, 0), created.Status.Conditions[0].LastHeartbeatTime, "the old version is not modified")
	rec := tr.Records()[len(tr.Records())-1]
	require.Equal(t, []string{`metadata.labels[b]: <absent> → "2"`}, rec.Changes)
	require.False(t, s.UpdateNodeStatus("missing", "kubelet/x", "report", *next, nil))
}
