package behavior

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The shell's signal traps and background jobs, as the Kubernetes docs and
// blog posts use them for a graceful stop:
//
//	trap 'echo stopping; exit 0' TERM; while true; do sleep 1; done
//	trap 'exit 0' TERM; sleep infinity & wait
//	nginx -g 'daemon off;' & wait
//
// A trap on TERM replaces the stop policy of the process that sets it:
// SIGTERM runs the trap's body — once the foreground command ends, as sh
// runs traps, or at once when the shell is in wait — and the script goes on
// after it unless the body exits. trap '' TERM ignores the signal; trap -
// TERM resets it. A background job is one command that serves or sleeps;
// wait waits until every job has ended.

// jobs is a process's traps and background jobs.
type jobs struct {
	trapPC       int // the trap's body, 0 for none
	trapIgnore   bool
	trapPending  bool
	trapReturnPC int
	inTrap       bool
	jobsUntil    time.Duration // when the last background job ends
	waitingJobs  bool
}

// trapped handles a signal a trap catches: it reports when the process
// will run the trap (Never when it ignores the signal), and whether a trap
// took it at all. Only SIGTERM can be trapped here: it is the signal the
// runtime sends (an image's STOPSIGNAL goes to its own server).
func (p *Process) trapped(sig Signal, now time.Duration) (time.Duration, bool) {
	if sig != SIGTERM || p.trapPC == 0 && !p.trapIgnore {
		return 0, false
	}
	if p.trapIgnore {
		return Never, true
	}
	p.trapPending = true
	if p.waitingJobs || now >= p.sleepUntil {
		p.sleepUntil = now
		return now, true
	}
	if p.sleepingForever() {
		return Never, true // the foreground command never ends, so neither does the wait for it
	}
	return p.sleepUntil, true // sh runs the trap when the foreground command ends
}

// sleepingForever reports whether the process is in sleep infinity (a
// loop of nothing but an hour's sleep, as sleepForever compiles; a script's
// own `while true; do sleep 3600; done` reads the same, see Fidelity notes).
func (p *Process) sleepingForever() bool {
	code := p.prog.code
	forever := func(at int) bool { // code[at] is the sleep of such a loop
		return at >= 0 && at+1 < len(code) && code[at].op == opSleep && code[at].d == time.Hour &&
			code[at+1].op == opJump && code[at+1].target == at
	}
	return forever(p.pc-1) || forever(p.pc)
}

// runTrap enters the trap's body; a wait it interrupts returns 143
// (128 + SIGTERM), as in sh.
func (p *Process) runTrap() {
	if p.inTrap {
		p.trapPending = false
		return
	}
	if !p.waitingJobs && p.sleepingForever() {
		return // still in the foreground sleep infinity: the trap waits
	}
	p.trapPending = false
	if p.waitingJobs {
		p.waitingJobs = false
		p.pc++ // past the wait
		p.status = 128 + int(SIGTERM)
	}
	p.inTrap, p.trapReturnPC, p.pc = true, p.pc, p.trapPC
}

// applyJobs runs opTrap, opTrapReturn and opBackground.
func (p *Process) applyJobs(in *instr, now time.Duration) {
	switch in.op {
	case opTrap:
		p.trapPC, p.trapIgnore = 0, false
		switch {
		case in.cond:
			p.trapIgnore = true
		case in.n >= 0:
			p.trapPC = in.target
		}
		p.status = 0
	case opTrapReturn:
		p.inTrap, p.pc = false, p.trapReturnPC
	case opBackground:
		end := Never
		if !in.cond {
			end = addSat(now, in.d)
		}
		p.jobsUntil = max(p.jobsUntil, end)
		p.status = 0
	}
}

type trapStmt struct {
	body   Script
	ignore bool
	reset  bool
}

func (t trapStmt) String() string {
	switch {
	case t.ignore:
		return "trap '' TERM"
	case t.reset:
		return "trap - TERM"
	}
	return fmt.Sprintf("trap %s TERM", shellQuote(render(Group(t.body...))))
}

// compile emits the trap, a jump over its body, and the body ending in
// opTrapReturn.
func (t trapStmt) compile(c *compiler) {
	n := int64(0)
	if t.reset {
		n = -1
	}
	at := c.emit(instr{op: opTrap, cond: t.ignore, n: n})
	if t.ignore || t.reset {
		return
	}
	over := c.emit(instr{op: opJump})
	c.code[at].target = c.here()
	c.compileScript(t.body)
	c.emit(instr{op: opTrapReturn})
	c.patch(over, c.here())
}

// OnTerm is `trap 'BODY' TERM`: SIGTERM runs body, then the script goes on
// unless body exits.
func OnTerm(body ...Stmt) Stmt { return trapStmt{body: body} }

// IgnoreTerm is `trap ” TERM`.
func IgnoreTerm() Stmt { return trapStmt{ignore: true} }

type jobStmt struct {
	setup   Script
	d       time.Duration
	forever bool
	text    string
}

func (j jobStmt) String() string { return j.text + " &" }

func (j jobStmt) compile(c *compiler) {
	c.compileScript(j.setup)
	c.emit(instr{op: opBackground, d: j.d, cond: j.forever})
}

type waitStmt struct{}

func (waitStmt) String() string      { return "wait" }
func (waitStmt) compile(c *compiler) { c.emit(instr{op: opWaitJobs}) }
func exitStatus() Stmt               { return simple{op: opExit, n: -1} }
func readWait(argv []string) (Stmt, error) {
	if len(argv) != 1 {
		return nil, failf("%q is not supported: podsim reads wait with no operand (it waits for every background job)", snippet(strings.Join(argv, " ")))
	}
	return waitStmt{}, nil
}

// Wait is the shell's wait: until every background job has ended.
func Wait() Stmt { return waitStmt{} }

// trapSignals are the names trap takes for SIGTERM.
var trapSignals = []string{"TERM", "SIGTERM", "15"}

// readTrap reads trap 'BODY' SIG…, trap ” SIG…, trap - SIG…. The signals
// must include TERM; the others (INT, QUIT, HUP) are never sent to a
// container's process by the kubelet and are ignored here. EXIT traps are
// not supported.
func readTrap(argv []string, lookup lookupFunc) (Stmt, error) {
	if len(argv) < 3 {
		return nil, failf("%q is not supported: podsim reads trap 'COMMANDS' TERM", snippet(strings.Join(argv, " ")))
	}
	term := false
	for _, s := range argv[2:] {
		switch u := strings.ToUpper(s); {
		case slices.Contains(trapSignals, u):
			term = true
		case u == "EXIT" || u == "0":
			return nil, failf("trap on EXIT is not supported: %q", snippet(strings.Join(argv, " ")))
		case u == "INT" || u == "SIGINT" || u == "QUIT" || u == "SIGQUIT" || u == "HUP" || u == "SIGHUP" || u == "2" || u == "3" || u == "1":
		default:
			return nil, failf("trap on %s is not supported: podsim reads trap on TERM", s)
		}
	}
	if !term {
		return nil, failf("%q traps no SIGTERM, the signal a container is stopped with: podsim reads trap on TERM", snippet(strings.Join(argv, " ")))
	}
	switch argv[1] {
	case "":
		return IgnoreTerm(), nil
	case "-":
		return trapStmt{reset: true}, nil
	}
	body, err := parseShell(argv[1], lookup)
	if err != nil {
		return nil, err
	}
	if len(body) == 0 {
		return IgnoreTerm(), nil
	}
	return trapStmt{body: body}, nil
}

// background makes CMD & of a statement: its instant effects (a server's
// listening) happen now, and the job ends after its sleep, or never. A job
// that does anything else over time is not supported.
func background(st Stmt) (Stmt, error) {
	flat := flatten(st)
	j := jobStmt{text: render(st)}
	for i, s := range flat {
		sm, ok := s.(simple)
		switch {
		case ok && sm.op == opSleep:
			if i != len(flat)-1 {
				return nil, failf("a background job that does more after sleeping is not supported: %q", j.text+" &")
			}
			j.d = sm.d
		case isForever(s):
			if i != len(flat)-1 {
				return nil, failf("a background job that does more after sleeping is not supported: %q", j.text+" &")
			}
			j.forever = true
		case ok && sm.op != opExit:
			j.setup = append(j.setup, s)
		default:
			return nil, failf("podsim reads a background job that is one command that serves or sleeps: %q", j.text+" &")
		}
	}
	return j, nil
}

// flatten is a statement's sequence, through groups and programs.
func flatten(st Stmt) Script {
	switch s := st.(type) {
	case group:
		var out Script
		for _, x := range s {
			out = append(out, flatten(x)...)
		}
		return out
	case subprocess:
		var out Script
		for _, x := range s {
			out = append(out, flatten(x)...)
		}
		return out
	}
	return Script{st}
}

// isForever reports sleepForever (and any loop of sleeps without a
// condition).
func isForever(st Stmt) bool {
	l, ok := st.(loop)
	if !ok || l.cond != nil {
		return false
	}
	for _, b := range l.body {
		if s, ok := b.(simple); !ok || s.op != opSleep {
			return false
		}
	}
	return true
}
