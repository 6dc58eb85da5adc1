package explain

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/probe"
)

// kinds is the order probes are reported in.
var kinds = []probe.Kind{probe.Startup, probe.Liveness, probe.Readiness}

// describeProcess says what the main process does, in words.
func describeProcess(p *process) string {
	var b strings.Builder
	b.WriteString(p.spec.Main.String())
	if p.exits {
		fmt.Fprintf(&b, " — exits with code %d %v after it starts", p.exitCode, p.exitAt)
	} else {
		b.WriteString(" — runs on")
	}
	switch p.spec.Stop.Action {
	case behavior.StopIgnore:
		b.WriteString("; it ignores SIGTERM (PID 1 with no handler), so only SIGKILL ends it")
	case behavior.StopDie:
		b.WriteString("; SIGTERM ends it")
	case behavior.StopExit:
		fmt.Fprintf(&b, "; on SIGTERM it exits %v later with code %d", p.spec.Stop.After, p.spec.Stop.Code)
	}
	return b.String()
}

// describeOutcomes says when a probe passes and fails over one run.
func describeOutcomes(o *outcomes) string {
	if o.err != nil {
		return "podsim cannot run it: " + o.err.Error()
	}
	var parts []string
	for _, c := range o.changes {
		word := "fails"
		if c.ok {
			word = "passes"
		}
		parts = append(parts, fmt.Sprintf("%s from %v (%s)", word, c.t, c.text))
	}
	return strings.Join(parts, ", then ") + " after the container starts"
}

// describePreStop says whether the preStop hook fits the grace period of a
// deletion (the pod's terminationGracePeriodSeconds) and of a liveness
// kill (the probe's, if it sets one).
func describePreStop(pod *corev1.Pod, c *corev1.Container, spec behavior.Spec) string {
	if c.Lifecycle == nil || c.Lifecycle.PreStop == nil {
		return ""
	}
	grace := *pod.Spec.TerminationGracePeriodSeconds
	took, _ := preStopTime(c, spec, grace)
	limit := time.Duration(grace) * time.Second
	if took >= limit {
		return fmt.Sprintf("preStop does not fit: it runs longer than the %ds grace period, is cut off, and the container then gets SIGTERM with only %ds (the kubelet's minimum) before SIGKILL", grace, lifecycle.MinimumGracePeriodSeconds)
	}
	left := grace - int64(took/time.Second)
	return fmt.Sprintf("preStop takes %v of the %ds grace period; SIGTERM then comes with %ds left before SIGKILL", took, grace, max(left, lifecycle.MinimumGracePeriodSeconds))
}

// advise lists the probe settings Kubernetes users often get wrong, each
// with the numbers that show it.
func advise(in Input, pod *corev1.Pod, c *corev1.Container) []string {
	var out []string
	specs := probeSpecs(c)
	live, hasLive := specs[probe.Liveness]
	ready, hasReady := specs[probe.Readiness]
	_, hasStartup := specs[probe.Startup]
	if hasLive && hasReady && reflect.DeepEqual(live.Handler, ready.Handler) &&
		live.Period == ready.Period && live.FailureThreshold == ready.FailureThreshold && live.InitialDelaySeconds == ready.InitialDelaySeconds {
		out = append(out, fmt.Sprintf("container %s: the liveness probe is the readiness probe (same check every %v, %d failures): the moment the container stops being ready it is also restarted, so a brief overload becomes a restart. Give liveness a check of the process itself, or a higher failureThreshold (readiness notices after %v, liveness should wait longer).",
			c.Name, live.Period, live.FailureThreshold, time.Duration(ready.FailureThreshold)*ready.Period))
	}
	spec, err := behaviorOf(in, c)
	if err != nil {
		return out
	}
	var list []probe.Spec
	for _, k := range kinds {
		if ps, ok := specs[k]; ok {
			list = append(list, ps)
		}
	}
	proc, err := runProcess(spec, list, in.Horizon)
	if err != nil {
		return out
	}
	if hasLive && !hasStartup {
		o := proc.probes[probe.Liveness]
		if o.err == nil && !o.changes[0].ok {
			if ok, found := o.next(0, true); found {
				kill := time.Duration(live.InitialDelaySeconds)*time.Second + time.Duration(live.FailureThreshold-1)*live.Period
				if kill < ok.t {
					out = append(out, fmt.Sprintf("container %s: a slow start without a startup probe: the liveness probe passes only %v after the start, but can fail %d times by %v (initialDelaySeconds %d + (failureThreshold−1) × periodSeconds %v), so the container may be killed before it is up, again and again. Add a startupProbe whose failureThreshold × periodSeconds covers %v.",
						c.Name, ok.t, live.FailureThreshold, kill, live.InitialDelaySeconds, live.Period, ok.t))
				} else if time.Duration(live.InitialDelaySeconds)*time.Second >= ok.t {
					out = append(out, fmt.Sprintf("container %s: initialDelaySeconds %d stands in for a startup probe (the probe passes from %v): a start slower than that will be killed. A startupProbe waits for the start whatever it takes, and lets liveness start at once after.",
						c.Name, live.InitialDelaySeconds, ok.t))
				}
			}
		}
	}
	for _, k := range []probe.Kind{probe.Readiness, probe.Startup} {
		ps, ok := specs[k]
		if !ok {
			continue
		}
		o := proc.probes[k]
		if o.err != nil {
			continue
		}
		pass, found := o.next(0, true)
		delay := time.Duration(ps.InitialDelaySeconds) * time.Second
		if found && delay > pass.t+ps.Period {
			out = append(out, fmt.Sprintf("container %s: %s initialDelaySeconds %d is longer than needed: the probe passes from %v after the start, so the container could be ready about %v sooner. With periodSeconds %v the first probe after the delay comes within %v anyway; use a smaller delay (or none, with a startupProbe for slow starts).",
				c.Name, k.Field(), ps.InitialDelaySeconds, pass.t, delay-pass.t, ps.Period, ps.Period))
		}
	}
	for _, ps := range list {
		if ps.Timeout >= ps.Period {
			out = append(out, fmt.Sprintf("container %s: %s timeoutSeconds %v is not shorter than periodSeconds %v: a hung check overlaps the next one.", c.Name, ps.Kind.Field(), ps.Timeout, ps.Period))
		}
	}
	return out
}
