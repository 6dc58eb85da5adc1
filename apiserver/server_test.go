package apiserver

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// testServer is an API server on its own engine, recording into tr.
func testServer(t *testing.T, version string) (*Server, *engine.Engine, *trace.Trace) {
	t.Helper()
	prof, err := profile.For(version)
	require.NoError(t, err)
	eng := engine.New(1)
	eng.Epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tr := &trace.Trace{}
	return New(Config{Engine: eng, Profile: prof, Trace: tr, WatchLatency: 10 * time.Millisecond}), eng, tr
}

func TestDefaultPullPolicy(t *testing.T) {
	tests := []struct {
		image string
		want  corev1.PullPolicy
	}{
		{"centos", corev1.PullAlways},
		{"nginx:1.25.2", corev1.PullIfNotPresent},
		{"busybox:latest", corev1.PullAlways},
		{"registry.k8s.io/pause:3.9", corev1.PullIfNotPresent},
		{"localhost:5000/team/app", corev1.PullAlways},
		{"app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", corev1.PullIfNotPresent},
	}
	for _, tc := range tests {
		t.Run(tc.image, func(t *testing.T) {
			require.Equal(t, tc.want, defaultPullPolicy(tc.image))
		})
	}
}

func TestAPIGracefulDelete(t *testing.T) {
	for _, version := range profile.Supported {
		t.Run(version, func(t *testing.T) {
			s, eng, tr := testServer(t, version)
			p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "default"}, Spec: corev1.PodSpec{NodeName: "n", Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
			require.NoError(t, s.CreatePod(p, "user", ""))
			key := types.NamespacedName{Namespace: "default", Name: "p"}
			require.NoError(t, eng.RunUntil(5*time.Second))
			s.DeletePod(key, "", nil, "user", "")
			got := s.Pod(key)
			require.NotNil(t, got)
			require.EqualValues(t, 30, *got.DeletionGracePeriodSeconds)
			require.Equal(t, s.Stamp(35*time.Second).Time, got.DeletionTimestamp.Time)
			// The kubelet's final delete, 3 s later: MODIFIED with grace 0, then DELETED.
			require.NoError(t, eng.RunUntil(8*time.Second))
			before := tr.Len()
			s.DeletePod(key, got.UID, ptr.To[int64](0), "kubelet", "")
			require.Nil(t, s.Pod(key))
			recs := tr.Records()[before:]
			require.Len(t, recs, 2)
			require.Equal(t, trace.Modified, recs[0].Op)
			require.EqualValues(t, 0, *recs[0].Pod.DeletionGracePeriodSeconds)
			want := s.Stamp(5 * time.Second).Time // 1.25: moved back to the first delete, in the past
			if s.prof.DeletionTimestampNotInPast {
				want = s.Stamp(8 * time.Second).Time // PR #122646 (1.33): never in the past
			}
			require.Equal(t, want, recs[0].Pod.DeletionTimestamp.Time)
			require.Equal(t, trace.Deleted, recs[1].Op)
		})
	}
}

func TestAPIDeleteUnscheduledIsImmediate(t *testing.T) {
	s, _, _ := testServer(t, "1.33")
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "default"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
	require.NoError(t, s.CreatePod(p, "user", ""))
	s.DeletePod(types.NamespacedName{Namespace: "default", Name: "p"}, "", nil, "user", "")
	require.Nil(t, s.Pod(types.NamespacedName{Namespace: "default", Name: "p"}))
}

func TestCreatePodRefusesInvalidAndDuplicate(t *testing.T) {
	s, _, _ := testServer(t, "1.33")
	pod := func() *corev1.Pod {
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
	}
	bad := pod()
	bad.Spec.Containers[0].Image = ""
	require.EqualError(t, s.CreatePod(bad, "user", ""), "pod default/p: spec.containers[0].image: Required value")
	require.NoError(t, s.CreatePod(pod(), "user", ""))
	require.EqualError(t, s.CreatePod(pod(), "user", ""), `pods "p" already exists`)
}

// A watch delivers only what its field selector matches, after the watch
// latency, in the order the watchers registered.
func TestWatchPodsBySelector(t *testing.T) {
	s, eng, _ := testServer(t, "1.33")
	var got []string
	watch := func(name string, sel fields.Selector) {
		require.NoError(t, s.WatchPods(sel, func(op trace.Op, p *corev1.Pod) {
			got = append(got, name+" "+string(op)+" "+p.Name+"@"+eng.Now().String())
		}))
	}
	watch("all", fields.Everything())
	watch("node-a", fields.OneTermEqualSelector(FieldNodeName, "node-a"))
	watch("node-b", fields.OneTermEqualSelector(FieldNodeName, "node-b"))
	watch("unscheduled", fields.OneTermEqualSelector(FieldNodeName, ""))
	watch("running", fields.OneTermEqualSelector("status.phase", "Running"))
	require.Error(t, s.WatchPods(fields.OneTermEqualSelector("spec.image", "x"), func(trace.Op, *corev1.Pod) {}))

	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
	require.NoError(t, s.CreatePod(p, "user", ""))
	key := types.NamespacedName{Namespace: "default", Name: "p"}
	require.NoError(t, eng.RunUntil(time.Second))
	require.True(t, s.BindPod(key, "", "node-b", "default-scheduler"))
	require.NoError(t, eng.RunUntil(2*time.Second))
	s.UpdatePod(key, "", "kubelet", "", func(p *corev1.Pod) { p.Status.Phase = corev1.PodRunning })
	require.NoError(t, eng.RunUntil(3*time.Second))
	require.Equal(t, []string{
		"all ADDED p@10ms", "unscheduled ADDED p@10ms",
		"all MODIFIED p@1.01s", "node-b MODIFIED p@1.01s",
		"all MODIFIED p@2.01s", "node-b MODIFIED p@2.01s", "running MODIFIED p@2.01s",
	}, got)
}

func TestInvariantsCatchViolations(t *testing.T) {
	base := func() *corev1.Pod {
		return &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "default"},
			Spec:       corev1.PodSpec{ReadinessGates: []corev1.PodReadinessGate{{ConditionType: "gate"}}},
			Status:     corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: "c", Ready: true, RestartCount: 2}}},
		}
	}
	cond := func(t corev1.PodConditionType, s corev1.ConditionStatus) corev1.PodCondition {
		return corev1.PodCondition{Type: t, Status: s}
	}
	tests := []struct {
		name   string
		mutate func(old, cur *corev1.Pod)
		want   string
	}{
		{"phase leaves Failed", func(old, cur *corev1.Pod) { old.Status.Phase = corev1.PodFailed }, "phase left Failed for Running"},
		{"Ready without ContainersReady", func(_, cur *corev1.Pod) {
			cur.Status.Conditions = []corev1.PodCondition{cond(corev1.PodReady, "True"), cond("gate", "True")}
		}, "Ready is True but ContainersReady is not"},
		{"Ready with the gate unset", func(_, cur *corev1.Pod) {
			cur.Status.Conditions = []corev1.PodCondition{cond(corev1.PodReady, "True"), cond(corev1.ContainersReady, "True")}
		}, `readiness gate "gate" is not`},
		{"ContainersReady with an unready container", func(_, cur *corev1.Pod) {
			cur.Status.Conditions = []corev1.PodCondition{cond(corev1.ContainersReady, "True")}
			cur.Status.ContainerStatuses[0].Ready = false
		}, `container "c" is not ready`},
		{"restartCount falls", func(_, cur *corev1.Pod) { cur.Status.ContainerStatuses[0].RestartCount = 1 }, "restartCount fell from 2 to 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, eng, _ := testServer(t, "1.33")
			old, cur := base(), base()
			tc.mutate(old, cur)
			s.checkInvariants(old, cur)
			require.Error(t, eng.Err())
			require.True(t, errors.Is(eng.Err(), ErrInvariant))
			require.Contains(t, eng.Err().Error(), tc.want)
			require.Contains(t, eng.Err().Error(), "reproduce with seed=1")
		})
	}
	s, eng, _ := testServer(t, "1.33")
	s.checkInvariants(base(), base())
	require.NoError(t, eng.Err(), "a consistent pod passes")
	// A gate set back to False while Ready is still True is the moment
	// before the kubelet reconciles Ready: not a violation.
	old, cur := base(), base()
	old.Status.Conditions = []corev1.PodCondition{cond(corev1.PodReady, "True"), cond(corev1.ContainersReady, "True"), cond("gate", "True")}
	cur.Status.Conditions = []corev1.PodCondition{cond(corev1.PodReady, "True"), cond(corev1.ContainersReady, "True"), cond("gate", "False")}
	s.checkInvariants(old, cur)
	require.NoError(t, eng.Err(), "a gate going False before Ready follows")
}
