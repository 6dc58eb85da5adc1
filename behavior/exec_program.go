package behavior

import "time"

// CompileExec reads an exec command as [Container.Exec] does and compiles
// it. What a command does depends only on the command line and the
// container's Commands, which every run of the container shares, so a
// probe that runs the same command every period compiles it once and
// starts each run with [Container.ExecProgram].
func (c *Container) CompileExec(argv []string) (*Program, error) {
	script, err := c.resolve(argv)
	if err != nil {
		return nil, err
	}
	return Compile(script), nil
}

// ExecProgram starts a compiled command inside the container at now, as
// [Container.Exec] would have started it. A Program is read-only: many
// processes, of this run of the container or a later one, may share it.
func (c *Container) ExecProgram(p *Program, now time.Duration) *Process {
	return newProcess(c, p, now)
}

// ExecProgramIn is ExecProgram into a process the caller keeps for reuse:
// proc is reset to a new process of p started at now, keeping only the
// room its output had. The caller must hold no other reference to the run
// proc was before (the kubelet reuses one for the read-only probe commands
// that end within the call that starts them; issue 10).
func (c *Container) ExecProgramIn(proc *Process, p *Program, now time.Duration) {
	*proc = Process{c: c, prog: p, sleepUntil: now, stopAt: Never, started: now, output: proc.output[:0]}
}

// ReadOnly reports whether running the program can change nothing and
// takes no time: it only reads files, prints, sets its exit status and
// branches — cat, test -f, ls, echo, true, false, exit, and their
// combinations without loops. A probe running such a command against a container whose
// processes do nothing gets the same answer every time, which is what lets
// the kubelet skip the runs that would repeat it. A name lookup is not
// read-only in that sense: its answer follows the cluster's Services.
func (p *Program) ReadOnly() bool {
	for i, in := range p.code {
		switch in.op {
		case opEcho, opExit, opStatus, opTestFile, opCat, opLs:
		case opJump, opJumpIf:
			if in.target <= i {
				return false // a loop: it could wait on, or spin
			}
		default:
			return false
		}
	}
	return true
}
