package lifecycle

import (
	"maps"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

const sec = time.Second

// fill calls Next for key at times 1s, 2s, …, n·s, as client-go's tests do
// with a fake clock stepping one second before each Next.
func fill(b *Backoff, key string, n int) time.Duration {
	var now time.Duration
	for i := 1; i <= n; i++ {
		now = time.Duration(i) * sec
		b.Next(key, now, now)
	}
	return now
}

// TestBackoffNextDoublesToMax: client-go backoff_test.go TestSlowBackoff
// without jitter.
func TestBackoffNextDoublesToMax(t *testing.T) {
	b := NewBackoff(sec, 50*sec)
	want := []time.Duration{0, 1, 2, 4, 8, 16, 32, 50, 50, 50}
	var got []time.Duration
	for i := range want {
		now := time.Duration(i+1) * sec
		got = append(got, b.Get("_idSlow")/sec)
		b.Next("_idSlow", now, now)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get before each Next, in seconds (-want +got):\n%s", diff)
	}
}

// TestBackoffIsInBackOffSinceUpdate: client-go backoff_test.go
// TestIsInBackOffSinceUpdate (the table without jitter). At each tick the
// entry is checked and, when not in back-off, moved on with Next.
func TestBackoffIsInBackOffSinceUpdate(t *testing.T) {
	b := NewBackoff(sec, 10*sec)
	cases := []struct {
		tick      time.Duration
		inBackOff bool
		value     time.Duration
	}{
		{tick: 0, inBackOff: false, value: 0},
		{tick: 1, inBackOff: false, value: 1},
		{tick: 2, inBackOff: true, value: 2},
		{tick: 3, inBackOff: false, value: 2},
		{tick: 4, inBackOff: true, value: 4},
		{tick: 5, inBackOff: true, value: 4},
		{tick: 6, inBackOff: true, value: 4},
		{tick: 7, inBackOff: false, value: 4},
		{tick: 8, inBackOff: true, value: 8},
		{tick: 9, inBackOff: true, value: 8},
		{tick: 10, inBackOff: true, value: 8},
		{tick: 11, inBackOff: true, value: 8},
		{tick: 12, inBackOff: true, value: 8},
		{tick: 13, inBackOff: true, value: 8},
		{tick: 14, inBackOff: true, value: 8},
		{tick: 15, inBackOff: false, value: 8},
		{tick: 16, inBackOff: true, value: 10},
		{tick: 17, inBackOff: true, value: 10},
		{tick: 18, inBackOff: true, value: 10},
		{tick: 19, inBackOff: true, value: 10},
		{tick: 20, inBackOff: true, value: 10},
		{tick: 21, inBackOff: true, value: 10},
		{tick: 22, inBackOff: true, value: 10},
		{tick: 23, inBackOff: true, value: 10},
		{tick: 24, inBackOff: true, value: 10},
		{tick: 25, inBackOff: false, value: 10},
		{tick: 26, inBackOff: true, value: 10},
		{tick: 27, inBackOff: true, value: 10},
		{tick: 28, inBackOff: true, value: 10},
		{tick: 29, inBackOff: true, value: 10},
		{tick: 30, inBackOff: true, value: 10},
		{tick: 31, inBackOff: true, value: 10},
		{tick: 32, inBackOff: true, value: 10},
		{tick: 33, inBackOff: true, value: 10},
		{tick: 34, inBackOff: true, value: 10},
		{tick: 35, inBackOff: false, value: 10},
		{tick: 56, inBackOff: false, value: 0}, // 21 s after the last Next > 2 × max: expired
		{tick: 57, inBackOff: false, value: 1},
	}
	for _, c := range cases {
		now := c.tick * sec
		require.Equal(t, c.inBackOff, b.IsInBackOffSinceUpdate("_id", now), "tick %d", c.tick)
		if c.inBackOff {
			require.Equal(t, c.value*sec, b.Get("_id"), "tick %d", c.tick)
		} else {
			b.Next("_id", now, now)
		}
	}
	require.Equal(t, 2*sec, b.Get("_id"), "after the reset at tick 56, tick 57 doubled the back-off again")
}

// TestBackoffExpiry: client-go backoff_test.go TestBackoffReset and
// TestBackoffHighWaterMark, plus the boundaries of the expiry rule and
// ResetAfter.
func TestBackoffExpiry(t *testing.T) {
	cases := []struct {
		name       string
		max        time.Duration
		resetAfter time.Duration
		gap        time.Duration // from the last Next to the next event
		want       time.Duration // back-off after Next at the event
	}{
		{name: "high water mark: max+step keeps max", max: 5 * sec, gap: 6 * sec, want: 5 * sec},
		{name: "exactly 2×max is not expired", max: 5 * sec, gap: 10 * sec, want: 5 * sec},
		{name: "2×max+step resets to initial", max: 5 * sec, gap: 11 * sec, want: sec},
		{name: "ResetAfter keeps an entry 2×max would expire", max: 5 * sec, resetAfter: 600 * sec, gap: 11 * sec, want: 5 * sec},
		{name: "ResetAfter: exactly 600s is not expired", max: 5 * sec, resetAfter: 600 * sec, gap: 600 * sec, want: 5 * sec},
		{name: "ResetAfter: 601s resets", max: 5 * sec, resetAfter: 600 * sec, gap: 601 * sec, want: sec},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBackoff(sec, tc.max)
			b.ResetAfter = tc.resetAfter
			last := fill(b, "_id", 6) // 1, 2, 4, 5, 5, 5 s
			require.Equal(t, tc.max, b.Get("_id"))
			event := last + tc.gap
			b.Next("_id", event, event)
			require.Equal(t, tc.want, b.Get("_id"))
		})
	}
}

func TestBackoffIsInBackOffSince(t *testing.T) {
	// One entry: back-off 5 s (the max), last Next at 6 s.
	cases := []struct {
		name       string
		key        string
		resetAfter time.Duration
		event, now time.Duration
		want       bool
	}{
		{name: "unknown key", key: "other", event: 6 * sec, now: 6 * sec, want: false},
		{name: "just exited", key: "_id", event: 6 * sec, now: 6 * sec, want: true},
		{name: "one step before the window ends", key: "_id", event: 6 * sec, now: 10 * sec, want: true},
		{name: "window end is exclusive", key: "_id", event: 6 * sec, now: 11 * sec, want: false},
		// client-go TestBackoffReset: 2×max+step after the last update.
		{name: "long after the last update", key: "_id", event: 6 * sec, now: 17 * sec, want: false},
		{name: "event past 2×max after the update", key: "_id", event: 17 * sec, now: 17 * sec, want: false},
		{name: "event past 2×max, ResetAfter keeps it", key: "_id", resetAfter: time.Minute, event: 17 * sec, now: 17 * sec, want: true},
		{name: "event at exactly 2×max", key: "_id", event: 16 * sec, now: 18 * sec, want: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBackoff(sec, 5*sec)
			b.ResetAfter = tc.resetAfter
			fill(b, "_id", 6)
			require.Equal(t, tc.want, b.IsInBackOffSince(tc.key, tc.event, tc.now))
		})
	}
}

// TestBackoffNextUpdatesAtNow: Next records the time it is called, not the
// event's time (client-go: entry.lastUpdate = p.Clock.Now()).
func TestBackoffNextUpdatesAtNow(t *testing.T) {
	cases := []struct {
		name      string
		nextEvent time.Duration
		want      time.Duration
	}{
		// The second event is 500 s after the first Next's now (1000 s) but
		// 1500 s after its event: only counting from now keeps the entry.
		{name: "counts from now", nextEvent: 1500 * sec, want: 20 * sec},
		{name: "expires 2×max after now", nextEvent: 1601 * sec, want: 10 * sec},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBackoff(10*sec, 300*sec)
			b.Next("k", 0, 1000*sec)
			b.Next("k", tc.nextEvent, tc.nextEvent)
			require.Equal(t, tc.want, b.Get("k"))
		})
	}
}

// TestBackoffGC: client-go backoff_test.go TestBackoffGC, plus several keys.
func TestBackoffGC(t *testing.T) {
	b := NewBackoff(sec, 5*sec)
	last := fill(b, "_idGC", 6)
	b.Next("young", last+10*sec, last+10*sec)
	cases := []struct {
		now  time.Duration
		want []string
	}{
		{now: last + 6*sec, want: []string{"_idGC", "young"}},  // max+step: kept
		{now: last + 10*sec, want: []string{"_idGC", "young"}}, // exactly 2×max: kept
		{now: last + 12*sec, want: []string{"young"}},          // 2×(max+step): collected
		{now: last + 20*sec, want: []string{"young"}},          // young's 2×max
		{now: last + 21*sec, want: []string{}},                 // young collected too
		{now: last + 100*sec, want: []string{}},                // nothing left
	}
	for _, c := range cases {
		b.GC(c.now)
		if diff := cmp.Diff(c.want, b.Keys()); diff != "" {
			t.Errorf("keys after GC at %v (-want +got):\n%s", c.now, diff)
		}
	}
	require.Zero(t, b.Get("_idGC"))
}

func TestBackoffGCWithResetAfter(t *testing.T) {
	b := NewBackoff(10*sec, 300*sec)
	b.ResetAfter = 600 * sec
	b.Next("c", 0, 0)
	b.GC(600 * sec)
	require.Equal(t, []string{"c"}, b.Keys())
	b.GC(601 * sec)
	require.Empty(t, b.Keys())
}

func TestBackoffKeysSorted(t *testing.T) {
	b := NewBackoff(sec, 10*sec)
	for _, k := range []string{"pod-b/c", "pod-a/z", "pod-a/a", "pod-c/c"} {
		b.Next(k, 0, 0)
	}
	require.Equal(t, []string{"pod-a/a", "pod-a/z", "pod-b/c", "pod-c/c"}, b.Keys())
}

func TestBackoffExpiryTime(t *testing.T) {
	b := NewBackoff(10*sec, 300*sec)
	require.Equal(t, 42*sec, b.Expiry("k", 42*sec), "no entry: no wait")
	b.Next("k", 0, 0)
	b.Next("k", 10*sec, 10*sec)
	require.Equal(t, 62*sec, b.Expiry("k", 42*sec))
}

// TestBackoffCrashLoop drives the kubelet's crash-loop back-off
// (kubelet.go: NewBackOff(10s, 300s); kuberuntime_manager.go doBackOff) for
// a container that exits as soon as it starts. At each exit the kubelet
// waits while IsInBackOffSince(finishedAt, now), showing "back-off <Get>",
// then restarts the container and calls Next(finishedAt, now).
func TestBackoffCrashLoop(t *testing.T) {
	b := NewBackoff(10*sec, 300*sec)
	const key = "default/web/app"
	steps := []struct {
		finishedAt time.Duration // the exit the kubelet sees
		restartAt  time.Duration // first moment out of back-off
		shown      time.Duration // Get while waiting: "back-off 10s restarting failed container"
	}{
		{finishedAt: 0, restartAt: 0, shown: 0}, // first exit: no entry, restart at once
		{finishedAt: 0, restartAt: 10 * sec, shown: 10 * sec},
		{finishedAt: 10 * sec, restartAt: 30 * sec, shown: 20 * sec},
		{finishedAt: 30 * sec, restartAt: 70 * sec, shown: 40 * sec},
		{finishedAt: 70 * sec, restartAt: 150 * sec, shown: 80 * sec},
		{finishedAt: 150 * sec, restartAt: 310 * sec, shown: 160 * sec},
		{finishedAt: 310 * sec, restartAt: 610 * sec, shown: 300 * sec},
		{finishedAt: 610 * sec, restartAt: 910 * sec, shown: 300 * sec},
	}
	var shown []time.Duration
	for _, s := range steps {
		if s.restartAt > s.finishedAt {
			require.True(t, b.IsInBackOffSince(key, s.finishedAt, s.restartAt-time.Nanosecond), "still in back-off just before %v", s.restartAt)
		}
		require.False(t, b.IsInBackOffSince(key, s.finishedAt, s.restartAt), "out of back-off at %v", s.restartAt)
		shown = append(shown, b.Get(key))
		b.Next(key, s.finishedAt, s.restartAt)
	}
	want := make([]time.Duration, len(steps))
	for i, s := range steps {
		want[i] = s.shown
	}
	if diff := cmp.Diff(want, shown); diff != "" {
		t.Errorf("back-off shown at each exit (-want +got):\n%s", diff)
	}
	require.Equal(t, 300*sec, b.Get(key))

	// A run longer than 2×max (10 minutes) resets the back-off to 10 s.
	b.Next(key, 910*sec+601*sec, 910*sec+601*sec)
	require.Equal(t, 10*sec, b.Get(key))
}

// NextGC is the first instant at which GC forgets an entry: GC just
// before it keeps every entry, GC at it drops the oldest.
func TestBackoffNextGC(t *testing.T) {
	tests := []struct {
		name       string
		resetAfter time.Duration
		updates    map[string]time.Duration // key: time of Next
		want       time.Duration
	}{
		{"no entries: never", 0, nil, time.Duration(math.MaxInt64)},
		{"2×max after the oldest update", 0, map[string]time.Duration{"a": 7 * time.Second, "b": 3 * time.Second}, 3*time.Second + 600*time.Second + 1},
		{"resetAfter instead", 45 * time.Second, map[string]time.Duration{"a": 7 * time.Second}, 52*time.Second + 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBackoff(10*time.Second, 300*time.Second)
			b.ResetAfter = tc.resetAfter
			for _, key := range slices.Sorted(maps.Keys(tc.updates)) {
				b.Next(key, tc.updates[key], tc.updates[key])
			}
			got := b.NextGC()
			require.Equal(t, tc.want, got)
			if len(tc.updates) == 0 {
				return
			}
			n := len(b.Keys())
			b.GC(got - 1)
			require.Len(t, b.Keys(), n, "GC just before NextGC keeps every entry")
			b.GC(got)
			require.Len(t, b.Keys(), n-1, "GC at NextGC drops the oldest")
		})
	}
}
