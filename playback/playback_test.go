package playback

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/require"
)

// seed1b is the start of seed 1b's watch: a Pending pod, its binding,
// ContainerCreating, Running at 3 s, its first restart at 77 s.
var seed1b = Table{
	Header: []string{"NAME", "READY", "STATUS", "RESTARTS", "AGE"},
	Rows: []Row{
		{0, []string{"liveness", "0/1", "Pending", "0", "0s"}},
		{20 * time.Millisecond, []string{"liveness", "0/1", "Pending", "0", "0s"}},
		{40 * time.Millisecond, []string{"liveness", "0/1", "ContainerCreating", "0", "0s"}},
		{3 * time.Second, []string{"liveness", "1/1", "Running", "0", "3s"}},
		{77 * time.Second, []string{"liveness", "1/1", "Running", "1 (2s ago)", "77s"}},
	},
}

// lockedBuffer is written by Play's goroutine and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// With a mock clock, each row appears exactly when the clock reaches its
// moment divided by the speed, and not before. The test runs in a synctest
// bubble so that the mock's own 1 ms pauses take no real time, and
// synctest.Wait lets Play catch up after each step of the clock.
func TestPlayFollowsTheMockClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mock := clock.NewMock()
		var out lockedBuffer
		done := make(chan error, 1)
		go func() {
			done <- Play(context.Background(), &out, seed1b, Options{Speed: 10, End: 90 * time.Second, Clock: mock})
		}()
		lines := func() int { return strings.Count(out.String(), "\n") }
		step := func(d time.Duration, wantLines int) {
			t.Helper()
			mock.Add(d)
			synctest.Wait()
			require.Equal(t, wantLines, lines(), "after %v of real time:\n%s", d, out.String())
		}
		synctest.Wait()
		require.Equal(t, 2, lines(), "the header and the row at 0s come at once")
		step(time.Millisecond, 2)     // 10 ms of virtual time: the binding at 20 ms is not due
		step(time.Millisecond, 3)     // 20 ms: it is
		step(2*time.Millisecond, 4)   // 40 ms
		step(295*time.Millisecond, 4) // 2.99 s
		step(time.Millisecond, 5)     // 3 s: Running
		step(7*time.Second, 5)        // 73 s
		step(400*time.Millisecond, 6) // 77 s: the first restart
		select {
		case err := <-done:
			t.Fatalf("Play returned before the run's end: %v", err)
		default:
		}
		step(1300*time.Millisecond, 6) // 90 s: the end of the run
		require.NoError(t, <-done)
	})
}

// Every row is flushed on its own through kubectl's tab writer, which
// remembers column widths: a row is no wider than the widest cells seen so
// far, and once ContainerCreating appears the columns stay that wide.
func TestPlayAlignsAsAWatchingKubectl(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, Play(context.Background(), &out, seed1b, Options{Speed: 1e9, End: 90 * time.Second, Clock: clock.New()}))
	require.Equal(t, `NAME       READY   STATUS    RESTARTS   AGE
liveness   0/1     Pending   0          0s
liveness   0/1     Pending   0          0s
liveness   0/1     ContainerCreating   0          0s
liveness   1/1     Running             0          3s
liveness   1/1     Running             1 (2s ago)   77s
`, out.String())
}

// timedWriter records when each line was written, by the clock of the
// synctest bubble it runs in.
type timedWriter struct {
	start time.Time
	at    []time.Duration
	text  strings.Builder
}

func (w *timedWriter) Write(p []byte) (int, error) {
	for range bytes.Count(p, []byte("\n")) {
		w.at = append(w.at, time.Since(w.start))
	}
	return w.text.Write(p)
}

// With the real clock inside a synctest bubble (whose time is fake), the
// rows come at their moments over the speed: the same pacing the command
// line gets, without sleeping for real.
func TestPlayWithTheRealClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := &timedWriter{start: time.Now()}
		require.NoError(t, Play(context.Background(), w, seed1b, Options{Speed: 10, End: 90 * time.Second, Clock: clock.New()}))
		require.Equal(t, []time.Duration{0, 0, 2 * time.Millisecond, 4 * time.Millisecond, 300 * time.Millisecond, 7700 * time.Millisecond}, w.at)
		require.Equal(t, 9*time.Second, time.Since(w.start), "Play returns at the end of the run")
	})
}

// A watch started later lists the pods as they are then, at once and in
// one flush with the header, then plays the later events.
func TestPlayListsFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		table := Table{
			Header: seed1b.Header,
			Listed: [][]string{{"liveness", "1/1", "Running", "0", "60s"}, {"other-pod-with-a-long-name", "1/1", "Running", "0", "60s"}},
			Rows:   []Row{{77 * time.Second, []string{"liveness", "1/1", "Running", "1 (2s ago)", "77s"}}},
		}
		w := &timedWriter{start: time.Now()}
		require.NoError(t, Play(context.Background(), w, table, Options{Speed: 2, From: time.Minute, End: 80 * time.Second, Clock: clock.New()}))
		require.Equal(t, []time.Duration{0, 0, 0, 8500 * time.Millisecond}, w.at)
		require.Equal(t, `NAME                         READY   STATUS    RESTARTS   AGE
liveness                     1/1     Running   0          60s
other-pod-with-a-long-name   1/1     Running   0          60s
liveness                     1/1     Running   1 (2s ago)   77s
`, w.text.String())
	})
}

// Cancelling the context stops the playback at once.
func TestPlayStopsWhenCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		var out lockedBuffer
		done := make(chan error, 1)
		go func() {
			done <- Play(ctx, &out, seed1b, Options{Speed: 1, End: 90 * time.Second, Clock: clock.New()})
		}()
		time.Sleep(5 * time.Second)
		cancel()
		require.ErrorIs(t, <-done, context.Canceled)
		require.Equal(t, 5, strings.Count(out.String(), "\n"), "rows up to 5 s")
	})
}

func TestPlayRefusesABadSpeed(t *testing.T) {
	for _, speed := range []float64{0, -1} {
		err := Play(context.Background(), &bytes.Buffer{}, seed1b, Options{Speed: speed, Clock: clock.New()})
		require.ErrorContains(t, err, "must be a number greater than 0")
	}
}
