// Package podsimtest makes podsim tests short: a cluster that fails the
// test instead of returning errors, pods whose behaviour comes from their
// manifest, questions asked of the recorded history ("when was the pod
// first Ready?", "how often was it restarted?", "which signals did the
// container get?"), expectations written in Go, and diffs that read like
// the scenario format.
//
// # A cluster for a test
//
//	c := podsimtest.NewCluster(t)                      // one node, invariants on, seed 1
//	c.CreatePod(podsimtest.ParsePod(t, manifest), nil) // what it does comes from the manifest
//	c.RunUntil(3 * time.Minute)
//	ready := c.FirstTime(podsimtest.PodReady("web"))   // fails the test if it never was
//	require.Equal(t, int32(0), c.RestartCount("web"))
//
// [NewCluster] builds a [sim.Cluster] with a node named node-1 and the
// lifecycle invariants checked on every status write; [Option]s change the
// version, the seed, the nodes or anything else of [sim.Config]. Every
// setup or run error fails the test at once with a message that says what
// was being done.
//
// # Asking the history
//
// [History] answers from the trace, at any past time: [History.FirstTime]
// of a [Pred] (PodReady, PodStatus, Restarted, EventReason, SignalSent,
// Exited, or Where with a function of your own), [History.PodAt],
// [History.Ready], [History.RestartCount], and the runtime's records as
// values — [History.Signals] and [History.Exits], read from the
// structured part of each Container record (trace.RuntimeAction), never
// from its sentence.
//
// # Expectations
//
// [Pod] starts a pod expectation with the fields of the scenario format
// (Phase, Status, Ready, Restarts, Condition, Container, Event, Gone);
// [Cluster.Expect] runs to a time and checks one or more. A miss is a test
// error whose diff is YAML in the format's field names:
//
//	pod "web" at 30s (-want +got):
//	  phase: Running
//	- ready: 0/1
//	+ ready: 1/1
//
// [Cluster.ExpectWatch] compares the watch so far with a `kubectl get pods
// -w` table, aligning the lines by longest common subsequence: one missing
// line is one line of the report. [RunScenario] runs a scenario file's own
// expectations the same way.
//
// # Outside a test
//
// Everything takes a [TB], which *testing.T and *testing.B satisfy;
// [Printer] is one for Example functions and programs, which prints each
// failure instead.
package podsimtest
