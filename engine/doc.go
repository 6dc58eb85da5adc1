// Package engine is podsim's discrete-event engine: a virtual clock, a queue
// of timers and seeded random streams. It knows nothing of Kubernetes; the
// API server, the kubelets and the controllers all run on one Engine, and
// the engine is what makes a run of them deterministic.
//
// # Time
//
// Virtual time is a time.Duration since the start of the run ([Engine.Now]).
// Nothing reads the machine's clock: [Engine.Wall] turns virtual time into
// wall-clock time as Epoch plus the offset, and a component that stamps
// objects (the API server's creationTimestamp, a kubelet's startedAt) starts
// from it.
//
// # Ordering
//
// Events run in order of (time, priority, sequence): earlier time first; at
// the same time lower [Priority] first; at the same time and priority, in
// the order they were scheduled. Sequence numbers are unique, so nothing
// depends on heap layout or map order, and one input and seed always give
// one history. A periodic loop armed with [Timer.ResetRanked] says at what
// time its previous tick armed it and keeps one rank for life instead of a
// new sequence number, so that it keeps its place among the events of an
// instant even when it skipped ticks (the kubelet's steady-state elision);
// [Timer.RankedPassed] tells such a loop, woken at the instant of one of its
// ticks, whether ticking would already have run that tick.
//
// # Costs
//
// For n pending events: scheduling ([Timer.Reset], [Engine.At],
// [Engine.After]) is O(log n); [Engine.Step] is O(log n) plus the cost of
// the event's work; cancelling ([Timer.Stop], or re-arming) is O(1) — the
// stale entry stays in the heap with an old generation number and is dropped
// when it reaches the top. [Engine.Stream] is O(1) after its first use.
// Steady-state stepping allocates nothing (BenchmarkEngine, beside a bare
// typed heap for comparison).
//
// # Randomness
//
// All randomness comes from one seed split into named streams
// ([Engine.Stream]): "kubelet/<node>/jitter" for a kubelet's retry jitter,
// "uid" for object UIDs, and so on. Each stream is its own PCG generator
// seeded from the root seed and a hash of the name, so a draw in one stream
// never shifts another: adding a node or a pod does not change the
// randomness any other component sees.
//
// # Bounds and failures
//
// MaxEvents bounds a run, so that a scenario that never settles becomes
// [ErrMaxEvents] instead of a hang. Scheduling before the current time is a
// model bug and ends the run with [ErrPastEvent]. A component that finds
// the simulation cannot go on calls [Engine.Fail]; the first failure is what
// [Engine.Err] reports, and Step fires nothing after it.
package engine
