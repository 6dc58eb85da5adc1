package nodelifecycle

import (
	"slices"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/internal/podutil"
)

// A health pass that looks only where it can find something.
//
// Every 5 s the health pass looks at every node, and for a healthy node —
// Ready, no NoExecute taint, not queued for one, its zone known, its
// heartbeat fresh — it finds nothing to do but note the Lease its kubelet
// renewed (the probe timestamp moves to the pass that saw it). So with
// elision a pass looks only at the nodes that are not so quiet ("loud"),
// the nodes whose object was written since the last pass, and the nodes
// whose heartbeat may have gone stale; it counts the quiet nodes' Ready
// conditions into the zone states without looking at them. A Lease
// renewal is noted when it is written, as seen by the pass that would
// read it — the next to run, the one the monitor timer is armed for — and
// applied to the node's health when a later pass, or a write, needs it.
// When each quiet node's heartbeat would go stale is kept in a heap, so
// that a pass finds them without looking at the rest. The result is the
// pass over every node, exactly (TestElisionMatchesTickingInTheControlPlane,
// package sim, compares the two). Config.NoElision turns it off.

// lazyHealth is what the lazy pass keeps.
type lazyHealth struct {
	dirty map[string]bool // nodes written, registered or deleted since the last pass
	loud  map[string]bool // listed nodes that are not quiet (see quiet)
	// nodes is what a Lease renewal needs of its node, in one place: the
	// renewal is the commonest write of a cluster. pending is, for each
	// node, the last Lease written and the pass
	// that reads it, not yet applied to the node's health.
	nodes map[string]*lazyNode
	// zones counts the Ready conditions of each zone's nodes as the pass
	// over every node would: each node's part as its last pass left it.
	zones zoneCounts
	part  map[string]zonePart
	// order is each node's place in the order of registration, as
	// NodeNames lists them.
	order map[string]uint64
	seq   uint64
	stale staleHeap
	gen   map[string]uint64 // each node's current entry in stale

	// parked: the passes before the one the monitor is armed for are
	// skipped (lazy_park.go); parkedNext is the first of them.
	parked     bool
	parkedNext time.Duration

	// zonesChanged: the zone counts or the zones known changed since the
	// last handleDisruption, which, given what it was given last time,
	// changes nothing.
	zonesChanged bool

	// look, start, listed and gone are a pass's, reused.
	look   map[string]bool
	start  map[string]*corev1.Node
	listed []*corev1.Node
	gone   []string
}

// lazyNode is a node as a Lease renewal needs it: whether it is listed,
// its health (c.health's, mirrored), its pending Lease.
type lazyNode struct {
	listed     bool
	h          *nodeHealth
	pending    pendingLease
	hasPending bool
}

// node is the node's entry, made if need be.
func (lz *lazyHealth) node(name string) *lazyNode {
	n := lz.nodes[name]
	if n == nil {
		n = &lazyNode{}
		lz.nodes[name] = n
	}
	return n
}

// pendingOf is the node's pending Lease, if any.
func (lz *lazyHealth) pendingOf(name string) (pendingLease, bool) {
	if n := lz.nodes[name]; n != nil && n.hasPending {
		return n.pending, true
	}
	return pendingLease{}, false
}

func (lz *lazyHealth) setPending(name string, p pendingLease) {
	n := lz.node(name)
	n.pending, n.hasPending = p, true
}

func (lz *lazyHealth) dropPending(name string) {
	if n := lz.nodes[name]; n != nil {
		n.pending, n.hasPending = pendingLease{}, false
	}
}

type pendingLease struct {
	lease *coordinationv1.Lease
	at    time.Duration
}

// zonePart is one node's part in the zone counts.
type zonePart struct {
	zone  string
	ready bool
}

// startLazy sets up the lazy pass and the store observers it needs.
func (c *Controller) startLazy(api Client) {
	c.lazy = &lazyHealth{dirty: map[string]bool{}, loud: map[string]bool{}, nodes: map[string]*lazyNode{},
		zones: zoneCounts{}, part: map[string]zonePart{}, order: map[string]uint64{}, gen: map[string]uint64{},
		look: map[string]bool{}, start: map[string]*corev1.Node{}, zonesChanged: true}
	for _, name := range api.NodeNames() { // registered before the controller started
		c.lazy.node(name).listed = true
		c.lazy.seq++
		c.lazy.order[name] = c.lazy.seq
		c.lazy.dirty[name] = true
	}
	api.ObserveNodes(c.observeNode)
	api.ObserveLeases(c.observeLease)
}

// observeNode marks a node written, registered or deleted.
func (c *Controller) observeNode(old, cur *corev1.Node) {
	lz := c.lazy
	switch {
	case old == nil && cur != nil:
		lz.seq++
		lz.order[cur.Name] = lz.seq
		lz.dirty[cur.Name] = true
		lz.node(cur.Name).listed = true
	case cur == nil && old != nil:
		lz.dirty[old.Name] = true
		// The node's pending Lease was read if its pass has run.
		if p, ok := lz.pendingOf(old.Name); ok {
			if next, ok := c.nextPass(); ok && p.at < next {
				c.applyLease(old.Name, p)
			}
			lz.dropPending(old.Name)
		}
		lz.node(old.Name).listed = false
	default:
		lz.dirty[cur.Name] = true
	}
	c.wakeMonitor()
}

// observeLease notes a Lease written for a node the pass knows: the next
// pass to run reads it. A Lease noted before, whose pass has run since,
// was read by it.
func (c *Controller) observeLease(l *coordinationv1.Lease) {
	lz := c.lazy
	if l.Namespace != corev1.NamespaceNodeLease {
		return
	}
	n := lz.nodes[l.Name]
	if n == nil || !n.listed || n.h == nil {
		return // the pass reads it when it looks at the node
	}
	at, ok := c.nextPass()
	if !ok {
		return
	}
	if n.hasPending && n.pending.at < at {
		applyLeaseTo(n.h, n.pending)
	}
	n.pending, n.hasPending = pendingLease{lease: l, at: at}, true
}

// applyLease is what the pass at p.at did with the Lease it read
// (tryUpdateNodeHealth): a Lease renewed after the one last seen moves
// the probe timestamp to that pass.
func (c *Controller) applyLease(name string, p pendingLease) {
	if h := c.health[name]; h != nil {
		applyLeaseTo(h, p)
	}
}

func applyLeaseTo(h *nodeHealth, p pendingLease) {
	if h.lease == nil || renewedAfter(p.lease, h.lease) {
		h.lease = p.lease
		h.probe = p.at
	}
}

// applyPendingBefore applies the node's pending Lease if the pass that
// reads it ran before now, and forgets it: one read now is this pass's,
// which reads the stored Lease itself.
func (c *Controller) applyPendingBefore(name string, now time.Duration) {
	if p, ok := c.lazy.pendingOf(name); ok {
		if p.at < now {
			c.applyLease(name, p)
		}
		c.lazy.dropPending(name)
	}
}

// monitorLazily is the health pass with elision: the pass over every node,
// done only for the nodes where it can find something.
func (c *Controller) monitorLazily() {
	lz := c.lazy
	now := c.eng.Now()
	look := lz.look
	clear(look)
	for n := range lz.dirty {
		look[n] = true
	}
	for n := range lz.loud {
		look[n] = true
	}
	c.staleNodes(now, look)
	clear(lz.dirty)

	// The listed nodes looked at, in the order of registration, as they
	// are at the start of the pass; the known nodes no longer listed.
	nodes, gone := lz.listed[:0], lz.gone[:0]
	for name := range look {
		if n := c.api.Node(name); n != nil {
			nodes = append(nodes, n)
		} else if _, ok := c.known[name]; ok {
			gone = append(gone, name)
		}
	}
	slices.SortFunc(nodes, func(a, b *corev1.Node) int { return int(lz.order[a.Name]) - int(lz.order[b.Name]) })
	slices.Sort(gone)
	start := lz.start
	clear(start)
	for _, n := range nodes {
		start[n.Name] = n
	}

	c.registerNodes(nodes)
	for _, name := range gone {
		c.removeNode(name)
	}
	for name := range look {
		if start[name] == nil {
			c.setPart(name, zonePart{}, false)
			delete(lz.loud, name)
		}
	}
	for _, node := range nodes {
		c.applyPendingBefore(node.Name, now)
		z, ready, ok := c.monitorNode(node)
		c.setPart(node.Name, zonePart{zone: z, ready: ready}, ok)
	}
	if lz.zonesChanged {
		lz.zonesChanged = false
		c.handleDisruption(lz.zones, func() []*corev1.Node { return c.allNodes(start) })
	}
	for _, node := range nodes {
		c.afterPass(node.Name, now)
	}
	clear(nodes)
	lz.listed, lz.gone = nodes, gone
}

// allNodes lists every node as the pass over every node does, for the
// rare step that acts on all of them (handleDisruption): those the pass
// looked at as they were at its start, the rest as they are (the pass did
// not write them); their pending Leases are applied first, the pass over
// every node having read them.
func (c *Controller) allNodes(start map[string]*corev1.Node) []*corev1.Node {
	now := c.eng.Now()
	var out []*corev1.Node
	for _, name := range c.api.NodeNames() {
		n := start[name]
		if n == nil {
			if n = c.api.Node(name); n == nil {
				continue
			}
			if p, ok := c.lazy.pendingOf(name); ok && p.at <= now {
				c.applyLease(name, p)
				c.lazy.dropPending(name)
			}
		}
		out = append(out, n)
		c.lazy.dirty[name] = true // its health may change here: looked at again next pass
	}
	return out
}

// setPart records a node's part in the zone counts (none when !ok).
func (c *Controller) setPart(name string, p zonePart, ok bool) {
	lz := c.lazy
	old, had := lz.part[name]
	if had == ok && old == p {
		return
	}
	lz.zonesChanged = true
	if had {
		lz.zones.add(old.zone, old.ready, -1)
		delete(lz.part, name)
	}
	if ok {
		lz.part[name] = p
		lz.zones.add(p.zone, p.ready, 1)
	}
}

// afterPass decides whether the next pass must look at the node again
// (it is loud), and if not when its heartbeat would go stale. A node's
// health replaced by this pass lost its Lease (tryUpdateNodeHealth keeps
// none then): the next pass reads the stored one again.
func (c *Controller) afterPass(name string, now time.Duration) {
	lz := c.lazy
	node, h := c.api.Node(name), c.health[name]
	if node == nil || h == nil {
		delete(lz.loud, name)
		return
	}
	if l := c.api.Lease(types.NamespacedName{Namespace: corev1.NamespaceNodeLease, Name: name}); l != nil && l != h.lease {
		lz.setPending(name, pendingLease{lease: l, at: now + MonitorPeriod})
	}
	if !c.quiet(node, h) {
		lz.loud[name] = true
		return
	}
	delete(lz.loud, name)
	c.pushStale(name)
}

// quiet says that a pass over the node finds nothing to do while the node
// is not written and its heartbeat is fresh: it is known, its zone too,
// not excluded from the zone states, Ready as the controller last saw it
// and as it is stored, without a NoExecute taint of the controller's, not
// queued for one, not to be retried.
func (c *Controller) quiet(node *corev1.Node, h *nodeHealth) bool {
	if _, ok := c.known[node.Name]; !ok {
		return false
	}
	z := zoneKey(node)
	if _, ok := c.zoneStates[z]; !ok {
		return false
	}
	if _, excluded := node.Labels[labelNodeDisruptionExclusion]; excluded {
		return false
	}
	cur := podutil.FindNodeCondition(node.Status.Conditions, corev1.NodeReady)
	if cur == nil || cur.Status != corev1.ConditionTrue || h.ready == nil || h.ready.Status != corev1.ConditionTrue {
		return false
	}
	if taintExists(node.Spec.Taints, unreachableNoExecute) || taintExists(node.Spec.Taints, notReadyNoExecute) {
		return false
	}
	if q := c.tainters[z]; q != nil && q.set[node.Name] {
		return false
	}
	return !c.retry[node.Name]
}

// staleAfter is the last probe timestamp the node's heartbeat is fresh
// for: its probe timestamp, moved by a pending Lease, plus the grace
// period. A pass after it finds the heartbeat stale.
func (c *Controller) staleAfter(name string) time.Duration {
	h := c.health[name]
	probe := h.probe
	if p, ok := c.lazy.pendingOf(name); ok && (h.lease == nil || renewedAfter(p.lease, h.lease)) {
		probe = max(probe, p.at)
	}
	return probe + c.grace
}

// pushStale keeps the time after which the quiet node's heartbeat goes
// stale, replacing the one kept before.
func (c *Controller) pushStale(name string) {
	lz := c.lazy
	lz.gen[name]++
	lz.stale.push(staleEntry{after: c.staleAfter(name), name: name, gen: lz.gen[name]})
}

// staleNodes adds to look the quiet nodes whose heartbeat the pass at now
// finds stale; the others' entries are kept, moved on to their Leases.
func (c *Controller) staleNodes(now time.Duration, look map[string]bool) {
	lz := c.lazy
	for len(lz.stale) > 0 && lz.stale[0].after < now {
		e := lz.stale.pop()
		if e.gen != lz.gen[e.name] || lz.loud[e.name] || c.health[e.name] == nil {
			continue // replaced, or looked at anyway
		}
		if c.staleAfter(e.name) < now {
			look[e.name] = true
			delete(lz.gen, e.name)
			continue
		}
		c.pushStale(e.name)
	}
}

// staleEntry is when a quiet node's heartbeat goes stale.
type staleEntry struct {
	after time.Duration
	name  string
	gen   uint64
}

// staleHeap is a binary min-heap of entries by time, then name, written
// out for the type (container/heap would box every entry it is given).
type staleHeap []staleEntry

func (e staleEntry) before(o staleEntry) bool {
	if e.after != o.after {
		return e.after < o.after
	}
	return e.name < o.name
}

func (h *staleHeap) push(e staleEntry) {
	*h = append(*h, e)
	s := *h
	for i := len(s) - 1; i > 0; {
		up := (i - 1) / 2
		if !s[i].before(s[up]) {
			break
		}
		s[i], s[up] = s[up], s[i]
		i = up
	}
}

func (h *staleHeap) pop() staleEntry {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s) && s[l].before(s[m]) {
			m = l
		}
		if r < len(s) && s[r].before(s[m]) {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}
