package sim_test

import (
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

// tieWake is how a change reaches a parked loop at the very instant of one
// of its skipped ticks: the three places a change can take among the
// events of that instant.
type tieWake string

const (
	// wakeBefore: an API-priority event scheduled beforehand, ordered (and
	// fired) before the tick: ticking, the tick sees the change.
	wakeBefore tieWake = "before the tick"
	// wakeAfter: a scenario action, ordered (and fired) after the tick:
	// ticking, the tick ran on the old state and the next one sees it.
	wakeAfter tieWake = "after the tick"
	// wakeLater: an API-priority event that an action schedules for its
	// own instant: it sorts before the tick but fires after it (the tick
	// has run), as a zero-latency watch delivery would.
	wakeLater tieWake = "sorted before, fired after the tick"
)

// atTie makes the change fn at the instant at, placed among that instant's
// events as how says.
func atTie(t *testing.T, c *sim.Cluster, at time.Duration, how tieWake, fn func(*sim.Cluster) error) {
	t.Helper()
	run := func() {
		if err := fn(c); err != nil {
			c.Engine().Fail(err)
		}
	}
	switch how {
	case wakeBefore:
		c.Engine().At(at, engine.PriorityAPI, run)
	case wakeAfter:
		require.NoError(t, c.At(at, func(*sim.Cluster) error { run(); return nil }))
	case wakeLater:
		require.NoError(t, c.At(at, func(c *sim.Cluster) error {
			c.Engine().After(0, engine.PriorityAPI, run)
			return nil
		}))
	}
}

// tieCluster is an idle cluster of five nodes, a sleeping pod on each, so
// that the control plane's loops and the node status loops park; then
// changes come at the instants of their skipped ticks (placed by how):
// node-2 deleted at 6 min (a tick of pod GC's 20 s grid and of the node
// lifecycle monitor's 5 s one: pod GC notes its pods orphaned, the
// monitor removes the node), node-3 deleted at 9 min 5 s (the monitor's
// grid only), and node-1 and node-4 cordoned and node-1 uncordoned at
// statusTicks, instants of their node status loop's ticks (each kubelet
// records NodeNotSchedulable or NodeSchedulable at the sync that sees it).
// With statusTicks nil, the cordons are actions at 3, 7 and 11 min: the
// run that finds the ticks.
func tieCluster(t *testing.T, version string, noElision bool, how tieWake, statusTicks []time.Duration) *sim.Cluster {
	t.Helper()
	c, err := sim.New(sim.Config{Version: version, Seed: 5, CheckInvariants: true, NoElision: noElision})
	require.NoError(t, err)
	sleeper := map[string]behavior.Spec{"app": {Main: behavior.Script{behavior.Sleep(3 * time.Hour)}}}
	for i := 1; i <= 5; i++ {
		n := fmt.Sprintf("node-%d", i)
		require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: n}}, sim.NodeOptions{Images: []string{"busybox:1.36"}}))
		p := podWith("sleeper-"+n, corev1.RestartPolicyAlways, corev1.Container{Name: "app", Image: "busybox:1.36"})
		p.Spec.NodeName = n
		require.NoError(t, c.CreatePod(p, sleeper))
	}
	atTie(t, c, 6*time.Minute, how, func(c *sim.Cluster) error { return c.DeleteNode("node-2") })
	atTie(t, c, 9*time.Minute+5*time.Second, how, func(c *sim.Cluster) error { return c.DeleteNode("node-3") })
	cordons := []func(c *sim.Cluster) error{
		func(c *sim.Cluster) error { return c.Cordon("node-1") },
		func(c *sim.Cluster) error { return c.Cordon("node-4") },
		func(c *sim.Cluster) error { return c.Uncordon("node-1") },
	}
	for i, fn := range cordons {
		if statusTicks == nil {
			require.NoError(t, c.At(time.Duration(3+4*i)*time.Minute, fn))
			continue
		}
		atTie(t, c, statusTicks[i], how, fn)
	}
	return c
}

// nodeEventsAt are the times of the events of the given reasons (from the
// trace: an event's own timestamp is whole seconds), in time order.
func nodeEventsAt(c *sim.Cluster, reasons ...string) []time.Duration {
	var out []time.Duration
	for _, r := range c.Trace().All() {
		if r.Kind == "Event" && r.Event != nil && slices.Contains(reasons, r.Event.Reason) {
			out = append(out, r.T)
		}
	}
	return out
}

// A change that lands at the very instant of a skipped tick — of pod GC's
// 20 s pass, of the node lifecycle monitor's 5 s pass, of a kubelet's
// 10 s node status sync — is seen at that tick or the next one as ticking
// would see it, wherever the change stands among the events of the
// instant: before the tick, after it, or sorted before it but fired after
// it (a lower priority, scheduled later in the instant). The runs with
// elision and without write the same trace and events.
func TestElisionMatchesTickingWhenWokenAtASkippedTick(t *testing.T) {
	for _, version := range sim.SupportedVersions {
		// The node status ticks: where each kubelet saw the cordons of a first run.
		probe := tieCluster(t, version, false, wakeAfter, nil)
		require.NoError(t, probe.RunUntil(13*time.Minute))
		statusTicks := nodeEventsAt(probe, "NodeNotSchedulable", "NodeSchedulable")
		require.Len(t, statusTicks, 3)
		for i, at := range statusTicks {
			require.Greater(t, at, time.Duration(3+4*i)*time.Minute)
			require.Less(t, at, time.Duration(3+4*i)*time.Minute+11*time.Second, "the first sync after the cordon")
		}

		for _, how := range []tieWake{wakeBefore, wakeAfter, wakeLater} {
			t.Run(version+"/"+string(how), func(t *testing.T) {
				fired := bothWays(t, "tie-"+version+"-"+string(how), 15*time.Minute, func(t *testing.T, noElision bool) *sim.Cluster {
					return tieCluster(t, version, noElision, how, statusTicks)
				}, func(w io.Writer, c *sim.Cluster, _ bool) {
					for _, e := range c.Events() {
						fmt.Fprintf(w, "%v %s %s %d %s\n", e.LastTimestamp.Sub(c.Engine().Wall(0)), e.InvolvedObject.Name, e.Reason, e.Count, e.Message)
					}
					// The loops saw each change at the tick of its instant or the next.
					seen := nodeEventsAt(c, "NodeNotSchedulable", "NodeSchedulable")
					removed := nodeEventsAt(c, "RemovingNode")
					var collected []time.Duration // pod GC deletes node-2's orphan a quarantine after its first pass that sees it
					for _, r := range c.Trace().Pods() {
						if r.Op == trace.Deleted && r.Actor == "pod-garbage-collector" && r.Name == "sleeper-node-2" {
							collected = append(collected, r.T)
						}
					}
					require.Len(t, seen, 3)
					require.Len(t, removed, 2)
					if how == wakeBefore {
						require.Equal(t, []time.Duration{6*time.Minute + 40*time.Second}, collected)
						require.Equal(t, statusTicks, seen, "the syncs at the cordons' instants saw them")
						require.Equal(t, []time.Duration{6 * time.Minute, 9*time.Minute + 5*time.Second}, removed)
					} else {
						require.Equal(t, []time.Duration{7 * time.Minute}, collected)
						for j := range seen {
							require.Greater(t, seen[j], statusTicks[j], "the sync at the cordon's instant ran before it")
						}
						require.Equal(t, []time.Duration{6*time.Minute + 5*time.Second, 9*time.Minute + 10*time.Second}, removed)
					}
				}).fired
				require.Less(t, fired[0], fired[1], "elision fired fewer events")
				t.Logf("events: %d elided, %d ticked", fired[0], fired[1])
			})
		}
	}
}
