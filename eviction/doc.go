// Package eviction holds the kubelet's node-pressure eviction rules
// (pkg/kubelet/eviction) as pure functions and one small state machine:
// no engine, no clock, no API server. The kubelet feeds it stats and asks
// it what to do.
//
// # Signals and thresholds
//
// The stats of a pass (a [Summary]) become signal observations:
// memory.available is the node's capacity minus its working set,
// allocatableMemory.available the pods cgroup's limit minus the pods'
// working set, nodefs.available and imagefs.available the free space of
// the kubelet's and the runtime's filesystems (the same disk on a node
// without a dedicated imagefs), the inodesFree signals their free inodes,
// pid.available pid_max minus the running processes. A [Threshold] is
// met when the signal is below its value: a quantity ("100Mi") or a share
// of the capacity ("10%"). [ParseThresholdConfig] reads the kubelet's
// evictionHard, evictionSoft, evictionSoftGracePeriod and
// evictionMinimumReclaim; [DefaultEvictionHard] is the default.
//
// # One pass
//
// [Manager.Synchronize] is eviction_manager.go synchronize:
//
//  1. the thresholds met now, plus those met before and not yet back above
//     their value plus minimum reclaim;
//  2. the node conditions they report (MemoryPressure, DiskPressure,
//     PIDPressure), which stay on for the pressure transition period (5 m)
//     after the last pass that met them;
//  3. the thresholds met for their grace period (a hard one's is 0);
//  4. every pod over an emptyDir sizeLimit or an ephemeral-storage limit is
//     evicted, and if any was the pass ends;
//  5. the thresholds are ranked memory first; for the first, a Warning
//     EvictionThresholdMet event on the node, then node-level reclaim for a
//     disk signal (dead containers, then unused images) — if that brings
//     every threshold back, minimum reclaim included, no pod goes;
//  6. the active pods are ranked for the signal and the first that can be
//     evicted is: at most one pod a pass.
//
// # Ranking
//
// Memory: pods without stats first, then pods using more than they
// request, then lower priority, then the larger use above request — so a
// BestEffort pod (request 0) goes before a Burstable one within its
// request, and a Guaranteed pod, which cannot exceed its request, goes
// last among equal priorities. Disk: the same with disk use (which use
// depends on the signal and on a dedicated imagefs). PIDs: priority, then
// the process count. Critical pods (static, mirror, priority ≥
// 2000000000) are never evicted.
//
// # Messages
//
// The pod's status message and its Evicted event read, in 1.33:
//
//	The node was low on resource: memory. Threshold quantity: 100Mi, available: 90Mi. Container hog was using 650Mi, request is 0, has larger consumption of memory.
//
// A local storage limit reads
// `Usage of EmptyDir volume "myworkdir" exceeds the limit "40Gi". `, and a
// pod refused under pressure `The node had condition: [DiskPressure]. `.
// [Rules] holds what changed between versions: the container sentence,
// the threshold sentence, the grace period of a hard eviction (0, which
// the pod worker reads as the pod's own, before 1.31; 1 since) and the
// DisruptionTarget condition (1.26).
//
// # Fidelity notes
//
//   - The kubelet reads its threshold maps, its first-observed times and
//     its node conditions from Go maps, in random order; podsim reads the
//     thresholds sorted by signal and lists conditions as MemoryPressure,
//     DiskPressure, PIDPressure, so a run never depends on map order. Pods
//     that tie on every comparison are ordered by Go's sort.Sort from the
//     order the kubelet gives them, as upstream does from its own order.
//   - Memory threshold notifiers (kernelMemcgNotification, off by default)
//     and the containerfs signals of a split image filesystem are not
//     modelled.
package eviction
