package behavior

import (
	"fmt"
	"time"
)

// resourceUse is what a container instance consumes: memory, disk in its
// writable layer (and, through its mounts, in volumes), processes.
type resourceUse struct {
	// memory is the main process's own working set (UseMemory).
	memory int64
	// childMemory is held by worker children (stress's vm hogs).
	childMemory int64
	// tmpfs is what this container wrote to memory-backed volumes: the
	// kernel charges a tmpfs page to the cgroup of the process that wrote
	// it.
	tmpfs int64
	// disk holds the bytes written at each path of the writable layer.
	disk   map[string]int64
	rootfs int64
	// imageFiles is how many files came with the image (not in the
	// writable layer).
	imageFiles int
	// processes are the processes besides the main one; children the
	// worker children among them, whose death the main process waits for.
	processes, children int64
	childrenKilled      bool
	// lastMemory and lastProcesses are the figures last reported as a
	// UsageChange.
	lastMemory, lastProcesses int64
}

// MemoryBytes is the container's memory working set: its processes'
// memory and the tmpfs pages it wrote.
func (c *Container) MemoryBytes() int64 { return c.memory + c.childMemory + c.tmpfs }

// ProcessMemory is what the container's processes hold themselves: the
// kernel's OOM badness counts it (resident pages), not the tmpfs pages
// they wrote.
func (c *Container) ProcessMemory() int64 { return c.memory + c.childMemory }

// DiskBytes is what the container has written at path (in its writable
// layer or a mounted volume).
func (c *Container) DiskBytes(path string) int64 {
	if l := c.locate(path); l.vol != nil {
		return l.vol.disk[clean(l.rel)]
	}
	return c.disk[path]
}

// RootfsBytes is what the container's writable layer holds.
func (c *Container) RootfsBytes() int64 { return c.rootfs }

// RootfsInodes is the number of files the container created in its
// writable layer.
func (c *Container) RootfsInodes() int64 {
	n := int64(c.files.len() - c.imageFiles)
	for f := range c.disk {
		if _, ok := c.files.get(f); !ok {
			n++
		}
	}
	return max(n, 0)
}

// Processes is the container's process count, its main process included.
func (c *Container) Processes() int64 { return 1 + c.processes }

// OOMKill is the kernel's OOM killer choosing in this container. With
// wholeContainer (cgroup v2's memory.oom.group, which the kubelet sets
// since 1.28) every process dies and it returns true. Otherwise it kills
// the process using the most memory: the worker children when they hold
// it (the main process then goes on, as stress does when its hog dies),
// else the main process (true).
func (c *Container) OOMKill(wholeContainer bool) (mainKilled bool) {
	if !wholeContainer && c.children > 0 && c.childMemory > c.memory {
		c.childMemory = 0
		c.processes -= c.children
		c.children = 0
		c.childrenKilled = true
		c.noteUsage()
		return false
	}
	return true
}

// SpaceEnv is an Env that knows how much room the node's disk has left,
// for writers that fill it: without it, disk writes never run out.
type SpaceEnv interface {
	Env
	// DiskSpaceLeft is the free space of the node's filesystem.
	DiskSpaceLeft() int64
}

// setDisk sets the bytes held at a path of the writable layer.
func (c *Container) setDisk(path string, n int64) {
	if c.disk == nil {
		c.disk = map[string]int64{}
	}
	c.rootfs += n - c.disk[path]
	if n == 0 {
		delete(c.disk, path)
		return
	}
	c.disk[path] = n
}

// noteUsage records a change of memory or processes since the last one.
func (c *Container) noteUsage() {
	if m := c.MemoryBytes(); m != c.lastMemory {
		c.lastMemory = m
		c.usageChanges = append(c.usageChanges, UsageChange{Bytes: m})
	}
	if n := c.Processes(); n != c.lastProcesses && (c.lastProcesses != 0 || n != 1) {
		c.lastProcesses = n
		c.usageChanges = append(c.usageChanges, UsageChange{Bytes: n, Processes: true})
	}
}

// writeBytes sets the bytes at path to n (a file written, truncated or
// grown), up to the room its filesystem has: a tmpfs's capacity, or the
// node's disk. It returns the bytes written and whether all of them fit;
// false too for a read-only filesystem.
func (c *Container) writeBytes(path string, n int64, env Env) (int64, bool, bool) {
	l := c.locate(path)
	if l.vol != nil && l.readOnly {
		return 0, false, true
	}
	old := c.DiskBytes(path)
	room := int64(-1)
	switch {
	case l.vol != nil && l.vol.Capacity > 0:
		room = l.vol.Capacity - l.vol.bytes + old
	case l.vol != nil && l.vol.Memory:
	default:
		if se, ok := env.(SpaceEnv); ok {
			room = se.DiskSpaceLeft() + old
		}
	}
	fits := room < 0 || n <= room
	if !fits {
		n = max(room, old)
	}
	if l.vol != nil {
		var writer *Container
		if l.vol.Memory {
			writer = c
		}
		l.vol.setBytes(clean(l.rel), n, writer)
	} else {
		c.setDisk(path, n)
	}
	if n != old {
		c.usageChanges = append(c.usageChanges, UsageChange{Path: path, Bytes: n})
	}
	c.noteUsage()
	return n, fits, false
}

// applyUsage runs the instructions that change what the container uses.
func (c *Container) applyUsage(in *instr, p *Process, env Env) int {
	switch in.op {
	case opMemory:
		c.memory = in.n
		c.noteUsage()
	case opChildMemory:
		c.childMemory = in.n
		c.noteUsage()
	case opProcesses:
		c.processes = in.n
		c.children = int64(in.port)
		c.noteUsage()
	case opDisk:
		if _, _, ro := c.writeBytes(in.path, in.n, nil); ro {
			p.print(c.userland.readOnly("sh", in.path))
			return 1
		}
	case opFill:
		if in.path == "" { // to stdout: the container's log
			p.log(in.n)
			return 0
		}
		n := in.n
		switch {
		case in.cond: // appending
			n += c.DiskBytes(in.path)
		case in.text == "fallocate": // allocates, never shrinks
			n = max(n, c.DiskBytes(in.path))
		}
		_, fits, ro := c.writeBytes(in.path, n, env)
		switch {
		case ro:
			p.print(c.userland.readOnly(in.text, in.path))
			return 1
		case !fits:
			p.print(c.userland.noSpace(in.text, in.path))
			return 1
		}
	}
	return 0
}

// waitChildren is the main process of stress waiting for its workers: a
// worker killed (by the OOM killer) makes it report the failure and exit
// 1; the timeout (its workers' alarm) a successful run. It reports
// whether the wait is over, and until when to sleep if not.
func (c *Container) waitChildren(in *instr, p *Process, now time.Duration) (bool, time.Duration) {
	if c.childrenKilled {
		c.childrenKilled = false
		// stress 1.0.4's messages with its source lines, as `docker run
		// polinux/stress stress --vm 1 …` prints them (its first worker is
		// pid 6 there).
		p.print("stress: FAIL: [1] (415) <-- worker 6 got signal 9\n")
		p.print("stress: WARN: [1] (417) now reaping child worker processes\n")
		p.print("stress: FAIL: [1] (421) kill error: No such process\n")
		p.print(fmt.Sprintf("stress: FAIL: [1] (451) failed run completed in %ds\n", int64((now-p.started)/time.Second)))
		p.status = 1
		return true, 0
	}
	if in.d > 0 && now >= p.started+in.d {
		c.childMemory, c.processes, c.children = 0, 0, 0
		c.noteUsage()
		p.print(fmt.Sprintf("stress: info: [1] successful run completed in %ds\n", int64(in.d/time.Second)))
		p.status = 0
		return true, 0
	}
	if in.d > 0 {
		return false, p.started + in.d
	}
	return false, Never
}
