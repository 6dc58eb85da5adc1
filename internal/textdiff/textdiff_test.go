package textdiff

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLines(t *testing.T) {
	for _, tc := range []struct {
		name, want, got, diff string
	}{
		{"equal", "a\nb\n", "a\nb", ""},
		{"both empty", "", "", ""},
		{"one missing line is one diff line", "a\nb\nc\nd\n", "a\nc\nd\n", "  a\n- b\n  c\n  d\n"},
		{"one extra line", "a\nc\n", "a\nb\nc\n", "  a\n+ b\n  c\n"},
		{"a changed line reads minus then plus", "x: 1\ny: 2\n", "x: 1\ny: 3\n", "  x: 1\n- y: 2\n+ y: 3\n"},
		{"all new", "", "a\n", "+ a\n"},
		{"all gone", "a\n", "", "- a\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.diff, Lines(tc.want, tc.got))
		})
	}
}

func TestAlignKeepsLongestCommonSubsequence(t *testing.T) {
	a := []string{"A", "B", "C", "B", "D", "A", "B"}
	b := []string{"B", "D", "C", "A", "B", "A"}
	edits := Align(len(a), len(b), func(i, j int) bool { return a[i] == b[j] })
	keep, del, ins := 0, 0, 0
	for _, e := range edits {
		switch e.Op {
		case Keep:
			require.Equal(t, a[e.A], b[e.B])
			keep++
		case Delete:
			del++
		case Insert:
			ins++
		}
	}
	// The LCS of ABCBDAB and BDCABA has length 4 (CLRS 15.4).
	require.Equal(t, 4, keep)
	require.Equal(t, len(a)-4, del)
	require.Equal(t, len(b)-4, ins)
}
