package lifecycle

import (
	"math"
	"slices"
	"time"
)

// Backoff is the kubelet's per-key exponential back-off, a port of
// k8s.io/client-go/util/flowcontrol/backoff.go without jitter (the kubelet
// builds it with NewBackOff, whose jitter is zero). Time is an argument, not
// a clock: the caller says when things happen.
//
// The kubelet keeps one for crash loops, keyed by pod and container
// (kuberuntime_manager.go doBackOff), and one for image pulls, keyed by pod
// UID and image (images/image_manager.go).
type Backoff struct {
	Initial time.Duration
	Max     time.Duration
	// ResetAfter, when not zero, replaces the default expiry rule "an entry
	// resets when eventTime - lastUpdate > 2*Max" with "> ResetAfter". The
	// kubelet's crash-loop back-off uses a fixed 600 s since v1.32
	// (pkg/kubelet/kubelet.go HasExpiredFunc).
	ResetAfter time.Duration

	entries map[string]*backoffEntry
}

type backoffEntry struct {
	backoff    time.Duration
	lastUpdate time.Duration
}

// NewBackoff returns a back-off starting at initial and doubling up to max.
func NewBackoff(initial, max time.Duration) *Backoff {
	return &Backoff{Initial: initial, Max: max, entries: map[string]*backoffEntry{}}
}

func (b *Backoff) hasExpired(eventTime, lastUpdate time.Duration) bool {
	if b.ResetAfter > 0 {
		return eventTime-lastUpdate > b.ResetAfter
	}
	return eventTime-lastUpdate > 2*b.Max
}

// Get returns the current back-off of key, or 0 if it has none.
func (b *Backoff) Get(key string) time.Duration {
	if e, ok := b.entries[key]; ok {
		return e.backoff
	}
	return 0
}

// Next moves key to its next back-off: Initial for a new or expired entry,
// otherwise double the current one, capped at Max. The entry's lastUpdate
// becomes now — the time Next is called, not eventTime.
func (b *Backoff) Next(key string, eventTime, now time.Duration) {
	e, ok := b.entries[key]
	if !ok || b.hasExpired(eventTime, e.lastUpdate) {
		e = &backoffEntry{backoff: b.Initial}
		b.entries[key] = e
	} else {
		e.backoff = min(2*e.backoff, b.Max)
	}
	e.lastUpdate = now
}

// IsInBackOffSince reports whether less than the current back-off has
// passed since eventTime (for a crash loop: since the container finished).
func (b *Backoff) IsInBackOffSince(key string, eventTime, now time.Duration) bool {
	e, ok := b.entries[key]
	if !ok || b.hasExpired(eventTime, e.lastUpdate) {
		return false
	}
	return now-eventTime < e.backoff
}

// IsInBackOffSinceUpdate reports whether less than the current back-off has
// passed between the last Next and eventTime (image pulls use this one).
func (b *Backoff) IsInBackOffSinceUpdate(key string, eventTime time.Duration) bool {
	e, ok := b.entries[key]
	if !ok || b.hasExpired(eventTime, e.lastUpdate) {
		return false
	}
	return eventTime-e.lastUpdate < e.backoff
}

// Expiry is when key's back-off window, counted from eventTime, ends.
func (b *Backoff) Expiry(key string, eventTime time.Duration) time.Duration {
	return eventTime + b.Get(key)
}

// GC forgets entries that have expired by now, as the kubelet's
// housekeeping does. Deletion order does not matter, so map order is safe.
func (b *Backoff) GC(now time.Duration) {
	for k, e := range b.entries {
		if b.hasExpired(now, e.lastUpdate) {
			delete(b.entries, k)
		}
	}
}

// NextGC is the earliest time at which GC forgets an entry: just past the
// oldest entry's lastUpdate plus the expiry, or never (math.MaxInt64)
// without entries. The minimum is the same in any map order.
func (b *Backoff) NextGC() time.Duration {
	next := time.Duration(math.MaxInt64)
	for _, e := range b.entries {
		expiry := 2 * b.Max
		if b.ResetAfter > 0 {
			expiry = b.ResetAfter
		}
		if at := e.lastUpdate + expiry + 1; at > e.lastUpdate && at < next { // hasExpired is strict: "> expiry"
			next = at
		}
	}
	return next
}

// Keys lists the keys with an entry, sorted.
func (b *Backoff) Keys() []string {
	out := make([]string, 0, len(b.entries))
	for k := range b.entries {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
