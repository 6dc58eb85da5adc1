package behavior

import (
	"fmt"
	"slices"
	"time"
)

// Statements of a process that signals another in its container: nginx -s
// quit in a preStop hook, killall NAME, killall -0 NAME as a test of life.
// Only the container's main process can be signalled; it answers to the
// program names its Spec gives (Spec.Names).

type signalStmt struct {
	op   opcode
	sig  Signal
	name string
}

func (s signalStmt) compile(c *compiler) {
	c.emit(instr{op: s.op, n: int64(s.sig), text: s.name})
}

func (s signalStmt) String() string {
	if s.op == opAlive {
		return "killall -0 " + s.name
	}
	return fmt.Sprintf("kill -%d %s", s.sig, s.name)
}

// SignalMain sends sig to the container's main process if it runs as the
// program name: it fails, as killall does, when no such process lives.
// SIGKILL ends the process; any other signal does what its StopPolicy
// says (a server's graceful stop).
func SignalMain(sig Signal, name string) Stmt { return signalStmt{op: opSignal, sig: sig, name: name} }

// MainAlive succeeds while the container's main process runs as name
// (killall -0 NAME).
func MainAlive(name string) Stmt { return signalStmt{op: opAlive, name: name} }

// applySignal runs opSignal and opAlive for process p.
func (c *Container) applySignal(in *instr, p *Process) int {
	m := c.main
	if m == nil || m == p || !slices.Contains(c.names, in.text) || !m.aliveAt(p.now) {
		if in.op == opSignal {
			p.print(fmt.Sprintf("%s: no process found\n", in.text))
		}
		return 1
	}
	if in.op == opSignal {
		m.Signal(Signal(in.n), p.now)
		c.mainWake = true
	}
	return 0
}

// aliveAt reports whether the process is still running at now: it has not
// exited, and no handled stop signal has ended it by then.
func (p *Process) aliveAt(now time.Duration) bool { return !p.exited && now < p.stopAt }

// TakeMainWake reports whether another process signalled the main process
// since the last call: the runtime must then advance the main process at
// once, as the signal may end it.
func (c *Container) TakeMainWake() bool {
	w := c.mainWake
	c.mainWake = false
	return w
}
