package record

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/trace"
)

type fakeSink struct {
	events map[types.NamespacedName]*corev1.Event
}

func (s *fakeSink) HasEvent(key types.NamespacedName) bool { return s.events[key] != nil }
func (s *fakeSink) PutEvent(ev *corev1.Event)              { s.events[podutil.KeyOf(ev)] = ev }

// stringKeyed is client-go's correlator as podsim wrote it before issue
// 10, with its caches keyed by joined strings: the reference the
// per-object correlator must agree with.
type stringKeyed struct {
	aggregates map[string]*struct {
		localKeys []string
		last      time.Duration
	}
	logs map[string]int // key → the emission whose name and first time repeats take
	cnt  map[string]int32
	spam map[string]*tokenBucket
}

// emission is what the correlator decided about one event.
type emission struct {
	count    int32
	nameOf   int // the emission whose name the event carries
	combined bool
	accepted bool
}

func (c *stringKeyed) emit(i int, ref corev1.ObjectReference, typ, reason, msg string, now time.Duration) emission {
	src := []string{"kubelet", "node-1"}
	obj := []string{ref.Kind, ref.Namespace, ref.Name}
	eventKey := strings.Join(append(append(append([]string{}, src...), obj...), ref.FieldPath, string(ref.UID), ref.APIVersion, typ, reason, msg), "")
	aggKey := strings.Join(append(append(append([]string{}, src...), obj...), string(ref.UID), ref.APIVersion, typ, reason, "kubelet", "node-1"), "")
	rec := c.aggregates[aggKey]
	if rec == nil || now-rec.last > aggregateInterval {
		rec = &struct {
			localKeys []string
			last      time.Duration
		}{}
		c.aggregates[aggKey] = rec
	}
	seen := false
	for _, k := range rec.localKeys {
		seen = seen || k == msg
	}
	if !seen {
		rec.localKeys = append(rec.localKeys, msg)
	}
	rec.last = now
	key, e := eventKey, emission{nameOf: i, count: 1}
	if len(rec.localKeys) >= aggregateMaxEvents {
		rec.localKeys = rec.localKeys[1:]
		key, e.combined = aggKey, true
	}
	if first, ok := c.logs[key]; ok {
		e.nameOf, e.count = first, c.cnt[key]+1
	} else {
		c.logs[key] = i
	}
	c.cnt[key] = e.count
	spamKey := strings.Join(append(append([]string{}, src...), obj[0], obj[1], obj[2], string(ref.UID), ref.APIVersion), "")
	b := c.spam[spamKey]
	if b == nil {
		b = &tokenBucket{tokens: spamBurst, last: now}
		c.spam[spamKey] = b
	}
	e.accepted = b.tryAccept(now)
	return e
}

// The per-object correlator decides what the string-keyed one did, for a
// long run of events about a few pods and containers: repeats counted,
// the eleventh distinct message of a reason combined, aggregates expiring
// after ten idle minutes, the spam filter dropping a burst and refilling.
func TestCorrelatorMatchesStringKeyedCaches(t *testing.T) {
	eng := engine.New(1)
	sink := &fakeSink{events: map[types.NamespacedName]*corev1.Event{}}
	var got []trace.Record
	b := NewBroadcaster(eng, sink, trace.SinkFunc(func(r trace.Record) { got = append(got, r) }), true)
	rec := b.NewRecorder(Source{Component: "kubelet", Host: "node-1"})
	ref := stringKeyed{aggregates: map[string]*struct {
		localKeys []string
		last      time.Duration
	}{}, logs: map[string]int{}, cnt: map[string]int32{}, spam: map[string]*tokenBucket{}}
	var want []emission
	rng := eng.Stream("test")
	now := time.Duration(0)
	for i := range 3000 {
		pod := rng.IntN(3)
		// web-0 and web-2 share a UID: the correlator keeps them apart
		// by the rest of the key, as the joined keys did.
		r := corev1.ObjectReference{Kind: "Pod", Namespace: "default", Name: fmt.Sprintf("web-%d", pod), UID: types.UID(fmt.Sprintf("uid-%d", pod%2)), APIVersion: "v1"}
		if rng.IntN(2) == 0 {
			r.FieldPath = fmt.Sprintf("spec.containers{c%d}", rng.IntN(2))
		}
		reason := []string{"Pulled", "BackOff", "Unhealthy"}[rng.IntN(3)]
		msg := fmt.Sprintf("message %d", rng.IntN(14))
		typ := []string{corev1.EventTypeNormal, corev1.EventTypeWarning}[rng.IntN(2)]
		// Mostly bursts a second apart, now and then a pause past the
		// aggregate interval or long enough to refill the spam bucket.
		switch rng.IntN(100) {
		case 0:
			now += 11 * time.Minute
		case 1, 2:
			now += 5 * time.Minute
		default:
			now += time.Duration(rng.IntN(2000)) * time.Millisecond
		}
		require.NoError(t, eng.RunUntil(now))
		want = append(want, ref.emit(i, r, typ, reason, msg, now))
		rec.Event(r, typ, reason, msg)
	}
	require.Len(t, got, len(want))
	combined, dropped, repeats := 0, 0, 0
	for i, w := range want {
		ev := got[i].Event
		require.Equal(t, w.count, ev.Count, "emission %d", i)
		require.Equal(t, w.combined, strings.HasPrefix(ev.Message, combinedPrefix), "emission %d", i)
		require.Equal(t, !w.accepted, got[i].Dropped, "emission %d", i)
		if w.nameOf != i {
			require.Equal(t, got[w.nameOf].Event.Name, ev.Name, "emission %d repeats %d", i, w.nameOf)
			require.Equal(t, got[w.nameOf].Event.FirstTimestamp, ev.FirstTimestamp, "emission %d", i)
			repeats++
		}
		if w.combined {
			combined++
		}
		if !w.accepted {
			dropped++
		}
	}
	require.Positive(t, combined, "the run must combine some events")
	require.Positive(t, dropped, "the run must drop some events")
	require.Positive(t, repeats, "the run must repeat some events")
}

// TestEventNamesStayUnique: a name handed out is never handed out again,
// whether its event was stored, dropped by the spam filter, lost by the
// sink or repeated under an earlier name (the broadcaster keeps only the
// names the API server does not).
func TestEventNamesStayUnique(t *testing.T) {
	eng := engine.New(1)
	sink := &cuttableSink{fakeSink: fakeSink{events: map[types.NamespacedName]*corev1.Event{}}}
	var got []trace.Record
	b := NewBroadcaster(eng, sink, trace.SinkFunc(func(r trace.Record) { got = append(got, r) }), true)
	kubelet := b.NewRecorder(Source{Component: "kubelet", Host: "node-1"})
	ref := corev1.ObjectReference{Kind: "Pod", Namespace: "default", Name: "web", UID: "uid-1", APIVersion: "v1"}
	// All at one instant: 30 events of different reasons (the spam filter
	// drops the last 5), a repeat, two lost while the sink is cut, then
	// other components about the same object.
	for i := range 30 {
		kubelet.Event(ref, corev1.EventTypeWarning, fmt.Sprintf("Reason%d", i), "msg")
	}
	kubelet.Event(ref, corev1.EventTypeWarning, "Reason0", "msg")
	sink.cut = true
	kubelet.Event(ref, corev1.EventTypeNormal, "Lost", "one")
	kubelet.Event(ref, corev1.EventTypeNormal, "Lost", "two")
	sink.cut = false
	b.NewRecorder(Source{Component: "controller"}).Event(ref, corev1.EventTypeNormal, "Other", "msg")
	b.NewEventsRecorder("scheduler", "s").Eventf(ref, corev1.EventTypeNormal, "Scheduled", "Binding", "note")

	handed := map[string]int{}
	dropped := 0
	for i, r := range got[:30] {
		require.Equal(t, fmt.Sprintf("web.%x", eng.Wall(0).UnixNano()+int64(i)), r.Event.Name, "event %d takes the next nanosecond", i)
	}
	for i, r := range got {
		if r.Dropped {
			dropped++
		}
		if i == 30 {
			require.Equal(t, got[0].Event.Name, r.Event.Name, "a repeat keeps the first name")
			continue
		}
		if prev, ok := handed[r.Event.Name]; ok {
			t.Fatalf("event %d has the name of event %d: %s", i, prev, r.Event.Name)
		}
		handed[r.Event.Name] = i
	}
	require.Positive(t, dropped, "the spam filter must drop some")
	// The repeat (30) goes out under the first event's name: the name made
	// for it is seen nowhere and holds nothing back, so the two lost ones
	// take the next two (31, 32: never stored, each still taken, since the
	// trace shows them) and the others follow.
	require.Equal(t, fmt.Sprintf("web.%x", eng.Wall(0).UnixNano()+30), got[31].Event.Name)
	require.Equal(t, fmt.Sprintf("web.%x", eng.Wall(0).UnixNano()+31), got[32].Event.Name)
	require.Equal(t, fmt.Sprintf("web.%x", eng.Wall(0).UnixNano()+32), got[33].Event.Name)
	require.Equal(t, fmt.Sprintf("web.%x", eng.Wall(0).UnixNano()+33), got[34].Event.Name)
}

// cuttableSink loses events while cut, as a kubelet's link to the API
// server does.
type cuttableSink struct {
	fakeSink
	cut bool
}

func (s *cuttableSink) PutEvent(ev *corev1.Event) {
	if !s.cut {
		s.fakeSink.PutEvent(ev)
	}
}
