// Package nodelifecycle is kube-controller-manager's node lifecycle
// controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go):
// it watches the heartbeats of every node and turns what it sees into
// conditions and taints that the scheduler and the taint eviction
// controller act on.
//
// Three loops, as upstream runs them:
//
//   - On every node update, the NoSchedule pass (doNoScheduleTaintingPass,
//     TaintNodesByCondition) mirrors the node's conditions as NoSchedule
//     taints: Ready False → node.kubernetes.io/not-ready, Ready Unknown →
//     node.kubernetes.io/unreachable, MemoryPressure, DiskPressure and
//     PIDPressure True → memory-pressure, disk-pressure, pid-pressure,
//     NetworkUnavailable True → network-unavailable, and spec.unschedulable →
//     node.kubernetes.io/unschedulable. A taint whose condition is gone is
//     removed. Each added taint carries timeAdded.
//   - Every node-monitor period (5 s), the health pass (monitorNodeHealth):
//     a node's "probe timestamp" moves when its Ready condition's heartbeat
//     or its Lease's renewTime moves. When it is older than the grace period
//     (node-monitor-grace-period: 40 s before 1.32, 50 s since; 60 s for a
//     node that never posted Ready), every kubelet-owned condition becomes
//     Unknown with reason NodeStatusUnknown, "Kubelet stopped posting node
//     status.". When Ready stops being True the controller records
//     NodeNotReady and marks every pod of the node Ready=False
//     (MarkPodsNotReady, a Warning NodeNotReady event on each). A node whose
//     observed Ready is False or Unknown goes on its zone's rate-limited
//     queue for the NoExecute taint; a node that is Ready again loses both
//     NoExecute taints at once.
//   - Every 100 ms, the NoExecute pass (doNoExecuteTaintingPass) takes
//     nodes off each zone's queue under a token bucket (0.1 nodes/s, burst
//     1) and gives them node.kubernetes.io/not-ready:NoExecute (Ready False)
//     or node.kubernetes.io/unreachable:NoExecute (Ready Unknown), removing
//     the other one. The taint eviction controller acts on these.
//
// Zones (topology.kubernetes.io/region and zone labels) are tracked as
// upstream does: a zone with no Ready node is fully disrupted; when every
// zone is, the controller assumes the control plane lost its network and
// removes the NoExecute taints and stops adding them. A zone with more than
// 2 nodes and at least 55 % of them not Ready is partially disrupted and
// taints at 0.01 nodes/s if it has more than 50 nodes, not at all otherwise.
// So a one-node cluster whose node dies gets its NoSchedule taint but no
// NoExecute taint: give a scenario at least two nodes.
//
// The NoSchedule taint of a node whose kubelet reports NotReady comes when
// the status update is seen; the NoExecute taint at the next health pass,
// 0–5 s later (the seed's node shows 4 s). For an unreachable node the
// controller's own Ready=Unknown write brings the NoSchedule taint, and the
// next pass, 5 s later, the NoExecute one.
//
// With elision (Config.NoElision off) a health pass looks only at the
// nodes where it can find something — not healthy, written since the last
// pass, or whose heartbeat may have gone stale — and notes each Lease
// renewal as the pass that would read it (lazy.go); it writes what the
// pass over every node writes.
//
// Fidelity notes: the controller reads nodes, Leases and pods from the API
// server when it acts, not from informer caches; its pod index by node is
// fed by its pod watch. Label reconciliation (beta OS and arch labels) is
// not done: podsim's kubelets register both. The large-cluster thresholds
// are upstream's defaults and not configurable.
package nodelifecycle
