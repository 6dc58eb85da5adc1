package kubelet

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/probe"
)

// runProbe runs the handler against the container the worker follows and
// reports the result (Success or Failure) or that it errored to the worker
// (probeWorker.ran). It records the kubelet's probe events. The kubelet
// retries an errored probe up to three times at once (prober.go
// maxProbeRetries); in the simulation a retry would err the same way, so
// one try stands for all three.
func (k *Kubelet) runProbe(pw *probeWorker) {
	kp := pw.kp
	spec := pw.w.Spec
	pw.plainSuccess = false
	ct := k.rt.byID(kp.uid, strings.TrimPrefix(pw.w.ContainerID(), "containerd://"))
	podIP := ""
	if s := kp.status.cached; s != nil {
		podIP = s.PodIP
	}
	h := spec.Handler
	latency := k.probeLatency(pw)
	switch {
	case h.Exec != nil:
		if ct == nil || ct.state != lifecycle.StateRunning {
			k.finishProbe(pw, probe.Outcome{Result: probe.OutcomeUnknown, Err: fmt.Errorf("rpc error: code = NotFound desc = failed to exec in container: container is in %s state", "CONTAINER_EXITED")})
			return
		}
		// The command starts once the exec's latency has passed; the
		// timeout counts from now.
		if pw.execProg == nil {
			prog, err := k.rt.programs.CompileExec(ct.inst.Container, h.Exec)
			if err != nil {
				k.eng.Fail(fmt.Errorf("pod %s container %q %s probe: %w", kp.key, pw.c.Name, strings.ToLower(spec.Kind.String()), err))
				return
			}
			pw.execProg, pw.execReadOnly = prog, prog.ReadOnly()
		}
		if pw.execReadOnly && latency == 0 && k.runReadOnlyExec(pw, ct) {
			return
		}
		p := ct.inst.Container.ExecProgram(pw.execProg, k.eng.Now()+latency)
		k.runExec(p, ct.env, spec.Timeout, pw, func(timedOut bool) {
			code, _ := p.Exited()
			k.finishProbe(pw, probe.ExecOutcome(code, p.Output(), timedOut, h.Exec))
		})
	case h.HTTP != nil, h.TCP != nil, h.GRPC != nil:
		k.runNetworkProbe(pw, ct, podIP, latency, func(out probe.Outcome) { k.finishProbe(pw, out) })
	default:
		k.finishProbe(pw, probe.Outcome{Result: probe.OutcomeUnknown, Err: fmt.Errorf("missing probe handler for %s:%s", podutil.FormatPod(kp.pod), pw.c.Name)})
	}
}

// runReadOnlyExec runs a read-only exec probe command that starts at once
// in the kubelet's one reusable process: such a command takes no time, so
// it ends within its first step, as runExec's first step would end it, and
// nothing else can hold the process (issue 10: a probe run allocates
// nothing). It reports false, having changed nothing, if the command did
// not end there; the caller then runs it as any other.
func (k *Kubelet) runReadOnlyExec(pw *probeWorker, ct *container) bool {
	p := &k.execScratch
	ct.inst.Container.ExecProgramIn(p, pw.execProg, k.eng.Now())
	if _, err := p.Advance(k.eng.Now(), ct.env); err != nil {
		k.eng.Fail(err)
		return true
	}
	code, exited := p.Exited()
	if !exited {
		return false
	}
	k.finishProbe(pw, probe.ExecOutcome(code, p.Output(), false, pw.w.Spec.Handler.Exec))
	return true
}

// finishProbe records what a probe run's outcome calls for and reports its
// result to the worker.
func (k *Kubelet) finishProbe(pw *probeWorker, out probe.Outcome) {
	kind := pw.w.Spec.Kind.String()
	switch {
	case out.Err != nil:
		msg := fmt.Sprintf("%s probe errored: %v", kind, out.Err)
		if k.prof.Probe.ErroredEventWithState {
			msg = fmt.Sprintf("%s probe errored and resulted in %s state: %s", kind, out.Result, out.Err)
		}
		k.event(containerRefFor(pw.kp.pod, pw.c.Name), corev1.EventTypeWarning, "Unhealthy", msg)
		pw.ran(probe.Failure, true)
	case out.Result == probe.OutcomeSuccess:
		pw.plainSuccess = true
		pw.ran(probe.Success, false)
	case out.Result == probe.OutcomeWarning:
		k.event(containerRefFor(pw.kp.pod, pw.c.Name), corev1.EventTypeWarning, "ProbeWarning", fmt.Sprintf("%s probe warning: %s", kind, out.Output))
		pw.ran(probe.Success, false)
	case out.Result == probe.OutcomeUnknown:
		if !k.prof.Probe.ErroredEventWithState {
			k.event(containerRefFor(pw.kp.pod, pw.c.Name), corev1.EventTypeWarning, "Unhealthy", fmt.Sprintf("%s probe failed: %s", kind, out.Output))
		}
		pw.ran(probe.Failure, false)
	default:
		k.event(containerRefFor(pw.kp.pod, pw.c.Name), corev1.EventTypeWarning, "Unhealthy", fmt.Sprintf("%s probe failed: %s", kind, out.Output))
		pw.ran(probe.Failure, false)
	}
}

// httpAnswer is what a GET to the container sees: a status code, or a
// refused connection (0).
func httpAnswer(ct *container, port int, path string) int {
	if ct == nil || ct.state != lifecycle.StateRunning || port == 0 {
		return 0
	}
	code, up := ct.inst.Container.HTTPStatus(port, path)
	if !up {
		return 0
	}
	return code
}

// runExec runs an exec probe's command to its end or its timeout.
func (k *Kubelet) runExec(p *behavior.Process, env behavior.Env, timeout time.Duration, owner engine.Owner, done func(timedOut bool)) {
	eng := k.eng
	deadline := eng.Now() + timeout
	finished := false
	var step func()
	step = func() {
		if finished {
			return
		}
		next, err := p.Advance(eng.Now(), env)
		if err != nil {
			k.eng.Fail(err)
			return
		}
		if pw, ok := owner.(*probeWorker); ok && !pw.execReadOnly {
			k.podChanged(pw.kp) // it may have written what another probe of the pod reads
			k.statsMoved(pw.kp.uid)
		}
		if _, exited := p.Exited(); exited {
			finished = true
			done(false)
			return
		}
		if next != behavior.Never && next < deadline {
			eng.At(next, engine.PriorityRuntime, step).SetOwner(owner)
		}
	}
	step()
	if !finished {
		eng.At(deadline, engine.PriorityRuntime, func() {
			if !finished {
				finished = true
				p.Kill()
				done(true)
			}
		})
	}
}
