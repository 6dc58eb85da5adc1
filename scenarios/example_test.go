package scenarios_test

import (
	"fmt"
	"os"

	"github.com/podsim/podsim/scenarios"
)

// A container that ignores SIGTERM, deleted 10 s in: the pod stays
// Terminating for its whole 60 s grace period (seed timeline 1d).
func Example() {
	s, err := scenarios.Parse("no-sigterm.yaml", []byte(`
apiVersion: v1
kind: Pod
metadata:
  name: no-sigterm
spec:
  terminationGracePeriodSeconds: 60
  containers:
  - name: no-sigterm
    image: centos
    command: ["/bin/sh", "-c", "while true; do echo hello; sleep 10;done"]
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
kubernetesVersion: "1.25"
duration: 2m
actions:
- at: 10s
  delete: {name: no-sigterm}
expect:
- at: 69s
  pod: no-sigterm
  status: Terminating
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	failures, c, err := s.Test(scenarios.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(failures), "failed expectations")
	scenarios.Render(os.Stdout, c, scenarios.RenderOptions{})
	// Output:
	// 0 failed expectations
	// NAME         READY   STATUS              RESTARTS   AGE
	// no-sigterm   0/1     Pending             0          0s
	// no-sigterm   0/1     Pending             0          0s
	// no-sigterm   0/1     ContainerCreating   0          0s
	// no-sigterm   1/1     Running             0          3s
	// no-sigterm   1/1     Terminating         0          10s
	// no-sigterm   0/1     Terminating         0          70s
	// no-sigterm   0/1     Terminating         0          70s
	// no-sigterm   0/1     Terminating         0          70s
}

// Every problem in a file, each with its line and field path.
func ExampleParse_errors() {
	_, err := scenarios.Parse("bad.yaml", []byte(`apiVersion: v1
kind: Pod
metadata:
  name: liveness
spec:
  containers:
  - name: liveness
    image: busybox
    args: ["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]
    livenessProbe:
      exec:
        command: [cat, /tmp/healthy]
      successThreshold: 2
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
actions:
- at: 1m
  delete: {name: livenes}
`))
	fmt.Println(err)
	// Output:
	// bad.yaml:13: Pod "liveness": spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1
	// bad.yaml:19: Scenario: actions[0].delete.name: Not found: no Pod "livenes" exists at that time
}
