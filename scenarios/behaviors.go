package scenarios

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/podsim/podsim/behavior"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// parseShell reads a script of a behaviour, which may run the commands
// that behaviour (and its image) describe.
func (l *loader) parseShell(script string) (behavior.Script, error) {
	return behavior.ParseShellWith(script, l.commands)
}

// errReported marks a problem already added to the loader's list.
var errReported = errors.New("reported")

// behaviorFrom applies a behaviour document on top of base: its script or
// steps replace what the process does, and its stop, userland, files and
// commands replace or add to base's.
func (l *loader) behaviorFrom(bd BehaviorDoc, base behavior.Spec, d *document, path string) (behavior.Spec, error) {
	spec := base
	n := len(l.errs)
	// The commands first: the script and steps may run them.
	if len(bd.Commands) > 0 {
		cmds := map[string]behavior.Script{}
		for k, v := range base.Commands {
			cmds[k] = v
		}
		for _, name := range sortedKeys(bd.Commands) {
			script, err := behavior.ParseShell(bd.Commands[name])
			if err != nil {
				l.add(d, ScenarioKind, fmt.Sprintf("%s.commands[%s]", path, name), "%v", err)
				continue
			}
			cmds[name] = script
		}
		spec.Commands = cmds
	}
	l.commands = spec.Commands
	defer func() { l.commands = nil }()
	switch {
	case bd.Script != "" && len(bd.Steps) > 0:
		l.add(d, ScenarioKind, path+".steps", "Forbidden: give either script or steps, not both")
	case bd.Script != "":
		script, err := l.parseShell(bd.Script)
		if err != nil {
			l.add(d, ScenarioKind, path+".script", "%v", err)
		}
		spec.Main = script
		if bd.Stop == nil {
			// The script runs in a shell as PID 1, which ignores SIGTERM
			// (whatever the image's own program would have done).
			spec.Stop = behavior.IgnoreStop()
		}
	case len(bd.Steps) > 0:
		spec.Main = l.steps(bd.Steps, d, path+".steps")
	}
	if bd.Stop != nil {
		switch bd.Stop.Action {
		case "ignore":
			spec.Stop = behavior.IgnoreStop()
		case "die":
			spec.Stop = behavior.DieOnStop()
		case "exit":
			after := time.Duration(0)
			if bd.Stop.After != nil {
				after = bd.Stop.After.Duration
				if after < 0 {
					// The cluster would schedule the exit before the signal
					// and stop the run with "event scheduled in the past".
					l.add(d, ScenarioKind, path+".stop.after", "Invalid value: %q: must not be negative", bd.Stop.After.String())
				}
			}
			l.exitCode(d, path+".stop.exitCode", bd.Stop.ExitCode)
			spec.Stop = behavior.ExitOnStop(after, bd.Stop.ExitCode)
		default:
			l.add(d, ScenarioKind, path+".stop.action", "Unsupported value: %q: supported values: \"ignore\", \"die\", \"exit\"", bd.Stop.Action)
		}
		if bd.Stop.Action != "exit" && (bd.Stop.After != nil || bd.Stop.ExitCode != 0) {
			l.add(d, ScenarioKind, path+".stop.after", "Forbidden: after and exitCode are for action \"exit\"")
		}
	}
	switch bd.Userland {
	case "":
	case "gnu":
		spec.Userland = behavior.GNU
	case "busybox":
		spec.Userland = behavior.BusyBox
	default:
		l.add(d, ScenarioKind, path+".userland", "Unsupported value: %q: supported values: \"gnu\", \"busybox\"", bd.Userland)
	}
	spec.Files = append(append([]string{}, base.Files...), bd.Files...)
	if len(l.errs) > n {
		return spec, errReported
	}
	return spec, nil
}

var grpcStatuses = map[string]behavior.GRPCStatus{
	"SERVING": behavior.GRPCServing, "NOT_SERVING": behavior.GRPCNotServing,
	"UNKNOWN": behavior.GRPCUnknown, "SERVICE_UNKNOWN": behavior.GRPCServiceUnknown,
}

// steps converts a list of steps into a script; each step has exactly one
// field set.
func (l *loader) steps(steps []StepDoc, d *document, path string) behavior.Script {
	var out behavior.Script
	for i, st := range steps {
		p := fmt.Sprintf("%s[%d]", path, i)
		var got []behavior.Stmt
		add := func(s behavior.Stmt) { got = append(got, s) }
		if st.Sleep != nil {
			if st.Sleep.Duration < 0 {
				l.add(d, ScenarioKind, p+".sleep", "Invalid value: %q: must not be negative", st.Sleep.String())
			}
			add(behavior.Sleep(st.Sleep.Duration))
		}
		if st.Touch != "" {
			add(behavior.Touch(st.Touch))
		}
		if st.Remove != "" {
			add(behavior.Remove(st.Remove))
		}
		if st.Write != nil {
			switch {
			case st.Write.Path == "":
				l.add(d, ScenarioKind, p+".write.path", "Required value: the file to write, such as /tmp/ready")
			case !strings.HasPrefix(st.Write.Path, "/"):
				l.add(d, ScenarioKind, p+".write.path", "Invalid value: %q: must be an absolute path", st.Write.Path)
			}
			add(behavior.WriteFile(st.Write.Path, st.Write.Content))
		}
		if st.Exit != nil {
			l.exitCode(d, p+".exit", *st.Exit)
			add(behavior.Exit(*st.Exit))
		}
		// "listen: 0" decodes as no listen at all: check what is written,
		// or the step is said to do nothing when its port is wrong.
		if st.Listen != 0 || d.has(p+".listen") {
			l.port(d, p+".listen", st.Listen)
			add(behavior.Listen(st.Listen))
		}
		if st.ClosePort != 0 || d.has(p+".closePort") {
			l.port(d, p+".closePort", st.ClosePort)
			add(behavior.ClosePort(st.ClosePort))
		}
		if h := st.ServeHTTP; h != nil {
			l.port(d, p+".serveHTTP.port", h.Port)
			if h.Status < 100 || h.Status > 599 {
				l.add(d, ScenarioKind, p+".serveHTTP.status", "Invalid value: %d: must be an HTTP status code (100-599)", h.Status)
			}
			path := h.Path
			if path == "" {
				path = "/"
			}
			if h.Location != "" {
				if h.Status < 300 || h.Status > 399 {
					l.add(d, ScenarioKind, p+".serveHTTP.location", "Invalid value: %q: a Location goes with a redirect status (300-399), not %d", h.Location, h.Status)
				}
				add(behavior.ServeRedirect(h.Port, path, h.Status, h.Location))
			} else {
				add(behavior.ServeHTTP(h.Port, path, h.Status))
			}
		}
		if g := st.ServeGRPC; g != nil {
			l.port(d, p+".serveGRPC.port", g.Port)
			status, ok := grpcStatuses[g.Status]
			if !ok {
				l.add(d, ScenarioKind, p+".serveGRPC.status", "Unsupported value: %q: supported values: \"SERVING\", \"NOT_SERVING\", \"UNKNOWN\", \"SERVICE_UNKNOWN\"", g.Status)
			}
			add(behavior.ServeGRPC(g.Port, g.Service, status))
		}
		// Memory, disk and process use: the kubelet measures them, the
		// kernel OOM-kills on memory, the eviction manager acts on all.
		if st.Memory != nil {
			if st.Memory.Sign() < 0 {
				l.add(d, ScenarioKind, p+".memory", "Invalid value: %q: must not be negative", st.Memory.String())
			}
			add(behavior.UseMemory(st.Memory.Value()))
		}
		if st.Disk != nil {
			if st.Disk.Path == "" || !strings.HasPrefix(st.Disk.Path, "/") {
				l.add(d, ScenarioKind, p+".disk.path", "Invalid value: %q: must be an absolute path", st.Disk.Path)
			}
			if st.Disk.Bytes.Sign() < 0 {
				l.add(d, ScenarioKind, p+".disk.bytes", "Invalid value: %q: must not be negative", st.Disk.Bytes.String())
			}
			add(behavior.UseDisk(st.Disk.Path, st.Disk.Bytes.Value()))
		}
		if st.Processes != nil {
			if *st.Processes < 0 {
				l.add(d, ScenarioKind, p+".processes", "Invalid value: %d: must not be negative", *st.Processes)
			}
			add(behavior.UseProcesses(*st.Processes, 0))
		}
		if st.Run != "" {
			script, err := l.parseShell(st.Run)
			if err != nil {
				l.add(d, ScenarioKind, p+".run", "%v", err)
			}
			add(behavior.Group(script...))
		}
		if st.Forever != nil {
			if len(st.Forever) == 0 {
				// An empty forever spins without time passing: the run
				// would stop with a busy-loop error at that moment.
				l.add(d, ScenarioKind, p+".forever", "Required value: forever repeats its steps: give at least one, such as \"sleep: 1h\"")
			}
			add(behavior.Forever(l.steps(st.Forever, d, p+".forever")...))
		}
		for _, loop := range []struct {
			name  string
			doc   *LoopDoc
			until bool
		}{{"until", st.Until, true}, {"while", st.While, false}} {
			if loop.doc == nil {
				continue
			}
			cond, err := l.parseShell(loop.doc.Run)
			if err != nil {
				l.add(d, ScenarioKind, p+"."+loop.name+".run", "%v", err)
			}
			body := l.steps(loop.doc.Steps, d, p+"."+loop.name+".steps")
			if loop.until {
				add(behavior.Until(behavior.Group(cond...), body...))
			} else {
				add(behavior.While(behavior.Group(cond...), body...))
			}
		}
		switch len(got) {
		case 0:
			l.add(d, ScenarioKind, p, "Required value: a step needs one of sleep, touch, remove, write, exit, listen, closePort, serveHTTP, serveGRPC, memory, disk, processes, run, forever, until, while")
		case 1:
			out = append(out, got[0])
		default:
			l.add(d, ScenarioKind, p, "Forbidden: a step may do only one thing; split it into several steps")
		}
	}
	return out
}

func (l *loader) port(d *document, path string, port int) {
	if port < 1 || port > 65535 {
		l.add(d, ScenarioKind, path, "Invalid value: %d: must be between 1 and 65535, inclusive", port)
	}
}

// exitCode checks an exit status: a process exits with 0 to 255, and a
// container status showing 300 or -1 would be one no cluster shows.
func (l *loader) exitCode(d *document, path string, code int) {
	if code < 0 || code > 255 {
		l.add(d, ScenarioKind, path, "Invalid value: %d: must be between 0 and 255, inclusive", code)
	}
}
