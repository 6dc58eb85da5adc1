package scenarios_test

import (
	"strings"
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

// A behaviour's own commands can be the container's command; an unknown
// image's default steps, like any PID 1 without a handler, ignore SIGTERM.
func TestBehaviourCommandsAndUnknownImageStop(t *testing.T) {
	const file = `apiVersion: v1
kind: Pod
metadata: {name: job}
spec:
  terminationGracePeriodSeconds: 5
  containers:
  - name: main
    image: example/job:1
    command: ["/app/run"]
  - name: sidecar
    image: example/agent:1
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 1m
environment:
  images:
    example/agent:
      default:
        steps:
        - sleep: 1h
behaviors:
  job/main:
    commands:
      /app/run: "sleep 3600"
actions:
- at: 20s
  delete: {name: job}
expect:
- at: 15s
  pod: job
  ready: 2/2
- at: 24s      # both ignore SIGTERM: still there 4 s into the 5 s grace period
  pod: job
  status: Terminating
  containers:
    main: {state: running}
    sidecar: {state: running}
- at: 40s
  pod: job
  gone: true
`
	s, err := scenarios.Parse("stop.yaml", []byte(file))
	require.NoError(t, err)
	failures, _, err := s.Test(scenarios.Options{})
	require.NoError(t, err)
	for _, f := range failures {
		t.Error(f.String())
	}
}

// Memory and disk use are recorded in the trace when they change.
func TestUsageIsRecorded(t *testing.T) {
	const file = `apiVersion: v1
kind: Pod
metadata: {name: cache}
spec:
  containers: [{name: app, image: busybox:1.36, command: [sh, -c, "sleep 3600"]}]
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 1m
behaviors:
  cache/app:
    steps:
    - memory: 64Mi
    - sleep: 10s
    - memory: 512Mi
    - disk: {path: /data, bytes: 1Gi}
    - sleep: 1h
`
	s, err := scenarios.Parse("usage.yaml", []byte(file))
	require.NoError(t, err)
	c, err := s.Run(scenarios.Options{})
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, scenarios.Render(&b, c, scenarios.RenderOptions{Format: scenarios.FormatTimeline}))
	var usage []string
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.Contains(line, " use ") {
			usage = append(usage, strings.Join(strings.Fields(line), " "))
		}
	}
	require.Equal(t, []string{
		"3.19s cache app runtime/node-1 memory use 64Mi",
		"13.19s cache app runtime/node-1 memory use 512Mi",
		"13.19s cache app runtime/node-1 disk use under /data 1Gi",
	}, usage)
}
