package profile

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestFor(t *testing.T) {
	const all = "1.25, 1.26, 1.27, 1.28, 1.29, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, 1.36, 1.37"
	tests := []struct {
		version, want, err string
	}{
		{version: "", want: Default},
		{version: "1.25", want: "1.25"},
		{version: "v1.33", want: "1.33"},
		{version: "1.30", want: "1.30"},
		{version: "v1.37", want: "1.37"},
		{version: "1.24", err: `kubernetes version "1.24" is not supported: podsim follows ` + all},
		{version: "1.38", err: `kubernetes version "1.38" is not supported: podsim follows ` + all},
		{version: "2.0", err: `kubernetes version "2.0": want 1.<minor>, one of ` + all},
		{version: "latest", err: `kubernetes version "latest": want 1.<minor>, one of ` + all},
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
