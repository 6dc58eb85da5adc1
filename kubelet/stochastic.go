package kubelet

import (
	"strings"
	"time"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/probe"
	"github.com/podsim/podsim/stochastic"
)

// varyingTimes are the distributions a container's image has in
// Config.Images: how long its application takes to start and how long its
// probes wait for an answer. Without them both are 0 and nothing is drawn,
// so a run without distributions is the same event for event.
type varyingTimes struct {
	start, probeLatency stochastic.Duration
}

// varying looks the container's distributions up once.
func (k *Kubelet) varying(cs *containerSpec) *varyingTimes {
	if cs.varying == nil {
		env := k.cfg.image(cs.api.Image)
		cs.varying = &varyingTimes{start: env.StartTime, probeLatency: env.ProbeLatency}
	}
	return cs.varying
}

// appStartDelay draws how long this start of the container's application
// takes, from its own stream, so that the draws of one container never
// shift another's.
func (k *Kubelet) appStartDelay(kp *kpod, cs *containerSpec) time.Duration {
	v := k.varying(cs)
	if v.start == nil {
		return 0
	}
	return v.start.Draw(k.eng.Stream("app-start/" + kp.key.String() + "/" + cs.api.Name))
}

// probeLatency draws how long this run of the worker's probe waits for its
// answer.
func (k *Kubelet) probeLatency(pw *probeWorker) time.Duration {
	cs := pw.kp.spec.byName(pw.c.Name)
	if cs == nil {
		return 0
	}
	v := k.varying(cs)
	if v.probeLatency == nil {
		return 0
	}
	kind := strings.ToLower(pw.w.Spec.Kind.String())
	return v.probeLatency.Draw(k.eng.Stream("probe-latency/" + pw.kp.key.String() + "/" + pw.c.Name + "/" + kind))
}

// runNetworkProbe runs an httpGet, tcpSocket or grpc probe against the
// container as it is when the answer comes: latency after the probe began
// (at once for 0, as without a ProbeLatency). A latency of the probe's
// timeout or more ends it at the timeout, in the prober's words for a
// timeout.
func (k *Kubelet) runNetworkProbe(pw *probeWorker, ct *container, podIP string, latency time.Duration, finish func(probe.Outcome)) {
	spec := pw.w.Spec
	h := spec.Handler
	if latency > 0 && latency >= spec.Timeout {
		k.eng.After(spec.Timeout, engine.PriorityNormal, func() {
			switch {
			case h.HTTP != nil:
				finish(probe.HTTPTimeoutOutcome(h.HTTP, podIP))
			case h.TCP != nil:
				finish(probe.TCPTimeoutOutcome(h.TCP, podIP))
			default:
				finish(probe.GRPCTimeoutOutcome(spec.Timeout))
			}
		})
		return
	}
	answer := func() {
		running := ct != nil && ct.state == lifecycle.StateRunning
		switch {
		case h.HTTP != nil:
			finish(probe.HTTPOutcome(h.HTTP, podIP, httpAnswer(ct, h.HTTP.Port, h.HTTP.Path)))
		case h.TCP != nil:
			finish(probe.TCPOutcome(h.TCP, podIP, running && ct.inst.Container.Listening(h.TCP.Port)))
		default:
			status, up := behavior.GRPCUnknown, false
			if running {
				status, up = ct.inst.Container.GRPCHealth(h.GRPC.Port, h.GRPC.Service)
			}
			out := probe.GRPCOutcome(h.GRPC, podIP, status.String(), up, status == behavior.GRPCServiceUnknown, spec.Timeout)
			if !up {
				// A dial that cannot connect blocks until the probe's timeout.
				k.eng.After(spec.Timeout-latency, engine.PriorityNormal, func() { finish(out) })
				return
			}
			finish(out)
		}
	}
	if latency == 0 {
		answer()
		return
	}
	k.eng.After(latency, engine.PriorityNormal, answer)
}
