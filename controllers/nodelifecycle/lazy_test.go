package nodelifecycle_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/trace"
)

// dump is every record of the trace in a line each: time, what, who, why,
// what changed.
func dump(tr *trace.Trace) string {
	var b strings.Builder
	for _, r := range tr.Records() {
		if r.Kind == "Lease" {
			continue
		}
		msg := ""
		if r.Event != nil {
			msg = r.Event.Reason + ": " + r.Event.Message
		}
		fmt.Fprintf(&b, "%v %s %s %s/%s %s %q %v %s\n", r.T, r.Kind, r.Op, r.Namespace, r.Name, r.Actor, r.Cause, r.Changes, msg)
	}
	return b.String()
}

// The lazy health pass (elision) writes what the pass over every node
// writes, where kubelets post their status at odd times and on the pass's
// grid, die right after a post, come back, where a zone is lost whole and
// recovers, where a node is excluded from the zone states and another is
// deleted.
func TestLazyPassMatchesThePassOverEveryNode(t *testing.T) {
	for _, version := range []string{"1.25", "1.33"} {
		t.Run(version, func(t *testing.T) {
			var out [2]string
			for i, noElision := range []bool{false, true} {
				nodes := []string{"a", "b", "c", "d", "e", "f", "g"}
				h := newHarnessElision(t, version, noElision, nodes...)
				label := func(node, k, v string) {
					h.api.UpdateNode(node, "user", "label", func(n *corev1.Node) {
						n.Labels = map[string]string{}
						for k0, v0 := range n.Labels {
							n.Labels[k0] = v0
						}
						n.Labels[k] = v
					})
				}
				for _, n := range []string{"e", "f", "g"} {
					label(n, corev1.LabelTopologyZone, "z2")
				}
				label("d", "node.kubernetes.io/exclude-disruption", "")
				for _, n := range []string{"a", "b", "c"} {
					pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web-" + n},
						Spec: corev1.PodSpec{NodeName: n, Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
					require.NoError(t, h.api.CreatePod(pod, "user", "created"))
					h.api.UpdatePod(types.NamespacedName{Namespace: "default", Name: pod.Name}, "", "kubelet/"+n, "ready", func(p *corev1.Pod) {
						p.Status.Phase = corev1.PodRunning
						p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
					})
				}
				at := func(d time.Duration, fn func()) { h.runUntil(d); fn() }
				post := func(n string) func() {
					return func() { h.setCondition(n, corev1.NodeReady, corev1.ConditionTrue) }
				}
				at(33*time.Second+300*time.Millisecond, post("a"))                      // a status report at an odd time
				at(37*time.Second, post("b"))                                           // on the pass's grid (2 s + 5k s)
				at(37*time.Second+10*time.Millisecond, func() { h.alive["b"] = false }) // b dies right after its post
				at(61*time.Second, func() { h.alive["c"] = false })                     // c dies between renewals
				at(72*time.Second, func() { h.setCondition("a", corev1.NodeReady, corev1.ConditionFalse) })
				at(97*time.Second, post("a"))
				at(3*time.Minute, func() { h.alive["b"], h.alive["c"] = true, true; post("b")(); post("c")() })
				at(4*time.Minute, func() { // zone z2 lost whole
					h.alive["e"], h.alive["f"], h.alive["g"] = false, false, false
				})
				at(6*time.Minute+2*time.Second, func() { // every zone lost: the controller blames its network
					for _, n := range []string{"a", "b", "c", "d"} {
						h.alive[n] = false
					}
				})
				at(9*time.Minute+1*time.Second, func() {
					for _, n := range nodes {
						h.alive[n] = true
						post(n)()
					}
				})
				at(11*time.Minute, func() { require.NoError(t, h.api.DeleteNode("c", "user", "delete")) })
				at(12*time.Minute+7*time.Second, func() { h.alive["d"] = false })
				h.runUntil(16 * time.Minute)
				out[i] = dump(h.tr)
			}
			require.Equal(t, out[1], out[0], "lazy (got) against the pass over every node (want)")
			require.Contains(t, out[0], "no heartbeat for")
			require.Contains(t, out[0], "unreachable:NoExecute")
		})
	}
}
