package kubelet

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// rfc3339Copy is metav1.Time.Rfc3339Copy, field for field (location and
// monotonic reading included), for UTC times with and without a fraction
// of a second or a monotonic reading, at the edges of the years RFC 3339
// writes, and for times in other locations.
func TestRFC3339CopyMatchesTheRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	times := []time.Time{
		time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 1, 1, 0, 0, 0, 999_999_999, time.UTC),
		time.Date(1, 1, 1, 0, 0, 1, 5, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(0, 6, 1, 0, 0, 0, 500, time.UTC),
		time.Date(2025, 1, 1, 0, 0, 0, 5, time.FixedZone("X", 3600)),
		time.Date(2025, 1, 1, 0, 0, 0, 5, time.Local),
		time.Now(), // a monotonic reading
		time.Now().UTC(),
	}
	for range 1000 {
		times = append(times, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.Int64N(int64(1000*time.Hour)))))
	}
	for _, tm := range times {
		want := metav1.NewTime(tm).Rfc3339Copy()
		got := rfc3339Copy(metav1.NewTime(tm))
		require.True(t, want.Time == got.Time, "%v: got %#v, want %#v", tm, got.Time, want.Time)
	}
}
