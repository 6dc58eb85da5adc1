package behavior

import (
	"fmt"
	"time"
)

// Statements that change what a container uses: memory, disk, processes.

// FillRate is how fast a writer with no end (yes > F, dd with no count)
// fills its file: podsim's assumption, the sustained write rate of a
// cloud SSD's page cache flushing to disk.
const FillRate = 100 << 20 // bytes a second

type usageStmt struct {
	op       opcode
	path     string
	n        int64
	workers  int
	appendTo bool
	d        time.Duration
	cmd      string
}

func (s usageStmt) compile(c *compiler) {
	c.emit(instr{op: s.op, path: s.path, n: s.n, port: s.workers, cond: s.appendTo, d: s.d, text: s.cmd})
}

func (s usageStmt) String() string {
	switch s.op {
	case opChildMemory:
		return fmt.Sprintf("use child memory %d", s.n)
	case opProcesses:
		return fmt.Sprintf("use processes %d", s.n)
	case opWaitChildren:
		return "wait"
	}
	if s.appendTo {
		return fmt.Sprintf("%s >> %s (%d bytes)", s.cmd, s.path, s.n)
	}
	return fmt.Sprintf("%s > %s (%d bytes)", s.cmd, s.path, s.n)
}

// UseChildMemory sets the memory the process's worker children hold: the
// kernel's OOM killer may take them instead of the main process.
func UseChildMemory(bytes int64) Stmt { return usageStmt{op: opChildMemory, n: bytes} }

// UseProcesses sets the processes the container runs besides its main
// one; workers of them are worker children whose death the main process
// waits for (WaitChildren).
func UseProcesses(n int64, workers int) Stmt {
	return usageStmt{op: opProcesses, n: n, workers: workers}
}

// WriteBytes writes a file of n bytes at path, as cmd (dd, head,
// fallocate) does; with appendTo the bytes go after what the file holds.
// A full filesystem stops it with cmd's "No space left on device" and
// status 1; a read-only one with "Read-only file system". A path "" is
// standard output: the bytes go to the container's log.
func WriteBytes(cmd, path string, n int64, appendTo bool) Stmt {
	return usageStmt{op: opFill, cmd: cmd, path: path, n: n, appendTo: appendTo}
}

// Fill writes to path without end at FillRate, a second's worth at a
// time, until the filesystem is full (yes > F, dd with no count): then
// it fails as cmd does.
func Fill(cmd, path string) Stmt { return fill{cmd: cmd, path: path} }

type fill struct{ cmd, path string }

func (f fill) String() string { return fmt.Sprintf("%s > %s (until full)", f.cmd, f.path) }

func (f fill) compile(c *compiler) {
	WriteBytes(f.cmd, f.path, 0, false).compile(c) // the shell's > truncates
	top := c.here()
	WriteBytes(f.cmd, f.path, FillRate, true).compile(c)
	leave := c.emit(instr{op: opJumpIf, cond: false}) // out when the write failed
	c.emit(instr{op: opSleep, d: time.Second})
	c.emit(instr{op: opJump, target: top})
	c.patch(leave, c.here())
}

// WaitChildren waits for the worker children: for timeout (0: forever),
// or until the OOM killer takes one, when it reports it as stress does
// and sets status 1.
func WaitChildren(timeout time.Duration) Stmt { return usageStmt{op: opWaitChildren, d: timeout} }
