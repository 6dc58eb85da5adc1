package workqueue

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/engine"
)

type call struct {
	at  time.Duration
	key string
}

func newQueue(t *testing.T, fail map[string]int) (*engine.Engine, *Queue, *[]call) {
	t.Helper()
	eng := engine.New(1)
	var calls []call
	var q *Queue
	q = New(eng, time.Second, 10*time.Second, func(key string) error {
		calls = append(calls, call{eng.Now(), key})
		if fail[key] > 0 {
			fail[key]--
			return errors.New("boom")
		}
		return nil
	})
	return eng, q, &calls
}

func TestAddDeduplicates(t *testing.T) {
	eng, q, calls := newQueue(t, nil)
	q.Add("a")
	q.Add("a")
	q.Add("b")
	require.NoError(t, eng.RunUntil(time.Second))
	require.Equal(t, []call{{0, "a"}, {0, "b"}}, *calls)
}

// A delayed key keeps the earliest time it was asked for; an immediate add
// does not cancel a delayed one (the delaying queue's heap is separate).
func TestAddAfter(t *testing.T) {
	eng, q, calls := newQueue(t, nil)
	q.AddAfter("a", 5*time.Second)
	q.AddAfter("a", 2*time.Second)
	q.AddAfter("a", 8*time.Second)
	q.Add("a")
	require.NoError(t, eng.RunUntil(10*time.Second))
	require.Equal(t, []call{{0, "a"}, {2 * time.Second, "a"}}, *calls)
}

// A failed key comes back after 1 s, 2 s, 4 s …, at most the maximum, and
// a success forgets its failures.
func TestRateLimitedRetry(t *testing.T) {
	eng, q, calls := newQueue(t, map[string]int{"a": 5})
	q.Add("a")
	require.NoError(t, eng.RunUntil(time.Minute))
	var at []time.Duration
	for _, c := range *calls {
		at = append(at, c.at)
	}
	require.Equal(t, []time.Duration{0, time.Second, 3 * time.Second, 7 * time.Second, 15 * time.Second, 25 * time.Second}, at)
	require.Empty(t, q.failures)
}
