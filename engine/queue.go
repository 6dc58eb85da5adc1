package engine

import "time"

// item is one scheduled firing of a Timer. Items are small values kept in a
// slice-backed heap, so scheduling allocates nothing once the slice has
// grown to its working size.
type item struct {
	at time.Duration
	// when packs the priority (top byte, offset so that it compares
	// unsigned) above the virtual time at which the item was armed: two
	// words order two items, time then priority then arming time.
	when uint64
	// seq is the sequence number of the arming, or a ranked timer's rank.
	seq   uint64
	timer *Timer
}

// timeBits is how many bits of when the arming time has: 2⁵⁶ ns is 2.28
// years of virtual time; later armings compare as armed then.
const timeBits = 56

func packWhen(prio Priority, armedAt time.Duration) uint64 {
	t := uint64(max(armedAt, 0))
	if t >= 1<<timeBits {
		t = 1<<timeBits - 1
	}
	return uint64(uint8(int16(prio)+128))<<timeBits | t
}

// before is the queue's total order: time, then priority, then the time of
// arming, then the sequence number. For an ordinary arming the time of
// arming is now and the sequence number grows with it, so the order is
// (time, priority, sequence): events at one instant run in the order they
// were scheduled. Sequence numbers (and ranks, drawn from the same
// counter) are unique, so no two live items compare equal and the order
// never depends on heap internals.
func (a *item) before(b *item) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	if a.when != b.when {
		return a.when < b.when
	}
	return a.seq < b.seq
}

// queue is a 4-ary min-heap of items, written out for the concrete type:
// container/heap would cost an interface call per comparison. Four
// children per node halve the heap's depth against a binary heap, and the
// four 32-byte items fill two cache lines, so a sift-down at 100,000 pending
// misses the cache about half as often.
type queue struct {
	items []item
	// hole: items[0] was removed (removeTop) and not yet replaced. The next
	// push fills it; any other operation first closes it as a pop would.
	hole bool
}

const arity = 4

// minShrink is the capacity under which the queue's slice never shrinks.
const minShrink = 1024

func (q *queue) len() int {
	if q.hole {
		return len(q.items) - 1
	}
	return len(q.items)
}

func (q *queue) push(it item) {
	if q.hole {
		q.hole = false
		q.down(0, it)
		return
	}
	q.items = append(q.items, it)
	q.up(len(q.items)-1, it)
}

// top returns the earliest item; the queue must not be empty.
func (q *queue) top() *item {
	q.closeHole()
	return &q.items[0]
}

// removeTop removes the earliest item, leaving a hole for the next push.
func (q *queue) removeTop() {
	q.closeHole()
	q.hole = true
}

// closeHole removes the hole as pop would have removed the item.
func (q *queue) closeHole() {
	if q.hole {
		q.hole = false
		q.pop()
	}
}

func (q *queue) pop() item {
	q.closeHole()
	n := len(q.items) - 1
	it := q.items[0]
	last := q.items[n]
	q.items[n] = item{} // drop the *Timer so it can be collected
	q.items = q.items[:n]
	if c := cap(q.items); c > minShrink && n < c/4 {
		// A burst (a whole cluster's pods created at once) is over: give
		// back the slice it grew, keeping room to double, so that a settled
		// run does not hold the burst's queue for good.
		q.items = append(make([]item, 0, c/2), q.items...)
	}
	if n > 0 {
		q.down(0, last)
	}
	return it
}

// up moves the hole at i towards the root until it is the place of it.
func (q *queue) up(i int, it item) {
	items := q.items
	for i > 0 {
		parent := (i - 1) / arity
		if !it.before(&items[parent]) {
			break
		}
		items[i] = items[parent]
		i = parent
	}
	items[i] = it
}

// down moves the hole at i towards the leaves until it is the place of it.
func (q *queue) down(i int, it item) {
	items := q.items
	n := len(items)
	for {
		first := arity*i + 1
		var least int
		if first+arity <= n {
			// Four children, the usual case: the least of each pair, then
			// of the two (no loop to run, no bounds to check). Items are
			// distinct, so any order of comparing finds the same least.
			ch := (*[arity]item)(items[first : first+arity])
			a, b := &ch[0], &ch[2]
			la, lb := first, first+2
			if ch[1].before(a) {
				a, la = &ch[1], first+1
			}
			if ch[3].before(b) {
				b, lb = &ch[3], first+3
			}
			least = la
			if b.before(a) {
				least = lb
			}
		} else {
			if first >= n {
				break
			}
			least = first
			for c := first + 1; c < n; c++ {
				if items[c].before(&items[least]) {
					least = c
				}
			}
		}
		if !items[least].before(&it) {
			break
		}
		items[i] = items[least]
		i = least
	}
	items[i] = it
}
