package disruption_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/controllers/disruption"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// client is the API server plus a few workload objects, which this
// package's tests need and the server does not store.
type client struct {
	*apiserver.Server
	workloads map[string]runtime.Object // kind/namespace/name
}

func (c client) Workload(kind string, key types.NamespacedName) runtime.Object {
	return c.workloads[kind+"/"+key.Namespace+"/"+key.Name]
}

type harness struct {
	t   *testing.T
	eng *engine.Engine
	api *apiserver.Server
	cl  client
	tr  *trace.Trace
}

func newHarness(t *testing.T, version string) *harness {
	eng := engine.New(1)
	prof, err := profile.For(version)
	require.NoError(t, err)
	tr := &trace.Trace{}
	api := apiserver.New(apiserver.Config{Engine: eng, Profile: prof, Trace: tr, WatchLatency: 10 * time.Millisecond})
	cl := client{Server: api, workloads: map[string]runtime.Object{}}
	events := record.NewBroadcaster(eng, api, tr, true)
	_, err = disruption.New(disruption.Config{Engine: eng, Client: cl, Profile: prof, Events: events.NewRecorder(record.Source{Component: disruption.Component})})
	require.NoError(t, err)
	return &harness{t: t, eng: eng, api: api, cl: cl, tr: tr}
}

// readyPod is a running, Ready pod on node-1 labelled app=web, owned by
// owner when given.
func (h *harness) readyPod(name string, owner *metav1.OwnerReference) {
	h.t.Helper()
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"app": "web"}},
		Spec: corev1.PodSpec{NodeName: "node-1", Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
	if owner != nil {
		p.OwnerReferences = []metav1.OwnerReference{*owner}
	}
	require.NoError(h.t, h.api.CreatePod(p, "user", "created"))
	h.setReady(name, true)
}

func (h *harness) setReady(name string, ready bool) {
	st := corev1.ConditionFalse
	if ready {
		st = corev1.ConditionTrue
	}
	h.api.UpdatePod(types.NamespacedName{Namespace: "default", Name: name}, "", "kubelet/node-1", "ready", func(p *corev1.Pod) {
		p.Status.Phase = corev1.PodRunning
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: st}}
	})
}

func (h *harness) pdb(name string, spec policyv1.PodDisruptionBudgetSpec) {
	h.t.Helper()
	spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
	require.NoError(h.t, h.api.CreatePodDisruptionBudget(&policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: spec}, "user", "created"))
}

func (h *harness) status(name string) policyv1.PodDisruptionBudgetStatus {
	return h.api.PodDisruptionBudget(types.NamespacedName{Namespace: "default", Name: name}).Status
}

func (h *harness) run(d time.Duration) {
	h.t.Helper()
	require.NoError(h.t, h.eng.RunUntil(h.eng.Now()+d))
}

// counts is the four numbers of a status.
type counts struct{ expected, desired, healthy, allowed int32 }

func countsOf(st policyv1.PodDisruptionBudgetStatus) counts {
	return counts{st.ExpectedPods, st.DesiredHealthy, st.CurrentHealthy, st.DisruptionsAllowed}
}

// The status rules of getExpectedPodCount and updatePdbStatus, with cases
// after pkg/controller/disruption/disruption_test.go.
func TestStatus(t *testing.T) {
	rs := &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: "web-rs", Namespace: "default", UID: "rs-uid"}, Spec: appsv1.ReplicaSetSpec{Replicas: ptr.To[int32](3)}}
	rsRef := &metav1.OwnerReference{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-rs", UID: "rs-uid", Controller: ptr.To(true)}
	tests := []struct {
		name  string
		spec  policyv1.PodDisruptionBudgetSpec
		owner *metav1.OwnerReference
		pods  int
		want  counts
		cond  string // the DisruptionAllowed condition's reason
	}{
		{"minAvailable of bare pods", policyv1.PodDisruptionBudgetSpec{MinAvailable: ptr.To(intstr.FromInt32(2))}, nil, 3, counts{3, 2, 3, 1}, policyv1.SufficientPodsReason},
		{"minAvailable not met", policyv1.PodDisruptionBudgetSpec{MinAvailable: ptr.To(intstr.FromInt32(3))}, nil, 3, counts{3, 3, 3, 0}, policyv1.InsufficientPodsReason},
		{"maxUnavailable over a ReplicaSet's scale", policyv1.PodDisruptionBudgetSpec{MaxUnavailable: ptr.To(intstr.FromInt32(1))}, rsRef, 3, counts{3, 2, 3, 1}, policyv1.SufficientPodsReason},
		{"percentage maxUnavailable rounds up", policyv1.PodDisruptionBudgetSpec{MaxUnavailable: ptr.To(intstr.FromString("34%"))}, rsRef, 3, counts{3, 1, 3, 2}, policyv1.SufficientPodsReason},
		{"percentage minAvailable rounds up", policyv1.PodDisruptionBudgetSpec{MinAvailable: ptr.To(intstr.FromString("50%"))}, rsRef, 3, counts{3, 2, 3, 1}, policyv1.SufficientPodsReason},
		{"maxUnavailable of bare pods: no scale, nothing allowed", policyv1.PodDisruptionBudgetSpec{MaxUnavailable: ptr.To(intstr.FromInt32(1))}, nil, 3, counts{0, 0, 3, 0}, policyv1.InsufficientPodsReason},
		{"no pods", policyv1.PodDisruptionBudgetSpec{MinAvailable: ptr.To(intstr.FromInt32(1))}, nil, 0, counts{0, 1, 0, 0}, policyv1.InsufficientPodsReason},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, "1.33")
			h.cl.workloads["ReplicaSet/default/web-rs"] = rs
			for i := range tc.pods {
				h.readyPod("web-"+string(rune('a'+i)), tc.owner)
			}
			h.pdb("budget", tc.spec)
			h.run(time.Second)
			st := h.status("budget")
			require.Equal(t, tc.want, countsOf(st))
			require.EqualValues(t, 1, st.ObservedGeneration)
			require.Len(t, st.Conditions, 1)
			require.Equal(t, tc.cond, st.Conditions[0].Reason)
		})
	}
}

// A pod's controller that cannot be found makes the sync fail safe.
func TestSyncFailed(t *testing.T) {
	h := newHarness(t, "1.33")
	h.readyPod("web-a", &metav1.OwnerReference{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "gone", UID: "x", Controller: ptr.To(true)})
	h.pdb("budget", policyv1.PodDisruptionBudgetSpec{MaxUnavailable: ptr.To(intstr.FromInt32(1))})
	h.run(time.Second)
	st := h.status("budget")
	require.Zero(t, st.DisruptionsAllowed)
	require.Equal(t, policyv1.SyncFailedReason, st.Conditions[0].Reason)
	require.Equal(t, `found no controllers for pod "web-a"`, st.Conditions[0].Message)
}

// An eviction's entry in disruptedPods keeps the pod out of currentHealthy
// until the pod is being deleted, or for 2 minutes; an entry that expires
// without a deletion is dropped with a NotDeleted event.
func TestDisruptedPods(t *testing.T) {
	h := newHarness(t, "1.33")
	for _, n := range []string{"web-a", "web-b", "web-c"} {
		h.readyPod(n, nil)
	}
	h.pdb("budget", policyv1.PodDisruptionBudgetSpec{MinAvailable: ptr.To(intstr.FromInt32(1))})
	h.run(time.Second)
	require.Equal(t, counts{3, 1, 3, 2}, countsOf(h.status("budget")))
	// What the Eviction API writes when it lets a pod go but the deletion
	// does not follow.
	now := h.api.Stamp(h.eng.Now())
	h.api.UpdatePodDisruptionBudgetStatus(types.NamespacedName{Namespace: "default", Name: "budget"}, "user", "eviction", func(st *policyv1.PodDisruptionBudgetStatus) {
		st.DisruptionsAllowed--
		st.DisruptedPods = map[string]metav1.Time{"web-a": now}
	})
	h.run(time.Second)
	require.Equal(t, counts{3, 1, 2, 1}, countsOf(h.status("budget")))
	h.run(2 * time.Minute)
	require.Equal(t, counts{3, 1, 3, 2}, countsOf(h.status("budget")))
	require.Empty(t, h.status("budget").DisruptedPods)
	var notDeleted []string
	for _, r := range h.tr.All() {
		if r.Event != nil && r.Event.Reason == "NotDeleted" {
			notDeleted = append(notDeleted, r.Name+": "+r.Event.Message)
		}
	}
	require.Equal(t, []string{"web-a: Pod was expected by PDB default/default to be deleted but it wasn't"}, notDeleted)
}

// An unready pod is not healthy; a Ready one again is.
func TestHealthyFollowsReadiness(t *testing.T) {
	h := newHarness(t, "1.33")
	for _, n := range []string{"web-a", "web-b"} {
		h.readyPod(n, nil)
	}
	h.pdb("budget", policyv1.PodDisruptionBudgetSpec{MinAvailable: ptr.To(intstr.FromInt32(1))})
	h.run(time.Second)
	h.setReady("web-a", false)
	h.run(time.Second)
	require.Equal(t, counts{2, 1, 1, 0}, countsOf(h.status("budget")))
	h.setReady("web-a", true)
	h.run(time.Second)
	require.Equal(t, counts{2, 1, 2, 1}, countsOf(h.status("budget")))
}
