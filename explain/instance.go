package explain

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/probe"
)

// instance is what one run of a container does, in time since its start,
// as the probe rules decide it: when it is ready, when it stops being
// ready, and how it ends. The probe ticker's phase is unknown (the ticker
// starts when the pod is admitted, not when the container starts, and a
// restart lands anywhere in a period), so every probe time is a range.
type instance struct {
	ready, notReady *Interval
	startedWhy      string
	readyWhy        string
	notReadyWhy     string
	readyUnsure     bool // the probe's passing spell may end before the range does

	end      endKind
	killAt   Interval // the Killing event: the decision
	exitAt   Interval
	exitCode int
	endWhy   string // why it ends, in words
	stopWhy  string // how the stop goes, in words
	// killReason is lifecycle.KillReasonLivenessProbe or
	// KillReasonStartupProbe for a kill.
	killReason string
}

type endKind uint8

const (
	runsOn    endKind = iota // nothing ends it before the horizon
	exitsSelf                // the process exits by itself
	killed                   // a liveness or startup probe kills it
	unsure                   // which comes first depends on the ticker's phase
)

// eligible is when a probe may first run after the container starts: the
// kubelet counts initialDelaySeconds in whole seconds from a startedAt cut
// to the second, so up to 1 s before the delay is over
// (pkg/kubelet/prober/worker.go doProbe).
func eligible(ps probe.Spec) Interval {
	d := time.Duration(ps.InitialDelaySeconds) * time.Second
	if d == 0 {
		return At(0)
	}
	return Between(d-time.Second, d)
}

// failWindow finds when a probe reaches failureThreshold failures in a row,
// counted from gate (when the probe may run): the first spell of failures
// long enough for failureThreshold ticks. sure is false when the spell
// might be one tick too short, depending on the ticker's phase.
func failWindow(o *outcomes, ps probe.Spec, gate Interval, horizon time.Duration) (at Interval, first outcome, sure, found bool) {
	p, ft := ps.Period, time.Duration(ps.FailureThreshold)
	from := gate.Lo
	for from <= horizon {
		f, ok := o.next(from, false)
		if !ok {
			return Interval{}, outcome{}, false, false
		}
		start := gate.Max(At(f.t))
		lat := time.Duration(0)
		if f.hung {
			lat = ps.Timeout
		}
		win := Between(start.Lo+(ft-1)*p, start.Hi+ft*p).Plus(lat)
		end, recovers := o.next(f.t, true)
		switch {
		case !recovers || end.t >= win.Hi:
			return win, f, true, true
		case end.t > win.Lo:
			return win, f, false, true
		}
		from = end.t // too short for the threshold: the next spell
	}
	return Interval{}, outcome{}, false, false
}

// passWindow finds when a probe reaches successThreshold successes,
// counted from gate.
func passWindow(o *outcomes, ps probe.Spec, gate Interval) (at Interval, first outcome, sure, found bool) {
	s, ok := o.next(gate.Lo, true)
	if !ok {
		return Interval{}, outcome{}, false, false
	}
	start := gate.Max(At(s.t))
	win := Between(start.Lo, start.Hi+time.Duration(ps.SuccessThreshold)*ps.Period)
	end, fails := o.next(s.t, false)
	return win, s, !fails || end.t >= win.Hi, true
}

// model works out one run of container c from its process model.
func model(pod *corev1.Pod, c *corev1.Container, proc *process, specs map[probe.Kind]probe.Spec, horizon time.Duration) (instance, error) {
	var in instance
	// Liveness and readiness may run once the container shows Running:
	// after its postStart hook, which the start waits for.
	gate := At(postStartTime(c, proc.spec))
	var candidates []instance

	if ps, ok := specs[probe.Startup]; ok {
		o := proc.probes[probe.Startup]
		if o.err != nil {
			return in, fmt.Errorf("startupProbe: %w", o.err)
		}
		e := eligible(ps)
		pass, s, _, passes := passWindow(o, ps, e)
		kill, f, sure, fails := failWindow(o, ps, e, horizon)
		switch {
		case fails && (!passes || kill.Hi < pass.Lo):
			candidates = append(candidates, instance{end: killed, killAt: kill, killReason: lifecycle.KillReasonStartupProbe,
				endWhy: fmt.Sprintf("the startup probe fails %d times (%s from %v)", ps.FailureThreshold, f.text, f.t)})
			if !sure {
				candidates[len(candidates)-1].end = unsure
			}
			gate = At(horizon + time.Hour)
		case passes:
			gate = pass
			in.startedWhy = fmt.Sprintf("the startup probe passes from %v (%s)", s.t, s.text)
		default:
			gate = At(horizon + time.Hour)
		}
	}
	if ps, ok := specs[probe.Readiness]; ok {
		o := proc.probes[probe.Readiness]
		if o.err != nil {
			return in, fmt.Errorf("readinessProbe: %w", o.err)
		}
		g := eligible(ps).Max(gate)
		if r, s, sure, found := passWindow(o, ps, g); found {
			r = r.Add(Between(0, statusSlack))
			in.ready, in.readyUnsure = &r, !sure
			in.readyWhy = fmt.Sprintf("readiness passes from %v (%s)", s.t, s.text)
			if in.startedWhy != "" {
				in.readyWhy = in.startedWhy + ", then " + in.readyWhy
			}
			if nr, f, _, found := failWindow(o, ps, At(s.t), horizon); found && sure {
				nr = nr.Max(r).Add(Between(0, statusSlack))
				in.notReady = &nr
				in.notReadyWhy = fmt.Sprintf("readiness fails from %v (%s)", f.t, f.text)
			}
		}
	} else if gate.Lo <= horizon {
		// No readiness probe: ready once the kubelet sees it running (a
		// relist), and started.
		r := gate.Add(Between(0, relistPeriod+statusSlack))
		in.ready = &r
		in.readyWhy = "no readiness probe: ready once the kubelet sees it running"
		if in.startedWhy != "" {
			in.readyWhy = in.startedWhy + "; no readiness probe: ready then"
		}
	}
	if ps, ok := specs[probe.Liveness]; ok {
		o := proc.probes[probe.Liveness]
		if o.err != nil {
			return in, fmt.Errorf("livenessProbe: %w", o.err)
		}
		if kill, f, sure, found := failWindow(o, ps, eligible(ps).Max(gate), horizon); found {
			cand := instance{end: killed, killAt: kill, killReason: lifecycle.KillReasonLivenessProbe,
				endWhy: fmt.Sprintf("the liveness probe fails %d times (%s from %v)", ps.FailureThreshold, f.text, f.t)}
			if !sure {
				cand.end = unsure
			}
			candidates = append(candidates, cand)
		}
	}
	if proc.exits {
		candidates = append(candidates, instance{end: exitsSelf, exitAt: At(proc.exitAt), exitCode: proc.exitCode,
			endWhy: fmt.Sprintf("the process exits with code %d", proc.exitCode)})
	}
	first, ok := earliest(candidates)
	if !ok {
		in.end = runsOn
		return in, nil
	}
	in.end, in.killAt, in.exitAt, in.exitCode, in.endWhy, in.killReason = first.end, first.killAt, first.exitAt, first.exitCode, first.endWhy, first.killReason
	if first.killReason != "" {
		stop, code, why := stopTime(pod, c, proc.spec, first.killReason)
		in.exitAt, in.exitCode, in.stopWhy = first.killAt.Plus(stop), code, why
	}
	if in.notReady != nil && in.notReady.Lo > endOf(in).Hi {
		in.notReady = nil // it ends first
	}
	if in.ready != nil && in.ready.Lo > endOf(in).Hi {
		in.ready = nil
	}
	return in, nil
}

// endOf is when the run ends (its Killing event, or its exit), or beyond
// any horizon for one that runs on.
func endOf(in instance) Interval {
	switch in.end {
	case runsOn:
		return At(1 << 62)
	case exitsSelf:
		return in.exitAt
	}
	return in.killAt
}

// earliest picks the candidate that surely comes first; one that may or
// may not come first makes the result unsure.
func earliest(cands []instance) (instance, bool) {
	if len(cands) == 0 {
		return instance{}, false
	}
	best := 0
	for i := range cands {
		if endOf(cands[i]).Lo < endOf(cands[best]).Lo {
			best = i
		}
	}
	out := cands[best]
	for i := range cands {
		if i != best && endOf(cands[i]).Lo <= endOf(out).Hi {
			out.end = unsure
		}
	}
	return out, true
}

// stopTime is how long a kill takes, from the Killing event to the exit,
// with the exit code and how it goes in words: the preStop hook first,
// its whole seconds taken from the grace period, then the stop signal and,
// if the process is still running when the rest of the grace period (at
// least 2 s) is over, SIGKILL (pkg/kubelet/kuberuntime/kuberuntime_container.go
// killContainer).
func stopTime(pod *corev1.Pod, c *corev1.Container, spec behavior.Spec, reason string) (time.Duration, int, string) {
	grace := lifecycle.ContainerGracePeriod(pod, c, reason)
	hook, hookWhy := preStopTime(c, spec, grace)
	left := grace - int64(hook/time.Second)
	if left < lifecycle.MinimumGracePeriodSeconds {
		left = lifecycle.MinimumGracePeriodSeconds
	}
	g := time.Duration(left) * time.Second
	prefix := ""
	if hookWhy != "" {
		prefix = hookWhy + "; then "
	}
	switch spec.Stop.Action {
	case behavior.StopDie:
		return hook, 143, prefix + "SIGTERM ends the process at once (exit 143)"
	case behavior.StopExit:
		if spec.Stop.After < g {
			return hook + spec.Stop.After, spec.Stop.Code, fmt.Sprintf("%sSIGTERM: the process exits %v later with code %d", prefix, spec.Stop.After, spec.Stop.Code)
		}
	}
	return hook + g, 137, fmt.Sprintf("%sSIGTERM is ignored, SIGKILL after the %ds grace period (exit 137)", prefix, left)
}

// preStopTime is how long the preStop hook runs, cut at the grace period.
func preStopTime(c *corev1.Container, spec behavior.Spec, grace int64) (time.Duration, string) {
	if c.Lifecycle == nil || c.Lifecycle.PreStop == nil {
		return 0, ""
	}
	limit := time.Duration(grace) * time.Second
	took, err := hookTime(c.Lifecycle.PreStop, spec, limit)
	if err != nil {
		return 0, fmt.Sprintf("preStop cannot be read (%v)", err)
	}
	if took >= limit {
		return limit, fmt.Sprintf("preStop runs out the %ds grace period", grace)
	}
	return took, fmt.Sprintf("preStop takes %v", took)
}

// postStartTime is how long the postStart hook runs (an hour at most, for
// a hook that never ends).
func postStartTime(c *corev1.Container, spec behavior.Spec) time.Duration {
	if c.Lifecycle == nil || c.Lifecycle.PostStart == nil {
		return 0
	}
	took, err := hookTime(c.Lifecycle.PostStart, spec, time.Hour)
	if err != nil {
		return 0
	}
	return took
}

// hookTime is how long a lifecycle hook runs, up to limit: a sleep action
// its seconds, an exec command as the process model runs it, an httpGet
// no time.
func hookTime(h *corev1.LifecycleHandler, spec behavior.Spec, limit time.Duration) (time.Duration, error) {
	switch {
	case h.Sleep != nil:
		return min(time.Duration(h.Sleep.Seconds)*time.Second, limit), nil
	case h.Exec != nil:
		inst := spec.Start(0)
		proc, err := inst.Container.Exec(h.Exec.Command, 0)
		if err != nil {
			return 0, err
		}
		for now := time.Duration(0); now < limit; {
			next, err := proc.Advance(now, resolvesEverything{})
			if err != nil {
				return 0, err
			}
			if _, exited := proc.Exited(); exited {
				return now, nil
			}
			if next == behavior.Never {
				break
			}
			now = next
		}
		return limit, nil
	}
	return 0, nil
}
