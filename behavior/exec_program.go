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
