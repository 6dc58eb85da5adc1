package sim

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

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

// eventRecorder plays client-go's event recorder for every component: each
// event goes through an EventCorrelator (aggregate similar events, count
// repeats, then a per-object spam filter) before it reaches the API server.
type eventRecorder struct {
	c           *Cluster
	correlators map[string]*correlator
	named       map[string]bool // names handed out, including events the spam filter dropped
}

func newEventRecorder(c *Cluster) *eventRecorder {
	return &eventRecorder{c: c, correlators: map[string]*correlator{}, named: map[string]bool{}}
}

// correlator is the state of one recorder (one component on one host).
type correlator struct {
	aggregates map[string]*aggregateRecord
	logs       map[string]*eventLog
	spam       map[string]*tokenBucket
}

type aggregateRecord struct {
	localKeys []string // distinct messages, oldest first
	last      time.Duration
}

type eventLog struct {
	count int32
	first metav1.Time
	name  string
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

// eventSource says who reports an event.
type eventSource struct {
	component, host string
	clockOffset     time.Duration // the source's clock minus the control plane's
}

// actor names the source in trace records as pod records name it:
// "kubelet/node-1".
func (s eventSource) actor() string {
	if s.host == "" {
		return s.component
	}
	return s.component + "/" + s.host
}

// podRef is the involved object of an event about a pod or one of its
// containers (fieldPath spec.containers{name}).
func podRef(p *corev1.Pod, fieldPath string) corev1.ObjectReference {
	return corev1.ObjectReference{
		Kind: "Pod", Namespace: p.Namespace, Name: p.Name, UID: p.UID,
		APIVersion: "v1", FieldPath: fieldPath,
	}
}

// containerFieldPath is the fieldPath of a container in its pod
// (pkg/kubelet/container/ref.go GenerateContainerRef).
func containerFieldPath(p *corev1.Pod, name string) string {
	for _, c := range p.Spec.InitContainers {
		if c.Name == name {
			return fmt.Sprintf("spec.initContainers{%s}", name)
		}
	}
	return fmt.Sprintf("spec.containers{%s}", name)
}

// eventName is the recorder's name for a new event, <object>.<hex of the
// time in nanoseconds>. Two events at the same virtual instant would share
// a name, where a real recorder's clock has moved on by a few nanoseconds;
// podsim moves it on by one nanosecond per clash.
func (r *eventRecorder) eventName(object, ns string, wall time.Time) string {
	n := wall.UnixNano()
	for {
		name := fmt.Sprintf("%v.%x", object, n)
		if _, taken := r.c.api.events[objKey{ns, name}]; !taken && !r.named[name] {
			r.named[name] = true
			return name
		}
		n++
	}
}

// emit records an event from src about ref, as record.EventRecorder.Eventf.
func (r *eventRecorder) emit(src eventSource, ref corev1.ObjectReference, eventType, reason, message string) {
	c := r.c
	now := c.eng.Now()
	wall := c.wall(now).Add(src.clockOffset)
	ns := ref.Namespace
	if ns == "" {
		ns = corev1.NamespaceDefault
	}
	ev := &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: r.eventName(ref.Name, ns, wall), Namespace: ns},
		InvolvedObject: ref,
		Reason:         reason,
		Message:        message,
		FirstTimestamp: metav1.NewTime(wall.Truncate(time.Second)),
		LastTimestamp:  metav1.NewTime(wall.Truncate(time.Second)),
		Count:          1,
		Type:           eventType,
		Source:         corev1.EventSource{Component: src.component, Host: src.host},
	}
	if c.profile.EventReportingController {
		ev.ReportingController, ev.ReportingInstance = src.component, src.host
	}
	corrKey := src.component + "/" + src.host
	cor, ok := r.correlators[corrKey]
	if !ok {
		cor = &correlator{aggregates: map[string]*aggregateRecord{}, logs: map[string]*eventLog{}, spam: map[string]*tokenBucket{}}
		r.correlators[corrKey] = cor
	}
	ev, key := cor.aggregate(ev, now, wall)
	ev = cor.observe(ev, key)
	spamKey := strings.Join([]string{ev.Source.Component, ev.Source.Host, ev.InvolvedObject.Kind, ev.InvolvedObject.Namespace,
		ev.InvolvedObject.Name, string(ev.InvolvedObject.UID), ev.InvolvedObject.APIVersion}, "")
	bucket, ok := cor.spam[spamKey]
	if !ok {
		bucket = &tokenBucket{tokens: spamBurst, last: now}
		cor.spam[spamKey] = bucket
	}
	accepted := bucket.tryAccept(now)
	if accepted {
		// Each emission stores a new object, never modified again, so the
		// trace shares it.
		c.api.events[objKey{ev.Namespace, ev.Name}] = ev
	}
	c.record(trace.Record{
		T: now, Kind: "Event", Op: trace.Emitted, Namespace: ev.InvolvedObject.Namespace, Name: ev.InvolvedObject.Name,
		Actor: src.actor(), Cause: reason, Event: ev, Dropped: !accepted,
	})
}

// aggregate is EventAggregator.EventAggregate: once an object has had ten
// different messages for one reason within ten minutes (each within ten
// minutes of the previous), further ones are combined into one event.
func (cor *correlator) aggregate(ev *corev1.Event, now time.Duration, wall time.Time) (*corev1.Event, string) {
	eventKey := strings.Join([]string{ev.Source.Component, ev.Source.Host, ev.InvolvedObject.Kind, ev.InvolvedObject.Namespace,
		ev.InvolvedObject.Name, ev.InvolvedObject.FieldPath, string(ev.InvolvedObject.UID), ev.InvolvedObject.APIVersion,
		ev.Type, ev.Reason, ev.Message}, "")
	aggKey := strings.Join([]string{ev.Source.Component, ev.Source.Host, ev.InvolvedObject.Kind, ev.InvolvedObject.Namespace,
		ev.InvolvedObject.Name, string(ev.InvolvedObject.UID), ev.InvolvedObject.APIVersion, ev.Type, ev.Reason,
		ev.ReportingController, ev.ReportingInstance}, "")
	rec, ok := cor.aggregates[aggKey]
	if !ok || now-rec.last > aggregateInterval {
		rec = &aggregateRecord{}
		cor.aggregates[aggKey] = rec
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
	return combined, aggKey
}

// observe is eventLogger.eventObserve: a repeat of a known event takes its
// name and first timestamp and counts one more. It runs before the spam
// filter, so filtered repeats still count.
func (cor *correlator) observe(ev *corev1.Event, key string) *corev1.Event {
	if l, ok := cor.logs[key]; ok {
		ev.Name = l.name
		ev.FirstTimestamp = l.first
		ev.Count = l.count + 1
	}
	cor.logs[key] = &eventLog{count: ev.Count, first: ev.FirstTimestamp, name: ev.Name}
	return ev
}

// emitSchedulerEvent records an event as the scheduler does, through the
// events.k8s.io API: no source, a reporting controller, an eventTime and an
// action (pkg/scheduler/schedule_one.go).
func (r *eventRecorder) emitSchedulerEvent(p *corev1.Pod, eventType, reason, action, note string) {
	c := r.c
	now := c.eng.Now()
	wall := c.wall(now)
	ev := &corev1.Event{
		ObjectMeta:          metav1.ObjectMeta{Name: r.eventName(p.Name, p.Namespace, wall), Namespace: p.Namespace},
		InvolvedObject:      podRef(p, ""),
		Reason:              reason,
		Message:             note,
		Type:                eventType,
		EventTime:           metav1.NewMicroTime(wall),
		Action:              action,
		ReportingController: corev1.DefaultSchedulerName,
		ReportingInstance:   corev1.DefaultSchedulerName + "-podsim",
	}
	c.api.events[objKey{ev.Namespace, ev.Name}] = ev
	c.record(trace.Record{T: now, Kind: "Event", Op: trace.Emitted, Namespace: p.Namespace, Name: p.Name,
		Actor: corev1.DefaultSchedulerName, Cause: reason, Event: ev})
}
