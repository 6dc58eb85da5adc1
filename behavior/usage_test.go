package behavior

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// run starts spec with mounts and advances it to at.
func runSpec(t *testing.T, spec Spec, mounts []Mount, env Env, at time.Duration) *Instance {
	t.Helper()
	inst := spec.StartWith(0, mounts)
	for now := time.Duration(0); ; {
		next, err := inst.Main.Advance(now, env)
		require.NoError(t, err)
		if next == Never || next > at {
			return inst
		}
		now = next
	}
}

func shell(t *testing.T, script string) Spec {
	t.Helper()
	s, err := ParseShell(script)
	require.NoError(t, err)
	return Spec{Main: s, Userland: BusyBox}
}

// disk is a node disk of size bytes of which the container's writable
// layer is the only user.
type disk struct {
	size int64
	inst **Instance
}

func (disk) Resolves(string) bool   { return false }
func (d disk) DiskSpaceLeft() int64 { return d.size - (*d.inst).Container.RootfsBytes() }

// The disk and memory idioms write what they say, where they say.
func TestDiskWriters(t *testing.T) {
	cache := NewVolume("cache", false)
	shm := NewVolume("shm", true)
	shm.Capacity = 64 << 20
	mounts := []Mount{{Path: "/cache", Volume: cache}, {Path: "/dev/shm", Volume: shm}}
	cases := []struct {
		script string
		path   string
		bytes  int64
		status int
		log    string
	}{
		{"dd if=/dev/zero of=/cache/f bs=1M count=100", "/cache/f", 100 << 20, 0, "100+0 records in\n100+0 records out\n"},
		{"dd if=/dev/urandom of=big bs=1k count=3 status=none", "/big", 3 << 10, 0, ""},
		{"head -c 10M /dev/zero > /cache/f", "/cache/f", 10 << 20, 0, ""},
		{"head -c 5m /dev/urandom > /data", "/data", 5 << 20, 0, ""},
		{"fallocate -l 1G /cache/big", "/cache/big", 1 << 30, 0, ""},
		{"fallocate -l 2GiB /var/blob", "/var/blob", 2 << 30, 0, ""},
		// A tmpfs of 64Mi is full after 64Mi.
		{"dd if=/dev/zero of=/dev/shm/x bs=1M count=100", "/dev/shm/x", 64 << 20, 1, "dd: error writing '/dev/shm/x': No space left on device\n100+0 records in\n100+0 records out\n"},
	}
	for _, c := range cases {
		t.Run(c.script, func(t *testing.T) {
			cache.Clear()
			shm.Clear()
			inst := runSpec(t, shell(t, c.script), mounts, nil, time.Minute)
			code, exited := inst.Main.Exited()
			require.True(t, exited)
			require.Equal(t, c.status, code)
			require.Equal(t, c.bytes, inst.Container.DiskBytes(c.path))
			require.Equal(t, c.log, inst.Main.LogTail())
		})
	}
}

// yes fills a file at FillRate until the disk is full, then fails.
func TestYesFillsUntilFull(t *testing.T) {
	spec := shell(t, "yes > /var/log/fill")
	inst := spec.StartWith(0, nil)
	env := disk{size: 250 << 20, inst: &inst}
	for now := time.Duration(0); now != Never; {
		var err error
		now, err = inst.Main.Advance(now, env)
		require.NoError(t, err)
	}
	code, exited := inst.Main.Exited()
	require.True(t, exited)
	require.Equal(t, 1, code)
	require.Equal(t, int64(250<<20), inst.Container.DiskBytes("/var/log/fill"))
	require.Equal(t, int64(250<<20), inst.Container.RootfsBytes())
	require.Equal(t, "yes: write error: No space left on device\n", inst.Main.LogTail())

	inst = runSpec(t, shell(t, "yes > /tmp/f"), nil, nil, 2500*time.Millisecond)
	_, exited = inst.Main.Exited()
	require.False(t, exited)
	require.Equal(t, int64(3*FillRate), inst.Container.DiskBytes("/tmp/f"), "at 0, 1 and 2 s")

	inst = runSpec(t, shell(t, "yes"), nil, nil, 1500*time.Millisecond)
	require.Equal(t, int64(2*FillRate), inst.Main.LoggedBytes(), "yes alone floods the log")
}

// Containers of a pod share a volume: one writes, the other reads; a
// restart (a new Instance) keeps it; a tmpfs charges its writer.
func TestVolumesShared(t *testing.T) {
	data := NewVolume("data", false)
	cfg := NewVolume("config", false)
	cfg.ReadOnly = true
	cfg.SetFile("game.properties", "lives=3\n")
	tmp := NewVolume("tmp", true)
	mounts := []Mount{{Path: "/data", Volume: data}, {Path: "/etc/config", Volume: cfg}, {Path: "/scratch", Volume: tmp}}

	writer := runSpec(t, shell(t, "echo hello > /data/greeting; dd if=/dev/zero of=/scratch/a bs=1M count=30 status=none; sleep 3600"), mounts, nil, time.Second)
	plain := Spec{Userland: BusyBox}
	reader := plain.StartWith(0, mounts).Container
	p, err := reader.Exec([]string{"cat", "/data/greeting"}, 0)
	require.NoError(t, err)
	_, err = p.Advance(0, nil)
	require.NoError(t, err)
	require.Equal(t, "hello\n", p.Output())
	require.Equal(t, int64(30<<20), writer.Container.MemoryBytes(), "tmpfs pages are charged to their writer")
	require.Zero(t, reader.MemoryBytes())
	require.Equal(t, int64(30<<20), tmp.UsedBytes())

	p, _ = reader.Exec([]string{"sh", "-c", "cat /etc/config/game.properties"}, 0)
	_, _ = p.Advance(0, nil)
	require.Equal(t, "lives=3\n", p.Output())

	p, _ = reader.Exec([]string{"sh", "-c", "echo x > /etc/config/game.properties"}, 0)
	_, _ = p.Advance(0, nil)
	code, _ := p.Exited()
	require.Equal(t, 1, code)
	require.Equal(t, "sh: can't create /etc/config/game.properties: Read-only file system\n", p.Output())

	// rm in the other container frees the writer's charge.
	p, _ = reader.Exec([]string{"rm", "-f", "/scratch/a"}, 0)
	_, _ = p.Advance(0, nil)
	require.Zero(t, writer.Container.MemoryBytes())
	require.Zero(t, tmp.UsedBytes())

	again := plain.StartWith(0, mounts).Container
	require.True(t, again.HasFile("/data/greeting"), "a restarted container finds the volume as it was")
	require.Contains(t, again.Files(), "/etc/config/game.properties")
	require.False(t, again.HasFile("/greeting"))
}

// stress --vm holds its workers' memory; the OOM killer takes the worker
// (cgroup v1) and stress fails with 1, or the whole container (v2).
func TestStress(t *testing.T) {
	spec, err := FromContainer("polinux/stress", []string{"stress"}, []string{"--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"})
	require.NoError(t, err)
	require.Equal(t, StopIgnore, spec.Stop.Action)
	inst := runSpec(t, spec, nil, nil, time.Second)
	require.Equal(t, int64(250<<20), inst.Container.MemoryBytes())
	require.Equal(t, int64(2), inst.Container.Processes())
	require.Equal(t, "stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n", inst.Main.LogTail())

	require.False(t, inst.Container.OOMKill(false), "the worker holds the memory: it dies, not stress")
	require.Zero(t, inst.Container.MemoryBytes())
	inst.Main.Interrupt(time.Second)
	_, err = inst.Main.Advance(time.Second, nil)
	require.NoError(t, err)
	code, exited := inst.Main.Exited()
	require.True(t, exited)
	require.Equal(t, 1, code)
	require.Contains(t, inst.Main.LogTail(), "stress: FAIL: [1] (451) failed run completed in 1s\n")

	inst = runSpec(t, spec, nil, nil, time.Second)
	require.True(t, inst.Container.OOMKill(true), "memory.oom.group kills every process")

	timed, err := FromContainer("polinux/stress", []string{"stress"}, []string{"--vm", "2", "--vm-bytes", "64m", "--timeout", "30s"})
	require.NoError(t, err)
	inst = runSpec(t, timed, nil, nil, time.Minute)
	code, exited = inst.Main.Exited()
	require.True(t, exited)
	require.Zero(t, code)
	require.Zero(t, inst.Container.MemoryBytes())
	require.Contains(t, inst.Main.LogTail(), "successful run completed in 30s")

	usage, err := FromContainer("polinux/stress", nil, nil)
	require.NoError(t, err)
	inst = runSpec(t, usage, nil, nil, time.Second)
	code, exited = inst.Main.Exited()
	require.True(t, exited && code == 0, "stress with no workers prints its usage and exits 0")

	_, err = FromContainer("polinux/stress", []string{"stress"}, []string{"--vm"})
	require.EqualError(t, err, `podsim cannot read the command "stress --vm": stress: missing argument to option '--vm'`)
}

// The processes step counts the container's processes for pid.available.
func TestProcessesStep(t *testing.T) {
	inst := runSpec(t, Spec{Main: Script{UseProcesses(499, 0), Sleep(time.Hour)}}, nil, nil, time.Second)
	require.Equal(t, int64(500), inst.Container.Processes())
	changes := inst.Container.TakeUsageChanges()
	require.Equal(t, []UsageChange{{Bytes: 500, Processes: true}}, changes)
}

// Refused: what podsim cannot say the size or source of.
func TestDiskWritersRefused(t *testing.T) {
	for script, want := range map[string]string{
		"dd if=/etc/passwd of=/x":     "dd if=/etc/passwd is not supported",
		"dd if=/dev/zero of=/x bs=1Q": `dd: invalid number "1Q"`,
		"head -c 10M /etc/hosts > /x": "podsim reads head -c SIZE from /dev/zero",
		"fallocate /x":                "podsim reads fallocate -l LENGTH FILE",
		"fallocate -d /x":             `fallocate option "-d" is not supported`,
	} {
		_, err := ParseShell(script)
		require.ErrorContains(t, err, want, script)
	}
}
