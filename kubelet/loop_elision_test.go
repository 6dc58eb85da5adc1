package kubelet

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/engine"
)

// A parked loop pulled by a change, and its last tick read by an event,
// behave as the same loop ticking every period: whether the change or the
// reading comes before or after the tick that falls at its instant (a
// lower or higher priority, an arming before or after the tick's own, an
// event scheduled after the tick at a lower priority), and at instants
// between ticks.
func TestNodeLoopMatchesTicking(t *testing.T) {
	type change struct {
		at   time.Duration
		prio engine.Priority
		// armedAt: when the change's event is scheduled (-1: at the start).
		armedAt time.Duration
		// then: another change scheduled by this one for now, at this
		// priority (0: none).
		then engine.Priority
		// due: the work the change makes is due this much later.
		due time.Duration
	}
	cases := map[string][]change{
		"between ticks":              {{at: 5700 * time.Millisecond, prio: engine.PriorityNormal, armedAt: -1}},
		"at a tick, lower priority":  {{at: 5300 * time.Millisecond, prio: engine.PriorityRuntime, armedAt: -1}},
		"at a tick, higher priority": {{at: 5300 * time.Millisecond, prio: engine.PriorityAction, armedAt: -1}},
		"at a tick, armed earlier":   {{at: 5300 * time.Millisecond, prio: engine.PriorityNormal, armedAt: 4 * time.Second}},
		"at a tick, armed later":     {{at: 5300 * time.Millisecond, prio: engine.PriorityNormal, armedAt: 4500 * time.Millisecond}},
		"after the tick, then lower": {{at: 5300 * time.Millisecond, prio: engine.PriorityAction, armedAt: -1, then: engine.PriorityAPI}},
		// The loop is armed at 1.7 s for its tick at 5.3 s, as of 4.3 s:
		// between an event scheduled at 4 s and one at 4.5 s for 5.3 s.
		"due at a later tick": {{at: 1700 * time.Millisecond, prio: engine.PriorityNormal, armedAt: -1, due: 3600 * time.Millisecond},
			{at: 5300 * time.Millisecond, prio: engine.PriorityNormal, armedAt: 4 * time.Second, due: time.Hour},
			{at: 5300 * time.Millisecond, prio: engine.PriorityNormal, armedAt: 4500 * time.Millisecond, due: time.Hour}},
		"several": {{at: 2300 * time.Millisecond, prio: engine.PriorityAPI, armedAt: -1}, {at: 2300 * time.Millisecond, prio: engine.PriorityAction, armedAt: -1}, {at: 9 * time.Second, prio: engine.PriorityNormal, armedAt: -1}},
	}
	run := func(changes []change, noElision bool) []string {
		eng := engine.New(1)
		k := &Kubelet{eng: eng, cfg: Config{NoElision: noElision}}
		var log []string
		var dues []time.Duration
		lastTick := time.Duration(0)
		var l *nodeLoop
		l = k.newNodeLoop(time.Second, 300*time.Millisecond, kubeletLoop{"node", "test"}, func() {
			lastTick = eng.Now()
			found, later := 0, dues[:0]
			for _, d := range dues {
				if d <= eng.Now() {
					found++
				} else {
					later = append(later, d)
				}
			}
			dues = later
			if found > 0 {
				log = append(log, fmt.Sprintf("%v: tick finds %d", eng.Now(), found))
			}
		}, func() time.Duration {
			need := engine.Forever
			for _, d := range dues {
				need = min(need, d)
			}
			return need
		})
		var do func(name string, due time.Duration) func()
		do = func(name string, due time.Duration) func() {
			return func() {
				if l.parked() { // as wakeRelist keeps the timestamp
					lastTick = l.lastRun()
				}
				if due == 0 { // a loop whose ticks are read (the relist) is pulled only to now
					log = append(log, fmt.Sprintf("%v: %s sees the last tick at %v", eng.Now(), name, lastTick))
				} else {
					log = append(log, fmt.Sprintf("%v: %s", eng.Now(), name))
				}
				dues = append(dues, eng.Now()+due)
				l.pull(eng.Now() + due)
			}
		}
		for i, c := range changes {
			name := fmt.Sprintf("change %d", i)
			fire := do(name, c.due)
			if c.then != 0 {
				then := do(name+"'s follower", c.due)
				fire = func() { do(name, c.due)(); eng.After(0, c.then, then) }
			}
			if c.armedAt < 0 {
				eng.At(c.at, c.prio, fire)
				continue
			}
			eng.At(c.armedAt, engine.PriorityNormal, func() { eng.At(c.at, c.prio, fire) })
		}
		require.NoError(t, eng.RunUntil(12*time.Second))
		return log
	}
	for name, changes := range cases {
		t.Run(name, func(t *testing.T) {
			ticked := run(changes, true)
			require.Equal(t, ticked, run(changes, false), "elided (got) against ticked (want)")
			require.NotEmpty(t, ticked)
		})
	}
}

// A loop ticks, and parks, only at the ticks of its grid.
func TestNodeLoopGrid(t *testing.T) {
	l := &nodeLoop{period: 2 * time.Second, phase: 500 * time.Millisecond}
	for _, tc := range []struct{ t, want time.Duration }{
		{0, 500 * time.Millisecond},
		{500 * time.Millisecond, 500 * time.Millisecond},
		{501 * time.Millisecond, 2500 * time.Millisecond},
		{2500 * time.Millisecond, 2500 * time.Millisecond},
		{7 * time.Second, 8500 * time.Millisecond},
		{engine.Forever - time.Second, engine.Forever - 354775807}, // …16.5 s, the last tick before the end of time
		{engine.Forever - 100*time.Millisecond, engine.Forever},
	} {
		require.Equal(t, tc.want, l.atOrAfter(tc.t), "atOrAfter(%v)", tc.t)
	}
}
