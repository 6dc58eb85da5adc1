package trace

import (
	"encoding/json"
	"io"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/lifecycle"
)

// headerRecord is the first line of a JSON Lines trace.
type headerRecord struct {
	Record string `json:"record"`
	Header
}

// jsonRecord is one change, flat where a notebook wants columns: t_ms and
// ts for time (never *_time or *_at, which pandas would read as epoch
// dates), the object's identity, who changed it and why, and for pods the
// kubectl columns as they were.
type jsonRecord struct {
	Record    string   `json:"record"`
	TMs       float64  `json:"t_ms"`
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

	// Pod records: the kubectl get pods columns and the phase.
	Phase    string `json:"phase,omitempty"`
	Ready    string `json:"ready,omitempty"`
	Status   string `json:"status,omitempty"`
	Restarts string `json:"restarts,omitempty"`

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
	if err := enc.Encode(headerRecord{Record: "header", Header: t.Header}); err != nil {
		return err
	}
	for _, r := range t.Records {
		at := t.Header.Epoch.Add(r.T)
		kind := "change"
		if r.Op == Runtime {
			kind = "runtime"
		}
		jr := jsonRecord{
			Record: kind, TMs: float64(r.T) / float64(time.Millisecond), TS: at.UTC().Format(time.RFC3339Nano),
			Kind: r.Kind, Op: r.Op, Namespace: r.Namespace, Name: r.Name, Container: r.Container,
			Actor: r.Actor, Cause: r.Cause, Changes: r.Changes, Warnings: r.Warnings, Runtime: r.Runtime,
		}
		switch {
		case r.Pod != nil:
			row := lifecycle.PrintPod(r.Pod, at, rules)
			jr.Phase, jr.Ready, jr.Status, jr.Restarts = string(r.Pod.Status.Phase), row.Ready, row.Status, row.Restarts
			jr.Object = r.Pod
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
		if err := enc.Encode(jr); err != nil {
			return err
		}
	}
	return nil
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
