package engine

import "time"

// item is one scheduled firing of a Timer. Items are small values kept in a
// slice-backed binary heap, so scheduling allocates nothing once the slice has
// grown to its working size.
type item struct {
	at    time.Duration
	prio  Priority
	gen   uint32
	seq   uint64
	timer *Timer
}

// before is the queue's total order: time, then priority, then the sequence
// number given at scheduling. Sequence numbers are unique, so no two items
// compare equal and the order never depends on heap internals.
func (a *item) before(b *item) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	if a.prio != b.prio {
		return a.prio < b.prio
	}
	return a.seq < b.seq
}

// queue is a binary min-heap of items, written out for the concrete type:
// container/heap would cost an interface call per comparison.
type queue struct {
	items []item
}

func (q *queue) len() int { return len(q.items) }

func (q *queue) push(it item) {
	q.items = append(q.items, it)
	q.up(len(q.items) - 1)
}

// top returns the earliest item; the queue must not be empty.
func (q *queue) top() *item { return &q.items[0] }

func (q *queue) pop() item {
	n := len(q.items) - 1
	it := q.items[0]
	q.items[0] = q.items[n]
	q.items[n] = item{} // drop the *Timer so it can be collected
	q.items = q.items[:n]
	if n > 0 {
		q.down(0)
	}
	return it
}

func (q *queue) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !q.items[i].before(&q.items[parent]) {
			return
		}
		q.items[i], q.items[parent] = q.items[parent], q.items[i]
		i = parent
	}
}

func (q *queue) down(i int) {
	n := len(q.items)
	for {
		left := 2*i + 1
		if left >= n {
			return
		}
		least := left
		if right := left + 1; right < n && q.items[right].before(&q.items[left]) {
			least = right
		}
		if !q.items[least].before(&q.items[i]) {
			return
		}
		q.items[i], q.items[least] = q.items[least], q.items[i]
		i = least
	}
}
