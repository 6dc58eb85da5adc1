package engine

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The 4-ary heap pops items in (time, priority, sequence) order, whatever
// the mix of pushes, pops and removals that leave a hole, priorities (negative ones too) and ties.
func TestQueuePopsInOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	prios := []Priority{PriorityAPI, PriorityRuntime, PriorityNormal, PriorityAction, -128, 127}
	var q queue
	var ref []item
	var seq uint64
	var got, want []item
	for round := range 20_000 {
		if rng.IntN(3) > 0 || q.len() == 0 {
			seq++
			it := item{at: time.Duration(rng.IntN(50)), order: packOrder(prios[rng.IntN(len(prios))], seq)}
			q.push(it)
			ref = append(ref, it)
			continue
		}
		slices.SortFunc(ref, func(a, b item) int {
			if a.before(&b) {
				return -1
			}
			return 1
		})
		if rng.IntN(2) == 0 {
			got = append(got, q.pop())
		} else { // as Step does: the head leaves a hole that the next push may fill
			got = append(got, *q.top())
			q.removeTop()
		}
		want = append(want, ref[0])
		require.Equal(t, len(ref)-1, q.len())
		ref = ref[1:]
		_ = round
	}
	require.Equal(t, want, got)
	require.Less(t, packOrder(-128, 1<<seqBits-1), packOrder(-127, 0), "the priority outranks the sequence")
	require.Less(t, packOrder(PriorityAPI, 9), packOrder(PriorityNormal, 1))
}
