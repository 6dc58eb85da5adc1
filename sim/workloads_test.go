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

func workloadCluster(t *testing.T, nodes ...string) *sim.Cluster {
	t.Helper()
	c, err := sim.New(sim.Config{Seed: 1, CheckInvariants: true})
	require.NoError(t, err)
	for _, n := range nodes {
		require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: n}}, sim.NodeOptions{}))
	}
	return c
}

func webReplicaSet(replicas int32) *appsv1.ReplicaSet {
	return &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: appsv1.ReplicaSetSpec{
		Replicas: ptr.To(replicas),
		Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
		Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "busybox:1.36", Command: []string{"sleep", "3600"}}}}}}}
}

func runningPods(c *sim.Cluster) []*corev1.Pod {
	var out []*corev1.Pod
	for _, p := range c.Pods() {
		if p.Status.Phase == corev1.PodRunning && p.DeletionTimestamp == nil {
			out = append(out, p)
		}
	}
	return out
}

// The ReplicaSet's pods run on the kubelets with the behaviour of the
// template's container; a deleted one is replaced by a pod with a new name
// and a new UID; deleting the ReplicaSet deletes its pods (garbage
// collection, background propagation).
func TestReplicaSetPodsRunAndAreReplaced(t *testing.T) {
	c := workloadCluster(t, "node-1")
	require.NoError(t, c.CreateWorkload(webReplicaSet(2), map[string]behavior.Spec{"app": sleepForever()}))
	run(t, c, 10*time.Second)
	pods := runningPods(c)
	require.Len(t, pods, 2)
	require.Equal(t, int32(2), c.ReplicaSet("default", "web").Status.ReadyReplicas)
	victim := pods[0]
	require.NoError(t, c.DeletePod("default", victim.Name, sim.DeleteOptions{}))
	run(t, c, 20*time.Second)
	after := runningPods(c)
	require.Len(t, after, 2)
	for _, p := range after {
		require.NotEqual(t, victim.Name, p.Name)
		require.NotEqual(t, victim.UID, p.UID)
	}
	require.NoError(t, c.DeleteWorkload("ReplicaSet", "default", "web"))
	run(t, c, 30*time.Second)
	require.Empty(t, c.Pods(), "the garbage collector deleted the pods; sleep dies of SIGTERM at once")
	require.Nil(t, c.ReplicaSet("default", "web"))
}

// A container the Go program gives no behaviour does what its command says.
func TestWorkloadBehaviourFromManifest(t *testing.T) {
	c := workloadCluster(t, "node-1")
	require.NoError(t, c.CreateWorkload(webReplicaSet(1), nil))
	run(t, c, 10*time.Second)
	require.Len(t, runningPods(c), 1)
	bad := webReplicaSet(1)
	bad.Name = "bad"
	bad.Spec.Template.Spec.Containers[0].Command = []string{"sh", "-c", "echo $HOME"}
	require.ErrorContains(t, c.CreateWorkload(bad, nil), `ReplicaSet default/bad: container "app"`)
}

func TestNamespace(t *testing.T) {
	c := workloadCluster(t)
	require.NoError(t, c.CreateWorkload(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "shop"}}, nil))
	ns, ok := c.Workload("Namespace", "", "shop").(*corev1.Namespace)
	require.True(t, ok)
	require.Equal(t, corev1.NamespaceActive, ns.Status.Phase)
	require.Equal(t, "shop", ns.Labels["kubernetes.io/metadata.name"])
	require.ErrorContains(t, c.CreateWorkload(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "Bad_NS"}}, nil), "metadata.name: Invalid value")
}
