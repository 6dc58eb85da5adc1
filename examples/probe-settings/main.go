// Command probe-settings shows, with podsim as a Go library, how a liveness
// probe's periodSeconds and failureThreshold decide how long a dead
// container goes unnoticed.
//
// The container of the Kubernetes documentation's liveness example removes
// its health file 30 s after it starts. For each setting the program
// builds a cluster, runs it for five minutes of virtual time and reads the
// trace: when the first probe failed, when the kubelet restarted the
// container, and how many restarts five minutes bring.
//
//	go run ./examples/probe-settings
package main

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

// setting is one probe configuration to try.
type setting struct {
	periodSeconds, failureThreshold int32
}

var settings = []setting{{5, 1}, {5, 3}, {10, 3}, {10, 6}}

// runFor is how much virtual time each run covers.
const runFor = 5 * time.Minute

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "PERIOD\tTHRESHOLD\tFIRST FAILURE\tFIRST RESTART\tRESTARTS IN 5m")
	for _, s := range settings {
		r, err := simulate(s)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%ds\t%d\t%v\t%v\t%d\n", s.periodSeconds, s.failureThreshold, r.firstFailure, r.firstRestart, r.restarts)
	}
	return tw.Flush()
}

// result is what one run showed.
type result struct {
	firstFailure, firstRestart time.Duration
	restarts                   int
}

func simulate(s setting) (result, error) {
	c, err := sim.New(sim.Config{Version: "1.33", Seed: 1})
	if err != nil {
		return result{}, err
	}
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}
	if err := c.AddNode(node, sim.NodeOptions{Images: []string{"busybox:1.36"}}); err != nil {
		return result{}, err
	}
	container := corev1.Container{
		Name:  "liveness",
		Image: "busybox:1.36",
		Args:  []string{"/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"},
		LivenessProbe: &corev1.Probe{
			ProbeHandler:     corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/healthy"}}},
			PeriodSeconds:    s.periodSeconds,
			FailureThreshold: s.failureThreshold,
		},
	}
	// What the container's process does, read from its command line as a
	// scenario file would.
	process, err := behavior.FromContainer(container.Image, container.Command, container.Args)
	if err != nil {
		return result{}, err
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "liveness"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{container}},
	}
	if err := c.CreatePod(pod, map[string]behavior.Spec{container.Name: process}); err != nil {
		return result{}, err
	}
	if err := c.RunUntil(runFor); err != nil {
		return result{}, err
	}
	return read(c.Trace(), c.Profile().Lifecycle), nil
}

// read finds the first Unhealthy event and the restarts in the trace.
func read(t *trace.Trace, rules lifecycle.Rules) result {
	var r result
	for _, rec := range t.Events() {
		if rec.Event.Reason == "Unhealthy" {
			r.firstFailure = rec.T
			break
		}
	}
	intervals := trace.Intervals(t, rules)
	for i := 1; i < len(intervals); i++ {
		if intervals[i].Restarts > intervals[i-1].Restarts {
			if r.restarts == 0 {
				r.firstRestart = intervals[i].From
			}
			r.restarts = intervals[i].Restarts
		}
	}
	return r
}
