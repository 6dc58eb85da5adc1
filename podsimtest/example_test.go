package podsimtest_test

import (
	"fmt"
	"os"
	"time"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/podsimtest"
)

// livenessPod is the liveness example of the Kubernetes documentation:
// the container removes its health file after 30 s, and the liveness probe
// then fails.
const livenessPod = `
metadata: {name: liveness}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      initialDelaySeconds: 5
      periodSeconds: 5
`

// A cluster for a test: one node, invariants on, and the pod's behaviour
// read from its manifest.
func ExampleNewCluster() {
	t := podsimtest.NewPrinter(os.Stdout) // in a test: the *testing.T
	c := podsimtest.NewCluster(t, podsimtest.Version("1.33"), podsimtest.Node("node-1", "busybox:1.36"))
	c.CreatePod(podsimtest.ParsePod(t, livenessPod), nil)
	c.RunUntil(2 * time.Minute)
	fmt.Println("ready:", c.Ready("liveness"), "restarts:", c.RestartCount("liveness"))
	// Output:
	// ready: true restarts: 1
}

// Questions about the past: when something first happened, and the pod as
// it was at a moment.
func ExampleHistory() {
	t := podsimtest.NewPrinter(os.Stdout)
	c := podsimtest.NewCluster(t, podsimtest.Node("node-1", "busybox:1.36"))
	c.CreatePod(podsimtest.ParsePod(t, livenessPod), nil)
	c.RunUntil(3 * time.Minute)
	h := c.History()
	killed, _ := h.FirstTime(podsimtest.EventReason("liveness", "Killing"))
	fmt.Println("first Killing event at", killed)
	fmt.Println("restarts at 1m:", h.RestartCount("liveness", time.Minute), "at 2m:", h.RestartCount("liveness", 2*time.Minute))
	fmt.Println("became Ready at", h.Changes(podsimtest.PodReady("liveness")))
	fmt.Println("phase at 10s:", h.PodAt("liveness", 10*time.Second).Status.Phase)
	// Output:
	// first Killing event at 45.04s
	// restarts at 1m: 0 at 2m: 1
	// became Ready at [1.6s]
	// phase at 10s: Running
}

// The runtime's records as values: each signal the kubelet had sent and
// each exit, with its code. /bin/sh ignores SIGTERM, so every kill waits
// out the 30 s grace period and ends in SIGKILL.
func ExampleHistory_Signals() {
	t := podsimtest.NewPrinter(os.Stdout)
	c := podsimtest.NewCluster(t, podsimtest.Node("node-1", "busybox:1.36"))
	c.CreatePod(podsimtest.ParsePod(t, livenessPod), nil)
	c.RunUntil(2 * time.Minute)
	for _, s := range c.History().Signals("liveness") {
		fmt.Printf("%v %s %s grace %ds\n", s.T, s.Container, s.Signal, s.GracePeriodSeconds)
	}
	for _, e := range c.History().Exits("liveness") {
		fmt.Printf("%v %s exit %d by %s\n", e.T, e.Container, e.ExitCode, e.Signal)
	}
	// Output:
	// 45.04s app SIGTERM grace 30s
	// 1m15.04s app SIGKILL grace 0s
	// 1m15.04s app exit 137 by SIGKILL
}

// Expectations in Go, with the scenario format's fields. A miss reads as
// YAML: here the expectation is wrong on purpose, to show the diff.
func ExampleCluster_Expect() {
	t := podsimtest.NewPrinter(os.Stdout)
	c := podsimtest.NewCluster(t, podsimtest.Node("node-1", "busybox:1.36"))
	c.CreatePod(podsimtest.ParsePod(t, livenessPod), nil)
	c.Expect(90*time.Second,
		podsimtest.Pod("liveness").Phase("Running").Ready("1/1").Restarts(2).
			Container("app", podsimtest.Running().LastExitCode(137)))
	// Output:
	// FAIL: pod "liveness" at 1m30s (-want +got):
	//   phase: Running
	//   ready: 1/1
	// - restarts: 2
	// + restarts: 1
	//   containers:
	//     app:
	//       state: running
	//       lastState: terminated
	//       lastExitCode: 137
}

// A watch compared line by line, aligned by longest common subsequence:
// the table below lacks one of the two Pending lines the run printed, and
// that one unexpected line is the whole report; the lines after it still
// match.
func ExampleCluster_ExpectWatch() {
	t := podsimtest.NewPrinter(os.Stdout)
	c := podsimtest.NewCluster(t, podsimtest.Node("node-1", "busybox:1.36"))
	c.CreatePod(podsimtest.ParsePod(t, livenessPod), nil)
	c.RunUntil(2 * time.Minute)
	c.ExpectWatch(`
NAME       READY   STATUS              RESTARTS     AGE
liveness   0/1     Pending             0            0s
liveness   0/1     ContainerCreating   0            0s
liveness   1/1     Running             0            1s
liveness   1/1     Running             1 (0s ago)   75s`)
	// Output:
	// FAIL: watch at 2m0s:
	// line 2: unexpected    liveness  0/1  Pending  0  0s
}

// A scenario file's own expectations, checked as podsim test checks them;
// the cluster at the end answers further questions.
func ExampleRunScenario() {
	t := podsimtest.NewPrinter(os.Stdout)
	c := podsimtest.RunScenario(t, "../scenarios/1b-liveness.yaml")
	fmt.Println("restarts:", c.RestartCount("liveness"))
	fmt.Println("first CrashLoopBackOff at", c.FirstTime(podsimtest.PodStatus("liveness", "CrashLoopBackOff")))
	// Output:
	// restarts: 7
	// first CrashLoopBackOff at 7m30.6s
}

// A container whose command podsim cannot read (a binary of its own) gets
// a behaviour in Go; the other container's comes from its manifest.
func ExampleCluster_CreatePod() {
	t := podsimtest.NewPrinter(os.Stdout)
	c := podsimtest.NewCluster(t)
	pod := podsimtest.ParsePod(t, `
metadata: {name: web}
spec:
  containers:
  - name: server
    image: example.com/team/server:2.1
    command: [/server, --port=8080]
    readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 2}
  - name: sidecar
    image: busybox:1.36
    command: [sh, -c, "sleep 3600"]
`)
	server := behavior.Spec{
		Main: behavior.Script{behavior.Sleep(10 * time.Second), behavior.Listen(8080), behavior.Sleep(time.Hour)},
		Stop: behavior.DieOnStop(),
	}
	c.CreatePod(pod, map[string]behavior.Spec{"server": server})
	c.RunUntil(time.Minute)
	fmt.Println("Ready at", c.FirstTime(podsimtest.PodReady("web")))
	// Output:
	// Ready at 13.6s
}
