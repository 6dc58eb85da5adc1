// Package apiserver is the simulated cluster's API server: the object store
// every component reads and writes, and the only way one component reaches
// another.
//
// # What it owns
//
//   - Storage. Pods, nodes, Services, Endpoints, ConfigMaps, Secrets,
//     events and the workload kinds — Deployments, ReplicaSets,
//     StatefulSets, DaemonSets, Jobs and Namespaces (CreateWorkload,
//     UpdateWorkload, DeleteWorkload) — each write with a new
//     resourceVersion; a workload's spec change increments its generation. A write that changes
//     nothing is dropped, as etcd3's GuaranteedUpdate short-circuits it: no
//     new version, no watch event. Stored objects are never modified in
//     place (an update stores a modified copy), so reads return the stored
//     object to share, not to change.
//   - Admission. CreatePod applies the API defaults
//     (pkg/apis/core/v1/defaults.go) and the admission plugins every cluster
//     runs (DefaultTolerationSeconds, Priority, ServiceAccount), then
//     validates the pod as the server of the profile's Kubernetes version
//     would, with field paths (spec.containers[0].livenessProbe…).
//   - Names. An object with generateName and no name gets the base and
//     five random characters, as names.SimpleNameGenerator draws them, from
//     the run's seeded "names" stream.
//   - Pod updates. ApplyPod is kubectl apply of a pod's manifest, with
//     ValidatePodUpdate's rules: images, activeDeadlineSeconds (set or
//     lowered), tolerations (added), labels and annotations may change,
//     nothing else.
//   - Policy. PodDisruptionBudgets (policy/v1) and PriorityClasses
//     (scheduling.k8s.io/v1); the Priority admission plugin gives each pod
//     its class's priority and preemption policy. EvictPod is the
//     pods/eviction subresource: it takes one of the pod's budget's
//     disruptionsAllowed, or refuses with 429 TooManyRequests ("Cannot
//     evict pod as it would violate the pod's disruption budget.").
//   - Graceful deletion (pkg/registry/core/pod/strategy.go): the grace
//     period is the request's, else the pod's, 0 for an unscheduled or
//     finished pod; a positive one only marks the pod (deletionTimestamp =
//     now + grace) and the kubelet's final delete with grace 0 removes it
//     — unless it has finalizers, which keep it until the last is removed
//     (the Job controller's job-tracking finalizer).
//   - Watches. WatchPods takes a field selector (fields.Everything(), or
//     spec.nodeName=<node> as a kubelet's watch has) and delivers each change
//     after the watch latency only to the watchers it matches, in the order
//     they registered; node-selected watches are indexed by node, so a pod's
//     change costs one delivery per interested watcher, not one per node.
//   - The trace. Every write becomes a trace record with who made it and why
//     (actor and cause), and, for pods, what changed.
//   - Invariants. With Config.CheckInvariants, every pod write is checked
//     against the lifecycle's rules (ErrInvariant).
//
// Components do not import this package: each declares the small client
// interface it needs (kubelet.Client, scheduler.Client, endpoints.Client),
// and a *Server satisfies them all. Package sim wires them together.
package apiserver
