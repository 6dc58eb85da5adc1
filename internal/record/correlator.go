package record

import (
	"fmt"
	"time"

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
	eventType, reason string
	localKeys         []string // distinct messages, oldest first
	last              time.Duration
}

// eventLog is the event logger's entry for a key: an event's own key
// (field path, type, reason, message), or the aggregate key of a combined
// event (type and reason).
type eventLog struct {
	aggregate                         bool
	fieldPath, eventType, reason, msg string

	count int32
	first metav1.Time
	name  string
}

// object is the state of an involved object's events, new the first time
// it is seen; its spam bucket starts full.
func (cor *correlator) object(ref corev1.ObjectReference, now time.Duration) *objectEvents {
	key := objectKey{kind: ref.Kind, namespace: ref.Namespace, name: ref.Name, apiVersion: ref.APIVersion, uid: ref.UID}
	obj, ok := cor.objects[key]
	if !ok {
		obj = &objectEvents{spam: tokenBucket{tokens: spamBurst, last: now}}
		cor.objects[key] = obj
	}
	return obj
}

// aggregate is EventAggregator.EventAggregate: once an object has had ten
// different messages for one reason within ten minutes (each within ten
// minutes of the previous), further ones are combined into one event. It
// returns the event to go on with and the event logger's key for it.
func (obj *objectEvents) aggregate(ev *corev1.Event, now time.Duration, wall time.Time) (*corev1.Event, eventLog) {
	eventKey := eventLog{fieldPath: ev.InvolvedObject.FieldPath, eventType: ev.Type, reason: ev.Reason, msg: ev.Message}
	var rec *aggregateRecord
	for i := range obj.aggregates {
		if a := &obj.aggregates[i]; a.eventType == ev.Type && a.reason == ev.Reason {
			rec = a
			break
		}
	}
	switch {
	case rec == nil:
		if obj.aggregates == nil {
			obj.aggregates = make([]aggregateRecord, 0, typicalReasons)
		}
		obj.aggregates = append(obj.aggregates, aggregateRecord{eventType: ev.Type, reason: ev.Reason})
		rec = &obj.aggregates[len(obj.aggregates)-1]
	case now-rec.last > aggregateInterval:
		*rec = aggregateRecord{eventType: ev.Type, reason: ev.Reason}
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
		return ev, eventKey
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
	return combined, eventLog{aggregate: true, eventType: ev.Type, reason: ev.Reason}
}

// observe is eventLogger.eventObserve: a repeat of a known event takes its
// name and first timestamp and counts one more. It runs before the spam
// filter, so filtered repeats still count.
func (obj *objectEvents) observe(ev *corev1.Event, key eventLog) *corev1.Event {
	key.count, key.first, key.name = ev.Count, ev.FirstTimestamp, ev.Name
	for i := range obj.logs {
		l := &obj.logs[i]
		if l.aggregate != key.aggregate || l.fieldPath != key.fieldPath || l.eventType != key.eventType || l.reason != key.reason || l.msg != key.msg {
			continue
		}
		ev.Name, ev.FirstTimestamp, ev.Count = l.name, l.first, l.count+1
		l.count, l.first, l.name = ev.Count, ev.FirstTimestamp, ev.Name
		return ev
	}
	if obj.logs == nil {
		obj.logs = make([]eventLog, 0, typicalReasons)
	}
	obj.logs = append(obj.logs, key)
	return ev
}

// typicalReasons is room for the events of a pod that starts and runs:
// Pulled, Created, Started (three where append would give four).
const typicalReasons = 3
