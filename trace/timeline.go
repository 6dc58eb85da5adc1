package trace

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// TimelineOptions selects what a timeline shows.
type TimelineOptions struct {
	// Namespace keeps only pods of this namespace; "" keeps all.
	Namespace string
	// Names keeps only these pods; empty keeps all.
	Names []string
}

// Timeline writes the trace for people, one line per change of a pod, per
// event and per thing the runtime did (a hook, a signal, an exit), with the
// time since the start, who acted and why. It is the view that shows what
// no kubectl output does, such as a preStop hook using 40 s of a 60 s
// grace period before the SIGTERM.
func Timeline(w io.Writer, t *Trace, opts TimelineOptions) error {
	if t == nil {
		return ErrNilTrace
	}
	rows := [][]string{{"TIME", "POD", "CONTAINER", "BY", "WHAT"}}
	for _, r := range t.All() {
		if r.Op == Printed && r.Namespace == "" {
			// A command's line about no pod (node/n cordoned): shown, unless
			// the timeline is narrowed to some pods.
			if opts.Namespace == "" && len(opts.Names) == 0 {
				rows = append(rows, []string{timelineTime(r.T), "-", "-", r.Actor, r.Cause})
			}
			continue
		}
		if r.Namespace == "" || (opts.Namespace != "" && r.Namespace != opts.Namespace) {
			continue
		}
		if len(opts.Names) > 0 && !slices.Contains(opts.Names, r.Name) {
			continue
		}
		var what, container string
		name := r.Name
		switch {
		case workloadKinds[r.Kind]:
			// A controller's object: kubectl's resource/name, with what
			// changed of its replicas and conditions.
			name = strings.ToLower(r.Kind) + "/" + r.Name
			what = string(r.Op)
			if r.Op == Modified {
				what = strings.Join(r.Changes, "; ")
			}
			if r.Cause != "" && r.Cause != "created" {
				what += " (" + r.Cause + ")"
			}
		case r.Kind == "Pod":
			what = string(r.Op)
			if r.Op == Modified {
				what = strings.Join(r.Changes, "; ")
			}
			if r.Cause != "" && r.Cause != "created" {
				what += " (" + r.Cause + ")"
			}
			for _, w := range r.Warnings {
				what += "; Warning: " + w
			}
		case r.Event != nil:
			if k := r.Event.InvolvedObject.Kind; workloadKinds[k] {
				name = strings.ToLower(k) + "/" + r.Name
			} else if k != "Pod" {
				continue
			}
			what = fmt.Sprintf("event %s %s: %s", r.Event.Type, r.Event.Reason, r.Event.Message)
			if r.Dropped {
				what += " (dropped by the event spam filter)"
			}
			container = fieldPathContainer(r.Event.InvolvedObject.FieldPath)
		case r.Op == Runtime:
			what, container = r.Cause, r.Container
		case r.Op == Printed:
			what = r.Cause
		default:
			continue
		}
		// One line per record: probe output ends in a newline, as the
		// process wrote it; kubectl describe trims it too
		// (staging/src/k8s.io/kubectl/pkg/describe/describe.go DescribeEvents).
		what = strings.Join(strings.Fields(what), " ")
		if what == "" {
			continue
		}
		rows = append(rows, []string{timelineTime(r.T), name, orNone(container), r.Actor, what})
	}
	return WriteTable(w, rows)
}

// workloadKinds are the kinds of the workload controllers' objects, which
// a timeline shows beside the pods they make.
var workloadKinds = map[string]bool{"Deployment": true, "ReplicaSet": true, "StatefulSet": true, "DaemonSet": true, "Job": true}

// timelineTime writes a virtual time to the millisecond, as Go writes
// durations ("1m30.01s"), so it reads like kubectl's ages.
func timelineTime(d time.Duration) string {
	return d.Truncate(time.Millisecond).String()
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
