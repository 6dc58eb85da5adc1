// Package trace is the recorded history of a simulation and its renderings.
//
// A [Trace] is a header — schema version, seed, Kubernetes version, epoch
// and the resolved environment settings; with the scenario's objects,
// behaviours and actions, that is what a run depends on — and one [Record] per
// change: every write to a Pod or other object in the API server (creation,
// binding, each status write of the kubelet, annotation patches, deletion)
// and every event a component reported, in the order they happened, each
// with its virtual time, who made it and why ("liveness probe failed 3
// times").
//
// Renderings:
//
//   - [Watch] prints what `kubectl get pods -w` prints: a row per stored
//     change of a pod, with kubectl's printPod rules for STATUS, READY and
//     RESTARTS and AGE from the pod's creationTimestamp (to the second, as
//     the API server keeps it) to the moment of the change. Identical-looking
//     rows are kubectl's too: it prints one row per watch event.
//   - [WriteJSONL] writes JSON Lines for notebooks: `pandas.read_json(path,
//     lines=True)` reads it. Times are t_ms (milliseconds since the start)
//     and ts (RFC 3339), t_s in seconds; no column ends in _at or _time,
//     which pandas would take for epoch dates. Pod records carry kubectl's
//     columns as strings and as numbers, and each container's state and
//     exit codes; the header names podsim's version ([PodsimVersion]) and
//     how far the run went.
//   - [Intervals] cuts each pod's history into stretches of one state
//     (phase, STATUS, READY, Ready, RESTARTS), and [WriteCSV] writes them as
//     CSV: the table a Gantt chart wants. Package chart draws them.
package trace
