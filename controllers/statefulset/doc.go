// Package statefulset is kube-controller-manager's StatefulSet controller
// (pkg/controller/statefulset), its basics: pods with stable names
// <set>-<ordinal>, started in order, each re-created under its own name.
//
// # How a sync goes
//
// Every change of a StatefulSet or of one of its pods queues it; a sync
// (stateful_set_control.go updateStatefulSet) walks the ordinals 0 …
// replicas−1:
//
//   - a missing pod is created: named <set>-<ordinal>, its hostname the
//     pod's name and its subdomain the set's serviceName, labelled
//     statefulset.kubernetes.io/pod-name, controller-revision-hash and from
//     1.28 apps.kubernetes.io/pod-index (profile.Workloads.PodIndexLabel);
//     event SuccessfulCreate "create Pod web-0 in StatefulSet web
//     successful";
//   - a pod that has failed is deleted, and created again — the same name,
//     a new UID — on the next sync (event RecreatingFailedPod);
//   - with podManagementPolicy OrderedReady (the default) the walk stops at
//     the first pod that is not yet Running and Ready (and available for
//     minReadySeconds), or is terminating: web-1 is created only once web-0
//     is ready. Parallel creates and deletes them all at once.
//
// Pods beyond replicas are deleted from the highest ordinal down, one at a
// time with OrderedReady, once the others are ready. The status counts
// replicas, ready, available, current and updated pods.
//
// # Fidelity notes
//
//   - Revisions are not ControllerRevision objects: the revision is
//     <set>-<hash of the template> (controllerutil.ComputeHash), and an
//     update of the template changes the label of new pods only — rolling
//     updates of existing pods, partitions, PersistentVolumeClaim templates
//     and the retention policy are not modelled.
//   - The controller reads the API server's current objects.
//
// It reaches the cluster only through its [Client].
package statefulset
