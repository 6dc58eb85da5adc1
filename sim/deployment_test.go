package sim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

func webDeployment(replicas int32, image string) *appsv1.Deployment {
	return &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: appsv1.DeploymentSpec{
		Replicas: ptr.To(replicas),
		Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
		Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: image, Command: []string{"sleep", "3600"}}}}}}}
}

func eventMessages(c *sim.Cluster, reason string) []string {
	var out []string
	for _, e := range c.Events() {
		if e.Reason == reason {
			out = append(out, e.Message)
		}
	}
	return out
}

// A Deployment of 4 rolls a new image out with the default 25 % surge and
// unavailability: one pod more, one less, at every step (rolling.go), the
// ReplicaSets named after the Deployment and the template's hash.
func TestDeploymentRollingUpdate(t *testing.T) {
	c := workloadCluster(t, "node-1")
	beh := map[string]behavior.Spec{"app": sleepForever()}
	require.NoError(t, c.CreateWorkload(webDeployment(4, "busybox:1.36"), beh))
	run(t, c, 20*time.Second)
	d := c.Deployment("default", "web")
	require.Equal(t, int32(4), d.Status.AvailableReplicas)
	require.Equal(t, int32(4), d.Status.UpdatedReplicas)
	rss := c.Workloads("ReplicaSet")
	require.Len(t, rss, 1)
	first := rss[0].(*appsv1.ReplicaSet)
	hash := first.Labels[appsv1.DefaultDeploymentUniqueLabelKey]
	require.Equal(t, "web-"+hash, first.Name)
	require.Equal(t, "1", first.Annotations["deployment.kubernetes.io/revision"])
	for _, p := range c.Pods() {
		require.True(t, strings.HasPrefix(p.Name, first.Name+"-"), p.Name)
		require.Len(t, p.Name, len(first.Name)+6)
	}
	cond := func(t appsv1.DeploymentConditionType) string {
		for _, c := range d.Status.Conditions {
			if c.Type == t {
				return string(c.Status) + " " + c.Reason
			}
		}
		return ""
	}
	require.Equal(t, "True MinimumReplicasAvailable", cond(appsv1.DeploymentAvailable))
	require.Equal(t, "True NewReplicaSetAvailable", cond(appsv1.DeploymentProgressing))

	require.NoError(t, c.ApplyWorkload(webDeployment(4, "busybox:1.37"), beh))
	run(t, c, 80*time.Second)
	d = c.Deployment("default", "web")
	require.Equal(t, int32(4), d.Status.UpdatedReplicas)
	require.Equal(t, int32(4), d.Status.AvailableReplicas)
	require.Equal(t, int32(4), d.Status.Replicas)
	rss = c.Workloads("ReplicaSet")
	require.Len(t, rss, 2)
	var second *appsv1.ReplicaSet
	for _, o := range rss {
		if rs := o.(*appsv1.ReplicaSet); rs.Name != first.Name {
			second = rs
		}
	}
	require.Equal(t, int32(0), *c.ReplicaSet("default", first.Name).Spec.Replicas)
	want := []string{
		fmt.Sprintf("Scaled up replica set %s to 4", first.Name),
		fmt.Sprintf("Scaled up replica set %s to 1", second.Name),
		fmt.Sprintf("Scaled down replica set %s to 3 from 4", first.Name),
		fmt.Sprintf("Scaled up replica set %s to 2 from 1", second.Name),
	}
	got := eventMessages(c, "ScalingReplicaSet")
	require.GreaterOrEqual(t, len(got), len(want))
	require.Equal(t, want, got[:len(want)])
	// Once the new pods are available the old set's last two go together
	// (available 5 − minAvailable 3), then the new set takes the last one.
	require.Equal(t, []string{
		fmt.Sprintf("Scaled down replica set %s to 0 from 2", first.Name),
		fmt.Sprintf("Scaled up replica set %s to 4 from 3", second.Name),
	}, got[len(got)-2:])
	for _, p := range c.Pods() {
		require.True(t, strings.HasPrefix(p.Name, second.Name+"-"), p.Name)
	}
}

// Recreate scales the old ReplicaSet to 0 and creates the new one only
// when the old pods are gone.
func TestDeploymentRecreate(t *testing.T) {
	c := workloadCluster(t, "node-1")
	beh := map[string]behavior.Spec{"app": sleepForever()}
	d := webDeployment(2, "busybox:1.36")
	d.Spec.Strategy.Type = appsv1.RecreateDeploymentStrategyType
	require.NoError(t, c.CreateWorkload(d, beh))
	run(t, c, 20*time.Second)
	d2 := webDeployment(2, "busybox:1.37")
	d2.Spec.Strategy.Type = appsv1.RecreateDeploymentStrategyType
	require.NoError(t, c.ApplyWorkload(d2, beh))
	run(t, c, 80*time.Second)
	got := eventMessages(c, "ScalingReplicaSet")
	require.Len(t, got, 3, "%q", got)
	require.Contains(t, got[1], "Scaled down replica set web-")
	require.Contains(t, got[1], "to 0 from 2")
	require.Contains(t, got[2], "Scaled up replica set web-")
	require.Equal(t, int32(2), c.Deployment("default", "web").Status.AvailableReplicas)
}

// minReadySeconds: a new pod counts as available only after being ready
// that long, so the old ReplicaSet is scaled down no sooner.
func TestDeploymentMinReadySeconds(t *testing.T) {
	c := workloadCluster(t, "node-1")
	beh := map[string]behavior.Spec{"app": sleepForever()}
	d := webDeployment(1, "busybox:1.36")
	d.Spec.MinReadySeconds = 20
	d.Spec.Strategy.RollingUpdate = &appsv1.RollingUpdateDeployment{MaxUnavailable: ptr.To(intstr.FromInt32(0)), MaxSurge: ptr.To(intstr.FromInt32(1))}
	require.NoError(t, c.CreateWorkload(d, beh))
	run(t, c, 40*time.Second)
	require.Equal(t, int32(1), c.Deployment("default", "web").Status.AvailableReplicas)
	d2 := d.DeepCopy()
	d2.Spec.Template.Spec.Containers[0].Image = "busybox:1.37"
	require.NoError(t, c.ApplyWorkload(d2, beh))
	run(t, c, 55*time.Second)
	got := c.Deployment("default", "web").Status
	require.Equal(t, int32(2), got.Replicas, "the new pod is ready but not yet available: the old one stays")
	require.Equal(t, int32(1), got.AvailableReplicas)
	run(t, c, 90*time.Second)
	got = c.Deployment("default", "web").Status
	require.Equal(t, int32(1), got.Replicas)
	require.Equal(t, int32(1), got.UpdatedReplicas)
	require.Equal(t, int32(1), got.AvailableReplicas)
}

// A rollout that makes no progress for progressDeadlineSeconds gets
// Progressing False, ProgressDeadlineExceeded (progress.go).
func TestDeploymentProgressDeadline(t *testing.T) {
	c := workloadCluster(t, "node-1")
	d := webDeployment(1, "busybox:1.36")
	d.Spec.ProgressDeadlineSeconds = ptr.To[int32](30)
	d.Spec.Template.Spec.Containers[0].ReadinessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"false"}}}}
	require.NoError(t, c.CreateWorkload(d, map[string]behavior.Spec{"app": sleepForever()}))
	run(t, c, 25*time.Second)
	cond := func() string {
		for _, c := range c.Deployment("default", "web").Status.Conditions {
			if c.Type == appsv1.DeploymentProgressing {
				return string(c.Status) + " " + c.Reason + ": " + c.Message
			}
		}
		return ""
	}
	require.Equal(t, `True ReplicaSetUpdated: ReplicaSet "`+c.Workloads("ReplicaSet")[0].(*appsv1.ReplicaSet).Name+`" is progressing.`, cond())
	run(t, c, 40*time.Second)
	require.Equal(t, `False ProgressDeadlineExceeded: ReplicaSet "`+c.Workloads("ReplicaSet")[0].(*appsv1.ReplicaSet).Name+`" has timed out progressing.`, cond())
}

// Before 1.26 a resize's ScalingReplicaSet event does not say the old size.
func TestDeploymentScalingEventBefore126(t *testing.T) {
	c, err := sim.New(sim.Config{Seed: 1, CheckInvariants: true, Version: "1.25"})
	require.NoError(t, err)
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{}))
	beh := map[string]behavior.Spec{"app": sleepForever()}
	require.NoError(t, c.CreateWorkload(webDeployment(2, "busybox:1.36"), beh))
	run(t, c, 20*time.Second)
	require.NoError(t, c.ApplyWorkload(webDeployment(2, "busybox:1.37"), beh))
	run(t, c, 60*time.Second)
	got := eventMessages(c, "ScalingReplicaSet")
	require.Len(t, got, 5)
	for _, m := range got {
		require.NotContains(t, m, " from ")
	}
	require.Regexp(t, `^Scaled down replica set web-[a-z0-9]+ to 1$`, got[2])
}
