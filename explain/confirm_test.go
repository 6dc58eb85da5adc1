package explain_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/explain"
	"github.com/podsim/podsim/podsimtest"
	"github.com/podsim/podsim/scenarios"
)

// observed lists, for each kind of prediction, when the simulation did
// that thing: the times in order, so the N-th is [N-1]. BackOff is keyed
// by the run it holds back, as Prediction.N is.
func observed(h podsimtest.History, pod string) map[explain.Kind][]time.Duration {
	out := map[explain.Kind][]time.Duration{}
	// Every emission of the kubelet's events, dropped by the spam filter
	// or not: the kubelet acted either way.
	for _, r := range h.Trace.All() {
		if r.Kind != "Event" || r.Name != pod || r.Event == nil {
			continue
		}
		switch r.Event.Reason {
		case "Started":
			out[explain.Started] = append(out[explain.Started], r.T)
		case "Killing":
			out[explain.Killed] = append(out[explain.Killed], r.T)
		}
	}
	for _, e := range h.Exits(pod) {
		out[explain.Exited] = append(out[explain.Exited], e.T)
	}
	out[explain.Ready] = h.Changes(podsimtest.PodReady(pod))
	out[explain.NotReady] = h.Times(podsimtest.PodNotReady(pod))
	backoffs := map[int]time.Duration{}
	for _, t := range h.Changes(podsimtest.PodStatus(pod, "CrashLoopBackOff")) {
		n := int(h.RestartCount(pod, t)) + 2
		backoffs[n] = t
	}
	for n, t := range backoffs {
		for len(out[explain.BackOff]) < n {
			out[explain.BackOff] = append(out[explain.BackOff], -1)
		}
		out[explain.BackOff][n-1] = t
	}
	return out
}

// The acceptance test of podsim explain: on the seeds' 1a and 1b files,
// every time explain states, the simulation confirms — each event happens
// within the range stated, and an event stated as certain happens. Events
// explain says may not happen (Maybe) are checked only if they do.
func TestSimulationConfirmsExplain(t *testing.T) {
	for _, tc := range []struct {
		file, pod string
		// kinds the file must predict, so the test cannot pass by saying
		// nothing.
		want map[explain.Kind]int
	}{
		{"../scenarios/1a-initial-delay.yaml", "initial-delay", map[explain.Kind]int{explain.Started: 1, explain.Ready: 1, explain.NotReady: 1}},
		{"../scenarios/1b-liveness.yaml", "liveness", map[explain.Kind]int{explain.Started: 7, explain.Killed: 7, explain.Exited: 7, explain.BackOff: 2}},
		// More shapes than the seeds have: a crash loop of its own exits,
		// a slow start killed by liveness, a startup probe with preStop,
		// runs long enough to reset the back-off, a start that never
		// succeeds with a server that drains on SIGTERM.
		{"testdata/crashloop.yaml", "crasher", map[explain.Kind]int{explain.Started: 8, explain.Exited: 7, explain.BackOff: 6, explain.NotReady: 7}},
		{"testdata/slow-start.yaml", "slow", map[explain.Kind]int{explain.Killed: 7, explain.BackOff: 2}},
		{"testdata/startup.yaml", "startup", map[explain.Kind]int{explain.Ready: 4, explain.NotReady: 4, explain.Killed: 4}},
		{"testdata/long-runs.yaml", "long", map[explain.Kind]int{explain.Started: 4, explain.Exited: 3}},
		{"../scenarios/1i-poststart.yaml", "poststart-slow", map[explain.Kind]int{explain.Started: 1, explain.Ready: 1}},
		{"testdata/startup-fails.yaml", "never-up", map[explain.Kind]int{explain.Killed: 8, explain.Exited: 8, explain.BackOff: 4}},
	} {
		t.Run(tc.pod, func(t *testing.T) {
			s, err := scenarios.Load(tc.file)
			require.NoError(t, err)
			in, err := explain.FromScenario(s, tc.pod)
			require.NoError(t, err)
			r, err := explain.Explain(in)
			require.NoError(t, err)

			// The file's own seed, and others: the bounds hold for every
			// draw of the kubelet's jitter, not just the one the seed makes.
			for seed := uint64(0); seed <= 20; seed++ {
				opts := scenarios.Options{}
				if seed > 0 {
					opts.Seed = &seed
				}
				confirm(t, r, tc.file, tc.pod, opts, s.Duration, tc.want)
			}
		})
	}
}

// confirm runs the scenario and checks each prediction against it. It
// runs the file with scenarios.Scenario.Run rather than
// podsimtest.RunScenario: the file's own expectations hold for its seed
// only, while explain's bounds must hold for every seed.
func confirm(t *testing.T, r *explain.Report, file, pod string, opts scenarios.Options, end time.Duration, want map[explain.Kind]int) {
	t.Helper()
	s, err := scenarios.Load(file)
	require.NoError(t, err)
	sc, err := s.Run(opts)
	require.NoError(t, err)
	c := podsimtest.Wrap(t, sc)
	seed := "the file's seed"
	if opts.Seed != nil {
		seed = fmt.Sprintf("seed %d", *opts.Seed)
	}
	got := observed(c.History(), pod)
	checked := map[explain.Kind]int{}
	for _, p := range r.Predictions {
		what := fmt.Sprintf("%s #%d at %s (%s)", p.Kind, p.N, p.At, p.Why)
		var at time.Duration = -1
		if list := got[p.Kind]; p.N <= len(list) {
			at = list[p.N-1]
		}
		switch {
		case at >= 0:
			require.True(t, p.At.Contains(at), "%s: with %s the simulation has it at %v", what, seed, at)
			checked[p.Kind]++
		case p.Maybe || p.At.Hi > end:
			// it may not happen, or not before the run ends
		default:
			t.Errorf("%s: with %s the simulation never does it (observed %v)", what, seed, got[p.Kind])
		}
	}
	for k, n := range want {
		require.GreaterOrEqual(t, checked[k], n, "confirmed %s predictions with %s", k, seed)
	}
}
