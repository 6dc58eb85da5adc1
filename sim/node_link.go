package sim

import (
	"errors"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/trace"
)

// errLinkDown is what a kubelet's call gets while its node is cut off.
var errLinkDown = errors.New("dial tcp: connect: no route to host")

// nodeLink is a kubelet's connection to the API server, which a fault can
// cut. While it is cut, every write of the kubelet (pod statuses, the final
// delete, node status, the Lease, events) fails and is lost, its reads see
// what its informers last saw, and the changes its pod watch would have
// delivered wait. When it comes back the watch relists: the kubelet gets
// the newest version of every pod that changed meanwhile (or its deletion),
// after the watch latency.
type nodeLink struct {
	api     *apiserver.Server
	eng     *engine.Engine
	tr      trace.Sink
	latency time.Duration

	cut bool
	// node is the node as the kubelet's informer last saw it.
	node *corev1.Node
	// handler is the kubelet's pod watch handler; missed holds the newest
	// change of each pod while the link is cut.
	handler func(op trace.Op, pod *corev1.Pod)
	missed  map[types.NamespacedName]missedChange
}

type missedChange struct {
	op  trace.Op
	pod *corev1.Pod
}

func newNodeLink(c *Cluster) *nodeLink {
	return &nodeLink{api: c.api, eng: c.eng, tr: &c.tr, latency: c.cfg.Env.Timing.Watch}
}

// down cuts the link: the kubelet's informers keep the node as it is now.
func (l *nodeLink) down(nodeName string) {
	if l.cut {
		return
	}
	l.cut = true
	l.node = l.api.Node(nodeName)
	l.missed = map[types.NamespacedName]missedChange{}
}

// up restores the link: what the watch missed is delivered, in key order,
// after the watch latency.
func (l *nodeLink) up() {
	if !l.cut {
		return
	}
	l.cut = false
	missed := l.missed
	l.missed = nil
	for _, key := range podutil.SortedObjectKeys(missed) {
		m := missed[key]
		l.eng.After(l.latency, engine.PriorityAPI, func() { l.handler(m.op, m.pod) })
	}
}

// WatchPods registers the kubelet's watch, held while the link is cut.
func (l *nodeLink) WatchPods(sel fields.Selector, fn func(op trace.Op, pod *corev1.Pod)) error {
	l.handler = fn
	return l.api.WatchPods(sel, func(op trace.Op, pod *corev1.Pod) {
		if l.cut {
			l.missed[podutil.KeyOf(pod)] = missedChange{op, pod}
			return
		}
		fn(op, pod)
	})
}

func (l *nodeLink) Pod(key types.NamespacedName) *corev1.Pod { return l.api.Pod(key) }

func (l *nodeLink) UpdatePod(key types.NamespacedName, uid types.UID, actor, cause string, mutate func(*corev1.Pod)) bool {
	if l.cut {
		return false
	}
	return l.api.UpdatePod(key, uid, actor, cause, mutate)
}

func (l *nodeLink) UpdatePodStatus(key types.NamespacedName, uid types.UID, actor, cause string, status corev1.PodStatus) bool {
	if l.cut {
		return false
	}
	return l.api.UpdatePodStatus(key, uid, actor, cause, status)
}

func (l *nodeLink) DeletePod(key types.NamespacedName, uid types.UID, grace *int64, actor, cause string) bool {
	if l.cut {
		return false
	}
	return l.api.DeletePod(key, uid, grace, actor, cause)
}

func (l *nodeLink) CreateNode(n *corev1.Node, actor, cause string) error {
	if l.cut {
		return errLinkDown
	}
	return l.api.CreateNode(n, actor, cause)
}

// Node is the kubelet's node informer: frozen while the link is cut.
func (l *nodeLink) Node(name string) *corev1.Node {
	if l.cut {
		return l.node
	}
	return l.api.Node(name)
}

func (l *nodeLink) UpdateNodeStatus(name, actor, cause string, status corev1.NodeStatus, labels map[string]string) bool {
	if l.cut {
		return false
	}
	return l.api.UpdateNodeStatus(name, actor, cause, status, labels)
}

func (l *nodeLink) UpdateNode(name, actor, cause string, mutate func(*corev1.Node)) bool {
	if l.cut {
		return false
	}
	return l.api.UpdateNode(name, actor, cause, mutate)
}

func (l *nodeLink) Lease(key types.NamespacedName) *coordinationv1.Lease {
	if l.cut {
		return nil
	}
	return l.api.Lease(key)
}

func (l *nodeLink) CreateLease(le *coordinationv1.Lease, actor, cause string) error {
	if l.cut {
		return errLinkDown
	}
	return l.api.CreateLease(le, actor, cause)
}

func (l *nodeLink) UpdateLease(le *coordinationv1.Lease, actor, cause string) error {
	if l.cut {
		return errLinkDown
	}
	return l.api.UpdateLease(le, actor, cause)
}

func (l *nodeLink) ConfigMap(key types.NamespacedName) *corev1.ConfigMap { return l.api.ConfigMap(key) }
func (l *nodeLink) Secret(key types.NamespacedName) *corev1.Secret       { return l.api.Secret(key) }
func (l *nodeLink) Stamp(t time.Duration) metav1.Time                    { return l.api.Stamp(t) }

// HasEvent and PutEvent are the kubelet's event sink: events recorded
// while the link is cut are lost. Fidelity note: client-go's broadcaster
// retries an event up to 12 times, 10 s apart, so one recorded in the last
// two minutes of a cut would still arrive; podsim drops it at once.
func (l *nodeLink) HasEvent(key types.NamespacedName) bool { return l.api.HasEvent(key) }
func (l *nodeLink) PutEvent(ev *corev1.Event) {
	if !l.cut {
		l.api.PutEvent(ev)
	}
}

// Add is the trace sink of the kubelet's events: an event lost on the way
// is not in the history either.
func (l *nodeLink) Add(r trace.Record) {
	if !l.cut {
		l.tr.Add(r)
	}
}

// broadcaster is the kubelet's own event broadcaster, whose events go
// through the link.
func (l *nodeLink) broadcaster(c *Cluster) *record.Broadcaster {
	return record.NewBroadcaster(c.eng, l, l, c.profile.EventReportingController)
}
