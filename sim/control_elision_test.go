package sim_test

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

// controlChurn is a cluster whose control plane has work now and then,
// at odd times and at times that fall on its loops' grids (pod GC every
// 20 s, the node lifecycle monitor every 5 s): pods deleted, a node that
// loses its network and gets NoExecute taints (pods with and without
// tolerationSeconds), a node marked out of service, a node deleted with
// its pods, an unschedulable Job pod deleted, pods that finish.
func controlChurn(t *testing.T, version string, noElision bool) *sim.Cluster {
	t.Helper()
	c, err := sim.New(sim.Config{Version: version, Seed: 7, CheckInvariants: true, NoElision: noElision})
	require.NoError(t, err)
	for i := 1; i <= 5; i++ {
		require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("node-%d", i)}},
			sim.NodeOptions{Images: []string{"busybox:1.36"}}))
	}
	sleeper := map[string]behavior.Spec{"app": {Main: behavior.Script{behavior.Sleep(3 * time.Hour)}}}
	pod := func(name, node string, mutate func(p *corev1.Pod)) {
		p := podWith(name, corev1.RestartPolicyAlways, corev1.Container{Name: "app", Image: "busybox:1.36"})
		if node != "" {
			p.Spec.NodeSelector = map[string]string{corev1.LabelHostname: node}
		}
		if mutate != nil {
			mutate(p)
		}
		require.NoError(t, c.CreatePod(p, sleeper))
	}
	tolerate := func(s int64) func(p *corev1.Pod) {
		return func(p *corev1.Pod) {
			p.Spec.Tolerations = []corev1.Toleration{{Key: corev1.TaintNodeUnreachable, Operator: corev1.TolerationOpExists,
				Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr.To(s)}}
		}
	}
	for i := 1; i <= 5; i++ {
		n := fmt.Sprintf("node-%d", i)
		pod("a-"+n, n, nil)
		pod("b-"+n, n, tolerate(45))
		pod("c-"+n, n, tolerate(400))
	}
	pod("finished", "node-1", func(p *corev1.Pod) { p.Spec.RestartPolicy = corev1.RestartPolicyNever })
	require.NoError(t, c.CreatePod(podWith("done", corev1.RestartPolicyNever, corev1.Container{Name: "app", Image: "busybox:1.36"}),
		map[string]behavior.Spec{"app": {Main: behavior.Script{behavior.Sleep(73 * time.Second), behavior.Exit(0)}}}))
	// A Job's pod carries the Job's tracking finalizer: deleted while it
	// cannot be scheduled, it stays Terminating until pod GC marks it
	// Failed and the Job controller lets it go.
	job := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "held"}, Spec: batchv1.JobSpec{
		BackoffLimit: ptr.To[int32](0),
		Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever,
			NodeSelector: map[string]string{"no": "such-node"},
			Containers:   []corev1.Container{{Name: "app", Image: "busybox:1.36"}}}},
	}}
	require.NoError(t, c.CreateWorkload(job, sleeper))
	at := func(d time.Duration, fn func(c *sim.Cluster) error) { require.NoError(t, c.At(d, fn)) }
	at(3*time.Minute+7*time.Second, func(c *sim.Cluster) error { return c.DeletePod("default", "a-node-1", sim.DeleteOptions{}) })
	at(4*time.Minute, func(c *sim.Cluster) error { // on pod GC's grid
		for _, p := range c.Pods() {
			if strings.HasPrefix(p.Name, "held-") && p.DeletionTimestamp == nil {
				return c.DeletePod(p.Namespace, p.Name, sim.DeleteOptions{})
			}
		}
		return fmt.Errorf("no pod of Job held")
	})
	at(5*time.Minute+3*time.Second, func(c *sim.Cluster) error { return c.CutNodeNetwork("node-2") })
	at(9*time.Minute, func(c *sim.Cluster) error { return c.RestoreNodeNetwork("node-2") })
	at(12*time.Minute+20*time.Second, func(c *sim.Cluster) error { return c.CutNodeNetwork("node-3") })
	at(14*time.Minute+35*time.Second, func(c *sim.Cluster) error {
		return c.TaintNode("node-3", corev1.Taint{Key: corev1.TaintNodeOutOfService, Value: "nodeshutdown", Effect: corev1.TaintEffectNoExecute}, false)
	})
	at(20*time.Minute, func(c *sim.Cluster) error { return c.DeleteNode("node-4") }) // on both grids
	at(26*time.Minute+11*time.Second, func(c *sim.Cluster) error { return c.StopKubelet("node-5") })
	at(27*time.Minute+40*time.Second, func(c *sim.Cluster) error { return c.StartKubelet("node-5") })
	at(33*time.Minute+5*time.Second, func(c *sim.Cluster) error { return c.DeletePod("default", "b-node-1", sim.DeleteOptions{}) })
	return c
}

// The control plane's loops skip their passes only where ticking would
// have found nothing: the run with elision writes the same trace as the
// run without, for every supported version, while pods are deleted,
// orphaned, evicted by NoExecute taints and force-deleted; and it fires
// fewer events.
func TestElisionMatchesTickingInTheControlPlane(t *testing.T) {
	for _, version := range sim.SupportedVersions {
		t.Run(version, func(t *testing.T) {
			fired := bothWays(t, "control-"+version, 50*time.Minute, func(t *testing.T, noElision bool) *sim.Cluster {
				return controlChurn(t, version, noElision)
			}, func(_ io.Writer, c *sim.Cluster, noElision bool) {
				if !noElision {
					// The loops found work: pod GC force-deleted pods.
					var byGC int
					for _, r := range c.Trace().All() {
						if r.Kind == "Pod" && r.Op == trace.Deleted && r.Actor == "pod-garbage-collector" {
							byGC++
						}
					}
					require.Positive(t, byGC, "pod GC collected pods")
				}
			}).fired
			require.Less(t, fired[0], fired[1], "elision fired fewer events")
			t.Logf("events: %d elided, %d ticked", fired[0], fired[1])
		})
	}
}
