// Command liveness replays seed timeline 1b: a pod whose liveness probe
// fails after 30 s, restarted by the kubelet until it ends up in
// CrashLoopBackOff, printed as `kubectl get pods -w` printed it on the
// Kubernetes 1.25 cluster it was observed on.
//
//	go run ./examples/liveness
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/podsim/podsim/internal/seeds"
	"github.com/podsim/podsim/trace"
)

func main() {
	seed := flag.Uint64("seed", 6, "seed of the kubelet's retry jitter")
	wide := flag.Bool("wide", false, "add the -o wide columns")
	flag.Parse()
	s := seeds.Liveness(*seed)
	c, err := s.Build()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := c.RunUntil(s.Until); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := trace.Watch(os.Stdout, c.Trace(), trace.WatchOptions{Wide: *wide, Rules: c.Profile().Lifecycle}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
