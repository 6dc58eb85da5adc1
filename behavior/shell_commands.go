package behavior

import (
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// redirect is echo's output redirection: > or >> and the file.
type redirect struct {
	op   string
	path string
}

// binDirs are the directories whose programs podsim knows by name: /bin/sleep
// is sleep, but ./sleep or /app/sleep is some other program.
var binDirs = []string{"/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"}

// programName is the name podsim knows a program by, or the word itself.
func programName(word string) string {
	dir, base := path.Split(word)
	if dir != "" && slices.Contains(binDirs, path.Clean(dir)) {
		return base
	}
	return word
}

// shells are the programs podsim reads as a shell running a script.
var shells = []string{"sh", "bash", "ash", "dash"}

// shellBuiltins are commands of sh itself (not programs on disk) that podsim
// does not model; naming them as builtins makes a clearer error than
// "unknown command".
var shellBuiltins = map[string]string{
	"trap": "",
	"exec": ": it replaces the shell with another program",
	".":    "", "source": "", "alias": "", "break": "", "cd": "", "command": "",
	"continue": "", "eval": "", "export": "", "getopts": "", "hash": "", "jobs": "",
	"kill": "", "let": "", "local": "", "read": "", "readonly": "", "return": "",
	"set": "", "shift": "", "type": "", "ulimit": "", "umask": "", "unalias": "",
	"unset": "", "wait": "",
}

// reporters are programs the Kubernetes docs' examples run to print
// something (env, date, hostname, …): they write to stdout and exit 0,
// which is all a pod's lifecycle sees of them. The value says whether
// arguments are allowed: `env CMD` would run CMD, `date +%s` only formats.
var reporters = map[string]bool{
	"date": true, "df": true, "env": false, "free": true, "hostname": false, "id": false,
	"ps": true, "pwd": false, "uname": true, "uptime": false, "whoami": false,
}

// usages is what podsim reads of each command, for the error about a use it
// does not model.
var usages = map[string]string{
	"touch":    "touch FILE…",
	"rm":       "rm [-f] [-r] FILE… (several files only with -f)",
	"sleep":    "sleep N[s|m|h|d]… or sleep infinity",
	"exit":     "exit N",
	"echo":     "echo [-n|-e|-E…] [WORD…]",
	"cat":      "cat FILE",
	"ls":       "ls FILE",
	"test":     "test -e FILE or test -f FILE",
	"[":        "[ -e FILE ] or [ -f FILE ]",
	"nslookup": "nslookup NAME",
}

func usage(name string, argv []string) error {
	return failf("%q is not supported: podsim reads %s", snippet(strings.Join(argv, " ")), usages[name])
}

// readCommand reads one simple command. inShell says the command runs in
// a shell (its builtins exit and : exist, echo may redirect); otherwise it
// is a program the runtime starts directly, as PID 1. lookup, when set,
// finds programs described elsewhere before the built-in ones.
func readCommand(argv []string, redir *redirect, inShell bool, lookup lookupFunc) (Stmt, error) {
	if lookup != nil {
		s, ok, err := lookup(argv)
		if err != nil {
			return nil, err
		}
		if ok {
			if redir != nil {
				return nil, failf("redirections are supported only on echo: %q", redir.op)
			}
			if len(s) == 0 {
				return True(), nil
			}
			return subprocess(s), nil
		}
	}
	name, args := programName(argv[0]), argv[1:]
	if st, ok, err := readDiskWriter(name, argv, redir); ok {
		return st, err
	}
	if redir != nil && name != "echo" {
		return nil, failf("redirections are supported only on echo: %q", snippet(strings.Join(argv, " ")+" "+redir.op+" "+redir.path))
	}
	if !strings.Contains(argv[0], "/") {
		if _, builtin := shellBuiltins[name]; (builtin || name == "exit" || name == ":") && !inShell {
			return nil, failf("%q is a shell builtin, not a program: run it with sh -c", name)
		}
		switch name {
		case ":":
			return True(), nil
		case "exit":
			return readExit(argv)
		case "trap":
			return readTrap(argv, lookup)
		case "wait":
			return readWait(argv)
		case "read":
			// A container's standard input is empty: read meets its end
			// at once and fails, ending a while-read loop.
			return False(), nil
		}
		if why, ok := shellBuiltins[name]; ok {
			return nil, failf("the shell builtin %q is not supported%s", name, why)
		}
	}
	switch name {
	case "true":
		return True(), nil // true and false ignore their arguments
	case "false":
		return False(), nil
	case "echo":
		return readEcho(argv, redir)
	case "touch":
		files, ok := operands(args)
		if !ok || len(files) == 0 {
			return nil, usage(name, argv)
		}
		return each(files, Touch), nil
	case "rm":
		return readRm(argv)
	case "sleep":
		return readSleep(argv)
	case "perl":
		return readPerl(argv)
	case "cat", "ls", "nslookup":
		files, ok := operands(args)
		if !ok || len(files) != 1 {
			return nil, usage(name, argv)
		}
		switch name {
		case "cat":
			return Cat(files[0]), nil
		case "ls":
			return Ls(files[0]), nil
		}
		return Resolve(files[0]), nil
	case "test":
		if len(args) == 2 && (args[0] == "-e" || args[0] == "-f") {
			return FileExists(args[1]), nil
		}
		return nil, usage(name, argv)
	case "[":
		if len(args) == 3 && (args[0] == "-e" || args[0] == "-f") && args[2] == "]" {
			return FileExists(args[1]), nil
		}
		return nil, usage(name, argv)
	}
	if st, ok, err := readCatalogued(name, argv); ok {
		if redir != nil {
			return nil, failf("redirections are supported only on echo: %q", redir.op)
		}
		return st, err
	}
	if argsOK, ok := reporters[name]; ok {
		if len(args) > 0 && !argsOK {
			return nil, failf("%q is not supported: podsim reads %s with no arguments", snippet(strings.Join(argv, " ")), name)
		}
		return True(), nil
	}
	if slices.Contains(shells, name) {
		return nil, failf("a shell inside the script is not supported: %q", snippet(strings.Join(argv, " ")))
	}
	return nil, failf("unknown command %q", snippet(argv[0]))
}

// subprocess is a program the script runs, such as one of a Spec's
// Commands: its exit ends the program, not the shell, and is the status the
// shell sees. It renders as a subshell, which has the same meaning.
type subprocess Script

func (sp subprocess) String() string { return render(sp) }

// compile compiles the program and turns each of its exits into a jump to
// a stub that sets the status and leaves the program.
func (sp subprocess) compile(c *compiler) {
	start := c.here()
	c.compileScript(Script(sp))
	var exits []int
	for i := start; i < c.here(); i++ {
		if c.code[i].op == opExit {
			exits = append(exits, i)
		}
	}
	if len(exits) == 0 {
		return
	}
	over := c.emit(instr{op: opJump})
	leave := make([]int, len(exits))
	for k, i := range exits {
		code := c.code[i].n
		c.code[i] = instr{op: opJump, target: c.here()}
		c.emit(instr{op: opStatus, n: code})
		leave[k] = c.emit(instr{op: opJump})
	}
	for _, at := range append(leave, over) {
		c.patch(at, c.here())
	}
}

// asStmt makes a script one statement; an empty one succeeds, as a program
// that does nothing and exits 0.
func asStmt(s Script) Stmt {
	switch len(s) {
	case 0:
		return True()
	case 1:
		return s[0]
	}
	return Group(s...)
}

func each(files []string, f func(string) Stmt) Stmt {
	s := make(Script, len(files))
	for i, file := range files {
		s[i] = f(file)
	}
	return asStmt(s)
}

// operands are a command's arguments when none is an option; "--" ends
// the options.
func operands(args []string) ([]string, bool) {
	if len(args) > 0 && args[0] == "--" {
		return args[1:], true
	}
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			return nil, false
		}
	}
	return args, true
}

func readExit(argv []string) (Stmt, error) {
	if len(argv) == 1 {
		return exitStatus(), nil // exit with the last command's status
	}
	if len(argv) != 2 {
		return nil, usage("exit", argv)
	}
	n, err := strconv.Atoi(argv[1])
	if err != nil || n < 0 {
		return nil, usage("exit", argv)
	}
	return Exit(n % 256), nil // the kernel keeps the low 8 bits of a status
}

// readEcho reads echo. Its options -n, -e and -E (bash's, BusyBox's and
// GNU's; dash's echo prints them) change only the text printed, which
// podsim keeps as written: the status is 0 either way.
func readEcho(argv []string, redir *redirect) (Stmt, error) {
	args := argv[1:]
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' && strings.Trim(args[0][1:], "neE") == "" {
		args = args[1:]
	}
	text := strings.Join(args, " ")
	if redir == nil {
		return Echo(text), nil
	}
	switch redir.path {
	case "/dev/null":
		return True(), nil
	case "/dev/stdout", "/dev/stderr", "/proc/self/fd/1", "/proc/self/fd/2":
		return Echo(text), nil
	}
	// >> appends, but a Container's file holds one text: the file ends up
	// holding the last line written (see Fidelity notes).
	return WriteFile(redir.path, text), nil
}

// readRm reads rm. Without -f, rm fails when the file is missing: test -e
// F && rm -f F has that status (though not rm's message).
func readRm(argv []string) (Stmt, error) {
	args, force := argv[1:], false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-" {
		flag := args[0]
		args = args[1:]
		if flag == "--" {
			break
		}
		if strings.Trim(flag[1:], "frR") != "" || len(flag) == 1 {
			return nil, usage("rm", argv)
		}
		force = force || strings.Contains(flag, "f")
	}
	switch {
	case len(args) == 0:
		return nil, usage("rm", argv)
	case force:
		return each(args, Remove), nil
	case len(args) > 1:
		return nil, usage("rm", argv)
	}
	return And(FileExists(args[0]), Remove(args[0])), nil
}

// maxSleep is as long as a simulation can sleep: longer is forever (GNU
// sleep's documented way to sleep forever is a huge number or infinity).
const maxSleep = 100 * 365 * 24 * time.Hour

// sleepForever is `sleep infinity`: the process waits until it is
// stopped, waking hourly so the VM never sees a busy loop.
func sleepForever() Stmt { return Forever(Sleep(time.Hour)) }

// readSleep reads sleep: GNU and BusyBox sleep add up their arguments,
// each a number of seconds with an optional s, m, h or d suffix.
func readSleep(argv []string) (Stmt, error) {
	if len(argv) < 2 {
		return nil, usage("sleep", argv)
	}
	total := 0.0
	for _, a := range argv[1:] {
		if a == "infinity" || a == "inf" {
			return sleepForever(), nil
		}
		unit := 1.0
		if n := len(a); n > 1 {
			if u, ok := map[byte]float64{'s': 1, 'm': 60, 'h': 3600, 'd': 86400}[a[n-1]]; ok {
				unit, a = u, a[:n-1]
			}
		}
		f, err := strconv.ParseFloat(a, 64)
		if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(a, "+-_xXpPnN") {
			return nil, usage("sleep", argv)
		}
		total += f * unit
	}
	if total >= maxSleep.Seconds() {
		return sleepForever(), nil
	}
	return Sleep(time.Duration(total * float64(time.Second))), nil
}
