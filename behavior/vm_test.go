package behavior

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const s = time.Second

type fakeEnv map[string]bool

func (f fakeEnv) Resolves(name string) bool { return f[name] }

// run drives a process to until, advancing at each wake time, and returns
// the file set seen at each wake.
func run(t *testing.T, p *Process, env Env, start, until time.Duration) []string {
	t.Helper()
	var trace []string
	now := start
	for now <= until {
		next, err := p.Advance(now, env)
		require.NoError(t, err)
		trace = append(trace, now.String()+" "+join(p.c.Files()))
		if next == Never || next > until {
			break
		}
		now = next
	}
	return trace
}

func join(files []string) string {
	out := "["
	for i, f := range files {
		if i > 0 {
			out += " "
		}
		out += f
	}
	return out + "]"
}

func TestLivenessSeedScript(t *testing.T) {
	spec := Spec{Main: Script{Touch("/tmp/healthy"), Sleep(30 * s), Remove("/tmp/healthy"), Sleep(600 * s)}}
	inst := spec.Start(2 * s)
	got := run(t, inst.Main, nil, 2*s, 700*s)
	require.Equal(t, []string{"2s [/tmp/healthy]", "32s []", "10m32s []"}, got)
	code, exited := inst.Main.Exited()
	require.True(t, exited)
	require.Equal(t, 0, code, "a script ends with the status of its last command")
}

func TestScriptStatusAndControlFlow(t *testing.T) {
	tests := []struct {
		name     string
		script   Script
		env      fakeEnv
		wantCode int
		wantAt   time.Duration // when it exits
	}{
		{"exit code", Script{Exit(3)}, nil, 3, 0},
		{"last status", Script{True(), False()}, nil, 1, 0},
		{"and skips on failure", Script{And(False(), Exit(7))}, nil, 1, 0},
		{"and runs on success", Script{And(True(), Exit(7))}, nil, 7, 0},
		{"or runs on failure", Script{Or(False(), Exit(5))}, nil, 5, 0},
		{"or skips on success", Script{Or(True(), Exit(5))}, nil, 0, 0},
		{"until waits for the service", Script{
			Until(Resolve("myservice.default.svc.cluster.local"), Echo("waiting for myservice"), Sleep(2*s)),
		}, fakeEnv{}, -1, 0},
		{"until ends when it resolves", Script{
			Until(Resolve("myservice.default.svc.cluster.local"), Sleep(2*s)),
		}, fakeEnv{"myservice.default.svc.cluster.local": true}, 0, 0},
		{"sleep then exit", Script{Sleep(5 * s), Exit(1)}, nil, 1, 5 * s},
		{"test -f on a touched file", Script{Touch("/a"), FileExists("/a")}, nil, 0, 0},
		{"empty script exits 0", Script{}, nil, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec := Spec{Main: tc.script}
			inst := spec.Start(0)
			now := time.Duration(0)
			for now < 60*s {
				next, err := inst.Main.Advance(now, tc.env)
				require.NoError(t, err)
				if next == Never {
					break
				}
				now = next
			}
			code, exited := inst.Main.Exited()
			if tc.wantCode < 0 {
				require.False(t, exited, "must still be running")
				return
			}
			require.True(t, exited)
			require.Equal(t, tc.wantCode, code)
			require.Equal(t, tc.wantAt, now)
		})
	}
}

func TestBusyLoopIsAnError(t *testing.T) {
	spec := Spec{Main: Script{Forever(Echo("spin"))}}
	_, err := spec.Start(0).Main.Advance(0, nil)
	require.True(t, errors.Is(err, ErrBusyLoop), "got %v", err)
}

func TestStopPolicies(t *testing.T) {
	tests := []struct {
		name     string
		policy   StopPolicy
		sig      Signal
		wantAt   time.Duration
		wantCode int
	}{
		{"default action kills with 143", DieOnStop(), SIGTERM, 10 * s, 143},
		{"PID 1 shell ignores SIGTERM", IgnoreStop(), SIGTERM, Never, 0},
		{"handler exits 0 after 3s", ExitOnStop(3*s, 0), SIGTERM, 13 * s, 0},
		{"SIGKILL always kills with 137", IgnoreStop(), SIGKILL, 10 * s, 137},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec := Spec{Main: Script{Forever(Sleep(10 * s))}, Stop: tc.policy}
			p := spec.Start(0).Main
			_, err := p.Advance(0, nil)
			require.NoError(t, err)
			at := p.Signal(tc.sig, 10*s)
			require.Equal(t, tc.wantAt, at)
			if at == Never {
				_, exited := p.Exited()
				require.False(t, exited)
				return
			}
			next, err := p.Advance(at, nil)
			require.NoError(t, err)
			require.Equal(t, Never, next)
			code, exited := p.Exited()
			require.True(t, exited)
			require.Equal(t, tc.wantCode, code)
		})
	}
}

func TestExecBuiltinsAndMessages(t *testing.T) {
	tests := []struct {
		name     string
		userland Userland
		files    []string
		argv     []string
		wantCode int
		wantOut  string
	}{
		{"gnu cat missing", GNU, nil, []string{"cat", "/tmp/healthy"}, 1, "cat: /tmp/healthy: No such file or directory\n"},
		{"busybox cat missing", BusyBox, nil, []string{"cat", "/tmp/healthy"}, 1, "cat: can't open '/tmp/healthy': No such file or directory\n"},
		{"cat present", GNU, []string{"/tmp/healthy"}, []string{"cat", "/tmp/healthy"}, 0, ""},
		{"gnu ls missing", GNU, nil, []string{"ls", "/ready"}, 2, "ls: cannot access '/ready': No such file or directory\n"},
		{"busybox ls missing", BusyBox, nil, []string{"ls", "/ready"}, 1, "ls: /ready: No such file or directory\n"},
		{"test -f present", GNU, []string{"/ready"}, []string{"test", "-f", "/ready"}, 0, ""},
		{"[ -f ] missing", GNU, nil, []string{"[", "-f", "/ready", "]"}, 1, ""},
		{"absolute path to cat", GNU, nil, []string{"/bin/cat", "/x"}, 1, "cat: /x: No such file or directory\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec := Spec{Userland: tc.userland, Files: tc.files}
			c := spec.Start(0).Container
			p, err := c.Exec(tc.argv, 0)
			require.NoError(t, err)
			next, err := p.Advance(0, nil)
			require.NoError(t, err)
			require.Equal(t, Never, next)
			code, exited := p.Exited()
			require.True(t, exited)
			require.Equal(t, tc.wantCode, code)
			require.Equal(t, tc.wantOut, p.Output())
		})
	}
}

func TestExecUnknownCommandNamesItAndCommandsResolveIt(t *testing.T) {
	spec := Spec{}
	_, err := spec.Start(0).Container.Exec([]string{"/home/xxx/shell/sleep_40s.sh"}, 0)
	var unknown *UnknownCommandError
	require.ErrorAs(t, err, &unknown)
	require.Contains(t, err.Error(), `"/home/xxx/shell/sleep_40s.sh"`)

	spec.Commands = map[string]Script{"/home/xxx/shell/sleep_40s.sh": {Sleep(40 * s)}}
	p, err := spec.Start(0).Container.Exec([]string{"/home/xxx/shell/sleep_40s.sh"}, 0)
	require.NoError(t, err)
	next, err := p.Advance(0, nil)
	require.NoError(t, err)
	require.Equal(t, 40*s, next)
}

func TestPortsAndAnswers(t *testing.T) {
	spec := Spec{Main: Script{ServeHTTP(80, "/", 200), Sleep(10 * s), ServeHTTP(80, "/", 503), Sleep(10 * s), ClosePort(80), Forever(Sleep(s))}}
	inst := spec.Start(0)
	c := inst.Container
	_, err := inst.Main.Advance(0, nil)
	require.NoError(t, err)
	code, up := c.HTTPStatus(80, "/")
	require.True(t, up)
	require.Equal(t, 200, code)
	code, _ = c.HTTPStatus(80, "/missing")
	require.Equal(t, 404, code)
	_, err = inst.Main.Advance(10*s, nil)
	require.NoError(t, err)
	code, _ = c.HTTPStatus(80, "/")
	require.Equal(t, 503, code)
	_, err = inst.Main.Advance(20*s, nil)
	require.NoError(t, err)
	_, up = c.HTTPStatus(80, "/")
	require.False(t, up)
	require.False(t, c.Listening(80))
}

func TestParseSleep(t *testing.T) {
	for in, want := range map[string]time.Duration{"10": 10 * s, "0.5": 500 * time.Millisecond, "2m": 2 * time.Minute, "1h": time.Hour, "3s": 3 * s} {
		got, ok := ParseSleep(in)
		require.True(t, ok, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "x", "-1", "infinity", "10x"} {
		_, ok := ParseSleep(bad)
		require.False(t, ok, bad)
	}
}

func TestParseSleepRejectsNonDurations(t *testing.T) {
	for _, bad := range []string{"inf", "nan", "Inf", "1e300"} {
		_, ok := ParseSleep(bad)
		require.False(t, ok, bad)
	}
}

// Changes of memory and disk use are kept, in order, until taken; setting
// the same amount again is no change.
func TestTakeUsageChanges(t *testing.T) {
	spec := Spec{Main: Script{UseMemory(64 << 20), UseMemory(64 << 20), UseDisk("/data", 1<<30), Sleep(10 * time.Second), UseMemory(512 << 20), Sleep(time.Hour)}}
	inst := spec.Start(0)
	_, err := inst.Main.Advance(0, nil)
	require.NoError(t, err)
	require.Equal(t, []UsageChange{{Bytes: 64 << 20}, {Path: "/data", Bytes: 1 << 30}}, inst.Container.TakeUsageChanges())
	require.Empty(t, inst.Container.TakeUsageChanges())
	_, err = inst.Main.Advance(10*time.Second, nil)
	require.NoError(t, err)
	require.Equal(t, []UsageChange{{Bytes: 512 << 20}}, inst.Container.TakeUsageChanges())
}
