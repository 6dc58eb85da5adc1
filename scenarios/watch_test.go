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
