// Package sim simulates a Kubernetes cluster's handling of Pods in virtual
// time: the API server, the scheduler, the endpoints controller and, on
// every node, the kubelet with its container runtime. It plays what the
// real components do, second by second, and records every change so that
// package trace can print what `kubectl get pods -w` would have printed.
//
// # Using it
//
//	c, _ := sim.New(sim.Config{Version: "1.33", Seed: 1})
//	c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{})
//	c.CreatePod(pod, map[string]behavior.Spec{"app": appBehavior})
//	c.At(10*time.Second, func(c *sim.Cluster) error { return c.DeletePod("default", "web", sim.DeleteOptions{}) })
//	c.RunUntil(2 * time.Minute)
//	trace.Watch(os.Stdout, c.Trace(), trace.WatchOptions{Rules: c.Profile().Lifecycle})
//
// A Pod's YAML says what to run; a [behavior.Spec] says what the process
// then does (files, ports, exit, how it treats SIGTERM). [Config.Env] holds
// what neither says: image pull times, the network plugin, latencies.
//
// # The engine
//
// [Engine] is a discrete-event engine: a virtual clock and a binary heap of
// timer firings. Its ordering rule: events run in order of (time, priority,
// sequence) — earlier time first; at the same time lower [Priority] first;
// at the same time and priority, in the order they were scheduled. Nothing
// depends on heap layout or map order, so one input and seed always give
// one history.
//
// Costs, for n pending events: scheduling (Timer.Reset, At, After) is
// O(log n); Step is O(log n) plus the cost of the event's work; cancelling
// (Timer.Stop, or re-arming) is O(1) — the stale entry stays in the heap and
// is dropped when it reaches the top; Stream is O(1) after its first use.
// Steady-state stepping allocates nothing (see BenchmarkEngine).
//
// Randomness comes from one seed split into named streams ([Engine.Stream]):
// "kubelet/<node>/jitter" for the pod workers' retry jitter, "uid" for
// object UIDs, and so on. A draw in one stream never shifts another.
// MaxEvents bounds a run so that a scenario that never settles becomes an
// error, not a hang.
//
// # The kubelet, as modelled
//
// Each node's kubelet follows the upstream structure closely, because the
// timings people observe come from it:
//
//   - Pod workers (pod_workers.go): one sync at a time per pod; updates that
//     arrive meanwhile wait in a single pending slot. Every sync first waits
//     for the PLEG cache to be newer than the end of the previous sync, so a
//     sync never sees a state older than its predecessor left. After a sync
//     the pod is requeued: at once after a phase change, after the resync
//     interval (60–90 s) after success, after 10–15 s after an error.
//   - PLEG (pleg/generic.go): a relist every second compares the runtime
//     with the last relist; ContainerStarted and ContainerDied sync the pod.
//   - SyncPod (kuberuntime_manager.go) acts on the snapshot taken before it
//     began: kill, create the sandbox, start init containers, then each
//     container after doBackOff; postStart hooks run inside it; kills block
//     it for as long as the grace period lasts.
//   - Probe workers (prober/worker.go): one per probe, ticking from the
//     pod's admission; readiness also runs when the kubelet asks for a
//     manual run; results change the status at once (readiness, startup) or
//     sync the pod (a liveness failure).
//   - The status manager (status_manager.go) writes a status only when what
//     the kubelet owns changed, with timestamps to the second, and deletes
//     the pod object once a deleted pod is finished.
//
// # Version profiles
//
// Behaviour that changed between Kubernetes releases is switched by a
// [Profile], chosen with Config.Version. 1.25 is what the project's seed
// observations were recorded on; 1.33 is the default. docs/versions.md lists
// every difference.
//
// # Fidelity notes
//
//   - The kubelet has been running long before the scenario starts; its
//     loops' phases within the second are settings (Timing.RelistPhase,
//     SyncTickPhase), not draws.
//   - Container runtime calls take the fixed durations of [Timing]; image
//     pulls take the durations of [ImageEnv] (in sequence, the last one
//     repeating) and are serialized per node, as with the default
//     serializeImagePulls.
//   - Volumes, cgroups, mirror and static pods, ephemeral containers,
//     in-place resize and dynamic resources are not modelled. Dead
//     containers are cleaned up as the kubelet does on ContainerDied (the
//     newest exited instance of each container is kept).
//   - Only ConfigMap and Secret references in env and envFrom are checked
//     for CreateContainerConfigError.
//   - The scheduler binds by plain fit (requests, taints, nodeSelector).
package sim
