package sim

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/trace"
)

func TestCalculateEffectiveGracePeriod(t *testing.T) {
	pod := func(spec int64, deletion *int64) *corev1.Pod {
		return &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{DeletionGracePeriodSeconds: deletion},
			Spec:       corev1.PodSpec{TerminationGracePeriodSeconds: ptr.To(spec)},
		}
	}
	tests := []struct {
		name          string
		current       int64
		pod           *corev1.Pod
		override      *int64
		want          int64
		wantShortened bool
	}{
		{"deletion grace", 0, pod(30, ptr.To[int64](60)), nil, 60, false},
		{"override shortens", 60, pod(30, ptr.To[int64](60)), ptr.To[int64](10), 10, true},
		{"only shrinks", 10, pod(30, ptr.To[int64](60)), nil, 10, false},
		{"force delete gets the spec's grace (issue #115819)", 0, pod(30, ptr.To[int64](0)), nil, 30, false},
		{"kill without deletion uses the spec", 0, pod(45, nil), nil, 45, false},
		{"never below one second", 0, pod(0, ptr.To[int64](0)), nil, 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, short := calculateEffectiveGracePeriod(tc.current, tc.pod, tc.override)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.wantShortened, short)
		})
	}
}

func TestParseImage(t *testing.T) {
	tests := []struct {
		in, want, policy string
		bad              bool
		err              string
	}{
		{in: "centos", want: "docker.io/library/centos:latest", policy: "Always"},
		{in: "nginx:1.25.2", want: "docker.io/library/nginx:1.25.2", policy: "IfNotPresent"},
		{in: "busybox:latest", want: "docker.io/library/busybox:latest", policy: "Always"},
		{in: "registry.k8s.io/pause:3.9", want: "registry.k8s.io/pause:3.9", policy: "IfNotPresent"},
		{in: "localhost:5000/team/app", want: "localhost:5000/team/app:latest", policy: "Always"},
		{in: "app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", want: "docker.io/library/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", policy: "IfNotPresent"},
		{in: "Registry/UPPER", bad: true},
		{in: "nginx:", bad: true},
		{in: "Nginx:1.25.2", bad: true, err: `couldn't parse image name "Nginx:1.25.2": invalid reference format: repository name (library/Nginx) must be lowercase`},
		{in: "quay.io/Org/app", bad: true, err: `couldn't parse image name "quay.io/Org/app": invalid reference format: repository name (Org/app) must be lowercase`},
		{in: "", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			ref, err := parseImage(tc.in)
			if tc.bad {
				require.Error(t, err)
				if tc.err != "" {
					require.Equal(t, tc.err, err.Error())
				}
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, ref.String())
			require.EqualValues(t, tc.policy, defaultPullPolicy(tc.in))
		})
	}
}

func testCluster(t *testing.T, version string) *Cluster {
	t.Helper()
	c, err := New(Config{Version: version, Seed: 1})
	require.NoError(t, err)
	return c
}

func TestAPIGracefulDelete(t *testing.T) {
	for _, version := range SupportedVersions {
		t.Run(version, func(t *testing.T) {
			c := testCluster(t, version)
			p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "default"}, Spec: corev1.PodSpec{NodeName: "n", Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
			c.api.createPod(p, "user", "")
			key := objKey{"default", "p"}
			require.NoError(t, c.RunUntil(5*time.Second))
			c.api.deletePod(key, "", nil, "user", "")
			got := c.api.pods[key]
			require.NotNil(t, got)
			require.EqualValues(t, 30, *got.DeletionGracePeriodSeconds)
			require.Equal(t, c.stamp(35*time.Second).Time, got.DeletionTimestamp.Time)
			// The kubelet's final delete, 3 s later: MODIFIED with grace 0, then DELETED.
			require.NoError(t, c.RunUntil(8*time.Second))
			before := len(c.tr.Records)
			c.api.deletePod(key, string(got.UID), ptr.To[int64](0), "kubelet", "")
			require.Nil(t, c.api.pods[key])
			recs := c.tr.Records[before:]
			require.Len(t, recs, 2)
			require.Equal(t, trace.Modified, recs[0].Op)
			require.EqualValues(t, 0, *recs[0].Pod.DeletionGracePeriodSeconds)
			want := c.stamp(5 * time.Second).Time // 1.25: moved back to the first delete, in the past
			if version != "1.25" {
				want = c.stamp(8 * time.Second).Time // PR #122646: never in the past
			}
			require.Equal(t, want, recs[0].Pod.DeletionTimestamp.Time)
			require.Equal(t, trace.Deleted, recs[1].Op)
		})
	}
}

func TestAPIDeleteUnscheduledIsImmediate(t *testing.T) {
	c := testCluster(t, "1.33")
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "default"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
	c.api.createPod(p, "user", "")
	c.api.deletePod(objKey{"default", "p"}, "", nil, "user", "")
	require.Nil(t, c.api.pods[objKey{"default", "p"}])
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
			c := testCluster(t, "1.33")
			old, cur := base(), base()
			tc.mutate(old, cur)
			(&invariants{}).checkPod(c, old, cur)
			require.Error(t, c.Err())
			require.True(t, errors.Is(c.Err(), ErrInvariant))
			require.Contains(t, c.Err().Error(), tc.want)
			require.Contains(t, c.Err().Error(), "reproduce with seed=1")
		})
	}
	c := testCluster(t, "1.33")
	(&invariants{}).checkPod(c, base(), base())
	require.NoError(t, c.Err(), "a consistent pod passes")
}
