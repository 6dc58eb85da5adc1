package scenarios_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/scenarios"
)

// runWatch parses and runs a scenario file and returns its watch lines
// without the header, each as "NAME READY STATUS RESTARTS AGE" fields
// joined by single spaces.
func runWatch(t *testing.T, file string) []string {
	t.Helper()
	s, err := scenarios.Parse("defect.yaml", []byte(file))
	require.NoError(t, err)
	c, err := s.Run(scenarios.Options{})
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, scenarios.Render(&b, c, scenarios.RenderOptions{Format: scenarios.FormatWatch}))
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n")[1:] {
		out = append(out, strings.Join(strings.Fields(line), " "))
	}
	return out
}

// Issue 9: a create of "web" after a delete of "web" ran the old pod with
// the new pod's behaviour (both were kept under one name).
func TestRecreatedPodNameKeepsEachPodsBehaviour(t *testing.T) {
	lines := runWatch(t, `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: app, image: busybox:1.36, command: [sh, -c, "sleep 5; exit 1"]}]
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 2m
actions:
- at: 20s
  delete: {name: web, gracePeriodSeconds: 1}
- at: 40s
  create:
    apiVersion: v1
    kind: Pod
    metadata: {name: web}
    spec:
      containers: [{name: app, image: busybox:1.36, command: [sh, -c, "sleep 3600"]}]
`)
	// The first pod exits after 5 s, as its own command says…
	require.Contains(t, lines, "web 0/1 Error 0 8s")
	// …and the second one runs on, with no restart.
	require.Equal(t, "web 1/1 Running 0 1s", lines[len(lines)-1])
}
