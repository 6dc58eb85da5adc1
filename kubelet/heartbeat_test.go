package kubelet

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

type noResolver struct{}

func (noResolver) Resolves(string, string) bool { return false }

// heartbeatKubelet is a kubelet for node-1 beside an API server, with no
// pods.
func heartbeatKubelet(t *testing.T, version string) (*Kubelet, *apiserver.Server, *engine.Engine, *trace.Trace) {
	t.Helper()
	eng := engine.New(1)
	eng.Epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	prof, err := profile.For(version)
	require.NoError(t, err)
	tr := &trace.Trace{}
	api := apiserver.New(apiserver.Config{Engine: eng, Profile: prof, Trace: tr, WatchLatency: 10 * time.Millisecond})
	k, err := New(Config{
		Node:   &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}},
		Engine: eng, Profile: prof, Client: api, Trace: tr, DNS: noResolver{},
		Events:    record.NewBroadcaster(eng, api, tr, prof.EventReportingController),
		Behaviors: func(*corev1.Pod) map[string]behavior.Spec { return nil },
		Network:   Network{PodCIDR: "10.244.0.0/24"}, ResyncInterval: time.Minute,
	})
	require.NoError(t, err)
	return k, api, eng, tr
}

// records returns the trace records of one kind and op.
func records(tr *trace.Trace, kind string, op trace.Op) []trace.Record {
	var out []trace.Record
	for _, r := range tr.All() {
		if r.Kind == kind && r.Op == op {
			out = append(out, r)
		}
	}
	return out
}

// The kubelet registers its node with the four conditions and the default
// labels, creates its Lease in kube-node-lease owned by the node, renews it
// every 10 s plus up to 4 % jitter, and posts an unchanged status only
// every 5 minutes.
func TestHeartbeats(t *testing.T) {
	for _, version := range profile.Supported {
		t.Run(version, func(t *testing.T) {
			_, api, eng, tr := heartbeatKubelet(t, version)
			node := api.Node("node-1")
			require.NotNil(t, node)
			require.Equal(t, map[string]string{
				"kubernetes.io/hostname": "node-1", "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
				"beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": "amd64",
			}, node.Labels)
			require.Len(t, node.Status.Conditions, 4)
			require.Equal(t, corev1.NodeReady, node.Status.Conditions[3].Type)

			lease := api.Lease(types.NamespacedName{Namespace: "kube-node-lease", Name: "node-1"})
			require.NotNil(t, lease)
			require.Equal(t, "node-1", *lease.Spec.HolderIdentity)
			require.Equal(t, int32(40), *lease.Spec.LeaseDurationSeconds)
			require.Equal(t, []metav1.OwnerReference{{APIVersion: "v1", Kind: "Node", Name: "node-1", UID: node.UID}}, lease.OwnerReferences)

			require.NoError(t, eng.RunUntil(11*time.Minute))
			renewals := records(tr, "Lease", trace.Modified)
			require.GreaterOrEqual(t, len(renewals), 63) // 660 s / 10.4 s
			prev := time.Duration(0)
			for _, r := range renewals {
				gap := r.T - prev
				require.True(t, gap >= 10*time.Second && gap <= 10400*time.Millisecond, "lease renewed %v after the last", gap)
				renew := r.Object.(*coordinationv1.Lease).Spec.RenewTime.Time
				require.Equal(t, eng.Wall(r.T).Truncate(time.Microsecond), renew)
				prev = r.T
			}

			posts := records(tr, "Node", trace.Modified)
			require.Len(t, posts, 2, "two periodic reports in 11 minutes")
			prev = 0
			for _, r := range posts {
				gap := r.T - prev
				require.True(t, gap >= 5*time.Minute && gap <= 5*time.Minute+10400*time.Millisecond, "status reported %v after the last", gap)
				require.Equal(t, "node status report", r.Cause)
				require.Empty(t, r.Changes, "a report only moves heartbeats")
				prev = r.T
			}
		})
	}
}

// A pressure source that turns on is posted at the next status sync, with
// the condition's change and the kubelet's event; the API server keeps the
// node's spec as others wrote it.
func TestPressurePostedAtNextSync(t *testing.T) {
	k, api, eng, tr := heartbeatKubelet(t, "1.33")
	under := false
	k.setPressureSource(corev1.NodeDiskPressure, func() bool { return under })
	require.NoError(t, eng.RunUntil(30*time.Second))
	require.True(t, api.UpdateNode("node-1", "user", "kubectl taint", func(n *corev1.Node) {
		n.Spec.Taints = append(n.Spec.Taints, corev1.Taint{Key: "example.com/x", Effect: corev1.TaintEffectNoSchedule})
	}))
	under = true
	k.nodeStatusPressureMayHaveChanged() // as the eviction manager's pass does
	require.NoError(t, eng.RunUntil(45*time.Second))
	posts := records(tr, "Node", trace.Modified)
	require.Len(t, posts, 2)
	require.Equal(t, []string{"taint example.com/x:NoSchedule: absent → present"}, posts[0].Changes)
	post := posts[1]
	require.True(t, post.T > 30*time.Second && post.T <= 40400*time.Millisecond, "posted at %v", post.T)
	require.Equal(t, "node status changed", post.Cause)
	require.Equal(t, []string{"condition DiskPressure: False → True"}, post.Changes)
	node := api.Node("node-1")
	require.Len(t, node.Spec.Taints, 1, "the status patch leaves the spec alone")
	var reasons []string
	for _, r := range tr.Events() {
		reasons = append(reasons, r.Event.Reason)
	}
	require.Contains(t, reasons, "NodeHasDiskPressure")
	require.Equal(t, "Starting", reasons[0])
}
