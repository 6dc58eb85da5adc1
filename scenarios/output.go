package scenarios

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"

	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

// Output formats of Render, as kubectl's -o flag names them.
const (
	FormatWatch    = ""         // kubectl get pods -w
	FormatWide     = "wide"     // kubectl get pods -w -o wide
	FormatDescribe = "describe" // kubectl describe pod
	FormatYAML     = "yaml"     // kubectl get pods -o yaml
	FormatJSON     = "json"     // kubectl get pods -o json
	FormatJSONL    = "jsonl"    // the trace as JSON Lines
	FormatTimeline = "timeline" // every change, event, hook and signal, for people
	FormatCSV      = "csv"      // one row per interval of a pod's state
)

// Formats lists the output formats Render knows.
var Formats = []string{FormatWatch, FormatWide, FormatDescribe, FormatYAML, FormatJSON, FormatJSONL, FormatTimeline, FormatCSV}

// PointInTime reports whether a format shows the cluster at one moment
// (describe, yaml, json) rather than its whole history (watch, jsonl).
func PointInTime(format string) bool {
	return format == FormatDescribe || format == FormatYAML || format == FormatJSON
}

// RenderOptions choose what Render prints.
type RenderOptions struct {
	// Format is one of Formats.
	Format string
	// Pod, when set, limits the output to the pods of this name.
	Pod string
	// Namespace, when set, limits the output to the pods of this namespace
	// (kubectl's -n); by default every namespace is shown.
	Namespace string
	// Selector, when set, limits the output to the pods whose labels it
	// matches (kubectl's -l), at some point of their life.
	Selector labels.Selector
	// Location is the time zone of describe's timestamps (default UTC).
	Location *time.Location
	// From starts the watch outputs at this time, as a `kubectl get pods -w`
	// typed then: the pods as they are at From, then each later change.
	From time.Duration
}

// Render writes what kubectl would print about the cluster: the watch lines
// of its whole history, or its pods as they are now.
func Render(w io.Writer, c *sim.Cluster, o RenderOptions) error {
	rules := c.Profile().Lifecycle
	t := o.selectTrace(c.Trace())
	switch o.Format {
	case FormatWatch, FormatWide:
		return trace.Watch(w, t, trace.WatchOptions{Wide: o.Format == FormatWide, Rules: rules, Since: o.From})
	case FormatTimeline:
		return trace.Timeline(w, t, trace.TimelineOptions{})
	case FormatJSONL:
		return trace.WriteJSONL(w, t, rules)
	case FormatCSV:
		return trace.WriteCSV(w, t, rules)
	case FormatDescribe:
		pods := o.selectPods(c.Pods())
		loc := o.Location
		if loc == nil {
			loc = time.UTC
		}
		for i, p := range pods {
			if i > 0 {
				fmt.Fprintln(w)
			}
			if err := trace.DescribePod(w, p, c.Events(), c.Wall(), trace.DescribeOptions{Location: loc, KubectlMinor: c.Profile().Minor}); err != nil {
				return err
			}
		}
		if len(pods) == 0 {
			// What kubectl describe pod prints when nothing matches.
			ns := o.Namespace
			if ns == "" {
				ns = corev1.NamespaceDefault
			}
			_, err := fmt.Fprintf(w, "No resources found in %s namespace.\n", ns)
			return err
		}
		return nil
	case FormatYAML, FormatJSON:
		return printObjects(w, o.selectPods(c.Pods()), o.Format, o.Pod != "")
	}
	return fmt.Errorf("unknown output format %q: use wide, describe, yaml, json, jsonl, timeline or csv", o.Format)
}

// filters reports whether any option limits the pods shown.
func (o RenderOptions) filters() bool {
	return o.Pod != "" || o.Namespace != "" || (o.Selector != nil && !o.Selector.Empty())
}

// selects reports whether o shows the pod.
func (o RenderOptions) selects(p *corev1.Pod) bool {
	return (o.Pod == "" || p.Name == o.Pod) && (o.Namespace == "" || p.Namespace == o.Namespace) &&
		(o.Selector == nil || o.Selector.Matches(labels.Set(p.Labels)))
}

// selectTrace is the trace with only the records about the pods o shows
// (the whole trace when o shows every pod), header unchanged. A pod is
// shown when any of its versions is selected: a label set by an update
// still shows the pod's whole life.
func (o RenderOptions) selectTrace(t *trace.Trace) *trace.Trace {
	if !o.filters() {
		return t
	}
	shown := map[[2]string]bool{}
	for _, r := range t.All() {
		if r.Kind == "Pod" && r.Pod != nil && o.selects(r.Pod) {
			shown[[2]string{r.Namespace, r.Name}] = true
		}
	}
	return t.Filter(func(r trace.Record) bool { return aboutPod(r) && shown[[2]string{r.Namespace, r.Name}] })
}

// aboutPod reports whether a trace record is about a pod: the pod itself,
// one of its containers, or an event whose object is the pod (a Service of
// the same name is not).
func aboutPod(r trace.Record) bool {
	switch {
	case r.Kind == "Pod" || r.Kind == "Container":
		return true
	case r.Event != nil:
		return r.Event.InvolvedObject.Kind == "Pod"
	}
	return false
}

// Trace is a run's trace with only what o selects: the records about the
// pods o shows (the whole trace when o shows every pod).
func (o RenderOptions) Trace(c *sim.Cluster) *trace.Trace { return o.selectTrace(c.Trace()) }

// PodNames lists the names of the pods o shows of a run, at any time of
// it, sorted (for outputs that select by name, such as charts).
func (o RenderOptions) PodNames(c *sim.Cluster) []string {
	seen := map[string]bool{}
	for _, r := range o.selectTrace(c.Trace()).All() {
		if r.Kind == "Pod" {
			seen[r.Name] = true
		}
	}
	return sortedKeys(seen)
}

func (o RenderOptions) selectPods(pods []*corev1.Pod) []*corev1.Pod {
	if !o.filters() {
		return pods
	}
	var out []*corev1.Pod
	for _, p := range pods {
		if o.selects(p) {
			out = append(out, p)
		}
	}
	return out
}

// printObjects prints pods as kubectl get -o yaml|json does: the object
// itself when one pod was asked for by name, else a List.
func printObjects(w io.Writer, pods []*corev1.Pod, format string, single bool) error {
	for _, p := range pods {
		p.APIVersion, p.Kind = "v1", "Pod"
		p.ManagedFields = nil
	}
	var v any
	if single && len(pods) == 1 {
		v = pods[0]
	} else {
		items := make([]json.RawMessage, 0, len(pods))
		for _, p := range pods {
			b, err := json.Marshal(p)
			if err != nil {
				return err
			}
			items = append(items, b)
		}
		v = map[string]any{"apiVersion": "v1", "kind": "List", "items": items, "metadata": map[string]string{"resourceVersion": ""}}
	}
	b, err := json.MarshalIndent(v, "", "    ")
	if err != nil {
		return err
	}
	if format == FormatJSON {
		_, err = fmt.Fprintln(w, string(b))
		return err
	}
	y, err := yaml.JSONToYAML(b)
	if err != nil {
		return err
	}
	_, err = w.Write(y)
	return err
}
