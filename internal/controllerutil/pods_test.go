package controllerutil

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

type podOpt func(*corev1.Pod)

func mkPod(name string, opts ...podOpt) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, UID: types.UID("uid-" + name), CreationTimestamp: metav1.NewTime(epoch)},
		Status: corev1.PodStatus{Phase: corev1.PodRunning}}
	p.Spec.NodeName = "node-1"
	for _, o := range opts {
		o(p)
	}
	return p
}

func unassigned(p *corev1.Pod) { p.Spec.NodeName = "" }
func phase(ph corev1.PodPhase) podOpt {
	return func(p *corev1.Pod) { p.Status.Phase = ph }
}
func readySince(d time.Duration) podOpt {
	return func(p *corev1.Pod) {
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(epoch.Add(d))}}
	}
}
func created(d time.Duration) podOpt {
	return func(p *corev1.Pod) { p.CreationTimestamp = metav1.NewTime(epoch.Add(d)) }
}
func restarts(n int32) podOpt {
	return func(p *corev1.Pod) {
		p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "c", RestartCount: n}}
	}
}
func cost(v string) podOpt {
	return func(p *corev1.Pod) { p.Annotations = map[string]string{PodDeletionCostAnnotation: v} }
}

// The ordering of TestSortingActivePodsWithRanks (controller_utils_test.go):
// each pair's first pod is deleted before the second.
func TestRankedPodsLess(t *testing.T) {
	now := epoch.Add(time.Hour)
	for _, tc := range []struct {
		name        string
		first, then RankedPod
	}{
		{"unassigned before assigned", RankedPod{Pod: mkPod("a", unassigned, phase(corev1.PodPending))}, RankedPod{Pod: mkPod("b", phase(corev1.PodPending))}},
		{"pending before unknown", RankedPod{Pod: mkPod("a", phase(corev1.PodPending))}, RankedPod{Pod: mkPod("b", phase(corev1.PodUnknown))}},
		{"unknown before running", RankedPod{Pod: mkPod("a", phase(corev1.PodUnknown))}, RankedPod{Pod: mkPod("b")}},
		{"not ready before ready", RankedPod{Pod: mkPod("a")}, RankedPod{Pod: mkPod("b", readySince(0))}},
		{"lower deletion cost first", RankedPod{Pod: mkPod("a", readySince(0), cost("-10"))}, RankedPod{Pod: mkPod("b", readySince(0))}},
		{"doubled up before alone", RankedPod{Pod: mkPod("a", readySince(0)), Rank: 2}, RankedPod{Pod: mkPod("b", readySince(0)), Rank: 1}},
		{"ready for less time first (other power of two)", RankedPod{Pod: mkPod("a", readySince(50*time.Minute))}, RankedPod{Pod: mkPod("b", readySince(0))}},
		{"same power of two: by UID", RankedPod{Pod: mkPod("a", readySince(time.Minute))}, RankedPod{Pod: mkPod("b", readySince(2*time.Minute))}},
		{"more restarts first", RankedPod{Pod: mkPod("a", restarts(3))}, RankedPod{Pod: mkPod("b", restarts(1))}},
		{"newer first (other power of two)", RankedPod{Pod: mkPod("a", created(55*time.Minute))}, RankedPod{Pod: mkPod("b")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.True(t, RankedPodsLess(tc.first, tc.then, now))
			require.False(t, RankedPodsLess(tc.then, tc.first, now))
		})
	}
}

func TestActivePodsLess(t *testing.T) {
	for _, tc := range []struct {
		name        string
		first, then *corev1.Pod
	}{
		{"unassigned first", mkPod("a", unassigned), mkPod("b")},
		{"pending first", mkPod("a", phase(corev1.PodPending)), mkPod("b")},
		{"not ready first", mkPod("a"), mkPod("b", readySince(0))},
		{"ready later first", mkPod("a", readySince(time.Minute)), mkPod("b", readySince(0))},
		{"more restarts first", mkPod("a", restarts(2)), mkPod("b")},
		{"newer first", mkPod("a", created(time.Second)), mkPod("b")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.True(t, ActivePodsLess(tc.first, tc.then))
			require.False(t, ActivePodsLess(tc.then, tc.first))
		})
	}
}

func TestIsPodAvailable(t *testing.T) {
	p := mkPod("a", readySince(10*time.Second))
	for _, tc := range []struct {
		minReady int32
		at       time.Duration
		want     bool
	}{
		{0, 10 * time.Second, true},
		{5, 15 * time.Second, false}, // Before, not Before-or-equal
		{5, 15*time.Second + time.Millisecond, true},
		{5, 12 * time.Second, false},
	} {
		require.Equal(t, tc.want, IsPodAvailable(p, tc.minReady, epoch.Add(tc.at)), "minReadySeconds %d at %v", tc.minReady, tc.at)
	}
	require.False(t, IsPodAvailable(mkPod("b"), 0, epoch))
}

func TestActiveAndTerminating(t *testing.T) {
	deleting := mkPod("d", func(p *corev1.Pod) { p.DeletionTimestamp = ptr.To(metav1.NewTime(epoch)) })
	done := mkPod("s", phase(corev1.PodSucceeded))
	pods := []*corev1.Pod{mkPod("a"), deleting, done, mkPod("f", phase(corev1.PodFailed))}
	require.Equal(t, []*corev1.Pod{pods[0]}, FilterActivePods(pods))
	require.Equal(t, int32(1), CountTerminatingPods(pods))
}

// The pod of a template gets its labels, annotations, finalizers, spec,
// generateName and controller reference (TestGetPodFromTemplate).
func TestPodFromTemplate(t *testing.T) {
	tmpl := &corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}, Annotations: map[string]string{"a": "b"}, Finalizers: []string{"f"}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "nginx"}}}}
	ref := metav1.OwnerReference{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-1", UID: "u", Controller: ptr.To(true), BlockOwnerDeletion: ptr.To(true)}
	p := PodFromTemplate(tmpl, "web-1", &ref)
	require.Equal(t, "web-1-", p.GenerateName)
	require.Equal(t, tmpl.Labels, p.Labels)
	require.Equal(t, tmpl.Annotations, p.Annotations)
	require.Equal(t, []string{"f"}, p.Finalizers)
	require.Equal(t, []metav1.OwnerReference{ref}, p.OwnerReferences)
	require.Equal(t, tmpl.Spec, p.Spec)
	p.Labels["x"] = "y"
	require.NotContains(t, tmpl.Labels, "x", "the template must not be shared")
	require.Equal(t, strings.Repeat("a", 253), PodsPrefix(strings.Repeat("a", 253)), "a name with no room for the dash is used as it is")
}

// podSpec is pkg/controller/deployment/util/hash_test.go's template.
const podSpec = `{"metadata":{"creationTimestamp":null,"labels":{"app":"cats"}},"spec":{"containers":[{"name":"cats","image":"registry/test/cats:v@@VERSION@@","ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],"livenessProbe":{"httpGet":{"path":"/","port":"http","scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3},"terminationMessagePath":"/dev/termination-log","imagePullPolicy":"IfNotPresent"}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{}}}`

// TestPodTemplateSpecHash: a thousand versions of a template hash apart,
// the hash is a function of the template, and the collision count changes it.
func TestComputeHash(t *testing.T) {
	seen := map[string]int{}
	for i := range 1000 {
		var spec corev1.PodTemplateSpec
		require.NoError(t, json.Unmarshal([]byte(strings.Replace(podSpec, "@@VERSION@@", strconv.Itoa(i), 1)), &spec))
		h := ComputeHash(&spec, nil)
		if prev, ok := seen[h]; ok {
			t.Fatalf("hash collision between versions %d and %d", prev, i)
		}
		seen[h] = i
		require.Equal(t, h, ComputeHash(spec.DeepCopy(), nil))
		if i == 0 {
			require.NotEqual(t, h, ComputeHash(&spec, ptr.To[int32](1)))
			require.True(t, strings.Trim(h, "bcdfghjklmnpqrstvwxz2456789") == "", "safe-encoded: %q", h)
		}
	}
}

func TestSlowStartBatch(t *testing.T) {
	for _, tc := range []struct {
		count, failAt, wantDone, wantCalls int
	}{
		{count: 10, failAt: -1, wantDone: 10, wantCalls: 10},
		{count: 10, failAt: 0, wantDone: 0, wantCalls: 1}, // the first batch of 1 fails
		{count: 10, failAt: 2, wantDone: 2, wantCalls: 3}, // batches 1, 2: the third call fails in the second batch
		{count: 10, failAt: 4, wantDone: 6, wantCalls: 7}, // batches 1, 2, 4: the fifth call fails in the third batch
		{count: 3, failAt: -1, wantDone: 3, wantCalls: 3}, // batches 1, 2
		{count: 0, failAt: -1, wantDone: 0, wantCalls: 0},
	} {
		calls := 0
		done, err := SlowStartBatch(tc.count, SlowStartInitialBatchSize, func() error {
			calls++
			if calls-1 == tc.failAt {
				return errFake
			}
			return nil
		})
		require.Equal(t, tc.wantDone, done, "%+v", tc)
		require.Equal(t, tc.wantCalls, calls, "%+v", tc)
		require.Equal(t, tc.failAt >= 0, err != nil)
	}
}

var errFake = errorString("fake")

type errorString string

func (e errorString) Error() string { return string(e) }

func TestExpectations(t *testing.T) {
	e := NewExpectations()
	require.True(t, e.Satisfied("rs", 0))
	e.ExpectCreations("rs", 2, 0)
	require.False(t, e.Satisfied("rs", 0))
	e.CreationObserved("rs")
	require.False(t, e.Satisfied("rs", time.Second))
	require.True(t, e.Satisfied("rs", ExpectationsTimeout+time.Nanosecond), "expectations expire")
	e.CreationObserved("rs")
	require.True(t, e.Satisfied("rs", time.Second))
	e.ExpectDeletions("rs", []string{"ns/a", "ns/b"}, 0)
	e.DeletionObserved("rs", "ns/a")
	e.DeletionObserved("rs", "ns/a") // counted once: deletionTimestamp, then gone
	e.DeletionObserved("rs", "ns/other")
	require.False(t, e.Satisfied("rs", 0))
	e.DeletionObserved("rs", "ns/b")
	require.True(t, e.Satisfied("rs", 0))
	e.Delete("rs")
	require.True(t, e.Satisfied("rs", 0))
}

func TestClaimPod(t *testing.T) {
	sel, _ := metav1.LabelSelectorAsSelector(&metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}})
	own := []metav1.OwnerReference{{Kind: "ReplicaSet", Name: "web", UID: "me", Controller: ptr.To(true)}}
	other := []metav1.OwnerReference{{Kind: "ReplicaSet", Name: "x", UID: "other", Controller: ptr.To(true)}}
	lbl := func(v string) map[string]string { return map[string]string{"app": v} }
	for _, tc := range []struct {
		name     string
		labels   map[string]string
		refs     []metav1.OwnerReference
		deleting bool
		want     ClaimDecision
	}{
		{"own and selected", lbl("web"), own, false, Keep},
		{"own, no longer selected", lbl("db"), own, false, Release},
		{"own, not selected, owner deleting", lbl("db"), own, true, Ignore},
		{"orphan selected", lbl("web"), nil, false, Adopt},
		{"orphan selected, owner deleting", lbl("web"), nil, true, Ignore},
		{"orphan not selected", lbl("db"), nil, false, Ignore},
		{"another's", lbl("web"), other, false, Ignore},
	} {
		p := mkPod("p")
		p.Labels, p.OwnerReferences = tc.labels, tc.refs
		require.Equal(t, tc.want, ClaimPod(p, "me", sel, tc.deleting), tc.name)
	}
	require.Empty(t, RemoveOwner(own, "me"))
	require.True(t, slices.Equal(other, RemoveOwner(other, "me")))
}
