package trace

import (
	"errors"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// Schema names the version of the record format, written in the header of
// every JSON Lines trace.
const Schema = "podsim.trace/v1"

// Op is what happened to an object, in the words of a Kubernetes watch.
type Op string

// Watch event types (k8s.io/apimachinery/pkg/watch).
const (
	Added    Op = "ADDED"
	Modified Op = "MODIFIED"
	Deleted  Op = "DELETED"
	// Emitted marks an Event record: a component reported an event. The
	// event object in the record is as the API server stored it after
	// correlation (count, first and last timestamps).
	Emitted Op = "EMITTED"
	// Runtime marks a Container record: something the container runtime did
	// that no API object shows — a hook starting or ending, a signal, an exit.
	Runtime Op = "RUNTIME"
)

// Header describes the run that produced a trace, enough to reproduce it.
type Header struct {
	Schema  string    `json:"schema"`
	Seed    uint64    `json:"seed"`
	Version string    `json:"kubernetes_version"`
	Epoch   time.Time `json:"epoch"`
	// Settings are the resolved environment settings of the run.
	Settings any `json:"settings,omitempty"`
}

// Record is one change in the cluster: an update of an object in the API
// server, or an event a component reported.
type Record struct {
	// T is the virtual time of the change, since the start of the run.
	T time.Duration
	// Kind is the object's kind: Pod, Event, Node, Service, Endpoints,
	// ConfigMap, Secret, or Container for what the runtime did.
	Kind      string
	Op        Op
	Namespace string
	Name      string
	// Container names the container of a Container record.
	Container string
	// Actor is who made the change, such as "kubelet/node-1",
	// "default-scheduler", "calico" or "user".
	Actor string
	// Cause says why, in the words of the rule that fired, such as
	// "liveness probe failed 3 times" or "back-off 40s".
	Cause string
	// Changes summarises what changed, one "field: old → new" per entry.
	Changes []string
	// Pod is the pod after the change (Pod records).
	Pod *corev1.Pod
	// Event is the event after the change (Event records).
	Event *corev1.Event
	// Object is the object after the change for other kinds.
	Object any
	// Dropped marks an event the recorder's spam filter kept from the API
	// server: the kubelet reported it, but kubectl will not show it.
	Dropped bool
	// Warnings are the warnings the API server returned with the write, as
	// kubectl prints them after "Warning: ".
	Warnings []string
}

// Trace is the recorded history of one run.
type Trace struct {
	Header  Header
	Records []Record
}

// Sink is where the components of a run put their records, in the order
// things happen: the API server for every write, the event recorders for
// every event, the container runtimes for what no API object shows.
type Sink interface {
	Add(r Record)
}

// ErrNilTrace is what the writers of this package return for a nil *Trace.
var ErrNilTrace = errors.New("trace: no trace (a nil *Trace)")

// Add appends a record: a Trace keeps the whole history in memory.
func (t *Trace) Add(r Record) { t.Records = append(t.Records, r) }

// Pods returns the records about pods, in order (none for a nil trace).
func (t *Trace) Pods() []Record {
	if t == nil {
		return nil
	}
	var out []Record
	for _, r := range t.Records {
		if r.Kind == "Pod" {
			out = append(out, r)
		}
	}
	return out
}

// Events returns the event records, in order (none for a nil trace).
func (t *Trace) Events() []Record {
	if t == nil {
		return nil
	}
	var out []Record
	for _, r := range t.Records {
		if r.Kind == "Event" {
			out = append(out, r)
		}
	}
	return out
}
