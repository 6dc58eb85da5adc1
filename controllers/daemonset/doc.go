// Package daemonset is kube-controller-manager's DaemonSet controller
// (pkg/controller/daemon), its basics: one pod on every node that should
// run it.
//
// # How a sync goes
//
// Every change of a DaemonSet, of one of its pods or of a node queues the
// DaemonSet; a sync (syncDaemonSet, manage) decides for each node whether
// it should run the daemon pod (nodeShouldRunDaemonPod): the template's
// nodeSelector and required node affinity match the node, and the pod
// tolerates the node's NoSchedule and NoExecute taints. The pod made for a
// node has the tolerations the controller adds to every daemon pod
// (not-ready and unreachable NoExecute, disk-, memory- and pid-pressure and
// unschedulable NoSchedule, network-unavailable for hostNetwork pods:
// daemon pods run on cordoned nodes) and the node in its required node
// affinity, `matchFields metadata.name In [node]`, as
// ReplaceDaemonSetPodNodeNameNodeAffinity sets it: the default scheduler
// binds it there. Then
//
//   - a node that should run the pod and has none gets one, named
//     <daemonset>-<5 random characters> (event SuccessfulCreate "Created
//     pod: …");
//   - a failed daemon pod is deleted (Warning FailedDaemonPod "Found failed
//     daemon pod default/x on node node-1, will try to kill it") and made
//     again on the next sync; a node with more than one keeps the oldest;
//   - a node that should no longer run it (a NoExecute taint it does not
//     tolerate, a label gone) has its pod deleted.
//
// The status counts desiredNumberScheduled, currentNumberScheduled,
// numberMisscheduled, numberReady, numberAvailable, updatedNumberScheduled
// and numberUnavailable.
//
// # Fidelity notes
//
//   - Rolling updates of the daemon pods (updateStrategy), the failed pods'
//     back-off and ControllerRevisions are not modelled; the
//     controller-revision-hash label is a hash of the template.
//   - The controller reads the API server's current objects.
//
// It reaches the cluster only through its [Client].
package daemonset
