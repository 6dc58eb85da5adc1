// Package kubelet is one node's kubelet, with the container runtime behind
// it. It registers its node, watches the pods bound to the node, admits
// them, runs their containers' processes (package behavior) and writes
// their status, following the upstream structure closely because the
// timings people observe come from it.
//
// # What it owns
//
//   - Pod workers (pod_workers.go): one sync at a time per pod; updates that
//     arrive meanwhile wait in a single pending slot. Every sync first waits
//     for the PLEG cache to be newer than the end of the previous sync, so a
//     sync never sees a state older than its predecessor left. After a sync
//     the pod is requeued: at once after a phase change, after the resync
//     interval (60–90 s) after success, after 10–15 s after an error, each
//     jittered from the pod's own stream. A resync that would find nothing
//     is skipped and worked out when something changes (resync_elision.go).
//   - PLEG (pleg/generic.go): a relist every second compares the runtime
//     with the last relist; ContainerStarted and ContainerDied sync the pod.
//   - SyncPod (kuberuntime_manager.go) acts on the snapshot taken before it
//     began: kill, create the sandbox, start init containers and sidecars,
//     then each container after doBackOff; postStart hooks run inside it;
//     kills block it for as long as the grace period lasts, preStop first.
//   - Probe workers (prober/worker.go): one per probe, ticking from the
//     pod's admission; readiness also runs when the kubelet asks for a
//     manual run; results change the status at once (readiness, startup) or
//     sync the pod (a liveness failure).
//   - The status manager (status_manager.go) writes a status only when what
//     the kubelet owns changed, with timestamps to the second, and deletes
//     the pod object once a deleted pod is finished; its 10 s batch, which
//     writes back what others changed of the kubelet's conditions, ticks
//     only while some pod needs it (status_batch.go).
//   - The image manager (images/image_manager.go): pull policies, the
//     per-pod pull back-off, serialized pulls with the durations of
//     Config.Images.
//   - Node status (node_status.go): the node registered with its labels,
//     capacity and conditions, then syncNodeStatus every 10 s (plus up to
//     4 % jitter) through a list of setters — addresses, machine info, the
//     MemoryPressure, DiskPressure and PIDPressure conditions, Ready last —
//     posted when anything but the heartbeat times changed, or every 5
//     minutes. A pressure condition asks a source registered with
//     setPressureSource (the eviction manager's answer); a new condition is
//     a new setter in defaultNodeStatusSetters.
//   - The node Lease (node_lease.go): kube-node-lease/<node>, held for 40 s,
//     created at start and renewed every 10 s (plus up to 4 %).
//   - The container runtime (containerd behind the CRI): sandboxes with
//     their IPs, container instances, the processes in them, signals and
//     exits; what it does that no API object shows goes to the trace as
//     Container records.
//
// # What it may reach
//
// The API server, only through [Client]: the watch of its node's pods,
// their status writes and final deletes, its node and the node's status,
// its Lease, and the ConfigMaps and Secrets its containers refer to. Cluster DNS through [Resolver]. Events
// go through a record.Recorder stamped with the node's clock. It never
// sees another kubelet or a controller.
//
// # Fidelity notes
//
//   - The kubelet has been running long before the run starts: its loops'
//     phases within their periods are settings (Timing), not draws.
//   - Runtime calls take the fixed durations of Timing.
//   - The node status reports addresses, capacity, allocatable and the
//     conditions; not nodeInfo, images, volumes in use or daemon endpoints,
//     which nothing in podsim reads.
//   - Volumes, cgroups, resource usage, eviction, mirror and static pods,
//     ephemeral containers and in-place resize are not modelled yet.
package kubelet
