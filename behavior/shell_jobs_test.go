package behavior

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// run advances a process to at, from its start.
func runTo(t *testing.T, p *Process, at time.Duration) {
	t.Helper()
	now := time.Duration(0)
	for now <= at {
		next, err := p.Advance(now, noDNS{})
		require.NoError(t, err)
		if next == Never || next > at {
			return
		}
		now = next
	}
}

// A trap on TERM runs its body when SIGTERM comes: once the foreground
// sleep ends, or at once in wait; the exit status is the body's.
func TestTrapsAndBackgroundJobs(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name   string
		script string
		signal time.Duration // when SIGTERM comes
		exitAt time.Duration // when the process exits (Never: it does not)
		code   int
		port   int // a port the script listens on
	}{
		{"trap runs after the foreground sleep", "trap 'echo bye; exit 0' TERM; while true; do sleep 5; done", 7 * s, 10 * s, 0, 0},
		{"trap in wait runs at once", "trap 'exit 3' TERM; sleep infinity & wait", 7 * s, 7 * s, 3, 0},
		{"trap without exit carries on", "trap 'echo got it' TERM; sleep 10; exit 4", 2 * s, 10 * s, 4, 0},
		{"exit in a trap keeps wait's status", "trap exit TERM; sleep 1000 & wait", 2 * s, 2 * s, 143, 0},
		{"trap '' TERM ignores it", "trap '' TERM; sleep 10; exit 5", 2 * s, 10 * s, 5, 0},
		{"no trap: a shell as PID 1 ignores SIGTERM", "sleep 10; exit 6", 2 * s, 10 * s, 6, 0},
		{"a background server and wait", "trap 'exit 0' TERM; httpd -f -p 8080 & wait", 5 * s, 5 * s, 0, 8080},
		{"wait for a background sleep", "sleep 3 & wait; exit 7", Never, 3 * s, 7, 0},
		{"wait with no jobs", "wait; exit 8", Never, 0, 8, 0},
		{"a pipeline ends with its last command", "wget -qO- http://localhost:80 | head -n 4; exit 9", Never, 0, 9, 0},
		{"trap 'exit 1' TERM; tail -F /x | while read line; do echo a; done", "trap 'exit 1' TERM; tail -F /x | while read line; do echo a; done", 4 * s, Never, 0, 0},
		{"a foreground sleep infinity holds the trap", "trap 'exit 1' TERM; sleep infinity", 4 * s, Never, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := ParseShell(tc.script)
			require.NoError(t, err)
			spec := Spec{Main: sc, Stop: IgnoreStop(), Userland: BusyBox}
			inst := spec.Start(0)
			if tc.signal != Never {
				runTo(t, inst.Main, tc.signal)
				if tc.port != 0 {
					code, up := inst.Container.HTTPStatus(tc.port, "/")
					require.True(t, up)
					require.Equal(t, 200, code)
				}
				at := inst.Main.Signal(SIGTERM, tc.signal)
				if at != Never {
					require.LessOrEqual(t, at, tc.exitAt)
				}
				now := tc.signal
				if at != Never {
					now = at
				}
				for now != Never && now < 3*time.Hour {
					next, err := inst.Main.Advance(now, noDNS{})
					require.NoError(t, err)
					if _, done := inst.Main.Exited(); done {
						break
					}
					now = next
				}
				if tc.exitAt != Never {
					require.Equal(t, tc.exitAt, now, "exit time")
				}
			} else {
				runTo(t, inst.Main, time.Hour)
			}
			code, exited := inst.Main.Exited()
			if tc.exitAt == Never {
				require.False(t, exited, "only SIGKILL ends it")
				return
			}
			require.True(t, exited)
			require.Equal(t, tc.code, code)
		})
	}
}

func TestTrapAndJobErrors(t *testing.T) {
	for script, want := range map[string]string{
		"trap 'cleanup' EXIT":                    `trap on EXIT is not supported`,
		"trap 'echo' USR1":                       `trap on USR1 is not supported`,
		"trap 'echo' INT":                        `traps no SIGTERM`,
		"while true; do echo a; sleep 1; done &": `podsim reads a background job that is one command that serves or sleeps`,
		"wait 1":                                 `podsim reads wait with no operand`,
		"{ sleep 1; echo a; } &":                 `a background job that does more after sleeping is not supported`,
	} {
		_, err := ParseShell(script)
		require.ErrorContains(t, err, want, script)
	}
}
