package explain

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/podsim/podsim/probe"
)

// Write prints the report for people: the start, each container's process
// and probes, the timeline with its bounds, and the warnings.
func (r *Report) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Pod %s, Kubernetes %s rules\n\n", r.Pod, r.Version)
	if r.FirstStart != (Interval{}) {
		fmt.Fprintf(&b, "Start: the first container starts %s after the pod is created (%s).\n", r.FirstStart, r.FirstStartWhy)
	}
	for _, c := range r.Containers {
		fmt.Fprintf(&b, "\nContainer %s\n", c.Name)
		fmt.Fprintf(&b, "  process: %s\n", c.Process)
		for _, p := range c.Probes {
			s := p.Spec
			fmt.Fprintf(&b, "  %s: %s every %v, timeout %v, initialDelaySeconds %d, successThreshold %d, failureThreshold %d\n",
				s.Kind.Field(), handler(s), s.Period, s.Timeout, s.InitialDelaySeconds, s.SuccessThreshold, s.FailureThreshold)
			fmt.Fprintf(&b, "    it %s\n", p.Outcome)
			if s.Kind == probe.Startup {
				fmt.Fprintf(&b, "    a start that does not succeed is given up, and the container killed, %s after the probe may first run ((failureThreshold−1) × periodSeconds to failureThreshold × periodSeconds + timeoutSeconds)\n", p.Detect)
			} else {
				fmt.Fprintf(&b, "    a dead container is noticed %s after it dies ((failureThreshold−1) × periodSeconds to failureThreshold × periodSeconds + timeoutSeconds)\n", p.Detect)
			}
		}
		if c.PreStop != "" {
			fmt.Fprintf(&b, "  %s\n", c.PreStop)
		}
	}
	if len(r.Predictions) > 0 {
		b.WriteString("\nTimeline (since the pod's creation; a range is what the kubelet's jitter and the probe ticker's phase allow):\n")
		tw := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
		for _, p := range r.Predictions {
			what := fmt.Sprintf("%s %s #%d", p.Container, p.Kind, p.N)
			switch p.Kind {
			case Exited:
				what = fmt.Sprintf("%s exits (code %d) #%d", p.Container, p.ExitCode, p.N)
			case BackOff:
				what = fmt.Sprintf("%s CrashLoopBackOff before run %d", p.Container, p.N)
			}
			maybe := ""
			if p.Maybe {
				maybe = " (maybe)"
			}
			fmt.Fprintf(tw, "  %s\t%s%s\t%s\n", p.At, what, maybe, p.Why)
		}
		tw.Flush()
	}
	if len(r.Warnings) > 0 {
		b.WriteString("\nWarnings:\n")
		for _, w := range r.Warnings {
			fmt.Fprintf(&b, "  - %s\n", w)
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("\nNotes:\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func handler(s probe.Spec) string {
	h := s.Handler
	switch {
	case h.Exec != nil:
		return "exec " + strings.Join(h.Exec, " ")
	case h.HTTP != nil:
		return fmt.Sprintf("httpGet :%d%s", h.HTTP.Port, h.HTTP.Path)
	case h.TCP != nil:
		return fmt.Sprintf("tcpSocket :%d", h.TCP.Port)
	case h.GRPC != nil:
		return fmt.Sprintf("grpc :%d", h.GRPC.Port)
	}
	return "no handler"
}
