package apiserver

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/trace"
)

func template(labels map[string]string, restart corev1.RestartPolicy) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels},
		Spec: corev1.PodSpec{RestartPolicy: restart, Containers: []corev1.Container{{Name: "c", Image: "nginx:1.25.2"}}}}
}

// names.SimpleNameGenerator: the base cut to 58 characters and five of the
// vowel-less alphanumerics; the same seed draws the same names.
func TestGenerateName(t *testing.T) {
	s, _, _ := testServer(t, "1.33")
	s2, _, _ := testServer(t, "1.33")
	for _, base := range []string{"web-", strings.Repeat("x", 70)} {
		n := s.GenerateName(base)
		want := base
		if len(want) > 58 {
			want = want[:58]
		}
		require.True(t, strings.HasPrefix(n, want), n)
		require.Len(t, n, len(want)+5)
		require.Empty(t, strings.Trim(n[len(want):], alphanums))
		require.Equal(t, n, s2.GenerateName(base))
	}
}

func TestCreatePodWithGenerateName(t *testing.T) {
	s, _, _ := testServer(t, "1.33")
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{GenerateName: "web-"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
	require.NoError(t, s.CreatePod(p, "user", ""))
	require.True(t, strings.HasPrefix(p.Name, "web-"))
	require.NotNil(t, s.Pod(types.NamespacedName{Namespace: "default", Name: p.Name}))
}

// Creation applies the kind's defaults and validation, sets UID,
// generation and resourceVersion, and tells the watchers.
func TestCreateWorkload(t *testing.T) {
	s, eng, tr := testServer(t, "1.33")
	var seen []string
	s.WatchObjects(func(kind string, op trace.Op, key types.NamespacedName) {
		seen = append(seen, kind+" "+string(op)+" "+key.String())
	})
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: appsv1.DeploymentSpec{
		Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}, Template: template(map[string]string{"app": "web"}, "")}}
	require.NoError(t, s.CreateWorkload(d, "user", "created"))
	got := s.Workload(KindDeployment, types.NamespacedName{Namespace: "default", Name: "web"}).(*appsv1.Deployment)
	require.Equal(t, int32(1), *got.Spec.Replicas)
	require.Equal(t, appsv1.RollingUpdateDeploymentStrategyType, got.Spec.Strategy.Type)
	require.Equal(t, intstr.FromString("25%"), *got.Spec.Strategy.RollingUpdate.MaxSurge)
	require.Equal(t, int32(10), *got.Spec.RevisionHistoryLimit)
	require.Equal(t, int32(600), *got.Spec.ProgressDeadlineSeconds)
	require.Equal(t, corev1.RestartPolicyAlways, got.Spec.Template.Spec.RestartPolicy)
	require.Equal(t, corev1.PullIfNotPresent, got.Spec.Template.Spec.Containers[0].ImagePullPolicy)
	require.Empty(t, got.Spec.Template.Spec.Tolerations, "admission tolerations are for pods, not templates")
	require.Equal(t, int64(1), got.Generation)
	require.NotEmpty(t, got.UID)
	require.EqualError(t, s.CreateWorkload(d.DeepCopy(), "user", ""), `deployments.apps "web" already exists`)
	require.NoError(t, eng.RunUntil(time.Second))
	require.Equal(t, []string{"Deployment ADDED default/web"}, seen)
	require.Equal(t, "Deployment", tr.At(0).Kind)
}

func TestValidateWorkload(t *testing.T) {
	s, _, _ := testServer(t, "1.33")
	sel := &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
	for _, tc := range []struct {
		name string
		obj  workloadObject
		want string
	}{
		{"selector must match", &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "d"}, Spec: appsv1.DeploymentSpec{Selector: sel, Template: template(map[string]string{"app": "db"}, "")}},
			"spec.template.metadata.labels: Invalid value: {\"app\":\"db\"}: `selector` does not match template `labels`"},
		{"selector required", &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: "r"}, Spec: appsv1.ReplicaSetSpec{Template: template(nil, "")}},
			"spec.selector: Required value"},
		{"apps need Always", &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "d"}, Spec: appsv1.DeploymentSpec{Selector: sel, Template: template(map[string]string{"app": "web"}, corev1.RestartPolicyNever)}},
			`spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"`},
		{"job needs OnFailure or Never", &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "j"}, Spec: batchv1.JobSpec{Template: template(nil, "")}},
			`spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"`},
		{"surge and unavailable not both 0", &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "d"}, Spec: appsv1.DeploymentSpec{Selector: sel, Template: template(map[string]string{"app": "web"}, ""),
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: ptr.To(intstr.FromInt32(0)), MaxUnavailable: ptr.To(intstr.FromString("0%"))}}}},
			"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0"},
		{"pod failure policy needs Never", &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "j"}, Spec: batchv1.JobSpec{Template: template(nil, corev1.RestartPolicyOnFailure),
			PodFailurePolicy: &batchv1.PodFailurePolicy{Rules: []batchv1.PodFailurePolicyRule{{Action: batchv1.PodFailurePolicyActionFailJob, OnExitCodes: &batchv1.PodFailurePolicyOnExitCodesRequirement{Operator: batchv1.PodFailurePolicyOnExitCodesOpIn, Values: []int32{42}}}}}}},
			`spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.CreateWorkload(tc.obj, "user", "")
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

// A Job gets the selector and template labels the API server generates.
func TestJobSelectorGenerated(t *testing.T) {
	for _, tc := range []struct {
		version string
		key     string
	}{{"1.25", LegacyJobControllerUIDLabel}, {"1.33", JobControllerUIDLabel}} {
		s, _, _ := testServer(t, tc.version)
		j := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "pi"}, Spec: batchv1.JobSpec{Template: template(nil, corev1.RestartPolicyNever)}}
		require.NoError(t, s.CreateWorkload(j, "user", ""))
		require.Equal(t, map[string]string{tc.key: string(j.UID)}, j.Spec.Selector.MatchLabels)
		require.Equal(t, "pi", j.Spec.Template.Labels[LegacyJobNameLabel])
		require.Equal(t, int32(6), *j.Spec.BackoffLimit)
		require.Equal(t, int32(1), *j.Spec.Completions)
		require.Equal(t, int32(1), *j.Spec.Parallelism)
	}
}

// A spec change bumps the generation; a status change does not; a write
// that changes nothing is dropped; immutable fields stay.
func TestUpdateWorkload(t *testing.T) {
	s, _, tr := testServer(t, "1.33")
	rs := &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: "r"}, Spec: appsv1.ReplicaSetSpec{
		Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}, Template: template(map[string]string{"app": "web"}, "")}}
	require.NoError(t, s.CreateWorkload(rs, "user", ""))
	key := types.NamespacedName{Namespace: "default", Name: "r"}
	get := func() *appsv1.ReplicaSet { return s.Workload(KindReplicaSet, key).(*appsv1.ReplicaSet) }
	n := tr.Len()
	_, err := s.UpdateWorkload(KindReplicaSet, key, "", "c", "", func(o runtime.Object) { o.(*appsv1.ReplicaSet).Status.Replicas = 0 })
	require.NoError(t, err)
	require.Equal(t, n, tr.Len(), "a no-op write is dropped")
	_, err = s.UpdateWorkload(KindReplicaSet, key, "", "c", "", func(o runtime.Object) { o.(*appsv1.ReplicaSet).Status.Replicas = 1 })
	require.NoError(t, err)
	require.Equal(t, int64(1), get().Generation)
	_, err = s.UpdateWorkload(KindReplicaSet, key, "", "u", "", func(o runtime.Object) { o.(*appsv1.ReplicaSet).Spec.Replicas = ptr.To[int32](3) })
	require.NoError(t, err)
	require.Equal(t, int64(2), get().Generation)
	require.Contains(t, tr.At(tr.Len()-1).Changes, "spec.replicas: 1 → 3")
	_, err = s.UpdateWorkload(KindReplicaSet, key, "", "u", "", func(o runtime.Object) {
		o.(*appsv1.ReplicaSet).Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web", "x": "y"}}
		o.(*appsv1.ReplicaSet).Spec.Template.Labels["x"] = "y"
	})
	require.ErrorContains(t, err, "spec.selector: Invalid value")
	require.ErrorContains(t, err, "field is immutable")
	require.True(t, s.DeleteWorkload(KindReplicaSet, key, "", "u", ""))
	require.Nil(t, s.Workload(KindReplicaSet, key))
	require.False(t, s.DeleteWorkload(KindReplicaSet, key, "", "u", ""))
}

// A pod with a finalizer stays, deletionGracePeriodSeconds 0, until the
// finalizer is removed; then the update deletes it.
func TestFinalizerHoldsDeletion(t *testing.T) {
	s, _, tr := testServer(t, "1.33")
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Finalizers: []string{"batch.kubernetes.io/job-tracking"}},
		Spec: corev1.PodSpec{NodeName: "n", Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
	require.NoError(t, s.CreatePod(p, "job-controller", ""))
	key := types.NamespacedName{Namespace: "default", Name: "p"}
	s.DeletePod(key, "", nil, "user", "")
	s.DeletePod(key, "", ptr.To[int64](0), "kubelet", "")
	got := s.Pod(key)
	require.NotNil(t, got)
	require.Equal(t, int64(0), *got.DeletionGracePeriodSeconds)
	s.UpdatePod(key, "", "job-controller", "finalizer removed", func(p *corev1.Pod) { p.Finalizers = nil })
	require.Nil(t, s.Pod(key))
	require.Equal(t, trace.Deleted, tr.At(tr.Len()-1).Op)
}
