package kubelet

import (
	"math/rand/v2"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/engine"
)

// The node Lease (pkg/kubelet/kubelet.go, the kubelet configuration
// defaults): a Lease named after the node in kube-node-lease, renewed every
// quarter of its duration.
const (
	nodeLeaseDurationSeconds       = 40
	nodeLeaseRenewIntervalFraction = 0.25
	nodeLeaseRenewInterval         = time.Duration(nodeLeaseRenewIntervalFraction * nodeLeaseDurationSeconds * float64(time.Second))
)

// leaseState is the lease controller's memory
// (component-helpers/apimachinery/lease/controller.go).
type leaseState struct {
	timer  *engine.Timer
	jitter *rand.Rand
	// latest is the Lease as the controller last wrote it (latestLease):
	// renewals update from it without reading the Lease first.
	latest *coordinationv1.Lease
	// next is the renewal being written and renew its renewTime, reused:
	// the API server stores a copy, not them, so that a renewal allocates
	// nothing here. actor is who writes ("kubelet/<node>").
	next  coordinationv1.Lease
	renew metav1.MicroTime
	actor string
}

// leaseKey is where the node's Lease lives.
func (k *Kubelet) leaseKey() types.NamespacedName {
	return types.NamespacedName{Namespace: corev1.NamespaceNodeLease, Name: k.name}
}

// startLease starts the lease controller: a sync now, then one every renew
// interval plus up to 4 % jitter (wait.JitterUntil(c.sync, c.renewInterval,
// 0.04, true, …)).
func (k *Kubelet) startLease() {
	l := &k.nodeStatus.lease
	l.jitter = k.eng.Stream("kubelet/" + k.name + "/lease")
	l.actor = "kubelet/" + k.name
	l.timer = k.eng.NewTimer(engine.PriorityNormal, func() {
		k.unlessHalted(k.syncLease)
		l.timer.ResetAfter(jittered(l.jitter, nodeLeaseRenewInterval))
	})
	k.syncLease()
	l.timer.ResetAfter(jittered(l.jitter, nodeLeaseRenewInterval))
}

// syncLease is the lease controller's sync: renew the Lease it last wrote,
// or else make sure it exists (creating it, which needs no renewal) and
// renew the one found.
func (k *Kubelet) syncLease() {
	l := &k.nodeStatus.lease
	if l.latest != nil && k.renewLease(l.latest) {
		return
	}
	cur := k.api.Lease(k.leaseKey())
	if cur == nil {
		created := k.newLease(nil)
		if created == nil {
			return // the node is not registered yet: retry at the next sync
		}
		if err := k.api.CreateLease(created, l.actor, "lease created"); err == nil {
			l.latest = created
		}
		return
	}
	k.renewLease(cur)
}

// renewLease writes base with a new renewTime; it reports success. The
// Lease written is the reused one (leaseState.next), which the API server
// copies: the controller's latestLease is then that, as what the server
// returns would be, but for the resourceVersion, which podsim's writes of
// a Lease do not check.
func (k *Kubelet) renewLease(base *coordinationv1.Lease) bool {
	l := &k.nodeStatus.lease
	next := k.newLease(base)
	if err := k.api.UpdateLease(next, l.actor, "lease renewed"); err != nil {
		return false
	}
	l.latest = next
	return true
}

// newLease is the lease controller's newLease with the kubelet's
// setNodeOwnerFunc: a copy of base (or a new Lease held by the node, for
// 40 s) with renewTime now on the node's clock, and the node as its owner.
// It is nil when a new Lease cannot get its owner because the node does
// not exist.
func (k *Kubelet) newLease(base *coordinationv1.Lease) *coordinationv1.Lease {
	var l *coordinationv1.Lease
	renew := metav1.MicroTime{Time: k.wall(k.eng.Now()).Truncate(time.Microsecond)} // MicroTime keeps microseconds
	if base == nil {
		l = &coordinationv1.Lease{
			ObjectMeta: metav1.ObjectMeta{Name: k.name, Namespace: corev1.NamespaceNodeLease},
			Spec: coordinationv1.LeaseSpec{
				HolderIdentity:       ptr.To(k.name),
				LeaseDurationSeconds: ptr.To[int32](nodeLeaseDurationSeconds),
				RenewTime:            ptr.To(renew),
			},
		}
	} else {
		// A shallow copy into the reused Lease (base may be it): the
		// stored Lease is never modified, and only renewTime and (once)
		// the owner are replaced here.
		ls := &k.nodeStatus.lease
		ls.next = *base
		ls.renew = renew
		l = &ls.next
		l.Spec.RenewTime = &ls.renew
	}
	if len(l.OwnerReferences) == 0 {
		node := k.api.Node(k.name)
		if node == nil {
			if base == nil {
				return nil
			}
			return l
		}
		l.OwnerReferences = []metav1.OwnerReference{{APIVersion: "v1", Kind: "Node", Name: k.name, UID: node.UID}}
	}
	return l
}
