// Package record is client-go's event recording (tools/record) as the
// components of a simulated cluster use it: each component's [Recorder]
// runs its events through an EventCorrelator — aggregate similar events,
// count repeats, then a per-object spam filter — before they reach the API
// server, and the scheduler's [EventsRecorder] writes events.k8s.io events
// as pkg/scheduler does. Every event, stored or dropped by the filter, is
// also a record in the run's trace.
package record

import (
	"fmt"
	"time"
	"unique"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/trace"
)

// Event correlation constants (client-go tools/record/events_cache.go).
const (
	aggregateMaxEvents = 10
	aggregateInterval  = 600 * time.Second
	spamBurst          = 25
	spamQPS            = 1.0 / 300.0
	combinedPrefix     = "(combined from similar events): "
)

// Sink is the API server as event recording needs it.
type Sink interface {
	// HasEvent reports whether an event of that name is stored.
	HasEvent(key types.NamespacedName) bool
	// PutEvent stores an event (a new object or a new version of one).
	PutEvent(ev *corev1.Event)
}

// Broadcaster hands out the recorders of one cluster. Event names are
// unique across all of them: a name is the object's name and the time, and
// two components can report about one object at the same instant.
type Broadcaster struct {
	eng *engine.Engine
	api Sink
	tr  trace.Sink
	// reportingController: events carry reportingController and
	// reportingInstance (PR #116506, 1.28).
	reportingController bool
	// named holds the names handed out that no stored event has: those of
	// events the spam filter dropped, and of repeats and combined events,
	// which go out under another name. With the API server's names (never
	// removed) it is every name handed out, without a second copy of
	// every stored event's name (issue 10).
	named map[string]bool
}

// NewBroadcaster returns the event machinery of a cluster whose events go
// to api and to the trace.
func NewBroadcaster(eng *engine.Engine, api Sink, tr trace.Sink, reportingController bool) *Broadcaster {
	return &Broadcaster{eng: eng, api: api, tr: tr, reportingController: reportingController, named: map[string]bool{}}
}

// Recorder is one component's record.EventRecorder: a source and its
// correlator.
type Recorder struct {
	b   *Broadcaster
	src Source
	cor *correlator
}

// NewRecorder returns the recorder of one component on one host.
func (b *Broadcaster) NewRecorder(src Source) *Recorder {
	return &Recorder{b: b, src: src, cor: &correlator{byUID: map[types.UID]*objectEvents{}, objects: map[objectKey]*objectEvents{}}}
}

// tokenBucket is golang.org/x/time/rate's limiter as client-go's
// NewTokenBucketRateLimiter builds it: full at first, refilled continuously.
type tokenBucket struct {
	tokens float64
	last   time.Duration
}

func (b *tokenBucket) tryAccept(now time.Duration) bool {
	b.tokens = min(spamBurst, b.tokens+(now-b.last).Seconds()*spamQPS)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true
	}
	return false
}

// Source says who reports an event (corev1.EventSource).
type Source struct {
	Component, Host string
	// ClockOffset is the source's clock minus the control plane's: a
	// kubelet stamps its events with its node's clock.
	ClockOffset time.Duration
}

// Actor names the source in trace records as pod records name it:
// "kubelet/node-1".
func (s Source) Actor() string {
	if s.Host == "" {
		return s.Component
	}
	return s.Component + "/" + s.Host
}

// eventName is the recorder's name for a new event, <object>.<hex of the
// time in nanoseconds>. Two events at the same virtual instant would share
// a name, where a real recorder's clock has moved on by a few nanoseconds;
// podsim moves it on by one nanosecond per clash. The caller hands the
// name to [Broadcaster.handedOut] once it knows whether it was stored.
func (b *Broadcaster) eventName(object, ns string, wall time.Time) string {
	n := wall.UnixNano()
	for {
		name := fmt.Sprintf("%v.%x", object, n)
		if taken := b.api.HasEvent(types.NamespacedName{Namespace: ns, Name: name}); !taken && !b.named[name] {
			return name
		}
		n++
	}
}

// handedOut keeps a name eventName gave out, unless an event the API
// server stores under it keeps it already (a kubelet's sink drops events
// while its link is cut).
func (b *Broadcaster) handedOut(name, ns string) {
	if !b.api.HasEvent(types.NamespacedName{Namespace: ns, Name: name}) {
		b.named[name] = true
	}
}

// Event records an event about ref, as record.EventRecorder.Eventf.
func (r *Recorder) Event(ref corev1.ObjectReference, eventType, reason, message string) {
	r.AnnotatedEvent(ref, nil, eventType, reason, message)
}

// AnnotatedEvent is Event with annotations on the Event object, as
// record.EventRecorder.AnnotatedEventf (the kubelet's Evicted event
// carries the offending containers and the starved resource).
func (r *Recorder) AnnotatedEvent(ref corev1.ObjectReference, annotations map[string]string, eventType, reason, message string) {
	b, src := r.b, r.src
	now := b.eng.Now()
	wall := b.eng.Wall(now).Add(src.ClockOffset)
	ns := ref.Namespace
	if ns == "" {
		ns = corev1.NamespaceDefault
	}
	// The many pods of a template get the same messages about the same
	// containers ("Started container app"): the events share one copy of
	// each string (issue 10).
	ref.FieldPath, message = unique.Make(ref.FieldPath).Value(), unique.Make(message).Value()
	name := b.eventName(ref.Name, ns, wall)
	ev := &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: name, Namespace: ns, Annotations: annotations},
		InvolvedObject: ref,
		Reason:         reason,
		Message:        message,
		FirstTimestamp: metav1.NewTime(wall.Truncate(time.Second)),
		LastTimestamp:  metav1.NewTime(wall.Truncate(time.Second)),
		Count:          1,
		Type:           eventType,
		Source:         corev1.EventSource{Component: src.Component, Host: src.Host},
	}
	if b.reportingController {
		ev.ReportingController, ev.ReportingInstance = src.Component, src.Host
	}
	obj := r.cor.object(ev.InvolvedObject, now)
	ev, aggregate := obj.aggregate(ev, now, wall)
	ev = obj.observe(ev, aggregate)
	accepted := obj.spam.tryAccept(now)
	if accepted {
		// Each emission stores a new object, never modified again, so the
		// trace shares it.
		b.api.PutEvent(ev)
	}
	if ev.Name == name {
		// A repeat goes out under the name of the event it repeats
		// (client-go tools/record/events_cache.go eventObserve): the
		// name made for it is seen nowhere, so it holds nothing back,
		// as in client-go, where it is garbage (issue 10: a
		// crash-looping pod's BackOff repeats kept a name each, for
		// ever).
		b.handedOut(name, ns)
	}
	b.tr.Add(trace.Record{
		T: now, Kind: "Event", Op: trace.Emitted, Namespace: ev.InvolvedObject.Namespace, Name: ev.InvolvedObject.Name,
		Actor: src.Actor(), Cause: reason, Event: ev, Dropped: !accepted,
	})
}

// EventsRecorder writes events through the events.k8s.io API, as the
// scheduler does: no source and no correlation, but a reporting
// controller, an eventTime and an action (pkg/scheduler/schedule_one.go).
type EventsRecorder struct {
	b                    *Broadcaster
	controller, instance string
}

// NewEventsRecorder returns the events.k8s.io recorder of a controller.
func (b *Broadcaster) NewEventsRecorder(controller, instance string) *EventsRecorder {
	return &EventsRecorder{b: b, controller: controller, instance: instance}
}

// Eventf records an event about regarding, as events.EventRecorder.Eventf.
func (r *EventsRecorder) Eventf(regarding corev1.ObjectReference, eventType, reason, action, note string) {
	b := r.b
	now := b.eng.Now()
	wall := b.eng.Wall(now)
	name := b.eventName(regarding.Name, regarding.Namespace, wall)
	ev := &corev1.Event{
		ObjectMeta:          metav1.ObjectMeta{Name: name, Namespace: regarding.Namespace},
		InvolvedObject:      regarding,
		Reason:              reason,
		Message:             note,
		Type:                eventType,
		EventTime:           metav1.NewMicroTime(wall),
		Action:              action,
		ReportingController: r.controller,
		ReportingInstance:   r.instance,
	}
	b.api.PutEvent(ev)
	b.handedOut(name, regarding.Namespace)
	b.tr.Add(trace.Record{T: now, Kind: "Event", Op: trace.Emitted, Namespace: regarding.Namespace, Name: regarding.Name,
		Actor: r.controller, Cause: reason, Event: ev})
}
