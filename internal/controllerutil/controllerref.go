package controllerutil

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// ResolveControllerRef is the resolveControllerRef each workload
// controller has (pkg/controller/daemon/daemon_controller.go,
// statefulset/stateful_set.go, job/job_controller.go,
// deployment/deployment_controller.go): the object of kind that obj's
// controller reference names, looked up with get in obj's namespace, or the
// zero value when there is no such reference, no such object, or the
// object's UID is not the one referenced (a re-created namesake).
func ResolveControllerRef[T interface {
	comparable
	metav1.Object
}](obj metav1.Object, kind string, get func(types.NamespacedName) T) T {
	var none T
	ref := metav1.GetControllerOf(obj)
	if ref == nil || ref.Kind != kind {
		return none
	}
	o := get(types.NamespacedName{Namespace: obj.GetNamespace(), Name: ref.Name})
	if o == none || o.GetUID() != ref.UID {
		return none
	}
	return o
}
