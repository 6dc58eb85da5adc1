package sim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

// taintAdded is when the trace shows the taint (key:Effect) added to the
// node, or -1.
func taintAdded(c *sim.Cluster, node, taint string) time.Duration {
	for _, r := range c.Trace().All() {
		if r.Kind != "Node" || r.Name != node || r.Op != trace.Modified {
			continue
		}
		for _, ch := range r.Changes {
			if ch == "taint "+taint+": absent → present" {
				return r.T
			}
		}
	}
	return -1
}

// eventsOf are the times of the events of a reason whose message has msg.
func eventsOf(c *sim.Cluster, reason, msg string) []time.Duration {
	var out []time.Duration
	for _, r := range c.Trace().Events() {
		if r.Event.Reason == reason && strings.Contains(r.Event.Message, msg) {
			out = append(out, r.T)
		}
	}
	return out
}

// The seed's node example (seed 000, "NotReady Node"): a node lost while
// its ReplicaSet's pods run on it. The unreachable NoSchedule taint comes
// with Ready=Unknown, the NoExecute taint at the next health pass, 5 s
// later; pods with the default tolerations are marked for deletion 300 s
// after the NoExecute taint, with the seed's 900 s toleration 900 s after;
// they stay Terminating (the kubelet cannot finish them), and the
// ReplicaSet replaces them with pods of new names and new UIDs on the other
// node.
func TestNodeLostPodsDeletedAfterTolerationSeconds(t *testing.T) {
	for _, version := range sim.SupportedVersions {
		for _, tc := range []struct {
			name       string
			toleration *int64 // the template's not-ready/unreachable toleration; nil: the defaults
			want       time.Duration
		}{{"default tolerations", nil, 300 * time.Second}, {"seed's 900s toleration", ptr.To[int64](900), 900 * time.Second}} {
			t.Run(version+"/"+tc.name, func(t *testing.T) {
				c, err := sim.New(sim.Config{Version: version, Seed: 1, CheckInvariants: true})
				require.NoError(t, err)
				for _, n := range []string{"node-1", "node-2"} {
					require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: n}}, sim.NodeOptions{Images: []string{"busybox:1.36"}}))
				}
				rs := webReplicaSet(2)
				rs.Spec.Template.Spec.NodeSelector = map[string]string{corev1.LabelHostname: "node-1"}
				if tc.toleration != nil {
					for _, key := range []string{corev1.TaintNodeNotReady, corev1.TaintNodeUnreachable} {
						rs.Spec.Template.Spec.Tolerations = append(rs.Spec.Template.Spec.Tolerations, corev1.Toleration{
							Key: key, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: tc.toleration})
					}
				}
				require.NoError(t, c.CreateWorkload(rs, map[string]behavior.Spec{"app": sleepForever()}))
				run(t, c, 20*time.Second)
				before := runningPods(c)
				require.Len(t, before, 2)
				for _, p := range before {
					require.Equal(t, "node-1", p.Spec.NodeName)
				}
				// The nodeSelector goes so that the replacements can land on
				// node-2: the ReplicaSet's template only shapes new pods.
				require.NoError(t, c.ApplyWorkload(webReplicaSet(2), map[string]behavior.Spec{"app": sleepForever()}))
				if tc.toleration != nil {
					rs2 := webReplicaSet(2)
					rs2.Spec.Template.Spec.Tolerations = rs.Spec.Template.Spec.Tolerations
					require.NoError(t, c.ApplyWorkload(rs2, map[string]behavior.Spec{"app": sleepForever()}))
				}
				require.NoError(t, c.CutNodeNetwork("node-1"))
				run(t, c, 20*time.Second+tc.want+2*time.Minute)

				noSchedule := taintAdded(c, "node-1", "node.kubernetes.io/unreachable:NoSchedule")
				noExecute := taintAdded(c, "node-1", "node.kubernetes.io/unreachable:NoExecute")
				require.Positive(t, noSchedule)
				require.Equal(t, 5*time.Second, (noExecute - noSchedule).Round(time.Second), "NoExecute at the next health pass")

				marked := eventsOf(c, "TaintManagerEviction", "Marking for deletion Pod default/web-")
				require.Len(t, marked, 2)
				for _, at := range marked {
					// The taint reaches the controller after the watch latency.
					require.Equal(t, tc.want, (at - noExecute).Truncate(time.Second), "deleted tolerationSeconds after the NoExecute taint")
				}
				for _, old := range before {
					p := c.Pod("default", old.Name)
					require.NotNil(t, p, "stays while its node is unreachable")
					require.NotNil(t, p.DeletionTimestamp, "Terminating")
					if version != "1.25" {
						cond := podutil.FindCondition(p.Status.Conditions, corev1.DisruptionTarget)
						require.NotNil(t, cond)
						require.Equal(t, "DeletionByTaintManager", cond.Reason)
					}
				}
				after := runningPods(c)
				require.Len(t, after, 2)
				for _, p := range after {
					require.Equal(t, "node-2", p.Spec.NodeName)
					for _, old := range before {
						require.NotEqual(t, old.Name, p.Name)
						require.NotEqual(t, old.UID, p.UID)
					}
					require.True(t, strings.HasPrefix(p.Name, "web-"))
				}
			})
		}
	}
}

// A pod that tolerates no NoExecute taint is deleted at once; when the
// taint goes before a planned deletion, it is cancelled with an event; and
// lengthening tolerationSeconds after the taint came does not postpone a
// planned deletion.
func TestTaintEvictionPlan(t *testing.T) {
	taint := corev1.Taint{Key: "example.com/maintenance", Effect: corev1.TaintEffectNoExecute}
	tol := func(seconds int64) corev1.Toleration {
		return corev1.Toleration{Key: taint.Key, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr.To(seconds)}
	}
	newPod := func(c *sim.Cluster, name string, tols ...corev1.Toleration) {
		p := podWith(name, corev1.RestartPolicyAlways, corev1.Container{Name: "app", Image: "busybox:1.36"})
		p.Spec.Tolerations = tols
		require.NoError(t, c.CreatePod(p, map[string]behavior.Spec{"app": sleepForever()}))
	}
	t.Run("planned deletion kept", func(t *testing.T) {
		c := newCluster(t, "1.33", 1, "busybox:1.36")
		newPod(c, "intolerant")
		newPod(c, "patient", tol(60))
		newPod(c, "stretched", tol(60))
		run(t, c, 10*time.Second)
		require.NoError(t, c.TaintNode("node-1", taint, false))
		run(t, c, 11*time.Second)
		require.Len(t, eventsOf(c, "TaintManagerEviction", "Marking for deletion Pod default/intolerant"), 1)

		// stretched's toleration grows to 600 s at 30 s: its deletion stays
		// planned for 70 s.
		stretched := c.Pod("default", "stretched")
		stretched.Spec.Tolerations[0].TolerationSeconds = ptr.To[int64](600)
		require.NoError(t, c.ApplyPod(stretched, nil))
		run(t, c, 69*time.Second)
		require.Nil(t, c.Pod("default", "patient").DeletionTimestamp)
		run(t, c, 71*time.Second)
		for _, name := range []string{"patient", "stretched"} {
			at := eventsOf(c, "TaintManagerEviction", "Marking for deletion Pod default/"+name)
			require.Len(t, at, 1, name)
			require.Equal(t, 70*time.Second, at[0].Truncate(time.Second), name)
		}
	})
	t.Run("cancelled when the taint goes", func(t *testing.T) {
		c := newCluster(t, "1.33", 1, "busybox:1.36")
		newPod(c, "patient", tol(60))
		run(t, c, 10*time.Second)
		require.NoError(t, c.TaintNode("node-1", taint, false))
		run(t, c, 50*time.Second)
		require.NoError(t, c.UntaintNode("node-1", taint.Key, corev1.TaintEffectNoExecute))
		run(t, c, 2*time.Minute)
		require.Len(t, eventsOf(c, "TaintManagerEviction", "Cancelling deletion of Pod default/patient"), 1)
		require.Empty(t, eventsOf(c, "TaintManagerEviction", "Marking for deletion"))
		require.Nil(t, c.Pod("default", "patient").DeletionTimestamp)
	})
}

// A deleted node's pods are force-deleted by pod GC once the node has been
// missing for the quarantine time (40 s), checked every 20 s; from 1.26
// they are first marked Failed with DisruptionTarget DeletionByPodGC.
func TestPodGCDeletesPodsOfDeletedNode(t *testing.T) {
	c := twoNodes(t, "1.33")
	run(t, c, 10*time.Second)
	require.NoError(t, c.DeleteNode("node-2"))
	run(t, c, 59*time.Second)
	require.NotNil(t, c.Pod("default", "web"), "in quarantine")
	run(t, c, 81*time.Second)
	require.Nil(t, c.Pod("default", "web"))
	var gone *trace.Record
	for _, r := range c.Trace().All() {
		if r.Kind == "Pod" && r.Name == "web" && r.Op == trace.Modified && r.Actor == "pod-garbage-collector" {
			gone = &r
			break
		}
	}
	require.NotNil(t, gone)
	require.Contains(t, strings.Join(gone.Changes, "; "), "status.phase: Running → Failed")
	require.Contains(t, strings.Join(gone.Changes, "; "), "condition DisruptionTarget: absent → True")
}

// Non-graceful node shutdown: the administrator taints a lost node
// node.kubernetes.io/out-of-service. The taint eviction controller deletes
// the pod at once (it tolerates no such taint); it stays Terminating on the
// unreachable node until pod GC's next pass force-deletes it.
func TestOutOfServiceNode(t *testing.T) {
	c := twoNodes(t, "1.33")
	run(t, c, 10*time.Second)
	require.NoError(t, c.CutNodeNetwork("node-2"))
	run(t, c, 90*time.Second)
	require.NoError(t, c.TaintNode("node-2", corev1.Taint{Key: corev1.TaintNodeOutOfService, Value: "nodeshutdown", Effect: corev1.TaintEffectNoExecute}, false))
	run(t, c, 91*time.Second)
	p := c.Pod("default", "web")
	require.NotNil(t, p)
	require.NotNil(t, p.DeletionTimestamp, "deleted by the taint eviction controller, Terminating")
	run(t, c, 101*time.Second)
	require.Nil(t, c.Pod("default", "web"), "force-deleted by pod GC at its pass of 100 s")
}
