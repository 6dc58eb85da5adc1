package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/sim"
)

func appPod(image string, script string) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "app", Labels: map[string]string{"app": "x"}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "main", Image: image, Command: []string{"sh", "-c", script}}}}}
}

func mainStatus(t *testing.T, c *sim.Cluster) corev1.ContainerStatus {
	t.Helper()
	pods := c.Pods()
	require.Len(t, pods, 1)
	return pods[0].Status.ContainerStatuses[0]
}

// A new image resets the crash-loop back-off, as the kubelet's back-off
// key holds the container's hash: a container waiting 80 s in
// CrashLoopBackOff starts with the new image at once, and its next
// back-off is 10 s again.
func TestApplyPodImageResetsBackOff(t *testing.T) {
	c := workloadCluster(t, "node-1")
	require.NoError(t, c.CreatePod(appPod("busybox:1.36", "sleep 1; exit 1"), nil))
	run(t, c, 121*time.Second)
	cs := mainStatus(t, c)
	require.Nil(t, cs.State.Running, "%+v", cs)
	require.Equal(t, int32(4), cs.RestartCount, "in its 80 s back-off until 3m16s")
	require.NoError(t, c.ApplyPod(appPod("busybox:1.37", "sleep 1; exit 1"), nil))
	run(t, c, 124*time.Second)
	cs = mainStatus(t, c)
	require.Equal(t, "docker.io/library/busybox:1.37", cs.Image)
	require.NotNil(t, cs.State.Running, "started at once with the new image")
	require.Equal(t, int32(5), cs.RestartCount)
	// It exits a second later; the new key's first back-off is 10 s.
	run(t, c, 140*time.Second)
	require.Equal(t, int32(6), mainStatus(t, c).RestartCount)
}

// A running container whose image changes is killed and restarted
// (containerChanged): "Container main definition changed, will be
// restarted".
func TestApplyPodImageRestartsRunningContainer(t *testing.T) {
	c := workloadCluster(t, "node-1")
	require.NoError(t, c.CreatePod(appPod("busybox:1.36", "sleep 3600"), nil))
	run(t, c, 10*time.Second)
	require.NoError(t, c.ApplyPod(appPod("busybox:1.37", "sleep 3600"), nil))
	run(t, c, 60*time.Second)
	require.Equal(t, []string{"Container main definition changed, will be restarted"}, eventMessages(c, "Killing"))
	cs := mainStatus(t, c)
	require.Equal(t, "docker.io/library/busybox:1.37", cs.Image)
	require.NotNil(t, cs.State.Running)
	require.Equal(t, int32(1), cs.RestartCount)
}

// Labels change in place; the containers keep running.
func TestApplyPodLabels(t *testing.T) {
	c := workloadCluster(t, "node-1")
	require.NoError(t, c.CreatePod(appPod("busybox:1.36", "sleep 3600"), nil))
	run(t, c, 10*time.Second)
	p := appPod("busybox:1.36", "sleep 3600")
	p.Labels["tier"] = "front"
	require.NoError(t, c.ApplyPod(p, nil))
	run(t, c, 20*time.Second)
	require.Equal(t, "front", c.Pods()[0].Labels["tier"])
	require.Equal(t, int32(0), mainStatus(t, c).RestartCount)
	require.Empty(t, eventMessages(c, "Killing"))
}
