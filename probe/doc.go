// Package probe holds the kubelet's probe rules as pure functions and a
// small state machine, with no clock and no engine: what a probe's defaults
// are, which probe settings the API server rejects, when a probe worker
// probes, how it counts results against its thresholds, and how a handler's
// raw answer becomes a result and a message.
//
// # The worker
//
// A [Worker] is one probe of one container, as pkg/kubelet/prober/worker.go
// keeps it. The caller owns the ticker: on each tick (or manual run) it
// calls [Worker.Decide] with what the kubelet's status manager shows, and
// if the answer is [Probe], runs the handler and gives the result to
// [Worker.Record]. The worker:
//
//   - stores the initial result when it first sees a container — Failure
//     for readiness, Success for liveness, Unknown for startup;
//   - waits while the container is not created, and stores Failure while
//     it is not running;
//   - skips probing until initialDelaySeconds have passed since the
//     container's startedAt, counted in whole seconds;
//   - lets only the startup probe run until the container has started, and
//     only the others after;
//   - counts consecutive identical results and stores one when it reaches
//     successThreshold or failureThreshold;
//   - after a stored liveness failure (and, since 1.29, any stored startup
//     result) holds until a new container appears.
//
// Only a change of the stored result is published ([Results]): the kubelet
// acts on changes, not on every probe.
//
// # Outcomes
//
// [ExecOutcome], [HTTPOutcome], [TCPOutcome] and [GRPCOutcome] map a
// handler's answer to the kubelet's result and output, with the strings of
// pkg/probe: "HTTP probe failed with statuscode: 503", a Go dial error for
// a refused connection, `service unhealthy (responded with "NOT_SERVING")`.
//
// # Version differences
//
// [Rules] switches what changed between releases; [RulesFor] gives the
// rules of a Kubernetes minor version.
package probe
