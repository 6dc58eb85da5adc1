package replicaset_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/controllers/replicaset"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

type env struct {
	t   *testing.T
	eng *engine.Engine
	api *apiserver.Server
	tr  *trace.Trace
}

func newEnv(t *testing.T) *env {
	eng := engine.New(1)
	eng.Epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	prof, _ := profile.For("1.33")
	tr := &trace.Trace{}
	api := apiserver.New(apiserver.Config{Engine: eng, Profile: prof, Trace: tr, WatchLatency: 10 * time.Millisecond})
	events := record.NewBroadcaster(eng, api, tr, true)
	_, err := replicaset.New(replicaset.Config{Engine: eng, Client: api, Events: events.NewRecorder(record.Source{Component: replicaset.Actor})})
	require.NoError(t, err)
	return &env{t: t, eng: eng, api: api, tr: tr}
}

func (e *env) run(d time.Duration) { require.NoError(e.t, e.eng.RunUntil(e.eng.Now()+d)) }

func (e *env) rs() *appsv1.ReplicaSet {
	return e.api.Workload("ReplicaSet", types.NamespacedName{Namespace: "default", Name: "web"}).(*appsv1.ReplicaSet)
}

func (e *env) pods() []*corev1.Pod {
	var out []*corev1.Pod
	for _, k := range e.api.PodKeys() {
		out = append(out, e.api.Pod(k))
	}
	return out
}

func (e *env) events(reason string) []string {
	var out []string
	for _, r := range e.tr.All() {
		if r.Event != nil && r.Event.Reason == reason {
			out = append(out, r.Event.Message)
		}
	}
	return out
}

func (e *env) createRS(replicas int32, minReady int32) {
	rs := &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: appsv1.ReplicaSetSpec{
		Replicas: ptr.To(replicas), MinReadySeconds: minReady,
		Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
		Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: "nginx:1.25.2"}}}}}}
	require.NoError(e.t, e.api.CreateWorkload(rs, "user", "created"))
}

func (e *env) scale(n int32) {
	_, err := e.api.UpdateWorkload("ReplicaSet", types.NamespacedName{Namespace: "default", Name: "web"}, "", "user", "scale", func(o runtime.Object) {
		o.(*appsv1.ReplicaSet).Spec.Replicas = ptr.To(n)
	})
	require.NoError(e.t, err)
}

// setReady binds a pod and makes it Running and Ready (as a kubelet would).
func (e *env) setReady(p *corev1.Pod) {
	key := types.NamespacedName{Namespace: p.Namespace, Name: p.Name}
	now := e.api.Stamp(e.eng.Now())
	e.api.BindPod(key, "", "node-1", "scheduler")
	e.api.UpdatePod(key, "", "kubelet", "ready", func(q *corev1.Pod) {
		q.Status.Phase = corev1.PodRunning
		q.Status.Conditions = append(q.Status.Conditions, corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: now},
			corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionTrue, LastTransitionTime: now})
	})
}

// Three pods from the template, named by generateName, controlled by the
// ReplicaSet, one SuccessfulCreate event each; the status follows.
func TestScaleUp(t *testing.T) {
	e := newEnv(t)
	e.createRS(3, 0)
	e.run(time.Second)
	pods := e.pods()
	require.Len(t, pods, 3)
	rs := e.rs()
	for _, p := range pods {
		require.True(t, strings.HasPrefix(p.Name, "web-"), p.Name)
		require.Len(t, p.Name, len("web-")+5)
		ref := metav1.GetControllerOf(p)
		require.NotNil(t, ref)
		require.Equal(t, metav1.OwnerReference{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web", UID: rs.UID, Controller: ptr.To(true), BlockOwnerDeletion: ptr.To(true)}, *ref)
		require.Equal(t, map[string]string{"app": "web"}, p.Labels)
	}
	var want []string
	for _, p := range pods {
		want = append(want, "Created pod: "+p.Name)
	}
	require.ElementsMatch(t, want, e.events("SuccessfulCreate"))
	require.Equal(t, int32(3), rs.Status.Replicas)
	require.Equal(t, int32(0), rs.Status.ReadyReplicas)
	require.Equal(t, int64(1), rs.Status.ObservedGeneration)
	for _, p := range pods {
		e.setReady(p)
	}
	e.run(time.Second)
	require.Equal(t, int32(3), e.rs().Status.ReadyReplicas)
	require.Equal(t, int32(3), e.rs().Status.AvailableReplicas)
}

// A deleted pod is replaced by a new pod: a new name and a new UID.
func TestReplacement(t *testing.T) {
	e := newEnv(t)
	e.createRS(2, 0)
	e.run(time.Second)
	before := e.pods()
	require.Len(t, before, 2)
	gone := before[0]
	e.api.DeletePod(types.NamespacedName{Namespace: "default", Name: gone.Name}, "", nil, "user", "kubectl delete")
	e.run(time.Second)
	after := e.pods()
	require.Len(t, after, 2)
	var fresh *corev1.Pod
	for _, p := range after {
		if p.Name != before[1].Name {
			fresh = p
		}
	}
	require.NotNil(t, fresh)
	require.NotEqual(t, gone.Name, fresh.Name)
	require.NotEqual(t, gone.UID, fresh.UID)
}

// Scaling down deletes the pods that matter least first: pending before
// running, not ready before ready.
func TestScaleDown(t *testing.T) {
	e := newEnv(t)
	e.createRS(4, 0)
	e.run(time.Second)
	pods := e.pods()
	e.setReady(pods[0])
	e.setReady(pods[1])
	e.run(time.Second)
	e.scale(2)
	e.run(time.Second)
	var names []string
	for _, p := range e.pods() {
		names = append(names, p.Name)
	}
	require.ElementsMatch(t, []string{pods[0].Name, pods[1].Name}, names, "the two ready pods stay")
	require.Len(t, e.events("SuccessfulDelete"), 2)
	require.Equal(t, int32(2), e.rs().Status.Replicas)
	require.Equal(t, int64(2), e.rs().Status.ObservedGeneration)
}

// A ready pod becomes available minReadySeconds later, and the status says
// so without another pod event.
func TestMinReadySeconds(t *testing.T) {
	e := newEnv(t)
	e.createRS(1, 10)
	e.run(time.Second)
	e.setReady(e.pods()[0])
	e.run(5 * time.Second)
	require.Equal(t, int32(1), e.rs().Status.ReadyReplicas)
	require.Equal(t, int32(0), e.rs().Status.AvailableReplicas)
	e.run(10 * time.Second)
	require.Equal(t, int32(1), e.rs().Status.AvailableReplicas)
}

// An orphan the selector matches is adopted (and counted); a pod whose
// labels no longer match is released, and replaced.
func TestAdoptAndRelease(t *testing.T) {
	e := newEnv(t)
	orphan := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "hand-made", Labels: map[string]string{"app": "web"}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: "nginx:1.25.2"}}}}
	require.NoError(t, e.api.CreatePod(orphan, "user", "created"))
	e.createRS(2, 0)
	e.run(time.Second)
	require.Len(t, e.pods(), 2)
	adopted := e.api.Pod(types.NamespacedName{Namespace: "default", Name: "hand-made"})
	require.Equal(t, e.rs().UID, metav1.GetControllerOf(adopted).UID)
	e.api.UpdatePod(types.NamespacedName{Namespace: "default", Name: "hand-made"}, "", "user", "relabel", func(p *corev1.Pod) {
		p.Labels = map[string]string{"app": "debug"}
	})
	e.run(time.Second)
	require.Len(t, e.pods(), 3)
	require.Nil(t, metav1.GetControllerOf(e.api.Pod(types.NamespacedName{Namespace: "default", Name: "hand-made"})))
}
