package scenarios

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// An apply action of a Pod changes its image: the container in
// CrashLoopBackOff (its next start due at 3m16s) starts at once with the
// new image.
func TestApplyPodAction(t *testing.T) {
	const file = `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "sleep 1; exit 1"]
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 130s
environment:
  nodes:
  - name: node-1
    images: [busybox:1.36, busybox:1.37]
actions:
- at: 121s
  apply:
    apiVersion: v1
    kind: Pod
    metadata:
      name: app
    spec:
      containers:
      - name: main
        image: busybox:1.37
        command: ["sh", "-c", "sleep 1; exit 1"]
expect:
- at: 120s
  pod: app
  restarts: 4
- at: 122s
  pod: app
  status: Running
  restarts: 5
`
	s, err := Parse("t.yaml", []byte(file))
	require.NoError(t, err)
	failures, _, err := s.Test(Options{})
	require.NoError(t, err)
	for _, f := range failures {
		t.Error(f.String())
	}
}

// An apply that changes what a pod update may not change is refused with
// the API server's message, and the run fails with it.
func TestApplyPodActionRefused(t *testing.T) {
	const file = `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sleep", "3600"]
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 30s
actions:
- at: 10s
  apply:
    apiVersion: v1
    kind: Pod
    metadata:
      name: app
    spec:
      containers:
      - name: main
        image: busybox:1.36
        command: ["sleep", "60"]
`
	s, err := Parse("t.yaml", []byte(file))
	require.NoError(t, err)
	_, _, err = s.Test(Options{})
	require.ErrorContains(t, err, "pod updates may not change fields other than")
}
