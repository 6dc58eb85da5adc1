// Package controllerutil holds what kube-controller-manager's workload
// controllers share (k8s.io/kubernetes/pkg/controller/controller_utils.go,
// pkg/api/v1/pod): making a pod from a template with its controller
// reference, telling active, ready and available pods apart, ordering pods
// for deletion, the pod-template hash, and the expectations a controller
// keeps of the creations and deletions it asked for. Everything here is
// pure: times are passed in, nothing schedules.
//
// Each function names the Kubernetes function it follows. Where podsim
// departs from it, the doc comment says so.
package controllerutil
