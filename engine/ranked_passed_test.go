package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// RankedPassed answers, in the middle of an instant, whether a ranked tick
// due then has already had its turn: the same order ResetRanked gives it.
func TestRankedPassedFollowsTheOrderOfAnInstant(t *testing.T) {
	const period = 10 * time.Second
	for _, tc := range []struct {
		name       string
		loopFirst  bool // the loop's rank is older than the other event's
		prio       Priority
		wantPassed bool
	}{
		{"older rank, same priority", true, PriorityNormal, true},
		{"newer rank, same priority", false, PriorityNormal, false},
		{"older rank, the other event first by priority", true, PriorityRuntime, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := New(1)
			var loop, other *Timer
			var got []bool
			other = e.NewTimer(tc.prio, func() { got = append(got, loop.RankedPassed(2*period, period)) })
			// The loop ticks at 10 s, arms the other event for 20 s as of
			// 10 s, and parks: its tick at 20 s would have been armed then too.
			loop = e.NewTimer(PriorityNormal, func() { other.ResetRanked(2*period, period) })
			if tc.loopFirst {
				loop.ResetRanked(period, 0)
				other.Rerank()
			} else {
				other.Rerank()
				loop.ResetRanked(period, 0)
			}
			require.NoError(t, e.RunUntil(3*period))
			require.Equal(t, []bool{tc.wantPassed}, got)
			require.True(t, loop.RankedPassed(3*period, 2*period), "between steps every event due now has run")
			require.False(t, loop.RankedPassed(3*period+time.Nanosecond, 3*period))
			require.True(t, loop.RankedPassed(2*period, period))
		})
	}
}
