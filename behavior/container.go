package behavior

import (
	"slices"
	"time"
)

// Signal is a POSIX signal number.
type Signal int

// The signals the kubelet and the runtime send.
const (
	SIGKILL Signal = 9
	SIGTERM Signal = 15
	SIGQUIT Signal = 3
)

// StopAction says what a process does when the runtime sends its stop signal.
type StopAction uint8

const (
	// StopDie: the signal kills the process (exit code 128+signal, 143 for
	// SIGTERM). Processes that install no handler and are not PID 1 do this,
	// as do those that run under an init such as tini.
	StopDie StopAction = iota
	// StopIgnore: the process carries on and only SIGKILL ends it. The kernel
	// applies no default signal action to a PID namespace's init, so a shell
	// (`sh -c …`) running as PID 1 without a trap ignores SIGTERM.
	StopIgnore
	// StopExit: the process handles the signal and exits with Code after After.
	StopExit
)

// StopPolicy is how a container's main process treats the stop signal.
type StopPolicy struct {
	Action StopAction
	After  time.Duration // StopExit only
	Code   int           // StopExit only
}

// IgnoreStop is the policy of a shell running as PID 1.
func IgnoreStop() StopPolicy { return StopPolicy{Action: StopIgnore} }

// ExitOnStop is the policy of a process that shuts down cleanly in after.
func ExitOnStop(after time.Duration, code int) StopPolicy {
	return StopPolicy{Action: StopExit, After: after, Code: code}
}

// DieOnStop is the policy of a process killed by the signal itself.
func DieOnStop() StopPolicy { return StopPolicy{Action: StopDie} }

// GRPCStatus is a grpc.health.v1 serving status.
type GRPCStatus int

// The health service's answers. ServiceUnknown is a service the server does
// not know, answered with the gRPC error NOT_FOUND.
const (
	GRPCUnknown GRPCStatus = iota
	GRPCServing
	GRPCNotServing
	GRPCServiceUnknown
)

func (s GRPCStatus) String() string {
	switch s {
	case GRPCServing:
		return "SERVING"
	case GRPCNotServing:
		return "NOT_SERVING"
	case GRPCServiceUnknown:
		return "SERVICE_UNKNOWN"
	}
	return "UNKNOWN"
}

type port struct {
	listening bool
	http      map[string]int
	redirects map[string]string // the Location of a path answered with a redirect
	grpc      map[string]GRPCStatus
}

// Container is the state one container instance shows the world: its files,
// its listening ports and their answers, and its resource use. A restart gets
// a fresh Container (the root filesystem does not survive a restart).
type Container struct {
	userland Userland
	stop     StopPolicy
	commands map[string]Script
	files    fileTable
	ports    map[int]*port
	// mounts are the pod's volumes as this container sees them.
	mounts []Mount
	resourceUse
	// usageChanges are the changes of memory and disk use not yet taken.
	usageChanges []UsageChange
	// main is the container's main process, and names the programs it
	// runs as (for killall and nginx -s); mainWake is set when another
	// process signalled it (TakeMainWake).
	main     *Process
	names    []string
	mainWake bool
}

// Files lists the paths that exist, the mounted volumes' included, sorted.
func (c *Container) Files() []string {
	out := c.files.paths(make([]string, 0, c.files.len()))
	out = append(out, c.mountedFiles()...)
	slices.Sort(out)
	return slices.Compact(out)
}

// HasFile reports whether path exists.
func (c *Container) HasFile(path string) bool {
	_, ok := c.getFile(path)
	return ok
}

// File is the content of a file, and whether it exists.
func (c *Container) File(path string) (string, bool) { return c.getFile(path) }

// SetFile creates a file (content may be empty), as a scenario action that
// acts inside a running container does. A read-only mount keeps its files.
func (c *Container) SetFile(path, content string) { c.putFile(path, content) }

// RemoveFile removes a file.
func (c *Container) RemoveFile(path string) { c.removePath(path) }

// SetListening opens or closes a port.
func (c *Container) SetListening(p int, on bool) { c.port(p).listening = on }

// Listening reports whether a TCP connection to the port is accepted.
func (c *Container) Listening(p int) bool {
	pt, ok := c.ports[p]
	return ok && pt.listening
}

// HTTPStatus is the status code a GET of path on port answers, and whether
// the port accepts connections at all. A listening port with no answer set
// for the path answers 404, as a web server does for an unknown path.
func (c *Container) HTTPStatus(p int, path string) (status int, listening bool) {
	pt, ok := c.ports[p]
	if !ok || !pt.listening {
		return 0, false
	}
	if path == "" {
		path = "/"
	}
	return c.followRedirects(p, path)
}

// GRPCHealth is the health service's answer for service on port, and
// whether the port accepts connections.
func (c *Container) GRPCHealth(p int, service string) (GRPCStatus, bool) {
	pt, ok := c.ports[p]
	if !ok || !pt.listening {
		return GRPCUnknown, false
	}
	if st, ok := pt.grpc[service]; ok {
		return st, true
	}
	if st, ok := pt.grpc[AnyPath]; ok {
		return st, true
	}
	return GRPCServiceUnknown, true
}

// UsageChange is one change of the memory, disk or process use a
// container's processes report.
type UsageChange struct {
	// Path is where the disk use changed; "" for memory and processes.
	Path  string
	Bytes int64
	// Processes, when set, is the new process count (Bytes is unused).
	Processes bool
}

// TakeUsageChanges returns the changes of memory and disk use since the
// last call, in the order they happened, and forgets them.
func (c *Container) TakeUsageChanges() []UsageChange {
	out := c.usageChanges
	c.usageChanges = nil
	return out
}

// Userland is the userland whose messages the container's commands print.
func (c *Container) Userland() Userland { return c.userland }

func (c *Container) port(p int) *port {
	pt, ok := c.ports[p]
	if !ok {
		pt = &port{http: map[string]int{}, grpc: map[string]GRPCStatus{}}
		if c.ports == nil {
			c.ports = map[int]*port{} // on the first listen: most containers never listen (issue 10)
		}
		c.ports[p] = pt
	}
	return pt
}

// apply runs one non-control instruction and returns its exit status.
func (c *Container) apply(in *instr, p *Process, env Env) int {
	switch in.op {
	case opTouch:
		if _, ok := c.getFile(in.path); !ok && !c.putFile(in.path, "") {
			p.print(c.userland.readOnly("touch", in.path))
			return 1
		}
	case opRemove:
		if !c.removePath(in.path) {
			p.print(c.userland.readOnly("rm", in.path))
			return 1
		}
	case opWrite:
		if !c.putFile(in.path, in.text+"\n") {
			p.print(c.userland.readOnly("sh", in.path))
			return 1
		}
	case opEcho:
		p.print(in.text + "\n")
	case opStatus:
		return int(in.n)
	case opTestFile:
		if !c.HasFile(in.path) {
			return 1
		}
	case opCat:
		content, ok := c.getFile(in.path)
		if !ok {
			p.print(c.userland.missingFile("cat", in.path))
			return 1
		}
		p.print(content)
	case opLs:
		if !c.HasFile(in.path) {
			p.print(c.userland.missingFile("ls", in.path))
			return c.userland.lsMissingStatus()
		}
		p.print(in.path + "\n")
	case opResolve:
		if env == nil || !env.Resolves(in.text) {
			p.print(c.userland.nslookupFailure(in.text))
			return 1
		}
	case opListen:
		c.port(in.port).listening = true
	case opClose:
		c.port(in.port).listening = false
	case opHTTP:
		pt := c.port(in.port)
		pt.listening = true
		pt.http[in.path] = int(in.n)
		pt.setRedirect(in.path, in.text)
	case opGRPC:
		pt := c.port(in.port)
		pt.listening = true
		pt.grpc[in.text] = GRPCStatus(in.n)
	case opMemory, opChildMemory, opDisk, opFill, opProcesses, opWaitChildren:
		return c.applyUsage(in, p, env)
	case opSignal, opAlive:
		return c.applySignal(in, p)
	}
	return 0
}
