package scenarios_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/scenarios"
)

// Programs the Scenario says an image or a behaviour holds can be run by
// the container's command, by a behaviour's script, and by exec probes.
func TestScriptsRunDescribedCommands(t *testing.T) {
	const file = `apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  initContainers:
  - name: migrate
    image: example/app:1.0
    command: ["/bin/sh", "-c", "/app/migrate && echo migrated"]
  containers:
  - name: app
    image: example/app:1.0
    command: ["/app/serve"]
    readinessProbe:
      exec: {command: ["/app/healthcheck"]}
      periodSeconds: 5
  - name: worker
    image: busybox:1.36
    command: ["python", "worker.py"]
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 2m
environment:
  images:
    example/app:
      commands:
        /app/migrate: "sleep 5"
        /app/serve: "touch /tmp/ready; sleep 3600"
        /app/healthcheck: "cat /tmp/ready"
behaviors:
  app/worker:
    commands:
      /usr/local/bin/poll: "sleep 10"
    script: "while true; do /usr/local/bin/poll; done"
expect:
- at: 4s
  pod: app
  status: Init:0/1
- at: 30s
  pod: app
  phase: Running
  ready: 2/2
  containers:
    migrate: {state: terminated, reason: Completed, exitCode: 0}
    app: {state: running, ready: true}
    worker: {state: running}
`
	s, err := scenarios.Parse("commands.yaml", []byte(file))
	require.NoError(t, err)
	failures, _, err := s.Test(scenarios.Options{})
	require.NoError(t, err)
	for _, f := range failures {
		t.Error(f.String())
	}
}
