// Package garbagecollector is kube-controller-manager's garbage collector
// (pkg/controller/garbagecollector) as background propagation uses it: when
// an object goes, the objects it owned — whose metadata.ownerReferences
// name it, and name no owner that still exists — are deleted, and their
// own dependents after them. A Deployment's deletion so removes its
// ReplicaSets, and theirs their pods, each pod with its grace period.
//
// # Fidelity notes
//
//   - The real collector keeps a graph of every object's owners built from
//     its informers; podsim looks the dependents up in the API server when
//     an owner's deletion reaches it, and checks a new object's owners when
//     it is created, which catches a pod created for an owner already gone.
//   - Only owners of the workload kinds (Deployment, ReplicaSet,
//     StatefulSet, DaemonSet, Job) are followed; a reference to an object of
//     another kind is left alone.
//   - Foreground deletion and orphaning (propagationPolicy Foreground and
//     Orphan, the foregroundDeletion and orphan finalizers) are not
//     modelled: every owner is deleted in the background, as kubectl's
//     default --cascade=background asks.
//
// It reaches the cluster only through its [Client].
package garbagecollector

import (
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/trace"
)

// Actor is the name the collector writes under (its client's user agent).
const Actor = "generic-garbage-collector"

// OwnerKinds are the kinds whose dependents the collector deletes.
var OwnerKinds = []string{"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job"}

// Client is what the garbage collector asks of the API server.
type Client interface {
	WatchPods(sel fields.Selector, fn func(op trace.Op, pod *corev1.Pod)) error
	WatchKinds(fn func(kind string, op trace.Op, key types.NamespacedName), kinds ...string)
	EachPod(fn func(*corev1.Pod))
	Pod(key types.NamespacedName) *corev1.Pod
	DeletePod(key types.NamespacedName, uid types.UID, grace *int64, actor, cause string) bool
	Workload(kind string, key types.NamespacedName) runtime.Object
	WorkloadKeys(kind string) []types.NamespacedName
	DeleteWorkload(kind string, key types.NamespacedName, uid types.UID, actor, cause string) bool
}

// Collector deletes the dependents of deleted owners.
type Collector struct {
	api Client
}

// New returns a collector watching pods and workload objects.
func New(api Client) (*Collector, error) {
	c := &Collector{api: api}
	if err := api.WatchPods(fields.Everything(), func(op trace.Op, p *corev1.Pod) {
		if op == trace.Added && len(p.OwnerReferences) > 0 {
			c.collectIfOrphaned("Pod", p, podutil.KeyOf(p))
		}
	}); err != nil {
		return nil, err
	}
	api.WatchKinds(func(kind string, op trace.Op, key types.NamespacedName) {
		if !slices.Contains(OwnerKinds, kind) {
			return
		}
		switch op {
		case trace.Deleted:
			c.ownerDeleted(kind, key)
		case trace.Added:
			if o, ok := c.api.Workload(kind, key).(metav1.Object); ok && len(o.GetOwnerReferences()) > 0 {
				c.collectIfOrphaned(kind, o, key)
			}
		}
	}, OwnerKinds...)
	return c, nil
}

// ownerDeleted deletes what the deleted owner owned, in namespace and name
// order: workload objects first, then pods.
func (c *Collector) ownerDeleted(kind string, key types.NamespacedName) {
	names := func(refs []metav1.OwnerReference) bool {
		for _, r := range refs {
			if r.Kind == kind && r.Name == key.Name {
				return true
			}
		}
		return false
	}
	for _, k := range OwnerKinds {
		for _, dk := range c.api.WorkloadKeys(k) {
			if dk.Namespace != key.Namespace {
				continue
			}
			if o, ok := c.api.Workload(k, dk).(metav1.Object); ok && names(o.GetOwnerReferences()) {
				c.collectIfOrphaned(k, o, dk)
			}
		}
	}
	var pods []*corev1.Pod
	c.api.EachPod(func(p *corev1.Pod) {
		if p.Namespace == key.Namespace && names(p.OwnerReferences) {
			pods = append(pods, p)
		}
	})
	slices.SortFunc(pods, func(a, b *corev1.Pod) int { return podutil.CompareKeys(podutil.KeyOf(a), podutil.KeyOf(b)) })
	for _, p := range pods {
		c.collectIfOrphaned("Pod", p, podutil.KeyOf(p))
	}
}

// collectIfOrphaned deletes a dependent none of whose owners of the
// followed kinds exists any more (attemptToDeleteItem with every owner
// absent; a dependent with an owner of another kind is kept).
func (c *Collector) collectIfOrphaned(kind string, obj metav1.Object, key types.NamespacedName) {
	refs := obj.GetOwnerReferences()
	var gone []string
	for _, r := range refs {
		if !slices.Contains(OwnerKinds, r.Kind) {
			return
		}
		owner, ok := c.api.Workload(r.Kind, types.NamespacedName{Namespace: key.Namespace, Name: r.Name}).(metav1.Object)
		if ok && owner.GetUID() == r.UID {
			return
		}
		gone = append(gone, fmt.Sprintf("%s %s", r.Kind, r.Name))
	}
	if len(gone) == 0 {
		return
	}
	cause := fmt.Sprintf("owner %s deleted (background propagation)", gone[0])
	if kind == "Pod" {
		if p, ok := obj.(*corev1.Pod); ok && p.DeletionTimestamp == nil {
			c.api.DeletePod(key, p.UID, nil, Actor, cause)
		}
		return
	}
	c.api.DeleteWorkload(kind, key, obj.GetUID(), Actor, cause)
}
