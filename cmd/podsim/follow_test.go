package main

import (
	"bytes"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/scenarios"
	"github.com/podsim/podsim/trace"
)

// clockedWriter notes, by the clock of the synctest bubble, when each line
// was written.
type clockedWriter struct {
	start time.Time
	at    []time.Duration
	text  bytes.Buffer
}

func (w *clockedWriter) Write(p []byte) (int, error) {
	for range bytes.Count(p, []byte("\n")) {
		w.at = append(w.at, time.Since(w.start))
	}
	return w.text.Write(p)
}

// podsim run --follow --speed 10 prints seed 1b's watch lines each at its
// moment over ten, as a watching kubectl would (columns widening as wider
// cells come), and returns at the end of the run: 13 minutes in 78 s. The
// command runs in a synctest bubble, so its real clock is fake and the test
// takes no time.
func TestRunFollowPlaysTheWatchLive(t *testing.T) {
	s, err := scenarios.Load(scenario("1b-liveness.yaml"))
	require.NoError(t, err)
	c, err := s.Run(scenarios.Options{})
	require.NoError(t, err)
	rows := trace.WatchTimedRows(c.Trace(), trace.WatchOptions{Rules: c.Profile().Lifecycle})
	want := []time.Duration{0} // the header comes with the first row
	for _, r := range rows[1:] {
		want = append(want, r.At/10)
	}

	synctest.Test(t, func(t *testing.T) {
		w := &clockedWriter{start: time.Now()}
		var errOut bytes.Buffer
		code := run([]string{"run", "--follow", "--speed", "10", scenario("1b-liveness.yaml")}, w, &errOut)
		require.Equal(t, 0, code, errOut.String())
		require.Equal(t, want, w.at)
		require.Equal(t, 78*time.Second, time.Since(w.start))
		require.Equal(t, `NAME       READY   STATUS    RESTARTS   AGE
liveness   0/1     Pending   0          0s
liveness   0/1     Pending   0          0s
liveness   0/1     ContainerCreating   0          0s
liveness   0/1     ContainerCreating   0          0s
liveness   1/1     Running             0          3s
liveness   1/1     Running             1 (2s ago)   77s
liveness   1/1     Running             2 (3s ago)   2m33s
liveness   1/1     Running             3 (4s ago)   3m49s
liveness   1/1     Running             4 (3s ago)   5m3s
liveness   1/1     Running             5 (2s ago)   6m17s
liveness   0/1     CrashLoopBackOff    5 (0s ago)   7m30s
liveness   1/1     Running             6 (85s ago)   8m55s
liveness   0/1     CrashLoopBackOff    6 (0s ago)    10m
liveness   1/1     Running             7 (2m51s ago)   12m
`, w.text.String())
	})
}

// --follow --from starts the watch later: the pods as they are then come
// at once, and the first later line (the restart at 2m33s) 93 s / 2 later.
func TestRunFollowFrom(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := &clockedWriter{start: time.Now()}
		var errOut bytes.Buffer
		code := run([]string{"run", "--follow", "--speed", "2", "--from", "1m", "--until", "3m", scenario("1b-liveness.yaml")}, w, &errOut)
		require.Equal(t, 0, code, errOut.String())
		require.Equal(t, "NAME       READY   STATUS    RESTARTS   AGE\nliveness   1/1     Running   0          60s\n", strings.Join(strings.SplitAfter(w.text.String(), "\n")[:2], ""))
		require.Equal(t, time.Duration(0), w.at[1])
		require.Equal(t, 60*time.Second, time.Since(w.start), "(3m − 1m) / 2")
	})
}

func TestRunFollowRefusals(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--speed", "10", scenario("1b-liveness.yaml")}, "error: --speed is for --follow\n"},
		{[]string{"run", "--follow", "-o", "describe", scenario("1b-liveness.yaml")}, "error: --follow plays the watch outputs (the default and -o wide)\n"},
		{[]string{"run", "--follow", scenario("1a-initial-delay.yaml"), scenario("1b-liveness.yaml")}, "error: --follow plays one file at a time\n"},
		{[]string{"run", "--follow", "--speed", "0", scenario("1b-liveness.yaml")}, "error: --speed 0: must be a number greater than 0\n"},
		{[]string{"run", "--follow", "--speed", "-3", scenario("1b-liveness.yaml")}, "error: --speed -3: must be a number greater than 0\n"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := podsim(tc.args...)
			require.Equal(t, exitInvalid, code)
			require.Empty(t, out)
			require.Equal(t, tc.want, errOut)
		})
	}
}
