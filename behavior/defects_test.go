package behavior

import (
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
