// Package replicaset is kube-controller-manager's ReplicaSet controller
// (pkg/controller/replicaset/replica_set.go): it keeps spec.replicas pods
// of each ReplicaSet running, creating them from its template (with a
// generated name and the ReplicaSet as their controller) and deleting the
// extra ones, and keeps the ReplicaSet's status.
//
// # How a sync goes
//
// Every change of a ReplicaSet, and every change of one of its pods, puts
// the ReplicaSet's key on the controller's work queue; a sync then
//
//  1. lists the active pods of the namespace (not finished, not being
//     deleted) and claims them: its own pods it still selects, orphans it
//     selects (adopted: the controller reference is added), its own pods it
//     no longer selects (released);
//  2. if the expectations of the previous sync are met — every pod it
//     created has been seen, every pod it deleted has been seen going —
//     creates or deletes the difference to spec.replicas, at most 500 at
//     a time (BurstReplicas): creations in slow-start batches of 1, 2, 4 …,
//     stopping at the first failure; deletions of the pods that matter
//     least, as ActivePodsWithRanks orders them (unassigned, pending, not
//     ready, doubled up on a node, youngest first);
//  3. writes the status computed from the pods it listed before acting:
//     replicas, fullyLabeledReplicas, readyReplicas, availableReplicas
//     (ready for minReadySeconds), observedGeneration and the
//     ReplicaFailure condition.
//
// A pod turning ready requeues its ReplicaSet after minReadySeconds + 1 s,
// when it becomes available. Events: SuccessfulCreate "Created pod: p",
// SuccessfulDelete "Deleted pod: p", FailedCreate "Error creating: …".
//
// # Fidelity notes
//
//   - The controller reads the API server's current objects instead of an
//     informer cache that trails it by the watch latency; it acts when the
//     watch event arrives, as a real one does.
//   - Creations and deletions never fail for want of quota or connection;
//     a creation the API server refuses (an invalid template) fails as it
//     does in a real cluster.
//   - The work queue's overall rate limit (10 qps, burst 100) is not
//     modelled; a failed sync is retried after the per-key back-off.
//
// It reaches the cluster only through its [Client].
package replicaset
