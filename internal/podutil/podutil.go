// Package podutil holds the small, pure helpers about Kubernetes objects
// that several components need: object keys, condition and status look-ups,
// a pod's effective requests, toleration matching. Each follows the
// Kubernetes helper it is named after (k8s.io/kubernetes/pkg/api/v1/pod,
// k8s.io/component-helpers, k8s.io/api/core/v1's own methods).
package podutil

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// KeyOf is an object's namespace/name key.
func KeyOf(m metav1.Object) types.NamespacedName {
	return types.NamespacedName{Namespace: m.GetNamespace(), Name: m.GetName()}
}

// CompareKeys orders keys by namespace, then name.
func CompareKeys(a, b types.NamespacedName) int {
	if c := strings.Compare(a.Namespace, b.Namespace); c != 0 {
		return c
	}
	return strings.Compare(a.Name, b.Name)
}

// SortedKeys lists a map's keys in order, so that no outcome depends on map
// iteration order. An empty map's list is nil, made without the iterator
// (controllers ask at every pod change for kinds a cluster often has none of).
func SortedKeys[V any](m map[string]V) []string {
	if len(m) == 0 {
		return nil
	}
	return slices.Sorted(maps.Keys(m))
}

// SortedObjectKeys lists the keys of a map of objects in namespace/name
// order (nil for an empty map, as SortedKeys).
func SortedObjectKeys[V any](m map[types.NamespacedName]V) []types.NamespacedName {
	if len(m) == 0 {
		return nil
	}
	return slices.SortedFunc(maps.Keys(m), CompareKeys)
}

// IsTerminal reports whether a phase is Succeeded or Failed, which a pod
// never leaves.
func IsTerminal(ph corev1.PodPhase) bool {
	return ph == corev1.PodSucceeded || ph == corev1.PodFailed
}

// FindCondition returns the pod condition of that type, or nil.
func FindCondition(conds []corev1.PodCondition, t corev1.PodConditionType) *corev1.PodCondition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}

// FindNodeCondition returns the node condition of that type, or nil.
func FindNodeCondition(conds []corev1.NodeCondition, t corev1.NodeConditionType) *corev1.NodeCondition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}

// FindContainerStatus returns the status of the named container, or nil.
func FindContainerStatus(statuses []corev1.ContainerStatus, name string) *corev1.ContainerStatus {
	for i := range statuses {
		if statuses[i].Name == name {
			return &statuses[i]
		}
	}
	return nil
}

// AllContainers lists a pod's init containers, then its regular ones.
func AllContainers(spec *corev1.PodSpec) []*corev1.Container {
	out := make([]*corev1.Container, 0, len(spec.InitContainers)+len(spec.Containers))
	for i := range spec.InitContainers {
		out = append(out, &spec.InitContainers[i])
	}
	for i := range spec.Containers {
		out = append(out, &spec.Containers[i])
	}
	return out
}

// IsRestartableInit reports whether an init container is a sidecar
// (restartPolicy Always).
func IsRestartableInit(c *corev1.Container) bool {
	return c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways
}

// HasSidecars reports whether a pod has a restartable init container.
func HasSidecars(p *corev1.Pod) bool {
	for i := range p.Spec.InitContainers {
		if IsRestartableInit(&p.Spec.InitContainers[i]) {
			return true
		}
	}
	return false
}

// FormatPod is the kubelet's format.Pod: name_namespace(uid).
func FormatPod(p *corev1.Pod) string {
	return fmt.Sprintf("%s_%s(%s)", p.Name, p.Namespace, p.UID)
}

// KubeletOwnsCondition follows pkg/kubelet/types/pod_status.go
// PodConditionByKubelet.
func KubeletOwnsCondition(t corev1.PodConditionType) bool {
	switch t {
	case corev1.PodScheduled, corev1.PodReady, corev1.PodInitialized, corev1.ContainersReady, corev1.PodReadyToStartContainers:
		return true
	}
	return false
}

// Requests is the pod's effective request: the larger of the sum of its
// containers' requests and the largest init container request
// (k8s.io/component-helpers/resource PodRequests, without overhead).
func Requests(p *corev1.Pod) corev1.ResourceList {
	out := corev1.ResourceList{}
	for _, ctr := range p.Spec.Containers {
		for name, q := range ctr.Resources.Requests {
			sum := out[name]
			sum.Add(q)
			out[name] = sum
		}
	}
	for _, ctr := range p.Spec.InitContainers {
		for name, q := range ctr.Resources.Requests {
			if cur := out[name]; q.Cmp(cur) > 0 {
				out[name] = q.DeepCopy()
			}
		}
	}
	return out
}

// ToleratesTaint reports whether any of the tolerations tolerates the taint
// (k8s.io/api/core/v1 Toleration.ToleratesTaint).
func ToleratesTaint(tols []corev1.Toleration, t corev1.Taint) bool {
	for _, tol := range tols {
		if tol.Effect != "" && tol.Effect != t.Effect {
			continue
		}
		if tol.Key != "" && tol.Key != t.Key {
			continue
		}
		switch tol.Operator {
		case corev1.TolerationOpExists:
			return true
		case "", corev1.TolerationOpEqual:
			if tol.Value == t.Value {
				return true
			}
		}
	}
	return false
}

// PodRef is the involved object of an event about a pod or one of its
// containers (fieldPath spec.containers{name}).
func PodRef(p *corev1.Pod, fieldPath string) corev1.ObjectReference {
	return corev1.ObjectReference{
		Kind: "Pod", Namespace: p.Namespace, Name: p.Name, UID: p.UID,
		APIVersion: "v1", FieldPath: fieldPath,
	}
}

// ContainerFieldPath is the fieldPath of a container in its pod
// (pkg/kubelet/container/ref.go GenerateContainerRef).
func ContainerFieldPath(p *corev1.Pod, name string) string {
	for i := range p.Spec.InitContainers {
		if p.Spec.InitContainers[i].Name == name {
			return "spec.initContainers{" + name + "}"
		}
	}
	return "spec.containers{" + name + "}"
}

// TimeEqual compares two optional times; nil and zero are equal.
func TimeEqual(a, b *metav1.Time) bool {
	switch {
	case a == nil || b == nil:
		return (a == nil || a.IsZero()) && (b == nil || b.IsZero())
	}
	return a.Equal(b)
}

// Int64PtrEqual compares two optional integers.
func Int64PtrEqual(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// LifecycleHandler is a container's postStart (postStart true) or preStop
// handler, or nil.
func LifecycleHandler(c *corev1.Container, postStart bool) *corev1.LifecycleHandler {
	if c.Lifecycle == nil {
		return nil
	}
	if postStart {
		return c.Lifecycle.PostStart
	}
	return c.Lifecycle.PreStop
}
