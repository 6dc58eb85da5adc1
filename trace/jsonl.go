package trace

import (
	"encoding/json"
	"io"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/lifecycle"
)

// headerRecord is the first line of a JSON Lines trace. Its keys are in
// the order a reader wants them: what format, which podsim, how the run was
// made, how long it ran, then the settings.
type headerRecord struct {
	Record        string    `json:"record"`
	Schema        string    `json:"schema"`
	PodsimVersion string    `json:"podsim_version"`
	Seed          uint64    `json:"seed"`
	Version       string    `json:"kubernetes_version"`
	Epoch         time.Time `json:"epoch"`
	DurationMs    float64   `json:"duration_ms"`
	DurationS     float64   `json:"duration_s"`
	Settings      any       `json:"settings,omitempty"`
	Assumptions   []string  `json:"assumptions,omitempty"`
	Warnings      []string  `json:"warnings,omitempty"`
}

func newHeaderRecord(h Header) headerRecord {
	return headerRecord{
		Record: "header", Schema: h.Schema, PodsimVersion: h.PodsimVersion, Seed: h.Seed, Version: h.Version,
		Epoch: h.Epoch, DurationMs: milliseconds(h.Duration), DurationS: h.Duration.Seconds(), Settings: h.Settings,
		Assumptions: h.Assumptions, Warnings: h.Warnings,
	}
}

// jsonRecord is one change, flat where a notebook wants columns: t_ms and
// ts for time (never *_time or *_at, which pandas would read as epoch
// dates), the object's identity, who changed it and why, and for pods the
// kubectl columns as they were.
type jsonRecord struct {
	Record    string   `json:"record"`
	TMs       float64  `json:"t_ms"`
	TSeconds  float64  `json:"t_s"`
	TS        string   `json:"ts"`
	Kind      string   `json:"kind"`
	Op        Op       `json:"op"`
	Namespace string   `json:"namespace,omitempty"`
	Name      string   `json:"name"`
	Container string   `json:"container,omitempty"`
	Actor     string   `json:"actor,omitempty"`
	Cause     string   `json:"cause,omitempty"`
	Changes   []string `json:"changes,omitempty"`
	Warnings  []string `json:"warnings,omitempty"`

	// Pod records: the kubectl get pods columns and the phase, then the
	// same as numbers (pointers: present on every Pod record, zero
	// included, and on no other).
	Phase           string          `json:"phase,omitempty"`
	Ready           string          `json:"ready,omitempty"`
	Status          string          `json:"status,omitempty"`
	Restarts        string          `json:"restarts,omitempty"`
	RestartCount    *int            `json:"restart_count,omitempty"`
	ReadyContainers *int            `json:"ready_containers,omitempty"`
	TotalContainers *int            `json:"total_containers,omitempty"`
	PodReady        *bool           `json:"pod_ready,omitempty"`
	Containers      []jsonContainer `json:"containers,omitempty"`

	// Event records.
	EventType    string `json:"event_type,omitempty"`
	EventReason  string `json:"event_reason,omitempty"`
	EventMessage string `json:"event_message,omitempty"`
	EventCount   int32  `json:"event_count,omitempty"`
	Dropped      bool   `json:"dropped,omitempty"`

	// Runtime records: the structured form (Record.Runtime).
	Runtime *RuntimeAction `json:"runtime,omitempty"`

	Object any `json:"object,omitempty"`
}

// WriteJSONL writes the trace as JSON Lines: a header record, then one
// record per change in order. rules are the printing rules of the trace's
// Kubernetes version, used for the kubectl columns of pod records.
func WriteJSONL(w io.Writer, t *Trace, rules lifecycle.Rules) error {
	if t == nil {
		return ErrNilTrace
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(newHeaderRecord(t.Header)); err != nil {
		return err
	}
	for _, r := range t.All() {
		if err := encodeRecord(enc, t.Header.Epoch, r, rules); err != nil {
			return err
		}
	}
	return nil
}

// encodeRecord writes one record as a JSON line.
func encodeRecord(enc *json.Encoder, epoch time.Time, r Record, rules lifecycle.Rules) error {
	at := epoch.Add(r.T)
	kind := "change"
	switch r.Op {
	case Runtime:
		kind = "runtime"
	case Printed:
		kind = "output"
	}
	jr := jsonRecord{
		Record: kind, TMs: milliseconds(r.T), TSeconds: r.T.Seconds(), TS: at.UTC().Format(time.RFC3339Nano),
		Kind: r.Kind, Op: r.Op, Namespace: r.Namespace, Name: r.Name, Container: r.Container,
		Actor: r.Actor, Cause: r.Cause, Changes: r.Changes, Warnings: r.Warnings, Runtime: r.Runtime,
	}
	switch {
	case r.Pod != nil:
		jr.setPod(r.Pod, at, rules)
	case r.Event != nil:
		jr.Record = "event"
		jr.EventType, jr.EventReason, jr.EventMessage, jr.EventCount = r.Event.Type, r.Event.Reason, r.Event.Message, r.Event.Count
		if jr.Container == "" {
			jr.Container = fieldPathContainer(r.Event.InvolvedObject.FieldPath)
		}
		jr.Dropped = r.Dropped
		jr.Object = eventObject(r.Event)
	default:
		jr.Object = r.Object
	}
	return enc.Encode(jr)
}

// fieldPathContainer is the container an event's involved object names,
// "app" in spec.containers{app} or spec.initContainers{app}, the form of
// pkg/kubelet/container/ref.go GenerateContainerRef; "" for none.
func fieldPathContainer(fieldPath string) string {
	open := strings.IndexByte(fieldPath, '{')
	if open < 0 || !strings.HasSuffix(fieldPath, "}") {
		return ""
	}
	return fieldPath[open+1 : len(fieldPath)-1]
}

// eventObject is the event without the fields a notebook would not use.
func eventObject(e *corev1.Event) *corev1.Event {
	cp := e.DeepCopy()
	cp.ManagedFields = nil
	return cp
}

// milliseconds is d in milliseconds, with a fractional part when d is not
// a whole number of them.
func milliseconds(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// setPod fills the pod columns of a record: kubectl's, their numbers, and
// one entry per container.
func (jr *jsonRecord) setPod(pod *corev1.Pod, at time.Time, rules lifecycle.Rules) {
	row, n := lifecycle.PrintPodCounts(pod, at, rules)
	jr.Phase, jr.Ready, jr.Status, jr.Restarts = string(pod.Status.Phase), row.Ready, row.Status, row.Restarts
	ready := podReady(pod)
	jr.RestartCount, jr.ReadyContainers, jr.TotalContainers, jr.PodReady = &n.Restarts, &n.ReadyContainers, &n.TotalContainers, &ready
	jr.Containers = containerColumns(pod)
	jr.Object = pod
}
