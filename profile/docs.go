package profile

import (
	"fmt"
	"strings"
	"time"
)

// ValueString writes a switch's value as docs/versions.md and podsim
// versions show it.
func ValueString(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case Gate:
		if x == GateAbsent {
			return "absent"
		}
		return string(x)
	case time.Duration:
		return x.String()
	default:
		return fmt.Sprint(x)
	}
}

// History is the row's values over the versions: "1.25: no · 1.33: yes".
func (c Change) History() string {
	parts := make([]string, 0, len(c.Steps))
	for _, s := range c.Steps {
		parts = append(parts, fmt.Sprintf("1.%d: %s", s.Since, ValueString(s.Value)))
	}
	return strings.Join(parts, " · ")
}

// ChangesIn are the rows whose value changes in Kubernetes 1.minor, in
// the order of Changes.
func ChangesIn(minor int) []Change {
	var out []Change
	for _, c := range Changes {
		if minor > FirstMinor && c.ValueAt(minor) != c.ValueAt(minor-1) {
			out = append(out, c)
		}
	}
	return out
}

// groups name the parts of Profile, in the order docs/versions.md lists
// them, by the prefix of a row's Field.
var groups = []struct{ prefix, title string }{
	{"", "Kubelet and control plane (`sim.Profile`)"},
	{"Gates.", "Kubelet feature gates (`environment.kubelet.featureGates`)"},
	{"APIFields.", "Pod fields the API server has, drops or keeps (`profile.APIFields`)"},
	{"Workloads.", "Workload controllers (`profile.Workloads`)"},
	{"Disruption.", "Scheduling, preemption, the Eviction API and PodDisruptionBudgets (`profile.Disruption`)"},
	{"Lifecycle.", "Pod rules and kubectl's printer (`lifecycle.Rules`)"},
	{"Probe.", "Probe workers (`probe.Rules`)"},
	{"Eviction.", "Node-pressure eviction (`eviction.Rules`)"},
}

func groupOf(field string) string {
	best := ""
	for _, g := range groups {
		if g.prefix != "" && strings.HasPrefix(field, g.prefix) {
			best = g.prefix
		}
	}
	return best
}

// Markdown is the generated part of docs/versions.md: every row of
// Changes by group with its values over the versions, then what each
// version changes.
func Markdown() string {
	var b strings.Builder
	for _, g := range groups {
		var rows []Change
		for _, c := range Changes {
			if groupOf(c.Field) == g.prefix {
				rows = append(rows, c)
			}
		}
		if len(rows) == 0 {
			continue
		}
		fmt.Fprintf(&b, "### %s\n\n| behaviour | switch | value by version | changed in |\n|---|---|---|---|\n", g.title)
		for _, c := range rows {
			behaviour := c.Behaviour
			if c.NotSimulated {
				behaviour += " (documented, not simulated)"
			}
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", cell(behaviour), c.Field, c.History(), cell(c.Where))
		}
		b.WriteString("\n")
	}
	b.WriteString("### What each version changes\n\n")
	for m := FirstMinor; m <= LastMinor; m++ {
		v := fmt.Sprintf("1.%d", m)
		if v == Default {
			v += " (the default)"
		}
		fmt.Fprintf(&b, "- **%s**", v)
		cs := ChangesIn(m)
		switch {
		case m == FirstMinor:
			b.WriteString(": the oldest version podsim follows; the seed observations were recorded on it.\n")
			continue
		case len(cs) == 0:
			b.WriteString(": no row changes.\n")
			continue
		}
		b.WriteString(":")
		for i, c := range cs {
			if i > 0 {
				b.WriteString(";")
			}
			fmt.Fprintf(&b, " `%s` %s", c.Field, ValueString(c.ValueAt(m)))
		}
		b.WriteString(".\n")
	}
	return b.String()
}

// cell escapes a table cell's pipes.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
