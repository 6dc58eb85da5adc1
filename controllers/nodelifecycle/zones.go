package nodelifecycle

import (
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/internal/podutil"
)

// zoneState is a zone's health (node_lifecycle_controller.go ZoneState).
type zoneState string

const (
	stateInitial           zoneState = "Initial"
	stateNormal            zoneState = "Normal"
	stateFullDisruption    zoneState = "FullDisruption"
	statePartialDisruption zoneState = "PartialDisruption"
)

// zoneKey is k8s.io/component-helpers/node/topology GetZoneKey: region and
// zone joined by ":\x00:", "" for a node with neither label.
func zoneKey(n *corev1.Node) string {
	region := n.Labels[corev1.LabelTopologyRegion]
	if region == "" {
		region = n.Labels[corev1.LabelFailureDomainBetaRegion]
	}
	zone := n.Labels[corev1.LabelTopologyZone]
	if zone == "" {
		zone = n.Labels[corev1.LabelFailureDomainBetaZone]
	}
	if region == "" && zone == "" {
		return ""
	}
	return region + ":\x00:" + zone
}

// addZone is addPodEvictorForNewZone: a new zone starts Initial with a
// NoExecute queue at the eviction rate.
func (c *Controller) addZone(n *corev1.Node) {
	z := zoneKey(n)
	if _, ok := c.zoneStates[z]; ok {
		return
	}
	c.zoneStates[z] = stateInitial
	c.tainters[z] = newTimedQueue(evictionRate, c.eng.Now())
	if c.lazy != nil {
		c.lazy.zonesChanged = true
	}
}

// zoneCounts are the Ready conditions of each zone's nodes, as
// ComputeZoneState counts them: True, and anything else (not True, or
// none).
type zoneCounts map[string]zoneCount

type zoneCount struct{ ready, notReady int }

// add counts d more (or, negative, fewer) nodes of zone z.
func (zc zoneCounts) add(z string, ready bool, d int) {
	n := zc[z]
	if ready {
		n.ready += d
	} else {
		n.notReady += d
	}
	if n.ready == 0 && n.notReady == 0 {
		delete(zc, z)
		return
	}
	zc[z] = n
}

// computeZoneState is ComputeZoneState.
func computeZoneState(n zoneCount) zoneState {
	ready, notReady := n.ready, n.notReady
	switch {
	case ready == 0 && notReady > 0:
		return stateFullDisruption
	case notReady > 2 && float32(notReady)/float32(notReady+ready) >= unhealthyZoneThreshold:
		return statePartialDisruption
	default:
		return stateNormal
	}
}

// handleDisruption updates the zone states and their queues' rates; when
// every zone is fully disrupted it stops NoExecute tainting and removes the
// taints (the controller then blames its own network, not the nodes).
// nodes lists the pass's nodes, asked for only then.
func (c *Controller) handleDisruption(zoneConds zoneCounts, nodes func() []*corev1.Node) {
	now := c.eng.Now()
	newStates := map[string]zoneState{}
	allAreFull := true
	for _, z := range podutil.SortedKeys(zoneConds) {
		st := computeZoneState(zoneConds[z])
		if st != stateFullDisruption {
			allAreFull = false
		}
		newStates[z] = st
		if _, had := c.zoneStates[z]; !had {
			c.zoneStates[z] = stateInitial
		}
	}
	allWasFull := true
	for _, z := range podutil.SortedKeys(c.zoneStates) {
		if _, have := zoneConds[z]; !have {
			delete(c.zoneStates, z)
			continue
		}
		if c.zoneStates[z] != stateFullDisruption {
			allWasFull = false
		}
	}
	if allAreFull && allWasFull {
		return
	}
	zones := podutil.SortedKeys(c.zoneStates)
	switch {
	case allAreFull:
		for _, n := range nodes() {
			c.markNodeAsReachable(n)
		}
		for _, z := range zones {
			c.tainters[z].swapLimiter(0, now)
			c.zoneStates[z] = stateFullDisruption
		}
	case allWasFull:
		for _, n := range nodes() {
			if h := c.health[n.Name]; h != nil {
				h.probe, h.readyTransition = now, now
			}
		}
		for _, z := range zones {
			c.setLimiterInZone(z, zoneConds[z].ready+zoneConds[z].notReady, newStates[z])
			c.zoneStates[z] = newStates[z]
		}
	default:
		for _, z := range zones {
			if c.zoneStates[z] == newStates[z] {
				continue
			}
			c.setLimiterInZone(z, zoneConds[z].ready+zoneConds[z].notReady, newStates[z])
			c.zoneStates[z] = newStates[z]
		}
	}
}

// setLimiterInZone gives a zone's queue the rate of its state
// (HealthyQPSFunc, ReducedQPSFunc).
func (c *Controller) setLimiterInZone(z string, size int, st zoneState) {
	q := c.tainters[z]
	if q == nil {
		return
	}
	switch st {
	case stateNormal, stateFullDisruption:
		q.swapLimiter(evictionRate, c.eng.Now())
	case statePartialDisruption:
		qps := 0.0
		if size > largeClusterThreshold {
			qps = secondaryEvictionRate
		}
		q.swapLimiter(qps, c.eng.Now())
	}
}

// armNoExecute makes sure the NoExecute pass is ticking: every
// NoExecutePeriod, on the half period (so that a tick never shares an
// instant with a health pass), while a queue holds a node.
func (c *Controller) armNoExecute() {
	if c.noExecute.Armed() {
		return
	}
	now := c.eng.Now()
	at := now - now%NoExecutePeriod + NoExecutePeriod/2
	if at <= now {
		at += NoExecutePeriod
	}
	c.noExecute.Reset(at)
}

// doNoExecuteTaintingPass gives each queued node, as its zone's rate
// allows, the NoExecute taint of its Ready state, removing the other.
func (c *Controller) doNoExecuteTaintingPass() {
	now := c.eng.Now()
	busy := false
	for _, z := range podutil.SortedKeys(c.tainters) {
		q := c.tainters[z]
		q.try(now, func(name string) (bool, time.Duration) {
			node := c.api.Node(name)
			if node == nil {
				return true, 0
			}
			cond := podutil.FindNodeCondition(node.Status.Conditions, corev1.NodeReady)
			if cond == nil {
				return false, 50 * time.Millisecond
			}
			var add, opposite corev1.Taint
			switch cond.Status {
			case corev1.ConditionFalse:
				add, opposite = notReadyNoExecute, unreachableNoExecute
			case corev1.ConditionUnknown:
				add, opposite = unreachableNoExecute, notReadyNoExecute
			default:
				return true, 0 // Ready again: no taint needed
			}
			return c.swapTaints(node, []corev1.Taint{add}, []corev1.Taint{opposite}, "node Ready is "+string(cond.Status)), 0
		})
		busy = busy || len(q.items) > 0
	}
	if busy {
		c.noExecute.ResetAfter(NoExecutePeriod)
	}
}

// timedQueue is RateLimitedTimedQueue: nodes in the order they are due,
// a set that remembers a node after it was processed (until removed), and
// a token bucket.
type timedQueue struct {
	items   []timedValue
	set     map[string]bool
	limiter tokenBucket
}

type timedValue struct {
	name      string
	processAt time.Duration
}

func newTimedQueue(qps float64, now time.Duration) *timedQueue {
	return &timedQueue{set: map[string]bool{}, limiter: newTokenBucket(qps, now)}
}

// add queues a node not yet in the set; it reports whether it did.
func (q *timedQueue) add(name string, now time.Duration) bool {
	if q.set[name] {
		return false
	}
	q.set[name] = true
	q.insert(timedValue{name: name, processAt: now})
	return true
}

func (q *timedQueue) insert(v timedValue) {
	i, _ := slices.BinarySearchFunc(q.items, v, func(a, b timedValue) int {
		if a.processAt <= b.processAt {
			return -1
		}
		return 1
	})
	q.items = slices.Insert(q.items, i, v)
}

// remove takes a node out of the queue and the set; it reports whether it
// was in the set.
func (q *timedQueue) remove(name string) bool {
	was := q.set[name]
	delete(q.set, name)
	q.items = slices.DeleteFunc(q.items, func(v timedValue) bool { return v.name == name })
	return was
}

// try processes the due nodes at the head while the bucket has tokens; a
// failed one comes back after its wait (RateLimitedTimedQueue.Try).
func (q *timedQueue) try(now time.Duration, fn func(name string) (bool, time.Duration)) {
	for len(q.items) > 0 {
		if !q.limiter.tryAccept(now) {
			return
		}
		head := q.items[0]
		if now < head.processAt {
			return
		}
		q.items = q.items[1:]
		if ok, wait := fn(head.name); !ok {
			head.processAt = now + wait + 1
			q.insert(head)
		}
	}
}

// swapLimiter is SwapLimiter: a new bucket for a new rate (0: never), which
// starts empty when the old one was.
func (q *timedQueue) swapLimiter(qps float64, now time.Duration) {
	if q.limiter.qps == qps {
		return
	}
	next := newTokenBucket(qps, now)
	if qps > 0 && !q.limiter.tryAccept(now) {
		next.tryAccept(now)
	}
	q.limiter = next
}

// tokenBucket is flowcontrol's token bucket rate limiter with burst 1
// (EvictionRateLimiterBurst), full at the start; qps 0 never accepts.
type tokenBucket struct {
	qps    float64
	tokens float64
	last   time.Duration
}

func newTokenBucket(qps float64, now time.Duration) tokenBucket {
	return tokenBucket{qps: qps, tokens: 1, last: now}
}

func (b *tokenBucket) tryAccept(now time.Duration) bool {
	if b.qps <= 0 {
		return false
	}
	b.tokens = min(1, b.tokens+(now-b.last).Seconds()*b.qps)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true
	}
	return false
}
