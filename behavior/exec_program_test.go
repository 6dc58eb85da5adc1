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
