package kubelet

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/trace"
)

// eventSink keeps the events a test kubelet records.
type eventSink struct{ events []*corev1.Event }

func (s *eventSink) HasEvent(key types.NamespacedName) bool { return false }
func (s *eventSink) PutEvent(ev *corev1.Event)              { s.events = append(s.events, ev) }

func (s *eventSink) reasons() []string {
	var out []string
	for _, e := range s.events {
		out = append(out, e.Reason)
	}
	return out
}

// setterKubelet is just enough of a kubelet to run its node status setters.
func setterKubelet(t *testing.T) (*Kubelet, *eventSink) {
	t.Helper()
	eng := engine.New(1)
	eng.Epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	sink := &eventSink{}
	k := &Kubelet{eng: eng, name: "node-1"}
	k.rec = record.NewBroadcaster(eng, sink, &trace.Trace{}, true).NewRecorder(record.Source{Component: "kubelet", Host: "node-1"})
	k.nodeStatus.pressure = map[corev1.NodeConditionType]func() bool{}
	k.nodeStatus.readyErrors = k.readyErrors
	k.nodeStatus.setters = k.defaultNodeStatusSetters()
	return k, sink
}

var (
	t0 = metav1.NewTime(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	t1 = metav1.NewTime(time.Date(2025, 1, 1, 0, 0, 10, 0, time.UTC))
)

// Cases after pkg/kubelet/nodestatus/setters_test.go
// TestMemoryPressureCondition (DiskPressure and PIDPressure follow the
// same code with their own words).
func TestPressureCondition(t *testing.T) {
	cond := func(status corev1.ConditionStatus, reason, message string, transition, heartbeat metav1.Time) corev1.NodeCondition {
		return corev1.NodeCondition{Type: corev1.NodeMemoryPressure, Status: status, Reason: reason, Message: message,
			LastTransitionTime: transition, LastHeartbeatTime: heartbeat}
	}
	const (
		okReason, okMessage   = "KubeletHasSufficientMemory", "kubelet has sufficient memory available"
		badReason, badMessage = "KubeletHasInsufficientMemory", "kubelet has insufficient memory available"
	)
	tests := []struct {
		name      string
		existing  []corev1.NodeCondition
		pressure  bool
		want      corev1.NodeCondition
		wantEvent []string
	}{
		{"new, no pressure", nil, false, cond(corev1.ConditionFalse, okReason, okMessage, t1, t1), []string{"NodeHasSufficientMemory"}},
		{"new, pressure", nil, true, cond(corev1.ConditionTrue, badReason, badMessage, t1, t1), []string{"NodeHasInsufficientMemory"}},
		{"transition to pressure", []corev1.NodeCondition{cond(corev1.ConditionFalse, okReason, okMessage, t0, t0)}, true,
			cond(corev1.ConditionTrue, badReason, badMessage, t1, t1), []string{"NodeHasInsufficientMemory"}},
		{"still pressure: only the heartbeat moves", []corev1.NodeCondition{cond(corev1.ConditionTrue, badReason, badMessage, t0, t0)}, true,
			cond(corev1.ConditionTrue, badReason, badMessage, t0, t1), nil},
		{"transition to no pressure", []corev1.NodeCondition{cond(corev1.ConditionTrue, badReason, badMessage, t0, t0)}, false,
			cond(corev1.ConditionFalse, okReason, okMessage, t1, t1), []string{"NodeHasSufficientMemory"}},
		{"still no pressure", []corev1.NodeCondition{cond(corev1.ConditionFalse, okReason, okMessage, t0, t0)}, false,
			cond(corev1.ConditionFalse, okReason, okMessage, t0, t1), nil},
		{"Unknown from the node controller: the kubelet's answer is a transition", []corev1.NodeCondition{
			cond(corev1.ConditionUnknown, "NodeStatusUnknown", "Kubelet stopped posting node status.", t0, t0)}, false,
			cond(corev1.ConditionFalse, okReason, okMessage, t1, t1), []string{"NodeHasSufficientMemory"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, sink := setterKubelet(t)
			k.setPressureSource(corev1.NodeMemoryPressure, func() bool { return tc.pressure })
			n := &corev1.Node{Status: corev1.NodeStatus{Conditions: tc.existing}}
			k.pressureCondition(corev1.NodeMemoryPressure)(t1, n)
			require.Equal(t, []corev1.NodeCondition{tc.want}, n.Status.Conditions)
			require.Equal(t, tc.wantEvent, sink.reasons())
		})
	}
}

// Cases after pkg/kubelet/nodestatus/setters_test.go TestReadyCondition.
func TestReadyCondition(t *testing.T) {
	ready := func(transition metav1.Time) corev1.NodeCondition {
		return corev1.NodeCondition{Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady",
			Message: "kubelet is posting ready status", LastTransitionTime: transition, LastHeartbeatTime: t1}
	}
	notReady := func(message string, transition metav1.Time) corev1.NodeCondition {
		return corev1.NodeCondition{Type: corev1.NodeReady, Status: corev1.ConditionFalse, Reason: "KubeletNotReady",
			Message: message, LastTransitionTime: transition, LastHeartbeatTime: t1}
	}
	tests := []struct {
		name      string
		existing  []corev1.NodeCondition
		errs      []string
		want      corev1.NodeCondition
		wantEvent []string
	}{
		{"new, ready: no event", nil, nil, ready(t1), nil},
		{"new, not ready", nil, []string{"container runtime is down"}, notReady("container runtime is down", t1), nil},
		{"several errors are bracketed", nil, []string{"container runtime is down", "PLEG is not healthy: pleg has yet to be successful"},
			notReady("[container runtime is down, PLEG is not healthy: pleg has yet to be successful]", t1), nil},
		{"transition to ready", []corev1.NodeCondition{notReady("x", t0)}, nil, ready(t1), []string{"NodeReady"}},
		{"transition to not ready", []corev1.NodeCondition{ready(t0)}, []string{"x"}, notReady("x", t1), []string{"NodeNotReady"}},
		{"ready, no transition", []corev1.NodeCondition{ready(t0)}, nil, ready(t0), nil},
		{"not ready, no transition, new message", []corev1.NodeCondition{notReady("x", t0)}, []string{"y"}, notReady("y", t0), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, sink := setterKubelet(t)
			k.nodeStatus.readyErrors = func() []string { return tc.errs }
			n := &corev1.Node{Status: corev1.NodeStatus{Conditions: tc.existing}}
			k.setReadyCondition(t1, n)
			require.Equal(t, []corev1.NodeCondition{tc.want}, n.Status.Conditions)
			require.Equal(t, tc.wantEvent, sink.reasons())
		})
	}
}

// The setters give a new node the four kubelet conditions in upstream's
// order, Ready last.
func TestSetNodeStatusConditionOrder(t *testing.T) {
	k, sink := setterKubelet(t)
	n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}
	k.setNodeStatus(n)
	var types []corev1.NodeConditionType
	for _, c := range n.Status.Conditions {
		types = append(types, c.Type)
	}
	require.Equal(t, []corev1.NodeConditionType{corev1.NodeMemoryPressure, corev1.NodeDiskPressure, corev1.NodePIDPressure, corev1.NodeReady}, types)
	require.Equal(t, []string{"NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"}, sink.reasons())
	require.Equal(t, "Node node-1 status is now: NodeHasSufficientMemory", sink.events[0].Message)
	require.NotEmpty(t, n.Status.Addresses)
	require.NotEmpty(t, n.Status.Capacity)
}

// Cases after pkg/kubelet/kubelet_node_status_test.go
// TestNodeStatusHasChanged.
func TestNodeStatusHasChanged(t *testing.T) {
	cond := func(typ corev1.NodeConditionType, status corev1.ConditionStatus, transition, heartbeat metav1.Time) corev1.NodeCondition {
		return corev1.NodeCondition{Type: typ, Status: status, LastTransitionTime: transition, LastHeartbeatTime: heartbeat}
	}
	readyT0 := cond(corev1.NodeReady, corev1.ConditionTrue, t0, t0)
	memT0 := cond(corev1.NodeMemoryPressure, corev1.ConditionFalse, t0, t0)
	tests := []struct {
		name      string
		orig, cur *corev1.NodeStatus
		want      bool
	}{
		{"nil statuses", nil, nil, false},
		{"nil and default", nil, &corev1.NodeStatus{}, true},
		{"default statuses", &corev1.NodeStatus{}, &corev1.NodeStatus{}, false},
		{"same conditions", &corev1.NodeStatus{Conditions: []corev1.NodeCondition{readyT0}}, &corev1.NodeStatus{Conditions: []corev1.NodeCondition{readyT0}}, false},
		{"only the heartbeat moved", &corev1.NodeStatus{Conditions: []corev1.NodeCondition{readyT0}},
			&corev1.NodeStatus{Conditions: []corev1.NodeCondition{cond(corev1.NodeReady, corev1.ConditionTrue, t0, t1)}}, false},
		{"conditions in another order", &corev1.NodeStatus{Conditions: []corev1.NodeCondition{readyT0, memT0}},
			&corev1.NodeStatus{Conditions: []corev1.NodeCondition{memT0, readyT0}}, false},
		{"a condition's status differs", &corev1.NodeStatus{Conditions: []corev1.NodeCondition{readyT0}},
			&corev1.NodeStatus{Conditions: []corev1.NodeCondition{cond(corev1.NodeReady, corev1.ConditionFalse, t0, t0)}}, true},
		{"a transition time differs", &corev1.NodeStatus{Conditions: []corev1.NodeCondition{readyT0}},
			&corev1.NodeStatus{Conditions: []corev1.NodeCondition{cond(corev1.NodeReady, corev1.ConditionTrue, t1, t0)}}, true},
		{"another number of conditions", &corev1.NodeStatus{Conditions: []corev1.NodeCondition{readyT0}},
			&corev1.NodeStatus{Conditions: []corev1.NodeCondition{readyT0, memT0}}, true},
		{"another phase", &corev1.NodeStatus{Conditions: []corev1.NodeCondition{readyT0}, Phase: corev1.NodeRunning},
			&corev1.NodeStatus{Conditions: []corev1.NodeCondition{readyT0}, Phase: corev1.NodePending}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, nodeStatusHasChanged(tc.orig, tc.cur))
		})
	}
}
