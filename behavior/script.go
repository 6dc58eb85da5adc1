package behavior

import (
	"fmt"
	"strings"
	"time"
)

// Stmt is one statement of a script: a command with an exit status, in the
// sense of a shell. Build statements with the functions of this package.
type Stmt interface {
	compile(c *compiler)
	// String renders the statement as the shell would write it.
	String() string
}

// Script is a sequence of statements run one after another, like the lines
// of a shell script. Its exit status is that of the last statement run.
type Script []Stmt

func (s Script) String() string {
	var b strings.Builder
	writeScript(&b, s)
	return b.String()
}

// render writes a statement out in one builder, so that a long script or a
// long a && b && c chain costs time linear in its length (composites that
// built their text by concatenating their parts' were quadratic).
func render(st Stmt) string {
	var b strings.Builder
	write(&b, st)
	return b.String()
}

func write(b *strings.Builder, st Stmt) {
	switch st := st.(type) {
	case group:
		b.WriteString("{ ")
		writeScript(b, Script(st))
		b.WriteString("; }")
	case subprocess:
		b.WriteString("(")
		writeScript(b, Script(st))
		b.WriteString(")")
	case andOr:
		write(b, st.left)
		if st.and {
			b.WriteString(" && ")
		} else {
			b.WriteString(" || ")
		}
		write(b, st.right)
	case loop:
		switch {
		case st.cond == nil:
			b.WriteString("while true")
		case st.until:
			b.WriteString("until ")
			write(b, st.cond)
		default:
			b.WriteString("while ")
			write(b, st.cond)
		}
		b.WriteString("; do ")
		writeScript(b, st.body)
		b.WriteString("; done")
	default:
		b.WriteString(st.String())
	}
}

func writeScript(b *strings.Builder, s Script) {
	for i, x := range s {
		if i > 0 {
			b.WriteString("; ")
		}
		write(b, x)
	}
}

type simple struct {
	op   opcode
	path string
	n    int64
	d    time.Duration
	port int
	text string
}

func (s simple) compile(c *compiler) {
	c.emit(instr{op: s.op, path: s.path, n: s.n, d: s.d, port: s.port, text: s.text})
}

func (s simple) String() string {
	switch s.op {
	case opTouch:
		return "touch " + s.path
	case opRemove:
		return "rm -f " + s.path
	case opWrite:
		return fmt.Sprintf("echo %q > %s", s.text, s.path)
	case opSleep:
		return fmt.Sprintf("sleep %v", s.d.Seconds())
	case opExit:
		if s.n < 0 {
			return "exit"
		}
		return fmt.Sprintf("exit %d", s.n)
	case opListen:
		return fmt.Sprintf("listen :%d", s.port)
	case opClose:
		return fmt.Sprintf("close :%d", s.port)
	case opHTTP:
		if s.text != "" {
			return fmt.Sprintf("serve :%d%s %d Location: %s", s.port, s.path, s.n, s.text)
		}
		return fmt.Sprintf("serve :%d%s %d", s.port, s.path, s.n)
	case opGRPC:
		return fmt.Sprintf("grpc :%d %q %s", s.port, s.text, GRPCStatus(s.n))
	case opMemory:
		return fmt.Sprintf("use memory %d", s.n)
	case opDisk:
		return fmt.Sprintf("use disk %s %d", s.path, s.n)
	case opStatus:
		if s.n == 0 {
			return "true"
		}
		return "false"
	case opTestFile:
		return "test -e " + s.path
	case opCat:
		return "cat " + s.path
	case opLs:
		return "ls " + s.path
	case opResolve:
		return "nslookup " + s.text
	case opEcho:
		return "echo " + s.text
	}
	return fmt.Sprintf("op%d", s.op)
}

// Touch creates an empty file, or keeps an existing one (touch).
func Touch(path string) Stmt { return simple{op: opTouch, path: path} }

// Remove deletes a file if it exists; a missing file is not an error (rm -f).
func Remove(path string) Stmt { return simple{op: opRemove, path: path} }

// WriteFile writes text to a file, creating it (echo text > path).
func WriteFile(path, text string) Stmt { return simple{op: opWrite, path: path, text: text} }

// Echo prints text and succeeds; it changes nothing the cluster can see.
func Echo(text string) Stmt { return simple{op: opEcho, text: text} }

// Sleep waits d of virtual time (sleep). It is the only statement that takes time.
func Sleep(d time.Duration) Stmt { return simple{op: opSleep, d: d} }

// Exit ends the process with code (exit N).
func Exit(code int) Stmt { return simple{op: opExit, n: int64(code)} }

// True succeeds (true).
func True() Stmt { return simple{op: opStatus, n: 0} }

// False fails with status 1 (false).
func False() Stmt { return simple{op: opStatus, n: 1} }

// FileExists succeeds when path exists (test -e, test -f).
func FileExists(path string) Stmt { return simple{op: opTestFile, path: path} }

// Cat prints a file and succeeds, or fails with the userland's message when
// the file is missing (cat).
func Cat(path string) Stmt { return simple{op: opCat, path: path} }

// Ls lists a file and succeeds, or fails when it is missing (ls).
func Ls(path string) Stmt { return simple{op: opLs, path: path} }

// Resolve succeeds when the DNS name resolves in the cluster, as nslookup
// does once a Service of that name exists.
func Resolve(name string) Stmt { return simple{op: opResolve, text: name} }

// Listen opens a TCP port; TCP probes to it succeed from now on.
func Listen(port int) Stmt { return simple{op: opListen, port: port} }

// ClosePort stops listening on a port; connections are refused from now on.
func ClosePort(port int) Stmt { return simple{op: opClose, port: port} }

// ServeHTTP makes the server on port answer path with status from now on,
// and listens on the port if it did not already.
func ServeHTTP(port int, path string, status int) Stmt {
	return simple{op: opHTTP, port: port, path: path, n: int64(status)}
}

// ServeGRPC sets the answer of the gRPC health service on port for service
// ("" is the server as a whole), and listens on the port.
func ServeGRPC(port int, service string, status GRPCStatus) Stmt {
	return simple{op: opGRPC, port: port, text: service, n: int64(status)}
}

// UseMemory sets the process's memory working set in bytes.
func UseMemory(bytes int64) Stmt { return simple{op: opMemory, n: bytes} }

// UseDisk sets the bytes written under path (a directory of the container's
// root filesystem or a volume mount).
func UseDisk(path string, bytes int64) Stmt { return simple{op: opDisk, path: path, n: bytes} }

type loop struct {
	cond  Stmt // nil: forever
	until bool // loop until cond succeeds (until), else while cond succeeds
	body  Script
}

func (l loop) String() string { return render(l) }

func (l loop) compile(c *compiler) {
	top := c.here()
	if l.cond == nil {
		c.compileScript(l.body)
		c.emit(instr{op: opJump, target: top})
		return
	}
	l.cond.compile(c)
	exitJump := c.emit(instr{op: opJumpIf, cond: l.until}) // until: leave on success; while: leave on failure
	c.compileScript(l.body)
	c.emit(instr{op: opJump, target: top})
	c.patch(exitJump, c.here())
	// A loop's own status is that of the last body command run; after an
	// until loop ends, the shell reports 0.
	c.emit(instr{op: opStatus, n: 0})
}

// Forever repeats body until the process is killed (while true; do …; done).
// The body must take time (contain a Sleep) or the run fails as a busy loop.
func Forever(body ...Stmt) Stmt { return loop{body: body} }

// Until repeats body until cond succeeds (until cond; do …; done).
func Until(cond Stmt, body ...Stmt) Stmt { return loop{cond: cond, until: true, body: body} }

// While repeats body while cond succeeds (while cond; do …; done).
func While(cond Stmt, body ...Stmt) Stmt { return loop{cond: cond, body: body} }

type andOr struct {
	left, right Stmt
	and         bool
}

func (a andOr) String() string { return render(a) }

func (a andOr) compile(c *compiler) {
	a.left.compile(c)
	// a && b: skip b when a failed; a || b: skip b when a succeeded.
	skip := c.emit(instr{op: opJumpIf, cond: !a.and})
	a.right.compile(c)
	c.patch(skip, c.here())
}

// And runs right only when left succeeds (left && right).
func And(left, right Stmt) Stmt { return andOr{left: left, right: right, and: true} }

// Or runs right only when left fails (left || right).
func Or(left, right Stmt) Stmt { return andOr{left: left, right: right} }

type group Script

func (g group) compile(c *compiler) { c.compileScript(Script(g)) }
func (g group) String() string      { return render(g) }

// Group runs statements as one (a brace group), for use inside And and Or.
func Group(stmts ...Stmt) Stmt { return group(stmts) }
