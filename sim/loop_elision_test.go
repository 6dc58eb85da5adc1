package sim_test

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

// loopsCluster gives the kubelet's node loops something to find at odd
// times: active deadlines on nodes whose clocks are off by a fraction of a
// second (the sync tick), a deadline shortened by an update, containers
// that exit and crash-loop, a back-off that garbage collection drops in
// the middle of its window (housekeeping), pods deleted while a container
// ignores SIGTERM and created again under the same name (housekeeping
// forgets the old one), a kubelet stopped and a node powered off and on
// again (the relist's timestamp across a halt), and a probe every second.
func loopsCluster(t *testing.T, version string, timing sim.Timing, noElision bool) *sim.Cluster {
	t.Helper()
	cfg := sim.Config{Version: version, Seed: 11, CheckInvariants: true, NoElision: noElision}
	cfg.Env.Timing = timing
	c, err := sim.New(cfg)
	require.NoError(t, err)
	images := []string{"busybox:1.36"}
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{Images: images, ClockOffset: 1370 * time.Millisecond}))
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-2"}}, sim.NodeOptions{Images: images, ClockOffset: -450 * time.Millisecond}))
	// Alone on their nodes, so that no other pod's work keeps the sync tick going.
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-3"}}, sim.NodeOptions{Images: images, ClockOffset: 730 * time.Millisecond}))
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-4"}}, sim.NodeOptions{Images: images}))
	busy := func(main ...behavior.Stmt) map[string]behavior.Spec {
		return map[string]behavior.Spec{"app": {Main: behavior.Script(main), Userland: behavior.BusyBox}}
	}
	pod := func(name, node string, restart corev1.RestartPolicy, deadline int64) *corev1.Pod {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.PodSpec{NodeName: node, RestartPolicy: restart,
			Containers: []corev1.Container{{Name: "app", Image: "busybox:1.36"}}}}
		if deadline > 0 {
			p.Spec.ActiveDeadlineSeconds = &deadline
		}
		return p
	}
	create := func(at time.Duration, p *corev1.Pod, b map[string]behavior.Spec) {
		require.NoError(t, c.At(at, func(c *sim.Cluster) error { return c.CreatePod(p, b) }))
	}
	forever := busy(behavior.Sleep(10 * time.Hour))
	create(0, pod("deadline", "node-1", corev1.RestartPolicyAlways, 37), forever)
	create(3217*time.Millisecond, pod("deadline-2", "node-2", corev1.RestartPolicyAlways, 41), forever)
	create(1234*time.Millisecond, pod("alone", "node-4", corev1.RestartPolicyAlways, 29), forever)
	create(0, pod("shortened", "node-3", corev1.RestartPolicyAlways, 3600), forever)
	require.NoError(t, c.At(150500*time.Millisecond, func(c *sim.Cluster) error {
		return c.ApplyPod(pod("shortened", "node-3", corev1.RestartPolicyAlways, 160), nil)
	}))

	// Five quick crashes take the back-off to 160 s; the sixth start runs
	// for 9 minutes, so that its entry (updated at that start) expires
	// 60 s into the back-off after the next crash: housekeeping's GC
	// drops it and the next sync restarts the container at once.
	var crashes []behavior.Stmt
	for i := 1; i <= 5; i++ {
		f := fmt.Sprintf("/data/crash-%d", i)
		crashes = append(crashes, behavior.Or(behavior.FileExists(f), behavior.Group(behavior.Touch(f), behavior.Sleep(1300*time.Millisecond), behavior.Exit(1))))
	}
	crashes = append(crashes, behavior.Sleep(9*time.Minute))
	for i := 1; i <= 5; i++ {
		crashes = append(crashes, behavior.Remove(fmt.Sprintf("/data/crash-%d", i)))
	}
	crashes = append(crashes, behavior.Exit(2))
	crashy := pod("crashy", "node-1", corev1.RestartPolicyAlways, 0)
	crashy.Spec.Volumes = []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}
	crashy.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "data", MountPath: "/data"}}
	create(0, crashy, busy(crashes...))

	create(0, pod("quitter", "node-2", corev1.RestartPolicyNever, 0), busy(behavior.Sleep(7770*time.Millisecond), behavior.Exit(3)))
	create(2100*time.Millisecond, pod("done", "node-1", corev1.RestartPolicyOnFailure, 0), busy(behavior.Sleep(4400*time.Millisecond), behavior.Exit(0)))

	// A readiness probe every second, on a node whose loops tick every second too.
	probed := pod("probed", "node-1", corev1.RestartPolicyAlways, 0)
	probed.Spec.Containers[0].ReadinessProbe = &corev1.Probe{PeriodSeconds: 1,
		ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/ready"}}}}
	create(0, probed, busy(behavior.Touch("/tmp/ready"), behavior.Sleep(10*time.Hour)))

	stubborn := func() (*corev1.Pod, map[string]behavior.Spec) {
		p := pod("stubborn", "node-2", corev1.RestartPolicyAlways, 0)
		b := busy(behavior.Sleep(10 * time.Hour))
		s := b["app"]
		s.Stop = behavior.IgnoreStop()
		b["app"] = s
		return p, b
	}
	p, b := stubborn()
	create(0, p, b)
	grace := int64(3)
	require.NoError(t, c.At(61370*time.Millisecond, func(c *sim.Cluster) error {
		return c.DeletePod("default", "stubborn", sim.DeleteOptions{GracePeriodSeconds: &grace})
	}))
	p, b = stubborn()
	create(67910*time.Millisecond, p, b)
	require.NoError(t, c.At(130710*time.Millisecond, func(c *sim.Cluster) error { return c.DeletePod("default", "stubborn", sim.DeleteOptions{}) }))

	require.NoError(t, c.At(200130*time.Millisecond, func(c *sim.Cluster) error { return c.StopKubelet("node-2") }))
	require.NoError(t, c.At(263900*time.Millisecond, func(c *sim.Cluster) error { return c.StartKubelet("node-2") }))
	require.NoError(t, c.At(400200*time.Millisecond, func(c *sim.Cluster) error { return c.PowerOffNode("node-2") }))
	require.NoError(t, c.At(431700*time.Millisecond, func(c *sim.Cluster) error { return c.PowerOnNode("node-2") }))
	return c
}

// The node loops' elision is invisible: whatever the loops' phases — the
// defaults, all three at the same instant, odd ones — a run with elision
// writes the same trace as one whose loops tick every period, and fires
// fewer events.
func TestElisionOfNodeLoopsMatchesTicking(t *testing.T) {
	timings := map[string]sim.Timing{
		"default phases":    {},
		"coinciding phases": {RelistPhase: 0, SyncTickPhase: 1, HousekeepingPhase: 0}, // 1 ns: the zero value means the default
		"odd phases":        {RelistPhase: 137 * time.Millisecond, SyncTickPhase: 911 * time.Millisecond, HousekeepingPhase: 1500 * time.Millisecond},
	}
	for _, name := range []string{"default phases", "coinciding phases", "odd phases"} {
		for _, version := range sim.SupportedVersions {
			t.Run(name+"/"+version, func(t *testing.T) {
				fired := bothWays(t, version+"-loops", 40*time.Minute, func(t *testing.T, noElision bool) *sim.Cluster {
					return loopsCluster(t, version, timings[name], noElision)
				}, func(w io.Writer, c *sim.Cluster, _ bool) {
					for _, e := range c.Events() {
						fmt.Fprintf(w, "%s %s %s %d %s\n", e.LastTimestamp.UTC().Format(time.RFC3339), e.InvolvedObject.Name, e.Reason, e.Count, e.Message)
					}
				}).fired
				require.Less(t, fired[0], fired[1], "elision fired fewer events")
				t.Logf("events: %d elided, %d ticked", fired[0], fired[1])
			})
		}
	}
}

// churnCluster is a random cluster whose every time is a whole number of
// 10 ms, so that what happens often falls at the very instant of a loop's
// tick: pods that run forever, exit, crash-loop and run long, some with
// deadlines, some behind an init container, some probed every second or
// two (their file removed by hand at some instant), created, deleted (some
// ignoring SIGTERM), shortened by an update, on nodes that are stopped,
// powered off and cut from the network for a while, one fault after the
// other; each seed follows another of the supported versions.
func churnCluster(t *testing.T, seed uint64, timing sim.Timing, noElision bool) *sim.Cluster {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 10))
	tick := func(max time.Duration) time.Duration {
		return time.Duration(rng.Int64N(int64(max/(10*time.Millisecond)))) * 10 * time.Millisecond
	}
	cfg := sim.Config{Seed: seed, CheckInvariants: true, NoElision: noElision, Version: sim.SupportedVersions[int(seed)%len(sim.SupportedVersions)]}
	cfg.Env.Timing = timing
	c, err := sim.New(cfg)
	require.NoError(t, err)
	nodes := []string{"node-a", "node-b", "node-c"}
	for _, n := range nodes {
		require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: n}},
			sim.NodeOptions{Images: []string{"busybox:1.36"}, ClockOffset: tick(4*time.Second) - 2*time.Second}))
	}
	at := func(when time.Duration, fn func(*sim.Cluster) error) { require.NoError(t, c.At(when, fn)) }
	for i := range 14 {
		name := fmt.Sprintf("pod-%02d", i)
		node := nodes[rng.IntN(len(nodes))]
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.PodSpec{NodeName: node,
			RestartPolicy: []corev1.RestartPolicy{corev1.RestartPolicyAlways, corev1.RestartPolicyOnFailure, corev1.RestartPolicyNever}[rng.IntN(3)],
			Volumes:       []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
			Containers: []corev1.Container{{Name: "app", Image: "busybox:1.36",
				VolumeMounts: []corev1.VolumeMount{{Name: "data", MountPath: "/data"}}}}}}
		if rng.IntN(3) == 0 {
			ads := 5 + rng.Int64N(200)
			p.Spec.ActiveDeadlineSeconds = &ads
		}
		main := behavior.Script{behavior.Touch("/tmp/ready")}
		switch rng.IntN(4) {
		case 0:
			main = append(main, behavior.Sleep(10*time.Hour))
		case 1:
			main = append(main, behavior.Sleep(tick(2*time.Minute)), behavior.Exit(rng.IntN(3)))
		default: // k quick crashes, then a long run, again and again
			k := 1 + rng.IntN(6)
			for j := range k {
				f := fmt.Sprintf("/data/crash-%d", j)
				main = append(main, behavior.Or(behavior.FileExists(f), behavior.Group(behavior.Touch(f), behavior.Sleep(tick(3*time.Second)), behavior.Exit(1))))
			}
			main = append(main, behavior.Sleep(tick(12*time.Minute)))
			for j := range k {
				main = append(main, behavior.Remove(fmt.Sprintf("/data/crash-%d", j)))
			}
			main = append(main, behavior.Exit(1+rng.IntN(2)))
		}
		spec := behavior.Spec{Main: main, Userland: behavior.BusyBox}
		if rng.IntN(4) == 0 {
			spec.Stop = behavior.IgnoreStop()
		}
		behaviors := map[string]behavior.Spec{"app": spec}
		if rng.IntN(3) == 0 { // an init container that takes a while, and may fail
			p.Spec.InitContainers = []corev1.Container{{Name: "init", Image: "busybox:1.36"}}
			behaviors["init"] = behavior.Spec{Main: behavior.Script{behavior.Sleep(tick(5 * time.Second)), behavior.Exit(rng.IntN(2))}, Userland: behavior.BusyBox}
		}
		probed := rng.IntN(3) == 0
		if probed {
			p.Spec.Containers[0].ReadinessProbe = &corev1.Probe{PeriodSeconds: 1 + rng.Int32N(2),
				ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/ready"}}}}
		}
		created := tick(10 * time.Minute)
		if probed { // the probed file goes, by hand, at some instant (often one of the probe's)
			at(created+tick(10*time.Minute), func(c *sim.Cluster) error {
				_ = c.InContainer("default", name, "app", "rm /tmp/ready", func(ct *behavior.Container) { ct.RemoveFile("/tmp/ready") })
				return nil // the container may not be running
			})
		}
		at(created, func(c *sim.Cluster) error { return c.CreatePod(p, behaviors) })
		switch rng.IntN(4) {
		case 0:
			grace := 1 + rng.Int64N(5)
			at(created+tick(15*time.Minute), func(c *sim.Cluster) error {
				if c.Pod("default", name) == nil {
					return nil
				}
				return c.DeletePod("default", name, sim.DeleteOptions{GracePeriodSeconds: &grace})
			})
		case 1:
			if p.Spec.ActiveDeadlineSeconds != nil {
				shorter := p.DeepCopy()
				*shorter.Spec.ActiveDeadlineSeconds = 1 + rng.Int64N(*p.Spec.ActiveDeadlineSeconds)
				at(created+tick(3*time.Minute), func(c *sim.Cluster) error {
					if cur := c.Pod("default", name); cur == nil || cur.Status.Phase == corev1.PodFailed || cur.Status.Phase == corev1.PodSucceeded {
						return nil
					}
					return c.ApplyPod(shorter, nil)
				})
			}
		}
	}
	for i := range 4 { // one after the other, so that no two overlap
		node := nodes[rng.IntN(len(nodes))]
		from := time.Duration(i)*6*time.Minute + tick(3*time.Minute)
		to := from + 10*time.Millisecond + tick(2*time.Minute)
		switch rng.IntN(3) {
		case 0:
			at(from, func(c *sim.Cluster) error { return c.StopKubelet(node) })
			at(to, func(c *sim.Cluster) error { return c.StartKubelet(node) })
		case 1:
			at(from, func(c *sim.Cluster) error { return c.PowerOffNode(node) })
			at(to, func(c *sim.Cluster) error { return c.PowerOnNode(node) })
		default:
			at(from, func(c *sim.Cluster) error { return c.CutNodeNetwork(node) })
			at(to, func(c *sim.Cluster) error { return c.RestoreNodeNetwork(node) })
		}
	}
	return c
}

// Random clusters whose changes fall at the instants of the loops' ticks
// run the same with elision and without.
func TestElisionOfNodeLoopsMatchesTickingUnderChurn(t *testing.T) {
	timings := []sim.Timing{{}, {RelistPhase: 10 * time.Millisecond, SyncTickPhase: 10 * time.Millisecond, HousekeepingPhase: 10 * time.Millisecond}}
	// Seed 174 has a parked probe woken at one of its ticks by a kill that
	// the relist of that instant started: ticking, the tick's run came
	// after the kill.
	for _, seed := range []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 174} {
		for i, timing := range timings {
			t.Run(fmt.Sprintf("seed %d timing %d", seed, i), func(t *testing.T) {
				var out [2]bytes.Buffer
				for j, noElision := range []bool{false, true} {
					c := churnCluster(t, seed, timing, noElision)
					require.NoError(t, c.RunUntil(30*time.Minute))
					require.NoError(t, trace.WriteJSONL(&out[j], c.Trace(), c.Profile().Lifecycle))
				}
				if out[1].String() != out[0].String() {
					if dir := os.Getenv("PODSIM_ELISION_DUMP"); dir != "" {
						_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("churn-%d-%d-elided.txt", seed, i)), out[0].Bytes(), 0o644)
						_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("churn-%d-%d-ticked.txt", seed, i)), out[1].Bytes(), 0o644)
					}
					t.Fatalf("the run with elision differs from the one ticking every period (set PODSIM_ELISION_DUMP=dir to keep both)")
				}
			})
		}
	}
}

// A kubelet stopped (or its node powered off) while a pod's sync is under
// way or just done, for long enough that the pod's next sync falls due
// meanwhile: the relist does not move the PLEG cache's timestamp while the
// kubelet is down, so the first sync after the restart waits for its first
// relist, with elision as without. One node per tenth of a second of the
// time of the stop, so that some stop falls between a relist and the end
// of the sync it started.
func TestElisionOfNodeLoopsMatchesTickingAcrossHalts(t *testing.T) {
	var out [2]bytes.Buffer
	for i, noElision := range []bool{false, true} {
		c, err := sim.New(sim.Config{Seed: 4, CheckInvariants: true, NoElision: noElision})
		require.NoError(t, err)
		for n := range 20 {
			node := fmt.Sprintf("node-%02d", n)
			require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: node}}, sim.NodeOptions{Images: []string{"busybox:1.36"}}))
			p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "crash-" + node}, Spec: corev1.PodSpec{NodeName: node,
				Containers: []corev1.Container{{Name: "app", Image: "busybox:1.36"}}}}
			require.NoError(t, c.CreatePod(p, map[string]behavior.Spec{"app": {
				Main: behavior.Script{behavior.Sleep(5 * time.Second), behavior.Exit(1)}, Userland: behavior.BusyBox}}))
			stop, start := c.StopKubelet, c.StartKubelet
			if n >= 10 {
				stop, start = c.PowerOffNode, c.PowerOnNode
			}
			down := 6*time.Second + time.Duration(n%10)*100*time.Millisecond
			require.NoError(t, c.At(down, func(*sim.Cluster) error { return stop(node) }))
			require.NoError(t, c.At(down+100*time.Second, func(*sim.Cluster) error { return start(node) }))
			// A second halt just after a sync that an update started, on
			// an idle node, and the container exits while it is down.
			q := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "idle-" + node}, Spec: corev1.PodSpec{NodeName: node,
				Containers: []corev1.Container{{Name: "app", Image: "busybox:1.36"}}}}
			require.NoError(t, c.CreatePod(q, map[string]behavior.Spec{"app": {
				Main: behavior.Script{behavior.Sleep(250 * time.Second), behavior.Exit(1)}, Userland: behavior.BusyBox}}))
			update := 170*time.Second + time.Duration(n%10)*100*time.Millisecond
			require.NoError(t, c.At(update, func(c *sim.Cluster) error {
				labelled := q.DeepCopy()
				labelled.Labels = map[string]string{"touched": "yes"}
				return c.ApplyPod(labelled, nil)
			}))
			require.NoError(t, c.At(update+150*time.Millisecond, func(*sim.Cluster) error { return stop(node) }))
			// Back before the first relist after it, at 320.1 s: the sync
			// tick at 320.3 s takes the resync that fell due meanwhile.
			require.NoError(t, c.At(320100*time.Millisecond, func(*sim.Cluster) error { return start(node) }))
		}
		require.NoError(t, c.RunUntil(8*time.Minute))
		require.NoError(t, trace.WriteJSONL(&out[i], c.Trace(), c.Profile().Lifecycle))
	}
	require.Equal(t, out[1].String(), out[0].String(), "elided (got) against ticked (want)")
}
