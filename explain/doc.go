// Package explain says what a pod spec will do, worked out from the rules
// rather than by running the simulation: when the container starts and
// becomes Ready, how long each probe takes to notice a dead container,
// when a crash-looping container is killed and restarted (the kubelet's
// back-off and the pod worker's jittered retries), whether preStop fits the
// grace period, and which probe settings are likely wrong. It is `podsim
// explain`.
//
// The rules are those the simulation follows: probe defaults and the
// worker's counting (package probe), restart policy, grace periods and
// crash-loop back-off (package lifecycle), and what the container's
// process does over time (package behavior, run on its own, with no
// cluster, and asked by each probe's handler at every change).
//
// # Bounds
//
// Where the kubelet's timing is not fixed by the spec — the probe ticker's
// phase, the initial delay counted in whole seconds from a startedAt cut to
// the second, the pod worker's wait.Jitter(10s, 0.5) retries — every time
// is an [Interval], and a [Prediction] says which rule gives it. Where a
// range lies on both sides of a decision (restart now, or after the
// back-off), both outcomes are followed and what only one of them does is
// marked Maybe. A test runs the seed scenarios and checks that the
// simulation lands inside every range stated.
//
// # Use
//
//	s, _ := scenarios.Load("scenarios/1b-liveness.yaml")
//	in, _ := explain.FromScenario(s, "")
//	r, _ := explain.Explain(in)
//	r.Write(os.Stdout)
//
// docs/explain.md describes the rules and the assumptions.
package explain
