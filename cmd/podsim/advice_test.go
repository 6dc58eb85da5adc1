package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/scenarios"
)

// The behaviour an error suggests, pasted into the file as the error
// shows it, gives the run the container's kind has: an init container
// that does its work and exits lets the pod start (a suggested sleep would
// hold it in Init:0/1 for as long as it sleeps), an app container serves.
func TestSuggestedBehaviourPastedGivesTheRightRun(t *testing.T) {
	const pod = `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  initContainers:
  - name: fetch
    image: busybox
    command: ["/opt/fetch", "--to", "/work"]
  containers:
  - name: web
    image: busybox
    command: ["/opt/server"]
`
	_, err := scenarios.Parse("app.yaml", []byte(pod))
	require.Error(t, err)
	// The error gives one suggestion per container, each a YAML snippet
	// under "behaviors:".
	var pasted []string
	for _, part := range strings.Split(err.Error(), "behaviors:\n")[1:] {
		lines := strings.SplitN(part, "\n", 3)
		require.GreaterOrEqual(t, len(lines), 2, part)
		pasted = append(pasted, lines[0], lines[1])
	}
	require.Len(t, pasted, 4, err.Error())
	doc := pod + "---\napiVersion: podsim.dev/v1alpha1\nkind: Scenario\nduration: 1m\nbehaviors:\n" + strings.Join(pasted, "\n") + `
expect:
- at: 1m
  pod: app
  status: Running
  ready: 1/1
  containers:
    fetch: {state: terminated, reason: Completed, exitCode: 0}
`
	s, err := scenarios.Parse("app.yaml", []byte(doc))
	require.NoError(t, err, doc)
	failures, _, err := s.Test(scenarios.Options{})
	require.NoError(t, err)
	for _, f := range failures {
		t.Error(f.String())
	}
}
