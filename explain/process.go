package explain

import (
	"fmt"
	"time"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/probe"
)

// process is what one run of a container does, in time since it started:
// when (if ever) its main process exits by itself, and when each of its
// probes would pass or fail. It comes from running the container's
// behavior.Spec on its own — the pure process model, with no cluster — and
// asking each probe's handler at every moment the process changes.
type process struct {
	exits    bool
	exitAt   time.Duration
	exitCode int
	spec     behavior.Spec
	probes   map[probe.Kind]*outcomes
}

// outcomes is a probe's answer over time: a list of changes, the first at
// 0. hung marks failures that come from a probe timing out, which then
// takes timeoutSeconds to give its result.
type outcomes struct {
	changes []outcome
	err     error // the probe cannot be run (a command podsim cannot read)
}

type outcome struct {
	t    time.Duration
	ok   bool
	hung bool
	text string // the probe's output or status, for the report
}

// at is the outcome at time t.
func (o *outcomes) at(t time.Duration) outcome {
	cur := o.changes[0]
	for _, c := range o.changes {
		if c.t > t {
			break
		}
		cur = c
	}
	return cur
}

// next returns the change that makes the outcome ok == want at or after
// from — the one in force at from if it already is — or false if there is
// none before the horizon.
func (o *outcomes) next(from time.Duration, want bool) (outcome, bool) {
	if cur := o.at(from); cur.ok == want {
		return cur, true // already so: the change that made it so
	}
	for _, c := range o.changes {
		if c.t > from && c.ok == want {
			return c, true
		}
	}
	return outcome{}, false
}

// resolvesEverything is the cluster DNS explain assumes: every name
// resolves, as if the Services a script waits for exist.
type resolvesEverything struct{}

func (resolvesEverything) Resolves(string) bool { return true }

// maxSteps bounds the process model: a script that changes state more
// often than this before the horizon is followed no further.
const maxSteps = 100_000

// runProcess follows a container's process from its start to horizon,
// asking each probe at every change.
func runProcess(spec behavior.Spec, probes []probe.Spec, horizon time.Duration) (*process, error) {
	p := &process{spec: spec, probes: map[probe.Kind]*outcomes{}}
	for _, ps := range probes {
		p.probes[ps.Kind] = &outcomes{}
	}
	inst := spec.Start(0)
	env := resolvesEverything{}
	t := time.Duration(0)
	for step := 0; step < maxSteps; step++ {
		next, err := inst.Main.Advance(t, env)
		if err != nil {
			return nil, fmt.Errorf("the process model stops at %v: %w", t, err)
		}
		if code, exited := inst.Main.Exited(); exited {
			p.exits, p.exitAt, p.exitCode = true, t, code
			return p, nil
		}
		for _, ps := range probes {
			o := p.probes[ps.Kind]
			if o.err != nil {
				continue
			}
			got, err := ask(inst, ps, t)
			if err != nil {
				o.err = err
				continue
			}
			if n := len(o.changes); n == 0 || o.changes[n-1].ok != got.ok || o.changes[n-1].hung != got.hung {
				o.changes = append(o.changes, got)
			}
		}
		if next == behavior.Never || next > horizon {
			return p, nil
		}
		t = max(next, t+time.Millisecond)
	}
	return p, nil
}

// ask runs a probe's handler against the container at time t, as the
// kubelet's prober does (kubelet/prober.go runProbe), and says whether it
// passes.
func ask(inst *behavior.Instance, ps probe.Spec, t time.Duration) (outcome, error) {
	h := ps.Handler
	c := inst.Container
	switch {
	case h.Exec != nil:
		proc, err := c.Exec(h.Exec, t)
		if err != nil {
			return outcome{}, err
		}
		deadline := t + ps.Timeout
		now := t
		for {
			next, err := proc.Advance(now, resolvesEverything{})
			if err != nil {
				return outcome{}, err
			}
			if code, exited := proc.Exited(); exited {
				return outcome{t: t, ok: code == 0, text: fmt.Sprintf("exit %d", code)}, nil
			}
			if next == behavior.Never || next >= deadline {
				return outcome{t: t, ok: false, hung: true, text: "timed out"}, nil
			}
			now = next
		}
	case h.HTTP != nil:
		status, listening := c.HTTPStatus(h.HTTP.Port, h.HTTP.Path)
		if !listening {
			return outcome{t: t, text: "connection refused"}, nil
		}
		// 2xx and 3xx pass (pkg/probe/http/http.go DoHTTPProbe).
		return outcome{t: t, ok: status >= 200 && status < 400, text: fmt.Sprintf("HTTP %d", status)}, nil
	case h.TCP != nil:
		if c.Listening(h.TCP.Port) {
			return outcome{t: t, ok: true, text: "connected"}, nil
		}
		return outcome{t: t, text: "connection refused"}, nil
	case h.GRPC != nil:
		status, up := c.GRPCHealth(h.GRPC.Port, h.GRPC.Service)
		if !up {
			// A dial that cannot connect waits out the timeout.
			return outcome{t: t, hung: true, text: "not listening"}, nil
		}
		return outcome{t: t, ok: status == behavior.GRPCServing, text: status.String()}, nil
	}
	return outcome{}, fmt.Errorf("the probe has no handler")
}
