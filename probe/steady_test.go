package probe

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A worker is Steady once Successes have reached the threshold and are
// stored; Repeat then stands for that many more Successes — the run length
// is the same as had each been recorded — and does nothing otherwise.
func TestWorkerSteadyAndRepeat(t *testing.T) {
	tests := []struct {
		name    string
		kind    Kind
		success int32
		results []Result
		steady  bool
	}{
		{"no result yet", Readiness, 1, nil, false},
		{"readiness below its success threshold", Readiness, 3, []Result{Success, Success}, false},
		{"readiness at its success threshold", Readiness, 3, []Result{Success, Success, Success}, true},
		{"a failure, not yet stored", Liveness, 1, []Result{Success, Failure}, false},
		{"liveness succeeding", Liveness, 1, []Result{Success}, true},
		{"liveness held after three failures", Liveness, 1, []Result{Failure, Failure, Failure}, false},
		{"startup held after its success", Startup, 1, []Result{Success}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			newWorker := func() *Worker {
				w := NewWorker(&Spec{Kind: tc.kind, Period: time.Second, SuccessThreshold: tc.success, FailureThreshold: 3}, RulesFor(33), NewResults())
				require.Equal(t, Probe, w.Decide(Observation{HasStatus: true, Container: running("id1", tc.kind != Startup, time.Minute), Now: t0}))
				for _, r := range tc.results {
					w.Record(r)
				}
				return w
			}
			w := newWorker()
			require.Equal(t, tc.steady, w.Steady())
			before := w.LastRun()
			w.Repeat(5)
			if !tc.steady {
				require.Equal(t, before, w.LastRun(), "Repeat does nothing to a worker that is not steady")
				return
			}
			ticked := newWorker()
			for range 5 {
				ticked.Record(Success)
			}
			require.Equal(t, ticked.LastRun(), w.LastRun(), "Repeat(5) is five Successes")
			require.True(t, w.Steady())
			w.Record(Failure)
			require.Equal(t, 1, w.LastRun(), "a failure starts a new run")
		})
	}
}
