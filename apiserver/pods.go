package apiserver

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/qos"
	"github.com/podsim/podsim/trace"
)

// Pod returns the stored pod, or nil. It must not be modified.
func (s *Server) Pod(key types.NamespacedName) *corev1.Pod { return s.pods[key] }

// PodKeys lists the stored pods in namespace/name order, for deterministic
// walks.
func (s *Server) PodKeys() []types.NamespacedName { return podutil.SortedObjectKeys(s.pods) }

// PodCount is the number of stored pods.
func (s *Server) PodCount() int { return len(s.pods) }

// EachPod calls fn for every stored pod in no particular order; fn must
// not depend on the order (count, sum).
func (s *Server) EachPod(fn func(*corev1.Pod)) {
	for _, p := range s.pods {
		fn(p)
	}
}

// CreatePod admits and stores a new pod, as a POST of a pod does: the
// namespace defaulted, refused if the name is taken or the pod is invalid
// for the server's version (see ValidatePod), then the API defaults and
// admission plugins applied (DefaultPod), UID, creationTimestamp and the
// Pending status with its QoS class set. p becomes the stored object.
func (s *Server) CreatePod(p *corev1.Pod, actor, cause string) error {
	if p.Namespace == "" {
		p.Namespace = corev1.NamespaceDefault
	}
	if p.Name == "" && p.GenerateName != "" {
		name, err := s.generateNameFor("pods", p.GenerateName, func(n string) bool {
			_, ok := s.pods[types.NamespacedName{Namespace: p.Namespace, Name: n}]
			return ok
		})
		if err != nil {
			return err
		}
		p.Name = name
	}
	key := podutil.KeyOf(p)
	if _, ok := s.pods[key]; ok {
		return fmt.Errorf("pods %q already exists", p.Name)
	}
	if err := s.admitPriority(p); err != nil {
		return err
	}
	warnings := PodWarnings(p)
	DefaultPod(p)
	warnings = append(warnings, dropDisabledFields(p, s.prof)...) // version_fields.go
	if errs := validatePod(p, s.prof); len(errs) > 0 {
		return fmt.Errorf("pod %s: %w", key, errs.ToAggregate())
	}
	p.UID = s.NewUID()
	p.CreationTimestamp = s.Stamp(s.eng.Now())
	p.Generation = 1
	p.Status = corev1.PodStatus{Phase: corev1.PodPending, QOSClass: qos.ComputePodClass(p)}
	applySchedulingGatedCondition(p, p.CreationTimestamp)
	s.pods[key] = p
	s.podChanged(trace.Added, nil, p, actor, cause, warnings...)
	return nil
}

// applySchedulingGatedCondition follows pkg/registry/core/pod/strategy.go:
// a pod created with scheduling gates starts with PodScheduled=False,
// reason SchedulingGated.
func applySchedulingGatedCondition(p *corev1.Pod, now metav1.Time) {
	if len(p.Spec.SchedulingGates) == 0 {
		return
	}
	p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{
		Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonSchedulingGated,
		Message: "Scheduling is blocked due to non-empty scheduling gates", LastTransitionTime: now,
	})
}

// UpdatePod applies mutate to a copy of the stored pod and stores it if
// anything changed; uid, when set, must be the stored pod's (a
// precondition, as a kubelet's status patch has). It reports whether the
// pod exists. A write that changes nothing gets no new resourceVersion and
// no watch event.
func (s *Server) UpdatePod(key types.NamespacedName, uid types.UID, actor, cause string, mutate func(p *corev1.Pod)) bool {
	cur, ok := s.pods[key]
	if !ok || (uid != "" && cur.UID != uid) {
		return false
	}
	next := cur.DeepCopy()
	mutate(next)
	same := podEqual(cur, next)
	if s.cfg.CheckInvariants && same != apiequality.Semantic.DeepEqual(cur, next) {
		s.eng.Fail(fmt.Errorf("%w: podEqual disagrees with semantic equality for pod %s (%s)", ErrInvariant, key, cause))
	}
	if same {
		return true // a no-op write: no new version, no watch event
	}
	if len(cur.Finalizers) > 0 && len(next.Finalizers) == 0 && next.DeletionTimestamp != nil && next.DeletionGracePeriodSeconds != nil && *next.DeletionGracePeriodSeconds == 0 {
		// The last finalizer of a pod deleted with grace 0 went: the
		// update deletes it (genericregistry Store.Update,
		// shouldDeleteDuringUpdate).
		s.pods[key] = next
		s.observePod(cur, next) // stored for an instant: the removal's old
		s.removePod(key, actor, cause)
		return true
	}
	s.pods[key] = next
	s.podChanged(trace.Modified, cur, next, actor, cause)
	return true
}

// UpdatePodStatus is a write of the pods/status subresource, as the
// kubelet's status manager makes it: the pod's status becomes status, its
// spec and metadata stay (pkg/registry/core/pod/strategy.go
// podStatusStrategy.PrepareForUpdate keeps the old spec). The server keeps
// status: the caller must not change it afterwards. The new version shares
// the stored one's spec and metadata, which no write changes in place
// (UpdatePod mutates a deep copy), so that the many status versions of a
// pod do not each hold a copy of its spec. Like UpdatePod, it reports
// whether the pod exists, and a write that changes nothing is a no-op.
func (s *Server) UpdatePodStatus(key types.NamespacedName, uid types.UID, actor, cause string, status corev1.PodStatus) bool {
	cur, ok := s.pods[key]
	if !ok || (uid != "" && cur.UID != uid) {
		return false
	}
	next := new(corev1.Pod)
	*next = *cur
	next.Status = status
	same := podEqual(cur, next)
	if s.cfg.CheckInvariants && same != apiequality.Semantic.DeepEqual(cur, next) {
		s.eng.Fail(fmt.Errorf("%w: podEqual disagrees with semantic equality for pod %s (%s)", ErrInvariant, key, cause))
	}
	if same {
		return true
	}
	s.pods[key] = next
	s.podChanged(trace.Modified, cur, next, actor, cause)
	return true
}

// finalizeOrRemove ends a pod's deletion with grace 0: it is removed, or,
// while it has finalizers, kept with deletionGracePeriodSeconds 0 until the
// last one is removed (the Job controller's tracking finalizer).
func (s *Server) finalizeOrRemove(key types.NamespacedName, actor, cause string) {
	cur := s.pods[key]
	if cur == nil {
		return
	}
	if len(cur.Finalizers) == 0 {
		s.removePod(key, actor, cause)
		return
	}
	now := s.Stamp(s.eng.Now())
	s.UpdatePod(key, cur.UID, actor, cause, func(p *corev1.Pod) {
		if p.DeletionTimestamp == nil {
			p.DeletionTimestamp = &now
		}
		p.DeletionGracePeriodSeconds = ptr.To[int64](0)
	})
}

// removePod deletes the pod object for good.
func (s *Server) removePod(key types.NamespacedName, actor, cause string) {
	cur, ok := s.pods[key]
	if !ok {
		return
	}
	delete(s.pods, key)
	gone := cur.DeepCopy() // a new resourceVersion: not the stored object
	s.podChanged(trace.Deleted, cur, gone, actor, cause)
}

// BindPod is the pods/binding subresource (pkg/registry/core/pod/storage
// setPodHostAndAnnotations): one write that sets spec.nodeName and the
// PodScheduled condition. It reports whether the binding was written: not
// for a pod that does not exist, "is being deleted, cannot be assigned to a
// host", or "is already assigned to node" — a pod's node, once set, never
// changes, which the controllers' per-node indexes rely on.
func (s *Server) BindPod(key types.NamespacedName, uid types.UID, node, actor string) bool {
	if cur, ok := s.pods[key]; !ok || (uid != "" && cur.UID != uid) || cur.DeletionTimestamp != nil || cur.Spec.NodeName != "" {
		return false
	}
	now := s.Stamp(s.eng.Now())
	return s.UpdatePod(key, uid, actor, "bound to node "+node, func(p *corev1.Pod) {
		p.Spec.NodeName = node
		cond := corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionTrue, LastTransitionTime: now}
		for i := range p.Status.Conditions {
			if p.Status.Conditions[i].Type == corev1.PodScheduled {
				p.Status.Conditions[i] = cond
				return
			}
		}
		p.Status.Conditions = append(p.Status.Conditions, cond)
	})
}

// DeletePod is the API server's graceful delete
// (pkg/registry/core/pod/strategy.go CheckGracefulDelete and
// k8s.io/apiserver rest.BeforeDelete): the grace period is the request's,
// else the pod's; 0 for an unscheduled or finished pod. A positive grace
// period marks the pod (deletionTimestamp = now + grace); zero removes it,
// after first recording the zero grace period if the pod was already being
// deleted with a longer one.
// It reports whether the pod existed.
func (s *Server) DeletePod(key types.NamespacedName, uid types.UID, grace *int64, actor, cause string) bool {
	cur, ok := s.pods[key]
	if !ok || (uid != "" && cur.UID != uid) {
		return false
	}
	g := int64(0)
	switch {
	case grace != nil:
		g = *grace
	case cur.Spec.TerminationGracePeriodSeconds != nil:
		g = *cur.Spec.TerminationGracePeriodSeconds
	}
	if g < 0 {
		g = 1
	}
	if cur.Spec.NodeName == "" || cur.Status.Phase == corev1.PodSucceeded || cur.Status.Phase == corev1.PodFailed {
		g = 0
	}
	now := s.eng.Now()
	if cur.DeletionTimestamp != nil {
		old := cur.DeletionGracePeriodSeconds
		if old == nil || *old == 0 {
			s.finalizeOrRemove(key, actor, cause)
			return true
		}
		if g >= *old {
			return true // only a shorter grace period may be given
		}
		// Move deletionTimestamp back by the old grace and forward by the new.
		ts := addSeconds(cur.DeletionTimestamp.Time, g-*old)
		if s.prof.DeletionTimestampNotInPast && ts.Before(s.eng.Wall(now)) {
			ts = s.Stamp(now).Time
			if g != 0 {
				g = 1
			}
		}
		s.UpdatePod(key, uid, actor, cause, func(p *corev1.Pod) {
			p.DeletionTimestamp = &metav1.Time{Time: ts}
			p.DeletionGracePeriodSeconds = ptr.To(g)
		})
		if g == 0 {
			s.finalizeOrRemove(key, actor, cause)
		}
		return true
	}
	ts := addSeconds(s.Stamp(now).Time, g)
	s.UpdatePod(key, uid, actor, cause, func(p *corev1.Pod) {
		p.DeletionTimestamp = &metav1.Time{Time: ts}
		p.DeletionGracePeriodSeconds = ptr.To(g)
	})
	if g == 0 {
		s.finalizeOrRemove(key, actor, cause)
	}
	return true
}

// maxTimestamp is the latest time an API timestamp can carry: RFC 3339,
// which metav1.Time writes, has four-digit years.
var maxTimestamp = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// addSeconds is t plus n seconds, counted in whole seconds so that no grace
// period overflows (a time.Duration holds only 292 years; the real API
// server's time.Duration arithmetic would wrap around), and no later than
// maxTimestamp.
func addSeconds(t time.Time, n int64) time.Time {
	if n > maxTimestamp.Unix()-t.Unix() {
		return maxTimestamp
	}
	return time.Unix(t.Unix()+n, int64(t.Nanosecond())).In(t.Location())
}
