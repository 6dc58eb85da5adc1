package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

func webStatefulSet(replicas int32) *appsv1.StatefulSet {
	return &appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Name: "db"}, Spec: appsv1.StatefulSetSpec{
		Replicas: ptr.To(replicas), ServiceName: "db",
		Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}},
		Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "db"}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "busybox:1.36", Command: []string{"sleep", "3600"},
				ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"true"}}}, InitialDelaySeconds: 5, PeriodSeconds: 5}}}}}}}
}

func podCreated(c *sim.Cluster, name string) time.Time {
	for _, e := range c.Events() {
		if e.Reason == "SuccessfulCreate" && e.Message == "create Pod "+name+" in StatefulSet db successful" {
			return e.FirstTimestamp.Time
		}
	}
	return time.Time{}
}

// OrderedReady: db-1 is created only once db-0 is Running and Ready, db-2
// once db-1 is; a deleted pod comes back under its name with a new UID.
func TestStatefulSetOrderedReady(t *testing.T) {
	c := workloadCluster(t, "node-1")
	require.NoError(t, c.CreateWorkload(webStatefulSet(3), map[string]behavior.Spec{"app": sleepForever()}))
	run(t, c, 60*time.Second)
	names := map[string]uidString{}
	for _, p := range c.Pods() {
		names[p.Name] = uidString(p.UID)
		require.Equal(t, p.Name, p.Spec.Hostname)
		require.Equal(t, "db", p.Spec.Subdomain)
		require.Equal(t, p.Name, p.Labels["statefulset.kubernetes.io/pod-name"])
	}
	require.Len(t, names, 3)
	require.Contains(t, names, "db-0")
	require.Contains(t, names, "db-2")
	t0, t1, t2 := podCreated(c, "db-0"), podCreated(c, "db-1"), podCreated(c, "db-2")
	require.False(t, t0.IsZero())
	require.GreaterOrEqual(t, t1.Sub(t0), 5*time.Second, "db-1 waits for db-0's readiness")
	require.GreaterOrEqual(t, t2.Sub(t1), 5*time.Second)
	st := c.StatefulSet("default", "db").Status
	require.Equal(t, int32(3), st.ReadyReplicas)
	require.Equal(t, int32(3), st.AvailableReplicas)

	require.NoError(t, c.DeletePod("default", "db-1", sim.DeleteOptions{}))
	run(t, c, 120*time.Second)
	var again *corev1.Pod
	for _, p := range c.Pods() {
		if p.Name == "db-1" {
			again = p
		}
	}
	require.NotNil(t, again, "re-created under its name")
	require.NotEqual(t, names["db-1"], uidString(again.UID))
	require.Equal(t, corev1.PodRunning, again.Status.Phase)
}

type uidString string

// A DaemonSet runs one pod on every node, bound there by the node affinity
// the controller sets; a NoSchedule-tainted node gets none, a cordoned one
// does (daemon pods tolerate unschedulable).
func TestDaemonSetOnePodPerNode(t *testing.T) {
	c, err := sim.New(sim.Config{Seed: 1, CheckInvariants: true})
	require.NoError(t, err)
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{}))
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-2"}, Spec: corev1.NodeSpec{Unschedulable: true}}, sim.NodeOptions{}))
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-3"},
		Spec: corev1.NodeSpec{Taints: []corev1.Taint{{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule}}}}, sim.NodeOptions{}))
	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "agent"}, Spec: appsv1.DaemonSetSpec{
		Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
		Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "agent"}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "agent", Image: "busybox:1.36", Command: []string{"sleep", "3600"}}}}}}}
	require.NoError(t, c.CreateWorkload(ds, nil))
	run(t, c, 30*time.Second)
	nodes := map[string]string{}
	for _, p := range c.Pods() {
		nodes[p.Spec.NodeName] = p.Name
		terms := p.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
		require.Equal(t, []corev1.NodeSelectorRequirement{{Key: "metadata.name", Operator: corev1.NodeSelectorOpIn, Values: []string{p.Spec.NodeName}}}, terms[0].MatchFields)
		require.Equal(t, corev1.PodRunning, p.Status.Phase)
	}
	require.Len(t, nodes, 2)
	require.Contains(t, nodes, "node-1")
	require.Contains(t, nodes, "node-2")
	st := c.DaemonSet("default", "agent").Status
	require.Equal(t, int32(2), st.DesiredNumberScheduled)
	require.Equal(t, int32(2), st.CurrentNumberScheduled)
	require.Equal(t, int32(2), st.NumberReady)
	require.Equal(t, int32(0), st.NumberUnavailable)
}
