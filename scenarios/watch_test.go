package scenarios

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestAgesClose(t *testing.T) {
	s := time.Second
	tests := []struct {
		got, want string
		tol       time.Duration
		close     bool
	}{
		{"77s", "77s", 0, true},
		{"78s", "77s", 0, false},
		{"78s", "77s", s, true},
		{"12m", "12m", 0, true},
		{"12m", "11m", 0, false}, // [720s, 780s) against [660s, 720s): 1 ns apart, not 0
		{"12m", "11m", 5 * s, true},
		{"2m51s", "2m49s", 5 * s, true},
		{"2m51s", "2m44s", 5 * s, false},
		// "<invalid>" is at or before -2 s; "0s" is (-2 s, 1 s): adjacent.
		{"<invalid>", "0s", 0, false},
		{"<invalid>", "0s", time.Millisecond, true},
		{"<invalid>", "<invalid>", 0, true},
		{"<invalid>", "5s", 5 * s, false},
		{"<invalid>", "3s", 5 * s, true},
		{"0s", "<invalid>", s, true},
		{"x", "0s", time.Hour, false},
	}
	for _, tc := range tests {
		require.Equal(t, tc.close, agesClose(tc.got, tc.want, tc.tol), "agesClose(%q, %q, %v)", tc.got, tc.want, tc.tol)
	}
}

func TestCompareWatchAlignsByLongestCommonSubsequence(t *testing.T) {
	rows := func(table string) []WatchRow {
		r, err := ParseWatch(table)
		require.NoError(t, err)
		return r
	}
	want := rows(`
web   0/1   Pending             0   0s
web   0/1   Pending             0   0s
web   0/1   ContainerCreating   0   0s
web   1/1   Running             0   3s
web   0/1   Running             0   20s`)
	for _, tc := range []struct {
		name string
		got  string
		diff []string
	}{
		{"equal", `
web   0/1   Pending             0   0s
web   0/1   Pending             0   0s
web   0/1   ContainerCreating   0   0s
web   1/1   Running             0   3s
web   0/1   Running             0   20s`, nil},
		{"one missing row is one message", `
web   0/1   Pending             0   0s
web   0/1   ContainerCreating   0   0s
web   1/1   Running             0   3s
web   0/1   Running             0   20s`, []string{"line 2: missing, want  web  0/1  Pending  0  0s"}},
		{"one extra row is one message", `
web   0/1   Pending             0   0s
web   0/1   Pending             0   0s
web   0/1   ContainerCreating   0   0s
web   0/1   ContainerCreating   0   1s
web   1/1   Running             0   3s
web   0/1   Running             0   20s`, []string{"line 4: unexpected    web  0/1  ContainerCreating  0  1s"}},
		{"a changed row shows want and got", `
web   0/1   Pending             0   0s
web   0/1   Pending             0   0s
web   0/1   ContainerCreating   0   0s
web   1/1   Running             0   3s
web   0/1   Error               0   20s`, []string{"line 5:\n   want  web  0/1  Running  0  20s\n   got   web  0/1  Error  0  20s"}},
		{"a late row is an age difference", `
web   0/1   Pending             0   0s
web   0/1   Pending             0   0s
web   0/1   ContainerCreating   0   0s
web   1/1   Running             0   4s
web   0/1   Running             0   20s`, []string{"line 4 (ages must match exactly):\n   want  web  1/1  Running  0  3s\n   got   web  1/1  Running  0  4s"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.diff, CompareWatch(rows(tc.got), want, len(want), 0))
		})
	}
}
