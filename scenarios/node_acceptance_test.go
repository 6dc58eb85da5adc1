package scenarios_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/scenarios"
	"github.com/podsim/podsim/trace"
)

// The seed's node example (seed 000, "NotReady Node"): the not-ready
// NoSchedule and NoExecute taints 4 s apart (timeAdded 11:24:28 and
// 11:24:32 there), as the node lifecycle controller's 5 s health passes
// give for a NotReady posted 4 s before a pass; then, with the seed's
// 900 s toleration, the pod deleted 900 s after the first NoExecute taint,
// and its replacement a new pod with a new name and UID.
func TestSeedNodeExample(t *testing.T) {
	s, err := scenarios.Load("node-lost-900s.yaml")
	require.NoError(t, err)
	failures, c, err := s.Test(scenarios.Options{})
	require.NoError(t, err)
	require.Empty(t, failures)

	var added []string
	var at []time.Duration
	for _, r := range c.Trace().All() {
		if r.Kind == "Node" && r.Name == "node-2" && r.Op == trace.Modified {
			for _, ch := range r.Changes {
				if ch == "taint node.kubernetes.io/not-ready:NoSchedule: absent → present" || ch == "taint node.kubernetes.io/not-ready:NoExecute: absent → present" {
					added = append(added, ch)
					at = append(at, r.T.Truncate(time.Second))
				}
			}
		}
	}
	require.Len(t, at, 2, "%v", added)
	require.Equal(t, 4*time.Second, at[1]-at[0], "NoSchedule, then NoExecute 4 s later")

	var marked time.Duration
	for _, r := range c.Trace().Events() {
		if r.Event.Reason == "TaintManagerEviction" && r.Event.Message == "Marking for deletion Pod default/web-tfdqj" {
			marked = r.T
		}
	}
	require.Equal(t, at[1]+900*time.Second, marked.Truncate(time.Second), "900 s after the not-ready NoExecute taint")

	old := c.Pod("default", "web-tfdqj")
	require.NotNil(t, old.DeletionTimestamp)
	repl := c.Pod("default", "web-kqjxn")
	require.NotNil(t, repl)
	require.NotEqual(t, old.UID, repl.UID)
	require.Equal(t, "node-1", repl.Spec.NodeName)
	require.Equal(t, "ReplicaSet", repl.OwnerReferences[0].Kind)
}
