package behavior

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

type opcode uint8

const (
	opTouch opcode = iota + 1
	opRemove
	opWrite
	opEcho
	opSleep
	opExit
	opStatus
	opTestFile
	opCat
	opLs
	opResolve
	opListen
	opClose
	opHTTP
	opGRPC
	opMemory
	opDisk
	opChildMemory  // memory held by worker children
	opProcesses    // n processes besides the main one, port of them workers
	opFill         // write n bytes at path (append when cond), as text does; path "" is stdout
	opWaitChildren // wait for the worker children, at most d (0: forever)
	opJump
	opJumpIf     // jump to target when (status == 0) == cond
	opSignal     // send signal n to the container's main process if text names it (catalogue_signal.go)
	opAlive      // status 0 while the container's main process named text lives
	opTrap       // trap on SIGTERM: handler at target (cond: ignore it; n < 0: reset) (shell_jobs.go)
	opTrapReturn // the end of a trap's body: carry on where the signal came
	opBackground // a background job that ends d later (cond: never)
	opWaitJobs   // wait for the background jobs
)

type instr struct {
	op     opcode
	path   string
	text   string
	n      int64
	d      time.Duration
	port   int
	target int
	cond   bool
}

// Program is a compiled script: a flat list of instructions with jumps.
type Program struct {
	code   []instr
	source string
}

// String is the script the program was compiled from, shell-style.
func (p *Program) String() string { return p.source }

type compiler struct{ code []instr }

func (c *compiler) emit(in instr) int {
	c.code = append(c.code, in)
	return len(c.code) - 1
}

func (c *compiler) here() int { return len(c.code) }

func (c *compiler) patch(at, target int) { c.code[at].target = target }

func (c *compiler) compileScript(s Script) {
	for _, st := range s {
		st.compile(c)
	}
}

// Compile turns a script into a program.
func Compile(s Script) *Program {
	c := &compiler{}
	c.compileScript(s)
	return &Program{code: c.code, source: s.String()}
}

// Never is the wake time of a process that waits for nothing: it has exited,
// or it only waits for a signal.
const Never = time.Duration(math.MaxInt64)

// busyLimit bounds the instructions one process may run at one instant. A
// loop without a sleep would otherwise spin forever at a single moment.
const busyLimit = 100_000

// ErrBusyLoop is returned when a process runs busyLimit instructions without
// sleeping: its script loops without taking time.
var ErrBusyLoop = errors.New("behavior: the script loops without sleeping")

// Env is what a process can ask of the cluster around it.
type Env interface {
	// Resolves reports whether a DNS name resolves (a Service exists). The
	// name may hold NamespaceSubstitution, which stands for the pod's
	// namespace.
	Resolves(name string) bool
}

// Process is a program running in a container: its entrypoint, or an exec
// session of a probe or hook. Processes share their container's files and ports.
type Process struct {
	c      *Container
	prog   *Program
	pc     int
	status int

	sleepUntil time.Duration
	stopAt     time.Duration // when a handled stop signal makes it exit
	stopCode   int

	exited   bool
	exitCode int
	signal   int // the signal that killed it, 0 if it exited by itself

	output []byte
	// started is when the process began.
	started time.Duration
	// logs: the process is the container's main process, whose output is
	// the container's log; logged counts its bytes and tail keeps the end.
	logs   bool
	logged int64
	tail   []byte
	lines  int // newlines in tail
	// waitingChildren: blocked in opWaitChildren, which Interrupt ends.
	waitingChildren bool
	// now is the virtual time of the instruction being run.
	now time.Duration
	jobs
}

// The end of a container's log that is kept: what the kubelet reads for
// FallbackToLogsOnError, its last 80 lines, of which it keeps 2048 bytes
// (pkg/kubelet/container MaxContainerTerminationMessageLogLines and
// …LogLength).
const (
	maxLogTailLines = 80
	maxLogTail      = maxLogTailLines * 2048
)

// maxOutput is how much of a process's output is kept, as the kubelet keeps
// at most 10 KiB of an exec probe's output (pkg/kubelet/prober/prober.go).
const maxOutput = 10 * 1024

func newProcess(c *Container, prog *Program, now time.Duration) *Process {
	return &Process{c: c, prog: prog, sleepUntil: now, stopAt: Never, started: now}
}

// LoggedBytes is how much a main process has written to the container's
// log.
func (p *Process) LoggedBytes() int64 { return p.logged }

// LogTail is the end of a main process's log: its last 80 lines.
func (p *Process) LogTail() string { return string(p.tail) }

// log counts n bytes written to the log with no text kept (a flood such
// as yes writes).
func (p *Process) log(n int64) {
	if p.logs {
		p.logged += n
	}
}

// Interrupt wakes a process that waits for its children, after the
// container's OOM killer took them (Container.OOMKill): call Advance at
// now.
func (p *Process) Interrupt(now time.Duration) {
	if p.waitingChildren {
		p.sleepUntil = now
	}
}

// Exited reports whether the process has ended, and with which code.
func (p *Process) Exited() (code int, exited bool) { return p.exitCode, p.exited }

// Signaled is the signal that ended the process, or 0.
func (p *Process) Signaled() int { return p.signal }

// Output is what the process printed (stdout and stderr), capped at 10 KiB.
func (p *Process) Output() string { return string(p.output) }

func (p *Process) print(s string) {
	if p.logs {
		p.logged += int64(len(s))
		p.tail = append(p.tail, s...)
		p.lines += strings.Count(s, "\n")
		for p.lines > maxLogTailLines {
			i := bytes.IndexByte(p.tail, '\n')
			p.tail = p.tail[i+1:]
			p.lines--
		}
		if over := len(p.tail) - maxLogTail; over > 0 {
			p.lines -= bytes.Count(p.tail[:over], []byte("\n"))
			p.tail = p.tail[over:]
		}
	}
	room := maxOutput - len(p.output)
	if room <= 0 {
		return
	}
	if len(s) > room {
		s = s[:room]
	}
	p.output = append(p.output, s...)
}

func (p *Process) exit(code int) {
	p.exited, p.exitCode = true, code
}

// Advance runs the process up to now and reports when it next needs to run:
// the end of its current sleep, the moment a handled stop signal ends it, or
// Never. Call it at (or after) the returned time.
func (p *Process) Advance(now time.Duration, env Env) (time.Duration, error) {
	if p.exited {
		return Never, nil
	}
	if now >= p.stopAt {
		p.exit(p.stopCode)
		return Never, nil
	}
	if now < p.sleepUntil {
		return min(p.sleepUntil, p.stopAt), nil
	}
	p.now = now
	for steps := 0; ; steps++ {
		if steps >= busyLimit {
			return Never, fmt.Errorf("%w: %s", ErrBusyLoop, p.prog.source)
		}
		if p.pc >= len(p.prog.code) {
			p.exit(p.status)
			return Never, nil
		}
		if p.trapPending {
			p.runTrap()
		}
		in := &p.prog.code[p.pc]
		p.pc++
		switch in.op {
		case opSleep:
			p.status = 0
			if in.d > 0 {
				p.sleepUntil = addSat(now, in.d)
				return min(p.sleepUntil, p.stopAt), nil
			}
		case opExit:
			code := int(in.n)
			if code < 0 {
				code = p.status // exit with no operand: the last status
			}
			p.exit(code)
			return Never, nil
		case opWaitJobs:
			if now < p.jobsUntil {
				p.pc--
				p.waitingJobs = true
				p.sleepUntil = p.jobsUntil
				return min(p.jobsUntil, p.stopAt), nil
			}
			p.waitingJobs, p.status = false, 0
		case opTrap, opTrapReturn, opBackground:
			p.applyJobs(in, now)
		case opWaitChildren:
			done, until := p.c.waitChildren(in, p, now)
			if !done {
				p.pc--
				p.waitingChildren = true
				p.sleepUntil = until
				return min(until, p.stopAt), nil
			}
			p.waitingChildren = false
		case opJump:
			p.pc = in.target
		case opJumpIf:
			if (p.status == 0) == in.cond {
				p.pc = in.target
			}
		default:
			p.status = p.c.apply(in, p, env)
		}
	}
}

// Signal delivers a signal. SIGKILL ends the process at once with 137; the
// stop signal (SIGTERM or the image's STOPSIGNAL) does what the container's
// StopPolicy says. It returns when the process will exit (Never if it ignores
// the signal); call Advance at that time.
func (p *Process) Signal(sig Signal, now time.Duration) time.Duration {
	if p.exited {
		return Never
	}
	if sig == SIGKILL {
		p.exit(128 + int(SIGKILL))
		p.signal = int(SIGKILL)
		return now
	}
	if at, handled := p.trapped(sig, now); handled {
		return at
	}
	pol := p.c.stop
	switch pol.Action {
	case StopIgnore:
		return Never
	case StopExit:
		at := addSat(now, pol.After)
		if at < p.stopAt {
			p.stopAt, p.stopCode = at, pol.Code
		}
		return p.stopAt
	default: // the signal's default action: the process dies of it
		p.exit(128 + int(sig))
		p.signal = int(sig)
		return now
	}
}

// Kill ends a process at once with SIGKILL, as an exec timeout does.
func (p *Process) Kill() { p.Signal(SIGKILL, 0) }

// addSat is now + d, stopping at Never instead of wrapping around: a loop
// of long sleeps must not send a process's clock backwards.
func addSat(now, d time.Duration) time.Duration {
	if d > 0 && now > Never-d {
		return Never
	}
	return now + d
}
