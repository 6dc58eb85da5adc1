package apiserver

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/trace"
)

// The kinds of the workload store.
const (
	KindReplicaSet  = "ReplicaSet"
	KindDeployment  = "Deployment"
	KindStatefulSet = "StatefulSet"
	KindDaemonSet   = "DaemonSet"
	KindJob         = "Job"
	KindNamespace   = "Namespace"
)

// WorkloadKinds lists the kinds CreateWorkload stores, in a fixed order.
var WorkloadKinds = []string{KindNamespace, KindDeployment, KindReplicaSet, KindStatefulSet, KindDaemonSet, KindJob}

// APIVersionOf is the apiVersion of a workload kind.
func APIVersionOf(kind string) string {
	switch kind {
	case KindJob:
		return "batch/v1"
	case KindNamespace:
		return "v1"
	}
	return "apps/v1"
}

// KindOf is the kind of a workload object, or "".
func KindOf(obj runtime.Object) string {
	switch obj.(type) {
	case *appsv1.ReplicaSet:
		return KindReplicaSet
	case *appsv1.Deployment:
		return KindDeployment
	case *appsv1.StatefulSet:
		return KindStatefulSet
	case *appsv1.DaemonSet:
		return KindDaemonSet
	case *batchv1.Job:
		return KindJob
	case *corev1.Namespace:
		return KindNamespace
	}
	return ""
}

// workloadObject is what the store keeps.
type workloadObject interface {
	runtime.Object
	metav1.Object
}

// workloadStore holds the objects of the workload kinds, by kind.
type workloadStore struct {
	byKind map[string]map[types.NamespacedName]workloadObject
}

func (w *workloadStore) kind(kind string) map[types.NamespacedName]workloadObject {
	if w.byKind == nil {
		w.byKind = map[string]map[types.NamespacedName]workloadObject{}
	}
	m, ok := w.byKind[kind]
	if !ok {
		m = map[types.NamespacedName]workloadObject{}
		w.byKind[kind] = m
	}
	return m
}

// CreateWorkload stores a new Deployment, ReplicaSet, StatefulSet,
// DaemonSet, Job or Namespace as a POST of it does: the namespace
// defaulted, a name generated from generateName, the API defaults of its
// kind applied (pkg/apis/apps/v1, pkg/apis/batch/v1 defaults.go, and the
// pod template's pkg/apis/core/v1 defaults), the object validated, then
// UID, creationTimestamp, generation 1 and resourceVersion set and the
// watchers told. A Job gets its generated selector and template labels
// (pkg/registry/batch/job/strategy.go). obj becomes the stored object.
func (s *Server) CreateWorkload(obj runtime.Object, actor, cause string) error {
	kind := KindOf(obj)
	if kind == "" {
		return fmt.Errorf("cannot create a %T as a workload", obj)
	}
	o := obj.(workloadObject)
	if kind != KindNamespace && o.GetNamespace() == "" {
		o.SetNamespace(corev1.NamespaceDefault)
	}
	store := s.workloads.kind(kind)
	if o.GetName() == "" && o.GetGenerateName() != "" {
		name, err := s.generateNameFor(resourceOf(kind), o.GetGenerateName(), func(n string) bool {
			_, ok := store[types.NamespacedName{Namespace: o.GetNamespace(), Name: n}]
			return ok
		})
		if err != nil {
			return err
		}
		o.SetName(name)
	}
	key := podutil.KeyOf(o)
	if _, ok := store[key]; ok {
		return fmt.Errorf("%s %q already exists", resourceOf(kind), o.GetName())
	}
	defaultWorkload(o, s.prof)
	if errs := validateWorkload(o, s.prof); len(errs) > 0 {
		return fmt.Errorf("%s %q is invalid: %w", kind, o.GetName(), errs.ToAggregate())
	}
	o.SetUID(s.NewUID())
	o.SetCreationTimestamp(s.Stamp(s.eng.Now()))
	if kind != KindNamespace {
		o.SetGeneration(1)
	}
	if j, ok := o.(*batchv1.Job); ok {
		generateJobSelector(j, s.prof)
	}
	if ns, ok := o.(*corev1.Namespace); ok {
		ns.Status.Phase = corev1.NamespaceActive
		if ns.Labels == nil {
			ns.Labels = map[string]string{}
		}
		// The NamespaceDefaultLabelName feature (1.22): every namespace is
		// labelled with its name.
		ns.Labels[corev1.LabelMetadataName] = ns.Name
	}
	o.SetResourceVersion(s.nextRV())
	store[key] = o
	s.workloadChanged(kind, trace.Added, key, nil, o, actor, cause)
	return nil
}

// resourceOf is the resource name of a kind as API errors spell it:
// "deployments.apps", "jobs.batch", "namespaces".
func resourceOf(kind string) string {
	r := strings.ToLower(kind) + "s"
	if group, _, ok := strings.Cut(APIVersionOf(kind), "/"); ok {
		r += "." + group
	}
	return r
}

// Workload returns the stored object of that kind, or nil. It must not be
// modified.
func (s *Server) Workload(kind string, key types.NamespacedName) runtime.Object {
	if o, ok := s.workloads.kind(kind)[key]; ok {
		return o
	}
	return nil
}

// WorkloadKeys lists the objects of a kind in namespace/name order.
func (s *Server) WorkloadKeys(kind string) []types.NamespacedName {
	return podutil.SortedObjectKeys(s.workloads.kind(kind))
}

// UpdateWorkload applies mutate to a copy of the stored object and stores
// it if anything changed; uid, when set, must be the stored object's. A
// change of the spec increments metadata.generation and is validated as an
// update of the kind is; a change that is invalid is refused with the
// error. A write that changes nothing gets no new resourceVersion and no
// watch event. It reports whether the object exists.
func (s *Server) UpdateWorkload(kind string, key types.NamespacedName, uid types.UID, actor, cause string, mutate func(runtime.Object)) (bool, error) {
	store := s.workloads.kind(kind)
	cur, ok := store[key]
	if !ok || (uid != "" && cur.GetUID() != uid) {
		return false, nil
	}
	next := cur.DeepCopyObject().(workloadObject)
	mutate(next)
	if apiequality.Semantic.DeepEqual(cur, next) {
		return true, nil
	}
	if !apiequality.Semantic.DeepEqual(specOf(cur), specOf(next)) {
		defaultWorkload(next, s.prof)
		if errs := validateWorkloadUpdate(cur, next, s.prof); len(errs) > 0 {
			return true, fmt.Errorf("%s %q is invalid: %w", kind, key.Name, errs.ToAggregate())
		}
		if !apiequality.Semantic.DeepEqual(specOf(cur), specOf(next)) {
			next.SetGeneration(cur.GetGeneration() + 1)
		}
	}
	next.SetResourceVersion(s.nextRV())
	store[key] = next
	s.workloadChanged(kind, trace.Modified, key, cur, next, actor, cause)
	return true, nil
}

// DeleteWorkload removes an object of a workload kind at once; uid, when
// set, must be the stored object's. Its dependents are the garbage
// collector's to delete. It reports whether the object existed.
func (s *Server) DeleteWorkload(kind string, key types.NamespacedName, uid types.UID, actor, cause string) bool {
	store := s.workloads.kind(kind)
	cur, ok := store[key]
	if !ok || (uid != "" && cur.GetUID() != uid) {
		return false
	}
	delete(store, key)
	s.workloadChanged(kind, trace.Deleted, key, cur, nil, actor, cause)
	return true
}

// specOf is the spec of a workload object, the part whose change bumps
// the generation.
func specOf(o runtime.Object) any {
	switch v := o.(type) {
	case *appsv1.ReplicaSet:
		return v.Spec
	case *appsv1.Deployment:
		return v.Spec
	case *appsv1.StatefulSet:
		return v.Spec
	case *appsv1.DaemonSet:
		return v.Spec
	case *batchv1.Job:
		return v.Spec
	case *corev1.Namespace:
		return v.Spec
	}
	return nil
}

// workloadChanged records a write of a workload object and tells the
// object watchers after the watch latency.
func (s *Server) workloadChanged(kind string, op trace.Op, key types.NamespacedName, old, cur workloadObject, actor, cause string) {
	rec := trace.Record{T: s.eng.Now(), Kind: kind, Op: op, Namespace: key.Namespace, Name: key.Name, Actor: actor, Cause: cause}
	if cur != nil {
		rec.Object = cur.DeepCopyObject()
		rec.Changes = workloadChanges(old, cur)
	}
	s.tr.Add(rec)
	s.tellObjectWatchers(kind, op, key)
}
