package behavior

import (
	"reflect"
	"strings"
	"time"
	"unsafe"
)

// ProgramCache compiles each script once. Copies of one Spec share their
// Main's backing array, so the many pods made from one template (a
// Deployment's, a benchmark's) run one Program instead of each compiling
// its own: a Program is read-only, and every run of every container may
// share it. A script is known by its backing array and length, so a
// script must not be changed in place once a container runs it — podsim
// never does, and a Spec given to it is read, not copied.
type ProgramCache struct {
	m    map[programKey]*Program
	exec map[execKey]*Program
}

// execKey is what an exec command's program depends on: the command line
// and the Commands of the container's image (Container.resolve).
type execKey struct {
	commands unsafe.Pointer
	argv     string
}

type programKey struct {
	first *Stmt
	n     int
}

// Compile is Compile(s), once per script.
func (ps *ProgramCache) Compile(s Script) *Program {
	if len(s) == 0 {
		return Compile(s)
	}
	key := programKey{unsafe.SliceData(s), len(s)}
	if p, ok := ps.m[key]; ok {
		return p
	}
	if ps.m == nil {
		ps.m = map[programKey]*Program{}
	}
	p := Compile(s)
	ps.m[key] = p
	return p
}

// StartProgram is StartWith whose Main was compiled already (ProgramCache):
// main must be Compile(s.Main).
func (s *Spec) StartProgram(now time.Duration, mounts []Mount, main *Program) *Instance {
	return s.start(now, mounts, main)
}

// CompileExec is c.CompileExec(argv), once per command line and image
// Commands: the exec probes of a node's many pods made from one template
// share their programs.
func (ps *ProgramCache) CompileExec(c *Container, argv []string) (*Program, error) {
	key := execKey{reflect.ValueOf(c.commands).UnsafePointer(), strings.Join(argv, "\x00")}
	if p, ok := ps.exec[key]; ok {
		return p, nil
	}
	p, err := c.CompileExec(argv)
	if err != nil {
		return nil, err
	}
	if ps.exec == nil {
		ps.exec = map[execKey]*Program{}
	}
	ps.exec[key] = p
	return p, nil
}
