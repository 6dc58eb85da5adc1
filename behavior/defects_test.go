package behavior

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type noDNS struct{}

func (noDNS) Resolves(string) bool { return false }

// Issue 9: `until ls 0;do sleep 187000000;done` sent time backwards: each
// sleep's end was now + 5.9 years, and after enough of them the sum
// wrapped around to a time in the past.
func TestLongSleepsNeverSendTimeBackwards(t *testing.T) {
	spec, err := FromContainer("busybox:1.36", []string{"sh", "-c", "until ls 0;do sleep 187000000;done"}, nil)
	require.NoError(t, err)
	now := Never - 10*187000000*time.Second + time.Second // ten sleeps and a second from the end of time
	inst := spec.Start(now)
	for range 200 {
		next, err := inst.Main.Advance(now, noDNS{})
		require.NoError(t, err)
		require.GreaterOrEqual(t, next, now, "the next wake-up is never before now")
		if next == Never {
			return
		}
		now = next
	}
	t.Fatal("the loop never reached the end of time")
}

// allocatedBy is the number of bytes fn allocates.
func allocatedBy(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Issue 9: a script of 20,000 commands took 16 s to start, because
// Script.String (and every composite's String) concatenated its parts'
// text: quadratic in the script's length. Rendering now allocates in
// proportion to the text it writes, for sequences and for chains alike.
func TestLongScriptsRenderInLinearSpace(t *testing.T) {
	var seq Script
	var chain Stmt = Touch("/tmp/0")
	for i := range 20_000 {
		seq = append(seq, Echo("x"))
		chain = And(chain, Touch(fmt.Sprintf("/tmp/%d", i+1)))
	}
	for name, st := range map[string]fmt.Stringer{"sequence": seq, "and-chain": chain} {
		var text string
		bytes := allocatedBy(func() { text = st.String() })
		require.Less(t, bytes, uint64(20*len(text)), "%s: %d bytes allocated for %d bytes of text", name, bytes, len(text))
	}
	require.True(t, strings.HasSuffix(chain.String(), "touch /tmp/19999 && touch /tmp/20000"))
}
