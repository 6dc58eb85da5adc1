package behavior

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestProgramReadOnly(t *testing.T) {
	c := (&Spec{Userland: BusyBox, Commands: map[string]Script{"/healthz": {Cat("/tmp/ok")}}}).Start(0).Container
	tests := []struct {
		argv []string
		want bool
	}{
		{[]string{"cat", "/tmp/healthy"}, true},
		{[]string{"true"}, true},
		{[]string{"/healthz"}, true},
		{[]string{"sh", "-c", "test -f /tmp/a && cat /tmp/b || exit 3"}, true},
		{[]string{"touch", "/tmp/x"}, false},
		{[]string{"sh", "-c", "sleep 2"}, false},
		{[]string{"sh", "-c", "rm -f /tmp/healthy"}, false},
		{[]string{"sh", "-c", "while true; do cat /tmp/a; done"}, false},
	}
	for _, tc := range tests {
		prog, err := c.CompileExec(tc.argv)
		require.NoError(t, err, "%q", tc.argv)
		require.Equal(t, tc.want, prog.ReadOnly(), "%q (%s)", tc.argv, prog)
	}
	// A compiled program starts as Exec would.
	prog, err := c.CompileExec([]string{"cat", "/tmp/none"})
	require.NoError(t, err)
	p := c.ExecProgram(prog, time.Second)
	_, err = p.Advance(time.Second, nil)
	require.NoError(t, err)
	code, exited := p.Exited()
	require.True(t, exited)
	require.Equal(t, 1, code)
}

// A process reused by ExecProgramIn runs each program as a new process
// from ExecProgram would: the same exit, the same output, nothing left of
// the run before (a longer output, an error exit, a non-zero status).
func TestExecProgramInIsANewProcess(t *testing.T) {
	c := (&Spec{Userland: BusyBox}).Start(0).Container
	runs := [][]string{
		{"sh", "-c", "echo a long line of output; exit 3"},
		{"cat", "/tmp/none"},
		{"true"},
		{"sh", "-c", "echo short"},
		{"sh", "-c", "test -f /tmp/none || echo missing"},
	}
	var reused Process
	for i, argv := range runs {
		prog, err := c.CompileExec(argv)
		require.NoError(t, err, "%q", argv)
		at := time.Duration(i) * time.Second
		fresh := c.ExecProgram(prog, at)
		c.ExecProgramIn(&reused, prog, at)
		for _, p := range []*Process{fresh, &reused} {
			_, err := p.Advance(at, nil)
			require.NoError(t, err, "%q", argv)
		}
		wantCode, wantExited := fresh.Exited()
		gotCode, gotExited := reused.Exited()
		require.Equal(t, wantExited, gotExited, "%q", argv)
		require.Equal(t, wantCode, gotCode, "%q", argv)
		require.Equal(t, fresh.Output(), reused.Output(), "%q", argv)
	}
}
