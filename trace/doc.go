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
// # How a trace keeps its records
//
// A run changes the same few objects over and over: a crash-looping pod's
// status is written twice per restart, its node's Lease every 10 s, its
// BackOff event counted up at each resync. A Trace therefore keeps no copy
// of an object per record. Each object it sees (a pod, an event, a lease,
// keyed by type, namespace and name) has a history: its first version
// kept as it came, and every later one as a delta against the version
// before it — the fields that differ and their new values, found by
// walking both versions with reflection ("status.containerStatuses[0]
// .restartCount = 18", "spec.renewTime = 01:12:13.758"), written out as
// bytes. One version in 128 is kept whole again, so that a version read
// out of order is rebuilt from nearby. The words of a record (kind, op,
// names, actor, cause), its lists of changes and warnings, long strings
// and runtime actions are kept once however often they repeat. A kept
// record costs 24 bytes and its delta 20 to 200, where a Pod copy costs
// 5 KB: a crash-looping pod's records grow the heap by about 16 KB per
// simulated hour.
//
// [Trace.At] and [Trace.All] give records back whole: the object of a
// record is rebuilt from its history, deeply equal to what was added
// (nil and empty slices differ, times keep their location), so every
// rendering prints the same bytes as from the objects themselves. A
// rebuilt object shares what did not change with the versions around it
// (path copying), so it must not be modified; nor may an object be
// modified after it is added (the API server never modifies a stored
// object: every write stores a new one). Reading in order, as every
// rendering does, applies each delta once.
//
// A run that need not keep its history streams it instead
// ([Trace.StreamTo], [JSONLStream]): then no record is kept at all.
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
