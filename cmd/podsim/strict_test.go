package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const unknownImagePod = `apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
  - name: api
    image: mycorp/api:1.2
    ports:
    - containerPort: 8080
    readinessProbe:
      httpGet: {path: /ready, port: 8080}
    livenessProbe:
      grpc: {port: 9090}
`

// An image podsim does not know is a healthy server on its ports (those
// declared and those its probes name), and podsim says so on stderr and in
// the trace header.
func TestUnknownImageIsAnAssumedHealthyServer(t *testing.T) {
	file := writeFile(t, "api.yaml", unknownImagePod)
	code, out, errOut := podsim("run", "--until", "1m", file)
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "assumed: "+file+":8: Pod \"api\": spec.containers[0].image: image mycorp/api:1.2 behaves as a healthy server (listening on 8080, 9090; podsim does not know the image)\n")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Contains(t, lines[len(lines)-1], "1/1     Running             0")

	code, out, _ = podsim("run", "-o", "jsonl", "--until", "10s", file)
	require.Equal(t, 0, code)
	var header struct {
		Record      string   `json:"record"`
		Assumptions []string `json:"assumptions"`
	}
	require.NoError(t, json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &header))
	require.Equal(t, "header", header.Record)
	require.Len(t, header.Assumptions, 1)
	require.Contains(t, header.Assumptions[0], "image mycorp/api:1.2 behaves as a healthy server")
}

// --strict, and strict: true in the Scenario, make the assumption an error.
func TestStrictRefusesAssumptions(t *testing.T) {
	file := writeFile(t, "api.yaml", unknownImagePod)
	for _, args := range [][]string{
		{"run", "--strict", file},
		{"test", "--strict", file},
		{"explain", "--strict", file},
	} {
		code, out, errOut := podsim(args...)
		require.Equal(t, exitInvalid, code, "%v: %s", args, out)
		require.Contains(t, errOut, "strict: podsim would assume: "+file+":8: Pod \"api\": spec.containers[0].image: image mycorp/api:1.2 behaves as a healthy server", args)
	}
	strictFile := writeFile(t, "strict.yaml", unknownImagePod+"---\napiVersion: podsim.dev/v1alpha1\nkind: Scenario\nstrict: true\n")
	code, _, errOut := podsim("run", strictFile)
	require.Equal(t, exitInvalid, code)
	require.Contains(t, errOut, `spec.containers[0].image: Forbidden: podsim would assume that image mycorp/api:1.2 behaves as a healthy server`)
	// A file that needs no assumption runs under --strict.
	code, _, errOut = podsim("run", "--strict", scenario("1b-liveness.yaml"))
	require.Equal(t, 0, code, errOut)
	require.Empty(t, errOut)
}

const hostNetworkPod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  hostNetwork: true
  containers:
  - name: web
    image: nginx
`

// Acceptance (issue 9): podsim run on a manifest with a field podsim does
// not simulate prints the warning with its path; with --strict it exits 2.
// (The example, schedulingGates, is simulated now: it warns of
// nothing and the pod stays SchedulingGated.)
func TestRunWarnsOfUnsimulatedFields(t *testing.T) {
	file := writeFile(t, "web.yaml", hostNetworkPod)
	code, out, errOut := podsim("run", "--until", "30s", file)
	require.Equal(t, 0, code, errOut)
	require.Equal(t, "Warning: "+file+":6: Pod \"web\": spec.hostNetwork: not simulated: the pod gets an address of the pod network, not the node's\n", errOut)
	require.Contains(t, out, "Running")

	code, out, _ = podsim("run", "-o", "jsonl", "--until", "5s", file)
	require.Equal(t, 0, code)
	var header struct {
		Warnings []string `json:"warnings"`
	}
	require.NoError(t, json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &header))
	require.Len(t, header.Warnings, 1)
	require.Contains(t, header.Warnings[0], "spec.hostNetwork: not simulated")

	code, out, errOut = podsim("run", "--strict", file)
	require.Equal(t, exitInvalid, code)
	require.Empty(t, out)
	require.Contains(t, errOut, "error: strict: "+file+":6: Pod \"web\": spec.hostNetwork: not simulated")

	gated := writeFile(t, "gated.yaml", `apiVersion: v1
kind: Pod
metadata:
  name: test-pod
spec:
  schedulingGates:
  - name: example.com/foo
  containers:
  - name: pause
    image: registry.k8s.io/pause:3.6
`)
	code, out, errOut = podsim("run", "--strict", "--until", "10s", gated)
	require.Equal(t, 0, code, errOut)
	require.Empty(t, errOut)
	require.Contains(t, out, "SchedulingGated")
}

// A workload's pod template is read as a pod is: its unsimulated fields
// warn at their paths under spec.template.
func TestWorkloadTemplateWarnsOfUnsimulatedFields(t *testing.T) {
	file := writeFile(t, "dep.yaml", `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      os: {name: linux}
      containers:
      - name: web
        image: nginx
`)
	code, _, errOut := podsim("validate", file)
	require.Equal(t, 0, code, errOut)
	require.Equal(t, "Warning: "+file+":13: Deployment \"web\": spec.template.spec.os: not simulated: every node and pod is Linux\n", errOut)
	code, _, _ = podsim("run", "--strict", file)
	require.Equal(t, exitInvalid, code)
}
