// Package deployment is kube-controller-manager's Deployment controller
// (pkg/controller/deployment): it rolls a Deployment's pod template out
// through ReplicaSets it owns, one per template, and keeps the
// Deployment's status.
//
// # How a sync goes
//
// Every change of a Deployment, and every change of a ReplicaSet it owns,
// queues the Deployment; a sync (syncDeployment) then
//
//  1. claims the ReplicaSets its selector matches (adopting orphans,
//     releasing its own it no longer selects);
//  2. a resize of the Deployment alone (the desired-replicas annotation of
//     an active ReplicaSet differs from spec.replicas) is a scaling event:
//     the replicas are spread over the active ReplicaSets in proportion to
//     their size (sync.go scale);
//  3. otherwise the strategy rolls out:
//     - RollingUpdate (rolling.go): the new ReplicaSet — named
//     <deployment>-<pod-template-hash>, the hash computed as
//     controller.ComputeHash does — is scaled up while the total stays
//     within replicas + maxSurge; the old ones are scaled down while the
//     available pods stay at least replicas − maxUnavailable, the
//     unhealthy old pods first. maxSurge rounds up and maxUnavailable
//     down (deployment/util ResolveFenceposts); both 0 would be stuck, so
//     maxUnavailable becomes 1.
//     - Recreate (recreate.go): the old ReplicaSets go to 0, and the new one
//     is created and scaled up only once none of their pods runs.
//  4. the status (progress.go syncRolloutStatus): replicas, updatedReplicas,
//     readyReplicas, availableReplicas, unavailableReplicas from the
//     ReplicaSets' statuses; the Available condition (minimum availability:
//     replicas − maxUnavailable available) and the Progressing condition
//     (NewReplicaSetCreated, ReplicaSetUpdated, NewReplicaSetAvailable,
//     ProgressDeadlineExceeded after progressDeadlineSeconds without
//     progress).
//
// Each resize of a ReplicaSet is a ScalingReplicaSet event on the
// Deployment: "Scaled up replica set web-5d9c7b8f4 to 1", and from 1.26 a
// resize says the old size, "Scaled down replica set web-6b7c to 3 from 4"
// (profile.Workloads.ScalingEventFrom).
//
// # Fidelity notes
//
//   - The controller reads the API server's current objects rather than an
//     informer cache trailing by the watch latency.
//   - The pod-template-hash is the FNV-32a of the template as podsim's
//     k8s.io/api prints it: a cluster built from another k8s.io/api names
//     the same template differently (see controllerutil.ComputeHash).
//   - Rollbacks (the deprecated rollbackTo), pausing and the revision
//     history annotation are not modelled; old ReplicaSets beyond
//     revisionHistoryLimit are deleted as cleanupDeployment does.
//
// It reaches the cluster only through its [Client].
package deployment
