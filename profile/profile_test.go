package profile

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestFor(t *testing.T) {
	tests := []struct {
		version, want, err string
	}{
		{version: "", want: Default},
		{version: "1.25", want: "1.25"},
		{version: "v1.33", want: "1.33"},
		{version: "1.30", err: `kubernetes version "1.30" is not supported: podsim follows 1.25, 1.33`},
		{version: "2.0", err: `kubernetes version "2.0": want 1.<minor>, one of 1.25, 1.33`},
		{version: "latest", err: `kubernetes version "latest": want 1.<minor>, one of 1.25, 1.33`},
	}
	for _, tc := range tests {
		t.Run(tc.version, func(t *testing.T) {
			p, err := For(tc.version)
			if tc.err != "" {
				require.EqualError(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, p.Version)
		})
	}
}

// A few switches, checked against the release that changed them.
func TestProfileSwitches(t *testing.T) {
	old, _ := For("1.25")
	cur, _ := For("1.33")
	require.False(t, old.TerminalPhaseOnTermination)
	require.True(t, cur.TerminalPhaseOnTermination)
	require.Zero(t, old.CrashLoopResetAfter)
	require.Equal(t, 600*time.Second, cur.CrashLoopResetAfter)
	require.Equal(t, 40*time.Second, old.NodeMonitorGracePeriod)
	require.Equal(t, 50*time.Second, cur.NodeMonitorGracePeriod)
}
