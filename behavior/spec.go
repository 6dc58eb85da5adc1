package behavior

import (
	"fmt"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Spec is what a container does when it runs: the script its entrypoint
// follows, how it treats the stop signal, the userland its commands come
// from, and the programs in its image that exec probes and hooks may call.
type Spec struct {
	// Main is what the entrypoint does. An empty script exits 0 at once.
	Main Script
	// Stop is what the stop signal does to the main process.
	Stop StopPolicy
	// Userland decides the messages of the built-in commands.
	Userland Userland
	// Files exist in the image when the container starts.
	Files []string
	// Names are the program names the main process runs as, which
	// killall and nginx -s find it by (the image's server, "nginx").
	Names []string
	// Commands are programs in the image, keyed by the command line that runs
	// them (arguments joined by single spaces) or by the program's path. An
	// exec probe or hook whose command is neither built in nor listed here is
	// an error: podsim does not guess.
	Commands map[string]Script
}

// Instance is one run of a container: the state it shows and its main process.
type Instance struct {
	Container *Container
	Main      *Process
}

// Start begins a new run of the container at now. Every run starts from the
// image: files written by an earlier run are gone.
func (s *Spec) Start(now time.Duration) *Instance { return s.StartWith(now, nil) }

// StartWith begins a run with the pod's volumes mounted: what the
// container writes under a mount point goes to the volume, which outlives
// the run.
func (s *Spec) StartWith(now time.Duration, mounts []Mount) *Instance {
	return s.start(now, mounts, Compile(s.Main))
}

func (s *Spec) start(now time.Duration, mounts []Mount, prog *Program) *Instance {
	c := &Container{
		userland: s.Userland,
		stop:     s.Stop,
		commands: s.Commands,
		mounts:   mounts,
	}
	for _, f := range s.Files {
		c.files.put(f, "")
	}
	c.imageFiles = c.files.len()
	main := newProcess(c, prog, now)
	main.logs = true
	c.main, c.names = main, s.Names
	return &Instance{Container: c, Main: main}
}

// Exec starts a command inside the container, as a probe or a hook does:
// one of the container's Commands, a [Builtin], or a shell running a
// script of the idioms [ParseShell] reads (sh -c SCRIPT, also with bash,
// ash, dash or a path such as /bin/sh), whose commands may themselves be
// Commands. A script podsim cannot read is a *[CommandError].
func (c *Container) Exec(argv []string, now time.Duration) (*Process, error) {
	script, err := c.resolve(argv)
	if err != nil {
		return nil, err
	}
	return newProcess(c, Compile(script), now), nil
}

// UnknownCommandError is returned for an exec command podsim cannot read.
type UnknownCommandError struct {
	Argv []string
}

func (e *UnknownCommandError) Error() string {
	return fmt.Sprintf("podsim cannot tell what the command %q does: describe it as a command of the container's behaviour", strings.Join(e.Argv, " "))
}

func (c *Container) resolve(argv []string) (Script, error) {
	if len(argv) == 0 {
		return nil, &UnknownCommandError{Argv: argv}
	}
	if s, ok, _ := c.lookup(argv); ok {
		return s, nil
	}
	if st, ok := Builtin(argv); ok {
		return Script{st}, nil
	}
	// sh -c SCRIPT: the script's commands may be the container's Commands.
	if script, ok, err := shellScript(argv); ok {
		var s Script
		if err == nil {
			if s, err = parseShell(script, c.lookup); err == nil {
				return s, nil
			}
		}
		return nil, fmt.Errorf("%w; describe what it does as a command of the container's behaviour", withCommand(err, shellJoin(argv)))
	}
	return nil, &UnknownCommandError{Argv: argv}
}

// lookup finds a command among the container's Commands: by its whole
// command line, else by its program.
func (c *Container) lookup(argv []string) (Script, bool, error) {
	if s, ok := c.commands[strings.Join(argv, " ")]; ok {
		return s, true, nil
	}
	s, ok := c.commands[argv[0]]
	return s, ok, nil
}

// Builtin reads a single command line that podsim understands without help:
// cat F, test -e|-f|-d F, [ -f F ], ls F, touch F, rm [-f] [-r] F, sleep N,
// echo …, true, false, exit N, nslookup NAME.
func Builtin(argv []string) (Stmt, bool) {
	if len(argv) == 0 {
		return nil, false
	}
	args := argv[1:]
	switch path.Base(argv[0]) {
	case "true", ":":
		return True(), len(args) == 0
	case "false":
		return False(), len(args) == 0
	case "cat":
		if len(args) == 1 {
			return Cat(args[0]), true
		}
	case "ls":
		if len(args) == 1 {
			return Ls(args[0]), true
		}
	case "touch":
		if len(args) == 1 {
			return Touch(args[0]), true
		}
	case "rm":
		files := slices.DeleteFunc(slices.Clone(args), func(a string) bool {
			return a == "-f" || a == "-r" || a == "-rf" || a == "-fr" || a == "-R"
		})
		if len(files) == 1 {
			return Remove(files[0]), true
		}
	case "test":
		if len(args) == 2 && (args[0] == "-e" || args[0] == "-f" || args[0] == "-d") {
			return FileExists(args[1]), true
		}
	case "[":
		if len(args) == 3 && args[2] == "]" && (args[0] == "-e" || args[0] == "-f" || args[0] == "-d") {
			return FileExists(args[1]), true
		}
	case "sleep":
		if len(args) == 1 {
			if d, ok := ParseSleep(args[0]); ok {
				return Sleep(d), true
			}
		}
	case "echo":
		return Echo(strings.Join(args, " ")), true
	case "exit":
		if len(args) == 1 {
			var code int
			if _, err := fmt.Sscanf(args[0], "%d", &code); err == nil {
				return Exit(code), true
			}
		}
	case "nslookup":
		if len(args) == 1 {
			return Resolve(args[0]), true
		}
	}
	return nil, false
}

// ParseSleep reads the argument of sleep: seconds, possibly fractional, with
// an optional s, m, h or d suffix as GNU and BusyBox sleep accept.
func ParseSleep(arg string) (time.Duration, bool) {
	unit := time.Second
	switch {
	case strings.HasSuffix(arg, "s"):
		arg = strings.TrimSuffix(arg, "s")
	case strings.HasSuffix(arg, "m"):
		unit, arg = time.Minute, strings.TrimSuffix(arg, "m")
	case strings.HasSuffix(arg, "h"):
		unit, arg = time.Hour, strings.TrimSuffix(arg, "h")
	case strings.HasSuffix(arg, "d"):
		unit, arg = 24*time.Hour, strings.TrimSuffix(arg, "d")
	}
	if arg == "" || strings.HasPrefix(arg, "-") || strings.HasPrefix(arg, "+") {
		return 0, false
	}
	f, err := strconv.ParseFloat(arg, 64)
	// inf and nan parse as floats but are not durations; neither is a
	// sleep longer than a Duration can hold.
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f*float64(unit) > float64(math.MaxInt64) {
		return 0, false
	}
	return time.Duration(f * float64(unit)), true
}
