package scenarios

import (
	"errors"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// No silent guess: what podsim assumes of a file, and the manifest fields
// it does not act on, are said on standard error (podsim run, test and
// explain print them) and in the trace header. A Scenario with strict:
// true, or podsim run --strict, makes each of them an error.

// Assumptions are what podsim takes to be so because the file does not
// say it, one line each as podsim prints it after "assumed: ", e.g.
// `image mycorp/api:1.2 behaves as a healthy server (…)`, with the file,
// line and object it is about.
func (s *Scenario) Assumptions() []string { return append([]string(nil), s.assumptions...) }

// Strict reports whether the Scenario document says strict: true.
func (s *Scenario) Strict() bool { return s.strict }

// StrictError is the assumptions and warnings as one error, for --strict
// and strict: true: nil when there is none.
func (s *Scenario) StrictError() error {
	var lines []string
	for _, a := range s.assumptions {
		lines = append(lines, "strict: podsim would assume: "+a)
	}
	for _, w := range s.Warnings {
		lines = append(lines, "strict: "+w)
	}
	if len(lines) == 0 {
		return nil
	}
	return errors.New(strings.Join(lines, "\n"))
}

// note formats a line about an object of the file as an error is written.
func (l *loader) note(d *document, object, path, msg string) string {
	line := 0
	if d != nil {
		line = d.lineOf(path)
	}
	if path != "" {
		msg = path + ": " + msg
	}
	return (&Error{File: l.file, Line: line, Object: object, Msg: msg}).Error()
}

// assumeServer is the behaviour of a container of an image podsim does not
// know, which gives no command: sim.AssumedServer, as the Go API assumes
// it for a container CreatePod is given no behaviour for. The assumption
// is recorded, or under strict: true reported as an error.
func (l *loader) assumeServer(s *Scenario, sd *ScenarioDoc, d *document, object, path string, c *corev1.Container) behavior.Spec {
	spec, text := sim.AssumedServer(c)
	field := path + ".image"
	if sd.Strict {
		l.add(d, object, field, "Forbidden: podsim would assume that %s (strict: true): give the container a command podsim reads, or describe it in the Scenario's behaviors", text)
	} else {
		s.assumptions = append(s.assumptions, l.note(d, object, field, text))
	}
	return spec
}

// stampHeader puts the file's assumptions and warnings in the trace
// header of a cluster built from it.
func (s *Scenario) stampHeader(c *sim.Cluster) {
	h := &c.Trace().Header
	h.Assumptions = s.Assumptions()
	h.Warnings = append([]string(nil), s.Warnings...)
}

// unsimulatedWarnings are the fields of a pod of the file that podsim does
// not act on (apiserver.UnsimulatedFields), with the line of each.
func (l *loader) unsimulatedWarnings(d *document, p *corev1.Pod) []string {
	var out []string
	for _, w := range sim.UnsimulatedFields(p) {
		out = append(out, l.note(d, fmt.Sprintf("Pod %q", p.Name), w.Field, w.Message))
	}
	return out
}

// templateUnsimulatedWarnings are those of a workload's pod template, at
// their paths under spec.template.
func (l *loader) templateUnsimulatedWarnings(d *document, p *corev1.Pod, object string) []string {
	var out []string
	for _, w := range sim.UnsimulatedFields(p) {
		out = append(out, l.note(d, object, "spec.template."+w.Field, w.Message))
	}
	return out
}
