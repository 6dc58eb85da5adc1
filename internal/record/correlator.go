package record

import (
	"fmt"
	"time"
	"unique"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// correlator is the state of one recorder (one component on one host):
// client-go's EventCorrelator caches (tools/record/events_cache.go), kept
// by involved object. client-go keys each cache by a string joining the
// event's fields (getEventKey, getSpamKey, EventAggregatorByReasonFunc);
// every key of those three caches starts with the source and the involved
// object and, in one recorder, the source and the reporting controller
// and instance are always the same, so the state of an object's events
// hangs off the object and the rest of each key is compared field by
// field. The events of an object are few, so slices, not maps, hold them:
// the joined keys were a kilobyte a pod (issue 10).
//
// Fidelity note: joined keys could in principle collide (a name ending
// where a field path begins); these never do.
type correlator struct {
	// byUID holds the first object seen of each UID; another object of a
	// UID (none in practice) is in objects, keyed in full. A UID key is
	// 16 B where the full key is 80 (issue 10); the object an entry is
	// for is read off its first logged event.
	byUID   map[types.UID]*objectEvents
	objects map[objectKey]*objectEvents
}

// objectKey is an involved object as the keys name it.
type objectKey struct {
	kind, namespace, name, apiVersion string
	uid                               types.UID
}

// objectEvents is what the correlator knows of one involved object.
type objectEvents struct {
	spam       tokenBucket       // the spam filter's bucket (getSpamKey)
	aggregates []aggregateRecord // by type and reason (EventAggregatorByReasonFunc)
	logs       []eventLog        // by event key (getEventKey) or aggregate key
}

type aggregateRecord struct {
	// key is the type and reason, one copy for every object's record of
	// them (issue 10: 40 B a record, not 64).
	key       unique.Handle[typeReason]
	localKeys []string // distinct messages, oldest first
	last      time.Duration
}

type typeReason struct{ eventType, reason string }

// eventLog is the event logger's entry for a key: an event's own key
// (field path, type, reason, message), or the aggregate key of a combined
// event (type and reason). It points to the last event observed under the
// key, whose fields are the key and whose name, first timestamp and count
// are the logger's: events are never changed once recorded, so the entry
// shares the one the API server stores instead of copying its strings
// (issue 10: 120 B an entry became 16).
type eventLog struct {
	aggregate bool
	ev        *corev1.Event
}

// matches reports whether the entry is for the key of ev.
func (l *eventLog) matches(aggregate bool, ev *corev1.Event) bool {
	if l.aggregate != aggregate || l.ev.Type != ev.Type || l.ev.Reason != ev.Reason {
		return false
	}
	// An aggregate key has no field path and no message.
	return aggregate || (l.ev.InvolvedObject.FieldPath == ev.InvolvedObject.FieldPath && l.ev.Message == ev.Message)
}

// object is the state of an involved object's events, new the first time
// it is seen; its spam bucket starts full.
func (cor *correlator) object(ref corev1.ObjectReference, now time.Duration) *objectEvents {
	first, taken := cor.byUID[ref.UID]
	if taken && first.isFor(&ref) {
		return first
	}
	key := objectKey{kind: ref.Kind, namespace: ref.Namespace, name: ref.Name, apiVersion: ref.APIVersion, uid: ref.UID}
	if obj, ok := cor.objects[key]; ok {
		return obj
	}
	obj := &objectEvents{spam: tokenBucket{tokens: spamBurst, last: now}}
	if !taken {
		cor.byUID[ref.UID] = obj
	} else {
		cor.objects[key] = obj
	}
	return obj
}

// isFor reports whether obj is the state of the object ref names. Every
// entry has logged an event: observe runs right after object makes one.
func (obj *objectEvents) isFor(ref *corev1.ObjectReference) bool {
	o := &obj.logs[0].ev.InvolvedObject
	return o.UID == ref.UID && o.Name == ref.Name && o.Namespace == ref.Namespace && o.Kind == ref.Kind && o.APIVersion == ref.APIVersion
}

// aggregate is EventAggregator.EventAggregate: once an object has had ten
// different messages for one reason within ten minutes (each within ten
// minutes of the previous), further ones are combined into one event. It
// returns the event to go on with and whether the event logger keys it by
// the aggregate key.
func (obj *objectEvents) aggregate(ev *corev1.Event, now time.Duration, wall time.Time) (*corev1.Event, bool) {
	key := unique.Make(typeReason{ev.Type, ev.Reason})
	var rec *aggregateRecord
	for i := range obj.aggregates {
		if a := &obj.aggregates[i]; a.key == key {
			rec = a
			break
		}
	}
	switch {
	case rec == nil:
		if obj.aggregates == nil {
			obj.aggregates = make([]aggregateRecord, 0, typicalReasons)
		}
		obj.aggregates = append(obj.aggregates, aggregateRecord{key: key})
		rec = &obj.aggregates[len(obj.aggregates)-1]
	case now-rec.last > aggregateInterval:
		*rec = aggregateRecord{key: key}
	}
	seen := false
	for _, k := range rec.localKeys {
		seen = seen || k == ev.Message
	}
	if !seen {
		rec.localKeys = append(rec.localKeys, ev.Message)
	}
	rec.last = now
	if len(rec.localKeys) < aggregateMaxEvents {
		return ev, false
	}
	// client-go pops an arbitrary message from a set here; podsim pops the
	// oldest so that runs are repeatable.
	rec.localKeys = rec.localKeys[1:]
	combined := &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: fmt.Sprintf("%v.%x", ev.InvolvedObject.Name, wall.UnixNano()+1), Namespace: ev.Namespace},
		Count:          1,
		FirstTimestamp: ev.FirstTimestamp,
		InvolvedObject: ev.InvolvedObject,
		LastTimestamp:  ev.LastTimestamp,
		Message:        combinedPrefix + ev.Message,
		Type:           ev.Type,
		Reason:         ev.Reason,
		Source:         ev.Source,
	}
	return combined, true
}

// observe is eventLogger.eventObserve: a repeat of a known event takes its
// name and first timestamp and counts one more. It runs before the spam
// filter, so filtered repeats still count.
func (obj *objectEvents) observe(ev *corev1.Event, aggregate bool) *corev1.Event {
	for i := range obj.logs {
		l := &obj.logs[i]
		if !l.matches(aggregate, ev) {
			continue
		}
		ev.Name, ev.FirstTimestamp, ev.Count = l.ev.Name, l.ev.FirstTimestamp, l.ev.Count+1
		l.ev = ev
		return ev
	}
	if obj.logs == nil {
		obj.logs = make([]eventLog, 0, typicalReasons)
	}
	obj.logs = append(obj.logs, eventLog{aggregate: aggregate, ev: ev})
	return ev
}

// typicalReasons is room for the events of a pod that starts and runs:
// Pulled, Created, Started (three where append would give four).
const typicalReasons = 3
