package seeds_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/internal/seeds"
	"github.com/podsim/podsim/trace"
)

// The watch lines of the seed documents (../shared/reference/seed-timelines.md).
const (
	watch1a = `
NAME            READY   STATUS              RESTARTS   AGE
initial-delay   0/1     Pending             0          0s
initial-delay   0/1     Pending             0          0s
initial-delay   0/1     ContainerCreating   0          0s
initial-delay   0/1     ContainerCreating   0          1s
initial-delay   0/1     Running             0          2s
initial-delay   1/1     Running             0          35s
initial-delay   0/1     Running             0          55s`
	watch1b = `
NAME       READY   STATUS              RESTARTS        AGE
liveness   0/1     Pending             0               0s
liveness   0/1     Pending             0               0s
liveness   0/1     ContainerCreating   0               0s
liveness   0/1     ContainerCreating   0               0s
liveness   1/1     Running             0               3s
liveness   1/1     Running             1 (2s ago)      77s
liveness   1/1     Running             2 (3s ago)      2m33s
liveness   1/1     Running             3 (4s ago)      3m49s
liveness   1/1     Running             4 (3s ago)      5m3s
liveness   1/1     Running             5 (2s ago)      6m17s
liveness   0/1     CrashLoopBackOff    5 (0s ago)      7m30s
liveness   1/1     Running             6 (85s ago)     8m55s
liveness   0/1     CrashLoopBackOff    6 (0s ago)      10m
liveness   1/1     Running             7 (2m51s ago)   12m`
	watch1d = `
no-sigterm   0/1   Pending             0   0s
no-sigterm   0/1   Pending             0   0s
no-sigterm   0/1   ContainerCreating   0   0s
no-sigterm   0/1   ContainerCreating   0   0s
no-sigterm   1/1   Running             0   3s
no-sigterm   1/1   Terminating         0   10s
no-sigterm   1/1   Terminating         0   70s
no-sigterm   0/1   Terminating         0   71s
no-sigterm   0/1   Terminating         0   71s
no-sigterm   0/1   Terminating         0   71s`
)

// SeedLiveness is the seed of the 1b scenario. The restarts after the
// first CrashLoopBackOff come at the kubelet's jittered resync (60–90 s
// after a sync); this seed draws a resync that lands where the observed
// cluster's did. The lines up to 7m30s do not depend on it.
const SeedLiveness = 6

func runWatch(t *testing.T, s *seeds.Scenario) []seeds.Row {
	t.Helper()
	c, err := s.Build()
	require.NoError(t, err)
	require.NoError(t, c.RunUntil(s.Until))
	var b strings.Builder
	require.NoError(t, trace.Watch(&b, c.Trace(), trace.WatchOptions{Rules: c.Profile().Lifecycle}))
	rows, err := seeds.ParseRows(b.String())
	require.NoError(t, err)
	t.Logf("%s watch:\n%s", s.Name, b.String())
	return rows
}

func TestSeedWatchLines(t *testing.T) {
	tests := []struct {
		name     string
		scenario *seeds.Scenario
		want     string
		exact    int // lines whose AGE and "(Xs ago)" must match exactly
	}{
		{"1a initial delay", seeds.InitialDelay(1), watch1a, 7},
		{"1b liveness", seeds.Liveness(SeedLiveness), watch1b, 11},
		{"1d no sigterm", seeds.NoSigterm(1), watch1d, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := seeds.ParseRows(tc.want)
			require.NoError(t, err)
			got := runWatch(t, tc.scenario)
			if diffs := seeds.CompareRows(got, want, tc.exact, 5*time.Second); len(diffs) > 0 {
				t.Errorf("watch lines differ from the seed (reproduce with seed=%d):\n%s", tc.scenario.Config.Seed, strings.Join(diffs, "\n"))
			}
		})
	}
}
