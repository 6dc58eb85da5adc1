package trace

import (
	"encoding/json"
	"errors"
	"strconv"
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
	// Printed marks an Output record: a line a command the user ran (such
	// as kubectl drain) printed; Cause holds the line, Container "stdout"
	// or "stderr", Namespace and Name the pod it is about, if any.
	Printed Op = "PRINTED"
)

// Header describes the run that produced a trace, enough to reproduce it.
type Header struct {
	Schema string `json:"schema"`
	// PodsimVersion is the version of podsim that made the trace
	// ([PodsimVersion]).
	PodsimVersion string    `json:"podsim_version"`
	Seed          uint64    `json:"seed"`
	Version       string    `json:"kubernetes_version"`
	Epoch         time.Time `json:"epoch"`
	// Duration is how far in virtual time the run went: the scenario's
	// duration, or --until. Set when the run ends.
	Duration time.Duration `json:"-"`
	// Settings are the resolved environment settings of the run.
	Settings any `json:"settings,omitempty"`
	// Assumptions are what podsim took to be so because the input did not
	// say it ("image mycorp/api:1.2 behaves as a healthy server …");
	// Warnings the manifest fields it read but did not simulate.
	Assumptions []string `json:"assumptions,omitempty"`
	Warnings    []string `json:"warnings,omitempty"`
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
	// Pod is the pod after the change (Pod records). In a record read
	// from a Trace it is rebuilt from the trace's history of the pod and
	// shares what did not change with the versions before and after: it
	// must not be modified (nor Event, Object, Changes, Warnings, Runtime).
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
	// Runtime is what a Container record says, as fields rather than
	// words: the signal sent, the exit code, the hook. Cause keeps the
	// sentence. Nil for other records.
	Runtime *RuntimeAction
}

// RuntimeKind says what sort of thing a Container record reports.
type RuntimeKind string

// The kinds of runtime record.
const (
	// RuntimeSignal: the runtime sent a signal (RuntimeAction.Signal). For
	// a stop signal, GracePeriodSeconds is how long before SIGKILL follows.
	RuntimeSignal RuntimeKind = "signal"
	// RuntimeExit: the container's main process ended, with ExitCode, and
	// Signal when a signal ended it.
	RuntimeExit RuntimeKind = "exit"
	// RuntimeHook: a lifecycle hook (Hook) started, finished or failed
	// (HookResult), after Duration.
	RuntimeHook RuntimeKind = "hook"
	// RuntimeUsage: the processes' memory use (Path "") or disk use under
	// Path changed to Bytes.
	RuntimeUsage RuntimeKind = "usage"
	// RuntimeUser: a user acted inside the container (a scenario's
	// container action, sim.Cluster.InContainer).
	RuntimeUser RuntimeKind = "user"
	// RuntimeAppStart: the container started, and its application takes
	// Duration (drawn from its image's startTime) before its first step.
	RuntimeAppStart RuntimeKind = "appStart"
	// RuntimeVolume: a volume the container mounts was rewritten from its
	// source (Volume), a ConfigMap or Secret that changed.
	RuntimeVolume RuntimeKind = "volume"
)

// Hook results of a RuntimeHook record.
const (
	HookStarted  = "started"
	HookFinished = "finished"
	HookFailed   = "failed"
	// HookTimedOut: the hook was still running when its time (the grace
	// period, for preStop) ran out.
	HookTimedOut = "timedOut"
)

// RuntimeAction is the structured form of a Container record.
type RuntimeAction struct {
	Kind RuntimeKind `json:"kind"`
	// Signal is "SIGTERM", "SIGKILL" or the image's stop signal.
	Signal string `json:"signal,omitempty"`
	// GracePeriodSeconds is the time a stop signal leaves before SIGKILL.
	GracePeriodSeconds *int64 `json:"gracePeriodSeconds,omitempty"`
	// ExitCode is the exit status of an exit record.
	ExitCode *int `json:"exitCode,omitempty"`
	// Hook is "PostStart" or "PreStop".
	Hook string `json:"hook,omitempty"`
	// HookResult is HookStarted, HookFinished, HookFailed or HookTimedOut.
	HookResult string `json:"hookResult,omitempty"`
	// Duration is how long the hook ran, for a hook that ended, or how
	// long the application takes to start (JSON: durationMs).
	Duration time.Duration `json:"-"`
	// Path and Bytes are a usage record's; Processes, instead of Bytes,
	// the container's process count.
	Path      string `json:"path,omitempty"`
	Bytes     *int64 `json:"bytes,omitempty"`
	Processes *int64 `json:"processes,omitempty"`
	// Volume is a volume record's volume.
	Volume string `json:"volume,omitempty"`
}

// Trace is the recorded history of one run. It keeps its records
// compactly (see the package doc): Len, At and All read them back whole.
type Trace struct {
	Header Header
	// Forward, when set, receives every record as it is added, in order:
	// a JSONLStream writing the trace out as the run goes, or a callback
	// (SinkFunc).
	Forward Sink
	// Discard keeps no record: with Forward set, a run's memory no longer
	// grows with its history. The renderings of the trace then see the
	// header and the records added while Discard was off.
	Discard bool
	// Discarded counts the records Discard kept out.
	Discarded int

	log []entry
	tab *tables
}

// SinkFunc is a function that takes records, as a Sink.
type SinkFunc func(Record)

// Add calls f.
func (f SinkFunc) Add(r Record) { f(r) }

// Sink is where the components of a run put their records, in the order
// things happen: the API server for every write, the event recorders for
// every event, the container runtimes for what no API object shows.
type Sink interface {
	Add(r Record)
}

// ErrNilTrace is what the writers of this package return for a nil *Trace.
var ErrNilTrace = errors.New("trace: no trace (a nil *Trace)")

// Add keeps a record — a Trace keeps the whole history in memory, each
// object as a delta against its version before — unless Discard says not
// to, and hands it to Forward. The objects r carries must not be modified
// afterwards: the trace shares them (the API server's stored objects are
// never modified, each write stores a new one).
func (t *Trace) Add(r Record) {
	if t.Forward != nil {
		t.Forward.Add(r)
	}
	if t.Discard {
		t.Discarded++
		return
	}
	if t.tab == nil {
		t.tab = newTables()
	}
	t.log = append(t.log, t.tab.keep(r))
}

// Pods returns the records about pods, in order (none for a nil trace).
func (t *Trace) Pods() []Record { return t.ofKind("Pod") }

// Events returns the event records, in order (none for a nil trace).
func (t *Trace) Events() []Record { return t.ofKind("Event") }

// MarshalJSON writes the action with its Duration in milliseconds.
func (a RuntimeAction) MarshalJSON() ([]byte, error) {
	type plain RuntimeAction
	out := struct {
		plain
		DurationMs *float64 `json:"durationMs,omitempty"`
	}{plain: plain(a)}
	if (a.Kind == RuntimeHook && a.HookResult != HookStarted) || a.Kind == RuntimeAppStart {
		ms := float64(a.Duration) / float64(time.Millisecond)
		out.DurationMs = &ms
	}
	return json.Marshal(out)
}

// SignalName names a signal number as kill -l does, for the common ones.
func SignalName(sig int) string {
	switch sig {
	case 9:
		return "SIGKILL"
	case 15:
		return "SIGTERM"
	case 2:
		return "SIGINT"
	case 3:
		return "SIGQUIT"
	case 1:
		return "SIGHUP"
	}
	return "signal " + strconv.Itoa(sig)
}
