// Package lifecycle holds the pure rules of a Pod and its containers, ported
// from the Kubernetes source and tested with the cases of Kubernetes' own
// unit tests. Nothing here has a clock or an engine: time is an argument.
//
//   - [PodPhase] is the kubelet's getPhase: Pending, Running, Succeeded or
//     Failed from the container statuses and the restart policy. A pod whose
//     only container waits in CrashLoopBackOff is Running, not Failed.
//   - [InitializedCondition], [ContainersReadyCondition], [ReadyCondition]
//     and [ReadyToStartContainersCondition] are the conditions the kubelet
//     owns, with their reasons and messages ("containers with unready
//     status: [app]", "corresponding condition of pod readiness gate … does
//     not exist.").
//   - [PrintPod] is kubectl's printPod: the READY, STATUS, RESTARTS and AGE
//     columns (and the -o wide ones). STATUS comes from the phase, then the
//     status reason, then init containers ("Init:0/1", "Init:Error"), then
//     the regular containers from last to first (a waiting or terminated
//     reason wins), and finally "Terminating" for a pod being deleted.
//   - [Backoff] is client-go's flowcontrol back-off as the kubelet uses it
//     for crash loops and image pulls: 10 s doubling to 5 min, the new value
//     applied when Next is called, reset after a quiet spell.
//   - [ShouldContainerBeRestarted] and [ContainerGracePeriod] are the
//     kubelet's restart-policy and grace-period rules.
//
// Behaviour that changed between releases is chosen by [Rules]; [RulesFor]
// returns the rules of a Kubernetes minor version.
package lifecycle
