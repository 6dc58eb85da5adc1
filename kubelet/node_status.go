package kubelet

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
)

// The kubelet's node heartbeats: its configuration defaults
// (pkg/kubelet/apis/config/v1beta1/defaults.go) and the loops that use them.
const (
	// nodeStatusUpdateFrequency: how often syncNodeStatus computes the
	// node's status.
	nodeStatusUpdateFrequency = 10 * time.Second
	// nodeStatusReportFrequency: how often the status is posted when
	// nothing in it changed (kubelet_node_status.go tryUpdateNodeStatus).
	nodeStatusReportFrequency = 5 * time.Minute
	// heartbeatJitterFactor: both loops run under wait.JitterUntil with
	// jitter 0.04 (kubelet.go Run; component-helpers lease controller.go Run).
	heartbeatJitterFactor = 0.04
)

// A nodeStatusSetter fills in one part of the node's status, as the
// kubelet's setters do (pkg/kubelet/nodestatus/setters.go). now is the
// node's clock, kept to the second as the API serializes it. The node's
// conditions are the setter's to change in place; any other field it may
// only replace, never modify (see scratchCopy).
//
// To add a node condition, write a setter and put it in
// defaultNodeStatusSetters at the place upstream's defaultNodeStatusFuncs
// gives it. The pressure conditions already have setters: a component that
// knows whether the node is under pressure (the eviction manager) only
// registers its answer with setPressureSource.
type nodeStatusSetter func(now metav1.Time, n *corev1.Node)

// nodeStatusState is what the kubelet keeps between node status syncs.
type nodeStatusState struct {
	setters []nodeStatusSetter
	// pressure answers "is the node under this pressure?" for
	// MemoryPressure, DiskPressure and PIDPressure; a missing answer is no.
	pressure map[corev1.NodeConditionType]func() bool
	// readyErrors lists what keeps the node from being Ready (the
	// runtime's, the network's and storage's errors); the Ready setter
	// asks it, as nodestatus.ReadyCondition asks the funcs it is given.
	readyErrors func() []string
	// lastReport is when the status was last posted
	// (kl.lastStatusReportTime); reported is false before the first post.
	lastReport time.Duration
	reported   bool
	// lastUnschedulable is the spec.unschedulable last seen
	// (kl.lastNodeUnschedulable), for the NodeSchedulable events.
	lastUnschedulable bool

	// scratch and conditions are the reused copy a sync works on.
	scratch    corev1.Node
	conditions []corev1.NodeCondition

	statusTimer *engine.Timer
	jitter      *rand.Rand
	lease       leaseState

	// unchanged are the inputs of the last sync that found nothing to
	// post (see syncNodeStatus); valid says there is one.
	unchanged statusInputs
	valid     bool
	actor     string // "kubelet/<node>", the writer of the status

	// ticks are the loop's tick times already drawn and not yet passed,
	// in order (node_status_elision.go): the timer is armed at
	// ticks[armed], and the ones before it are skipped while parked;
	// prev is the tick before ticks[0].
	ticks  []time.Duration
	armed  int
	parked bool
	prev   time.Duration
}

// statusInputs is everything the default setters read besides the clock
// (which only moves the heartbeat times, which no comparison counts): the
// stored node — an immutable object, so its pointer says whether it
// changed —, the pressure answers, the Ready errors and the schedulable
// state last reported. A setter that reads anything else must add it here.
type statusInputs struct {
	orig              *corev1.Node
	pressure          [3]bool
	readyErrors       []string
	lastUnschedulable bool
}

// pressureTypes are the pressure conditions, in statusInputs.pressure's
// order.
var pressureTypes = [3]corev1.NodeConditionType{corev1.NodeMemoryPressure, corev1.NodeDiskPressure, corev1.NodePIDPressure}

// inputs reads the sync's inputs for the stored node orig.
func (ns *nodeStatusState) inputs(orig *corev1.Node) statusInputs {
	in := statusInputs{orig: orig, readyErrors: ns.readyErrors(), lastUnschedulable: ns.lastUnschedulable}
	for i, t := range pressureTypes {
		if f := ns.pressure[t]; f != nil {
			in.pressure[i] = f()
		}
	}
	return in
}

func (a statusInputs) equal(b statusInputs) bool {
	return a.orig == b.orig && a.pressure == b.pressure && a.lastUnschedulable == b.lastUnschedulable &&
		slices.Equal(a.readyErrors, b.readyErrors)
}

// setPressureSource registers the function that says whether the node is
// under a pressure: t is corev1.NodeMemoryPressure, NodeDiskPressure or
// NodePIDPressure. The condition's setter asks it at every node status
// sync (every 10 s), as nodestatus.MemoryPressureCondition asks
// evictionManager.IsUnderMemoryPressure.
func (k *Kubelet) setPressureSource(t corev1.NodeConditionType, underPressure func() bool) {
	k.nodeStatus.pressure[t] = underPressure
}

// defaultNodeStatusSetters are the setters in the order of upstream's
// defaultNodeStatusFuncs (kubelet_node_status.go): the node's own facts
// first, then the pressure conditions, Ready last (it must be the last
// condition, issue #16961), then the schedulable event.
func (k *Kubelet) defaultNodeStatusSetters() []nodeStatusSetter {
	return []nodeStatusSetter{
		k.setNodeAddresses,
		k.setMachineInfo,
		k.pressureCondition(corev1.NodeMemoryPressure),
		k.pressureCondition(corev1.NodeDiskPressure),
		k.pressureCondition(corev1.NodePIDPressure),
		k.setReadyCondition,
		k.recordNodeSchedulableEvent,
	}
}

// setNodeStatus runs every setter on n (kubelet_node_status.go setNodeStatus).
func (k *Kubelet) setNodeStatus(n *corev1.Node) {
	now := metav1.NewTime(k.wall(k.eng.Now()).Truncate(time.Second))
	for _, set := range k.nodeStatus.setters {
		set(now, n)
	}
}

// setNodeAddresses reports the node's InternalIP and Hostname unless its
// manifest gives addresses (nodestatus.NodeAddress).
func (k *Kubelet) setNodeAddresses(_ metav1.Time, n *corev1.Node) {
	if len(n.Status.Addresses) == 0 {
		n.Status.Addresses = []corev1.NodeAddress{
			{Type: corev1.NodeInternalIP, Address: fmt.Sprintf("192.168.49.%d", k.index+2)},
			{Type: corev1.NodeHostName, Address: n.Name},
		}
	}
}

// setMachineInfo reports capacity and allocatable (nodestatus.MachineInfo):
// the manifest's capacity, else the default machine; allocatable, unless
// the manifest gives it, capacity minus the reservations and the hard
// eviction thresholds (resources.go).
func (k *Kubelet) setMachineInfo(_ metav1.Time, n *corev1.Node) {
	if len(n.Status.Capacity) == 0 {
		n.Status.Capacity = defaultNodeCapacity()
	}
	if len(n.Status.Allocatable) == 0 {
		n.Status.Allocatable = k.allocatable(n.Status.Capacity) // resources.go
	}
}

// pressureWords are a pressure condition's reasons, messages and events
// (nodestatus.MemoryPressureCondition, DiskPressureCondition,
// PIDPressureCondition).
type pressureWords struct {
	trueReason, trueMessage, trueEvent    string
	falseReason, falseMessage, falseEvent string
}

var pressureConditions = map[corev1.NodeConditionType]pressureWords{
	corev1.NodeMemoryPressure: {
		"KubeletHasInsufficientMemory", "kubelet has insufficient memory available", "NodeHasInsufficientMemory",
		"KubeletHasSufficientMemory", "kubelet has sufficient memory available", "NodeHasSufficientMemory"},
	corev1.NodeDiskPressure: {
		"KubeletHasDiskPressure", "kubelet has disk pressure", "NodeHasDiskPressure",
		"KubeletHasNoDiskPressure", "kubelet has no disk pressure", "NodeHasNoDiskPressure"},
	corev1.NodePIDPressure: {
		"KubeletHasInsufficientPID", "kubelet has insufficient PID available", "NodeHasInsufficientPID",
		"KubeletHasSufficientPID", "kubelet has sufficient PID available", "NodeHasSufficientPID"},
}

// pressureCondition is the setter of one pressure condition: a new
// condition starts Unknown, so its first status is a transition; every
// sync moves its heartbeat.
func (k *Kubelet) pressureCondition(t corev1.NodeConditionType) nodeStatusSetter {
	words := pressureConditions[t]
	return func(now metav1.Time, n *corev1.Node) {
		cond := podutil.FindNodeCondition(n.Status.Conditions, t)
		if cond == nil {
			n.Status.Conditions = append(n.Status.Conditions, corev1.NodeCondition{Type: t, Status: corev1.ConditionUnknown})
			cond = &n.Status.Conditions[len(n.Status.Conditions)-1]
		}
		cond.LastHeartbeatTime = now
		under := false
		if f := k.nodeStatus.pressure[t]; f != nil {
			under = f()
		}
		switch {
		case under && cond.Status != corev1.ConditionTrue:
			cond.Status, cond.Reason, cond.Message, cond.LastTransitionTime = corev1.ConditionTrue, words.trueReason, words.trueMessage, now
			k.recordNodeStatusEvent(corev1.EventTypeNormal, words.trueEvent)
		case !under && cond.Status != corev1.ConditionFalse:
			cond.Status, cond.Reason, cond.Message, cond.LastTransitionTime = corev1.ConditionFalse, words.falseReason, words.falseMessage, now
			k.recordNodeStatusEvent(corev1.EventTypeNormal, words.falseEvent)
		}
	}
}

// setReadyCondition is nodestatus.ReadyCondition: True with KubeletReady
// unless the runtime, network or storage report errors, then False with
// KubeletNotReady and the errors as the message. The transition time
// moves only when the status changes, with a NodeReady or NodeNotReady
// event; a new condition (at registration) gets none.
func (k *Kubelet) setReadyCondition(now metav1.Time, n *corev1.Node) {
	next := corev1.NodeCondition{
		Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady",
		Message: "kubelet is posting ready status", LastHeartbeatTime: now,
	}
	if errs := k.nodeStatus.readyErrors(); len(errs) > 0 {
		next.Status, next.Reason, next.Message = corev1.ConditionFalse, "KubeletNotReady", aggregateMessage(errs)
	}
	cond := podutil.FindNodeCondition(n.Status.Conditions, corev1.NodeReady)
	if cond == nil {
		next.LastTransitionTime = now
		n.Status.Conditions = append(n.Status.Conditions, next)
		return
	}
	next.LastTransitionTime = cond.LastTransitionTime
	changed := cond.Status != next.Status
	if changed {
		next.LastTransitionTime = now
	}
	*cond = next
	if changed {
		if next.Status == corev1.ConditionTrue {
			k.recordNodeStatusEvent(corev1.EventTypeNormal, "NodeReady")
		} else {
			k.recordNodeStatusEvent(corev1.EventTypeNormal, "NodeNotReady")
		}
	}
}

// readyErrors are what keeps the node from being Ready: the runtime's,
// the network's and storage's errors (runtime.go runtimeErrors,
// networkErrors, storageErrors), in that order. Of these podsim models the
// runtime being down (node_faults.go). podsim's machine always reports its
// capacity, so the "missing node capacity" error cannot arise.
func (k *Kubelet) readyErrors() []string { return k.runtimeErrors() }

// aggregateMessage is the message of utilerrors.NewAggregate: one error as
// it is, several de-duplicated inside brackets, joined by ", ".
func aggregateMessage(errs []string) string {
	var seen []string
	for _, e := range errs {
		if !slices.Contains(seen, e) {
			seen = append(seen, e)
		}
	}
	if len(seen) == 1 {
		return seen[0]
	}
	return "[" + strings.Join(seen, ", ") + "]"
}

// recordNodeSchedulableEvent reports a change of spec.unschedulable
// (kubelet_node_status.go recordNodeSchedulableEvent).
func (k *Kubelet) recordNodeSchedulableEvent(_ metav1.Time, n *corev1.Node) {
	if k.nodeStatus.lastUnschedulable == n.Spec.Unschedulable {
		return
	}
	if n.Spec.Unschedulable {
		k.recordNodeStatusEvent(corev1.EventTypeNormal, "NodeNotSchedulable")
	} else {
		k.recordNodeStatusEvent(corev1.EventTypeNormal, "NodeSchedulable")
	}
	k.nodeStatus.lastUnschedulable = n.Spec.Unschedulable
}

// nodeRef is the kubelet's reference to its node in events: its UID is the
// node's name (cmd/kubelet/app/server.go makes it so).
func (k *Kubelet) nodeRef() corev1.ObjectReference {
	return corev1.ObjectReference{Kind: "Node", Name: k.name, UID: types.UID(k.name)}
}

// recordNodeStatusEvent is kubelet.recordNodeStatusEvent.
func (k *Kubelet) recordNodeStatusEvent(eventType, event string) {
	k.rec.Event(k.nodeRef(), eventType, event, fmt.Sprintf("Node %s status is now: %s", k.name, event))
}

// startNodeStatus starts the node status loop: a sync now, then one every
// nodeStatusUpdateFrequency plus up to 4 % jitter. Its jitter is a stream
// of its own, apart from the Lease's, as the two loops are apart in the
// kubelet: neither's draws move the other's times.
func (k *Kubelet) startNodeStatus() {
	ns := &k.nodeStatus
	ns.jitter = k.eng.Stream("kubelet/" + k.name + "/syncNodeStatus")
	ns.statusTimer = k.eng.NewTimer(engine.PriorityNormal, func() {
		k.unlessHalted(k.syncNodeStatus)
		k.nextNodeStatusTick()
		k.parkNodeStatusIfIdle()
	})
	k.syncNodeStatus()
	k.nextNodeStatusTick()
	// A client that can tell of the node's writes wakes the loop itself
	// (node_status_elision.go); the Cluster's link to the API server
	// cannot, and the Cluster tells NodeStatusInputsChanged instead.
	if o, ok := k.api.(interface {
		ObserveNodes(fn func(old, cur *corev1.Node))
	}); ok {
		o.ObserveNodes(func(old, cur *corev1.Node) {
			if (cur != nil && cur.Name == k.name) || (old != nil && old.Name == k.name) {
				k.NodeStatusInputsChanged()
			}
		})
	}
}

// jittered is wait.Jitter(d, 0.04): d plus up to 4 % of it, drawn from r.
func jittered(r *rand.Rand, d time.Duration) time.Duration {
	return d + time.Duration(r.Float64()*heartbeatJitterFactor*float64(d))
}

// syncNodeStatus is tryUpdateNodeStatus: the setters run on a copy of the
// node as the API holds it, and the status is posted if anything but the
// heartbeat times changed, or if the last post is nodeStatusReportFrequency
// old (the report that keeps the heartbeats fresh without a Lease reader).
//
// A sync whose inputs (statusInputs) are those of the last sync that found
// nothing to post finds nothing again: the setters are pure in them but
// for the heartbeat times, and fire their events only on a change. So,
// unless the report is due, it stops there, without running them — the
// 10 s loop of an idle node costs a few reads. Config.NoElision runs them
// every time, so that the both-ways tests compare the two.
func (k *Kubelet) syncNodeStatus() {
	ns := &k.nodeStatus
	orig := k.api.Node(k.name)
	if orig == nil {
		return
	}
	now := k.eng.Now()
	due := !ns.reported || now-ns.lastReport >= nodeStatusReportFrequency
	in := ns.inputs(orig)
	if !due && ns.valid && !k.cfg.NoElision && in.equal(ns.unchanged) {
		return
	}
	ns.valid = false
	n := ns.scratchCopy(orig)
	labelsMissing := ensureRequiredLabels(n)
	k.setNodeStatus(n)
	changed := labelsMissing || nodeStatusHasChanged(&orig.Status, &n.Status)
	if !changed && !due {
		ns.unchanged, ns.valid = in, ns.lastUnschedulable == in.lastUnschedulable
		return
	}
	cause := "node status changed"
	if !changed {
		cause = "node status report"
	}
	// A PATCH of nodes/status: the kubelet's status and labels, never the
	// spec (component-helpers node/util PatchNodeStatus).
	if ns.actor == "" {
		ns.actor = "kubelet/" + k.name
	}
	status := n.Status
	status.Conditions = slices.Clone(n.Status.Conditions) // the scratch copy's are reused
	k.api.UpdateNodeStatus(k.name, ns.actor, cause, status, n.Labels)
	k.nodeStatus.lastReport, k.nodeStatus.reported = now, true
}

// scratchCopy is the copy of the stored node the setters work on, reused
// from one sync to the next: its conditions are its own, everything else
// is shared with the stored object, which must never be modified. So a
// setter may change conditions in place and replace any other field, but
// must not modify a map or slice it did not make (ensureRequiredLabels
// clones the labels before it adds one). A sync that changes nothing then
// allocates nothing.
func (ns *nodeStatusState) scratchCopy(orig *corev1.Node) *corev1.Node {
	ns.scratch = *orig
	ns.scratch.Status.Conditions = append(ns.conditions[:0], orig.Status.Conditions...)
	ns.conditions = ns.scratch.Status.Conditions
	return &ns.scratch
}

// ensureRequiredLabels puts back the OS and architecture labels if they
// are missing (kubelet_node_status.go updateNode); it reports whether it
// had to.
func ensureRequiredLabels(n *corev1.Node) bool {
	missing := false
	for _, l := range [][2]string{{corev1.LabelOSStable, nodeOS}, {corev1.LabelArchStable, nodeArch}} {
		k, v := l[0], l[1]
		if n.Labels[k] != v {
			if !missing {
				n.Labels = maps.Clone(n.Labels)
				if n.Labels == nil {
					n.Labels = map[string]string{}
				}
			}
			n.Labels[k] = v
			missing = true
		}
	}
	return missing
}

// nodeStatusHasChanged compares two node statuses ignoring the conditions'
// heartbeat times (kubelet_node_status.go nodeStatusHasChanged). The
// fields the kubelet's setters write are compared by hand, the rest
// semantically: this runs every 10 s on every node.
func nodeStatusHasChanged(orig, cur *corev1.NodeStatus) bool {
	if orig == nil || cur == nil {
		return orig != cur
	}
	if nodeConditionsHaveChanged(orig.Conditions, cur.Conditions) ||
		!resourceListEqual(orig.Capacity, cur.Capacity) || !resourceListEqual(orig.Allocatable, cur.Allocatable) ||
		orig.Phase != cur.Phase || !slices.Equal(orig.Addresses, cur.Addresses) {
		return true
	}
	// The kubelet's setters never write the rest, so it is almost always
	// empty or shared: a semantic comparison (which allocates) only when
	// it is not.
	eq := apiequality.Semantic.DeepEqual
	return orig.DaemonEndpoints != cur.DaemonEndpoints ||
		(orig.NodeInfo != cur.NodeInfo && !eq(&orig.NodeInfo, &cur.NodeInfo)) ||
		(len(orig.Images)+len(cur.Images) > 0 && !eq(orig.Images, cur.Images)) ||
		!slices.Equal(orig.VolumesInUse, cur.VolumesInUse) ||
		(len(orig.VolumesAttached)+len(cur.VolumesAttached) > 0 && !eq(orig.VolumesAttached, cur.VolumesAttached)) ||
		(orig.Config != cur.Config && !eq(orig.Config, cur.Config)) ||
		(len(orig.RuntimeHandlers)+len(cur.RuntimeHandlers) > 0 && !eq(orig.RuntimeHandlers, cur.RuntimeHandlers)) ||
		(orig.Features != cur.Features && !eq(orig.Features, cur.Features)) ||
		!slices.Equal(orig.DeclaredFeatures, cur.DeclaredFeatures)
}

// nodeConditionsHaveChanged compares conditions by type, ignoring their
// order and heartbeat times (kubelet_node_status.go
// nodeConditionsHaveChanged).
func nodeConditionsHaveChanged(orig, cur []corev1.NodeCondition) bool {
	if len(orig) != len(cur) {
		return true
	}
	for i := range cur {
		c := &cur[i]
		o := podutil.FindNodeCondition(orig, c.Type)
		if o == nil || o.Status != c.Status || o.Reason != c.Reason || o.Message != c.Message ||
			!o.LastTransitionTime.Equal(&c.LastTransitionTime) {
			return true
		}
	}
	return false
}

// resourceListEqual compares quantities by value, as semantic equality does.
func resourceListEqual(a, b corev1.ResourceList) bool {
	if len(a) != len(b) {
		return false
	}
	for name, qa := range a {
		qb, ok := b[name]
		if !ok || qa.Cmp(qb) != 0 {
			return false
		}
	}
	return true
}
