// Package workqueue is client-go's rate-limited delaying work queue
// (k8s.io/client-go/util/workqueue) on the simulation's engine, as the
// workload controllers use it: keys are added now or after a delay, a key
// added again before it is processed is processed once, a key waiting for
// a later time moves earlier when added sooner, and a key whose sync failed
// comes back after a per-key exponential back-off. Each processing is one
// engine event, so everything a sync does happens at one instant.
package workqueue

import (
	"time"

	"github.com/podsim/podsim/engine"
)

// Queue is one controller's queue of keys.
type Queue struct {
	eng  *engine.Engine
	sync func(key string) error

	dirty    map[string]bool
	waiting  map[string]time.Duration // the earliest time each delayed key is due
	failures map[string]int
	base     time.Duration
	max      time.Duration
}

// New returns a queue that calls sync for each key when it is due. Failed
// syncs come back after base·2^(failures-1), at most max
// (workqueue.NewTypedItemExponentialFailureRateLimiter; the default
// controller rate limiter starts at 5 ms and stops at 1000 s).
func New(eng *engine.Engine, base, max time.Duration, sync func(key string) error) *Queue {
	return &Queue{eng: eng, sync: sync, dirty: map[string]bool{}, waiting: map[string]time.Duration{}, failures: map[string]int{}, base: base, max: max}
}

// Default is the queue of most controllers: failures retried after 5 ms
// doubling to 1000 s (workqueue.DefaultTypedControllerRateLimiter's item
// limiter; its overall 10 qps bucket is not modelled).
func Default(eng *engine.Engine, sync func(key string) error) *Queue {
	return New(eng, 5*time.Millisecond, 1000*time.Second, sync)
}

// Add queues key now. A key already queued is not queued twice.
func (q *Queue) Add(key string) {
	if q.dirty[key] {
		return
	}
	q.dirty[key] = true
	q.eng.After(0, engine.PriorityNormal, func() { q.process(key) })
}

// AddAfter queues key after d (AddAfter). A key already waiting for an
// earlier time keeps that time.
func (q *Queue) AddAfter(key string, d time.Duration) {
	if d <= 0 {
		q.Add(key)
		return
	}
	at := q.eng.Now() + d
	if cur, ok := q.waiting[key]; ok && cur <= at {
		return
	}
	q.waiting[key] = at
	q.eng.At(at, engine.PriorityNormal, func() {
		if cur, ok := q.waiting[key]; ok && cur == at {
			delete(q.waiting, key)
			q.Add(key)
		}
	})
}

// Forget clears the key's failure count (Forget).
func (q *Queue) Forget(key string) { delete(q.failures, key) }

func (q *Queue) process(key string) {
	delete(q.dirty, key)
	if err := q.sync(key); err != nil {
		n := q.failures[key]
		q.failures[key] = n + 1
		d := q.base
		for i := 0; i < n && d < q.max; i++ {
			d *= 2
		}
		q.AddAfter(key, min(d, q.max))
		return
	}
	q.Forget(key)
}
