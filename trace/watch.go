package trace

import (
	"io"
	"maps"
	"slices"
	"text/tabwriter"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/lifecycle"
)

// WatchOptions selects what a watch table shows.
type WatchOptions struct {
	// Wide adds the -o wide columns IP, NODE, NOMINATED NODE and READINESS GATES.
	Wide bool
	// Rules are the printing rules of the Kubernetes version the trace
	// follows (lifecycle.RulesFor).
	Rules lifecycle.Rules
	// Namespace keeps only pods of this namespace; "" keeps all.
	Namespace string
	// Names keeps only these pods; empty keeps all.
	Names []string
	// Until keeps only records at or before this time; 0 keeps all.
	Until time.Duration
	// Since starts the watch at this time, as a `kubectl get pods -w`
	// typed then would: first every pod that exists at Since, as it is
	// then (sorted by namespace and name, AGE at Since), then each later
	// change. 0 watches from the start.
	Since time.Duration
}

// Column headers of kubectl get pods (pkg/printers/internalversion/printers.go).
var (
	watchHeader     = []string{"NAME", "READY", "STATUS", "RESTARTS", "AGE"}
	watchWideHeader = []string{"IP", "NODE", "NOMINATED NODE", "READINESS GATES"}
)

// WatchRows returns the rows `kubectl get pods -w` prints for the trace:
// one per stored change of a pod (ADDED, MODIFIED and DELETED alike, with
// no de-duplication), each as the pod was at that moment, AGE counted from
// its creationTimestamp to the moment of the change. The first row is the
// header.
func WatchRows(t *Trace, opts WatchOptions) [][]string {
	timed := WatchTimedRows(t, opts)
	rows := make([][]string, len(timed))
	for i, r := range timed {
		rows[i] = r.Cells
	}
	return rows
}

// TimedRow is a row of the watch with the moment a watching kubectl
// prints it.
type TimedRow struct {
	// At is the virtual time of the change the row shows; for the header
	// and the rows a watch lists when it starts, it is WatchOptions.Since.
	At    time.Duration
	Cells []string
}

// WatchTimedRows is WatchRows with each row's moment, for playing a watch
// back as it happened.
func WatchTimedRows(t *Trace, opts WatchOptions) []TimedRow {
	header := slices.Clone(watchHeader)
	if opts.Wide {
		header = append(header, watchWideHeader...)
	}
	rows := []TimedRow{{At: opts.Since, Cells: header}}
	if t == nil {
		return rows // a nil trace has nothing to show
	}
	addRow := func(p *corev1.Pod, at time.Duration) {
		row := lifecycle.PrintPod(p, t.Header.Epoch.Add(at), opts.Rules)
		cells := []string{row.Name, row.Ready, row.Status, row.Restarts, row.Age}
		if opts.Wide {
			cells = append(cells, row.IP, row.Node, row.NominatedNode, row.ReadinessGates)
		}
		rows = append(rows, TimedRow{At: at, Cells: cells})
	}
	// The list a watch starts with: each pod's last state at Since, as
	// kubectl get -w lists before it watches
	// (staging/src/k8s.io/kubectl/pkg/cmd/get/get.go watch).
	listed := map[string]Record{}
	for _, r := range t.All() {
		if r.Kind != "Pod" || r.Pod == nil {
			continue
		}
		if opts.Until > 0 && r.T > opts.Until {
			break
		}
		if opts.Namespace != "" && r.Namespace != opts.Namespace {
			continue
		}
		if len(opts.Names) > 0 && !slices.Contains(opts.Names, r.Name) {
			continue
		}
		if opts.Since > 0 && r.T <= opts.Since {
			if r.Op == Deleted {
				delete(listed, r.Namespace+"/"+r.Name)
			} else {
				listed[r.Namespace+"/"+r.Name] = r
			}
			continue
		}
		if len(listed) > 0 {
			for _, k := range slices.Sorted(maps.Keys(listed)) {
				addRow(listed[k].Pod, opts.Since)
			}
			clear(listed)
		}
		addRow(r.Pod, r.T)
	}
	for _, k := range slices.Sorted(maps.Keys(listed)) {
		addRow(listed[k].Pod, opts.Since)
	}
	return rows
}

// Watch writes the watch table, its columns aligned as kubectl aligns them
// (a tab writer with three spaces of padding).
func Watch(w io.Writer, t *Trace, opts WatchOptions) error {
	if t == nil {
		return ErrNilTrace
	}
	return WriteTable(w, WatchRows(t, opts))
}

// WriteTable writes rows as kubectl's printers do: cells separated by at
// least three spaces, the last column unpadded.
func WriteTable(w io.Writer, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 6, 4, 3, ' ', 0)
	for _, row := range rows {
		for i, cell := range row {
			if i > 0 {
				if _, err := io.WriteString(tw, "\t"); err != nil {
					return err
				}
			}
			if _, err := io.WriteString(tw, cell); err != nil {
				return err
			}
		}
		if _, err := io.WriteString(tw, "\n"); err != nil {
			return err
		}
	}
	return tw.Flush()
}
