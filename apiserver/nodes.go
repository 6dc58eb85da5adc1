package apiserver

import (
	"fmt"
	"maps"
	"slices"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/trace"
)

// UpdateNode applies mutate to a copy of the stored node and stores it if
// anything changed, with a new resourceVersion and a MODIFIED trace record
// that lists what changed (see nodeChanges). It reports whether the node
// exists. As for pods, a write that changes nothing is dropped: no new
// version, no watch event, no record. A node status PATCH, a taint added by
// a controller and kubectl cordon are all such writes.
func (s *Server) UpdateNode(name, actor, cause string, mutate func(n *corev1.Node)) bool {
	cur, ok := s.nodes[name]
	if !ok {
		return false
	}
	next := cur.DeepCopy()
	mutate(next)
	next.Name, next.UID, next.CreationTimestamp = cur.Name, cur.UID, cur.CreationTimestamp
	next.ResourceVersion = cur.ResourceVersion
	if apiequality.Semantic.DeepEqual(cur, next) {
		return true
	}
	next.ResourceVersion = s.nextRV()
	s.nodes[name] = next
	key := types.NamespacedName{Name: name}
	s.tr.Add(trace.Record{T: s.eng.Now(), Kind: "Node", Op: trace.Modified, Name: name,
		Actor: actor, Cause: cause, Changes: nodeChanges(cur, next), Object: next})
	s.tellObjectWatchers("Node", trace.Modified, key)
	s.observeNode(cur, next)
	return true
}

// UpdateNodeStatus is a PATCH of nodes/status as a kubelet sends it
// (component-helpers node/util PatchNodeStatus): the node's status and
// labels become status and labels, its spec and the rest of its metadata
// stay. The server keeps status and labels: the caller must not change
// them afterwards. The new version shares the stored one's spec and
// metadata, which no write changes in place, so that a report every 5
// minutes on every node costs no deep copy; it is compared with the
// stored one field by field where a kubelet's report differs (its
// conditions' heartbeats), semantically only when those are equal. Like
// UpdateNode it reports whether the node exists, and a write that changes
// nothing is dropped.
func (s *Server) UpdateNodeStatus(name, actor, cause string, status corev1.NodeStatus, labels map[string]string) bool {
	cur, ok := s.nodes[name]
	if !ok {
		return false
	}
	next := new(corev1.Node)
	*next = *cur
	next.Status, next.Labels = status, labels
	if !conditionsDiffer(cur.Status.Conditions, status.Conditions) &&
		maps.Equal(cur.Labels, labels) && apiequality.Semantic.DeepEqual(&cur.Status, &next.Status) {
		return true
	}
	next.ResourceVersion = s.nextRV()
	s.nodes[name] = next
	s.tr.Add(trace.Record{T: s.eng.Now(), Kind: "Node", Op: trace.Modified, Name: name,
		Actor: actor, Cause: cause, Changes: nodeChanges(cur, next), Object: next})
	s.tellObjectWatchers("Node", trace.Modified, types.NamespacedName{Name: name})
	s.observeNode(cur, next)
	return true
}

// conditionsDiffer says whether two lists of node conditions differ in
// any field, in order: a cheap test before a semantic comparison, which
// would find them different too (different instants, different strings).
func conditionsDiffer(a, b []corev1.NodeCondition) bool {
	if len(a) != len(b) {
		return true
	}
	for i := range a {
		x, y := &a[i], &b[i]
		if x.Type != y.Type || x.Status != y.Status || x.Reason != y.Reason || x.Message != y.Message ||
			!x.LastHeartbeatTime.Equal(&y.LastHeartbeatTime) || !x.LastTransitionTime.Equal(&y.LastTransitionTime) {
			return true
		}
	}
	return false
}

// DeleteNode removes a node object, as `kubectl delete node` does. The pods
// bound to it stay: the pod garbage collector deletes them.
func (s *Server) DeleteNode(name, actor, cause string) error {
	cur, ok := s.nodes[name]
	if !ok {
		return fmt.Errorf("nodes %q not found", name)
	}
	delete(s.nodes, name)
	s.nodeOrder = slices.DeleteFunc(s.nodeOrder, func(n string) bool { return n == name })
	s.notifyObject("Node", trace.Deleted, types.NamespacedName{Name: name}, nil, actor, cause)
	s.observeNode(cur, nil)
	return nil
}

// Lease returns the stored Lease, or nil. It must not be modified.
func (s *Server) Lease(key types.NamespacedName) *coordinationv1.Lease { return s.leases[key] }

// CreateLease stores a new Lease (coordination.k8s.io/v1), as a kubelet
// creates its node's Lease in kube-node-lease: UID, creationTimestamp and
// resourceVersion set, watchers told. l becomes the stored object.
func (s *Server) CreateLease(l *coordinationv1.Lease, actor, cause string) error {
	if s.leases == nil {
		s.leases = map[types.NamespacedName]*coordinationv1.Lease{}
	}
	key := podutil.KeyOf(l)
	if _, ok := s.leases[key]; ok {
		return fmt.Errorf("leases.coordination.k8s.io %q already exists", l.Name)
	}
	l.UID = s.uidFrom("uid/lease")
	l.CreationTimestamp = s.Stamp(s.eng.Now())
	l.ResourceVersion = s.nextRV()
	s.leases[key] = l
	s.notifyObject("Lease", trace.Added, key, l, actor, cause)
	s.observeLease(l)
	return nil
}

// storedLease is a stored Lease with its renewTime beside it.
type storedLease struct {
	coordinationv1.Lease
	renew metav1.MicroTime
}

// UpdateLease replaces the spec and owners of a stored Lease (a PUT from
// its holder): the stored object becomes a new one with l's spec and owner
// references, the stored identity and a new resourceVersion. It fails if
// the Lease does not exist. Neither l nor its renewTime is kept: the
// caller may reuse them (its holder identity, duration and owner
// references are shared, and must not be modified).
func (s *Server) UpdateLease(l *coordinationv1.Lease, actor, cause string) error {
	key := podutil.KeyOf(l)
	cur, ok := s.leases[key]
	if !ok {
		return fmt.Errorf("leases.coordination.k8s.io %q not found", l.Name)
	}
	// Stored objects are never modified, so the new one may share the old
	// one's metadata maps; renewals every 10 s on every node cost no deep
	// copy, and one allocation holds the Lease and its renewTime (the
	// caller may reuse its own).
	st := &storedLease{Lease: coordinationv1.Lease{TypeMeta: cur.TypeMeta, ObjectMeta: cur.ObjectMeta, Spec: l.Spec}}
	if l.Spec.RenewTime != nil {
		st.renew = *l.Spec.RenewTime
		st.Spec.RenewTime = &st.renew
	}
	next := &st.Lease
	next.OwnerReferences = l.OwnerReferences
	next.ResourceVersion = s.nextRV()
	s.leases[key] = next
	s.notifyObject("Lease", trace.Modified, key, next, actor, cause)
	s.observeLease(next)
	return nil
}
