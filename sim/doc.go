// Package sim simulates a Kubernetes cluster's handling of Pods in virtual
// time. It is the facade: it assembles the components — the API server
// (package apiserver), the scheduler and the endpoints controller (packages
// under controllers/) and, on every node, a kubelet with its container
// runtime (package kubelet) — on one event engine (package engine), and it
// is the way in for a program or a scenario file: what a user with kubectl
// would do (create, delete, set a condition, act inside a container) are
// methods of [Cluster]. Every change is recorded, so that package trace can
// print what `kubectl get pods -w` would have printed.
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
// then does (files, ports, exit, how it treats SIGTERM). CreatePod(pod, nil)
// reads it from the manifest instead — the shell idioms of the container's
// command and what podsim knows of its image (behavior.FromContainer), as a
// scenario file does — and a map names only the containers whose process
// the manifest cannot describe. An image podsim does not know, run with no
// command, is taken to be a healthy server on its ports ([AssumedServer]),
// and the trace header's Assumptions say so; [Config.Strict] refuses it. [Config.Env] holds what neither says: image
// pull times, the network plugin, latencies.
//
// # How the parts meet
//
// Components reach each other only through the API server, as in a real
// cluster: the scheduler watches every pod and binds; a kubelet watches the
// pods of its own node (fieldSelector=spec.nodeName) and writes their
// status; the endpoints controller watches pods and Services. Each change
// reaches a watcher after Timing.Watch. Cluster DNS, which the kubelet's
// containers ask, answers from the API server's Services. The one shortcut
// is AddNode, which tells the scheduler of the new node at once rather
// than through a watch. docs/architecture.md draws the whole picture.
//
// # Determinism
//
// One goroutine runs a cluster, with no wall clock: time is the engine's,
// events run in (time, priority, sequence) order, and randomness comes from
// Config.Seed split into named streams (package engine). The same input
// and seed give the same trace, byte for byte.
//
// # Version profiles
//
// Behaviour that changed between Kubernetes releases is switched by a
// [Profile] (package profile), chosen with Config.Version. 1.25 is what
// the project's seed observations were recorded on; 1.33 is the default.
// docs/versions.md lists every difference.
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
