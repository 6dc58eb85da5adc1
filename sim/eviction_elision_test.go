package sim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

// evictions are the Evicted events of a run.
func evictions(c *sim.Cluster) []trace.Record {
	var out []trace.Record
	for _, r := range c.Trace().Events() {
		if r.Event.Reason == "Evicted" {
			out = append(out, r)
		}
	}
	return out
}

// The memory-pressure workload of BenchmarkNodeUnderMemoryPressure100Pods1h,
// smaller: pods whose memory swings every two minutes, evictions, the
// MemoryPressure condition coming and going, system OOMs.
func TestEvictionElisionMatchesTickingUnderMemoryPressure(t *testing.T) {
	build := func(t *testing.T, noElision bool) *sim.Cluster {
		c, err := sim.New(sim.Config{Version: "1.33", Seed: 1, CheckInvariants: true, NoElision: noElision})
		require.NoError(t, err)
		require.NoError(t, c.AddNode(evictionNode("2340Mi", "100Gi"), sim.NodeOptions{Images: []string{"busybox:1.36"}}))
		require.NoError(t, addPressureWorkloads(c, 8, 7, 7))
		return c
	}
	runs := bothWays(t, "memory-pressure", 30*time.Minute, build, nil)
	require.NotEmpty(t, evictions(runs.elided), "pods were evicted")
	t.Logf("events: %d elided, %d ticked", runs.fired[0], runs.fired[1])
}

// evictionNode is a node with the given memory and disk.
func evictionNode(memory, disk string) *corev1.Node {
	return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}, Status: corev1.NodeStatus{Capacity: corev1.ResourceList{
		corev1.ResourceCPU: resource.MustParse("4"), corev1.ResourceMemory: resource.MustParse(memory),
		corev1.ResourceEphemeralStorage: resource.MustParse(disk), corev1.ResourcePods: resource.MustParse("110"),
	}}}
}

// growing is a script that sets its use to first, then step more every
// period, n times, then sleeps: memory or disk that grows slowly.
func growing(use func(int64) behavior.Stmt, first, step int64, period time.Duration, n int) behavior.Script {
	s := behavior.Script{use(first)}
	for i := 1; i <= n; i++ {
		s = append(s, behavior.Sleep(period), use(first+int64(i)*step))
	}
	return append(s, behavior.Sleep(10*time.Hour))
}

// The eviction loop parks while its node has room and is woken by what
// moves the stats, at odd times and at the instants of its own ticks;
// with elision, each case evicts at the same pass as ticking every 10 s.
func TestEvictionElisionMatchesTicking(t *testing.T) {
	quiet := behavior.Spec{Main: behavior.Script{behavior.Touch("/tmp/ok"), behavior.Sleep(10 * time.Hour)}, Userland: behavior.BusyBox}
	pod := func(name string, c corev1.Container, vols ...corev1.Volume) *corev1.Pod {
		c.Name, c.Image = "app", "busybox:1.36"
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.PodSpec{Containers: []corev1.Container{c}, Volumes: vols}}
	}
	disk := func(path string) func(int64) behavior.Stmt {
		return func(n int64) behavior.Stmt { return behavior.UseDisk(path, n) }
	}
	cacheVol := corev1.Volume{Name: "cache", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{SizeLimit: ptr.To(resource.MustParse("1Mi"))}}}
	cacheMount := []corev1.VolumeMount{{Name: "cache", MountPath: "/cache"}}
	for _, tc := range []struct {
		name         string
		memory, disk string
		phase, until time.Duration
		pods         func(c *sim.Cluster)
		message      string        // of the first Evicted event; none if ""
		evictedAt    time.Duration // if set, when the first Evicted event must come
	}{{
		// memory that grows 60Mi every 37 s until memory.available falls
		// under 100Mi, some eight minutes in; the condition, the taint and
		// its end five minutes later.
		name: "memory grows slowly", memory: "1Gi", disk: "100Gi", phase: 3 * time.Second, until: 25 * time.Minute,
		pods: func(c *sim.Cluster) {
			require.NoError(t, c.CreatePod(pod("grower", corev1.Container{}), map[string]behavior.Spec{"app": {
				Main: growing(behavior.UseMemory, 100*mi, 60*mi, 37*time.Second, 20)}}))
			require.NoError(t, c.CreatePod(pod("steady", corev1.Container{Resources: memoryRes("64Mi", "64Mi")}), map[string]behavior.Spec{"app": quiet}))
		},
		message: "The node was low on resource: memory",
	}, {
		// memory that jumps past the threshold at 3m31s while the kubelet
		// is stopped (2m to 5m02s): its halted ticks do nothing, the first
		// pass after it starts again evicts.
		name: "memory jumps while the kubelet is stopped", memory: "1Gi", disk: "100Gi", phase: 5 * time.Second, until: 15 * time.Minute,
		pods: func(c *sim.Cluster) {
			require.NoError(t, c.CreatePod(pod("jumper", corev1.Container{}), map[string]behavior.Spec{"app": {
				Main: behavior.Script{behavior.UseMemory(100 * mi), behavior.Sleep(3*time.Minute + 30*time.Second), behavior.UseMemory(1000 * mi), behavior.Sleep(time.Hour)}}}))
			require.NoError(t, c.At(2*time.Minute, func(c *sim.Cluster) error { return c.StopKubelet("node-1") }))
			require.NoError(t, c.At(5*time.Minute+2*time.Second, func(c *sim.Cluster) error { return c.StartKubelet("node-1") }))
		},
		message: "The node was low on resource: memory",
	}, {
		// a writable layer that grows 900Mi every 53 s on a 20Gi disk, until
		// nodefs.available falls under 10 %: dead containers and unused
		// images reclaimed first, then the pod evicted.
		name: "disk grows slowly", memory: "8Gi", disk: "20Gi", until: 30 * time.Minute,
		pods: func(c *sim.Cluster) {
			require.NoError(t, c.CreatePod(pod("filler", corev1.Container{}), map[string]behavior.Spec{"app": {
				Main: growing(disk("/var/blob"), 0, 900*mi, 53*time.Second, 30)}}))
			require.NoError(t, c.CreatePod(pod("steady", corev1.Container{}), map[string]behavior.Spec{"app": quiet}))
		},
		message: "The node was low on resource: ephemeral-storage",
	}, {
		// a pod over its ephemeral-storage limit, some seven minutes in.
		name: "ephemeral-storage limit", memory: "8Gi", disk: "100Gi", phase: 7 * time.Second, until: 15 * time.Minute,
		pods: func(c *sim.Cluster) {
			res := corev1.ResourceRequirements{Limits: corev1.ResourceList{corev1.ResourceEphemeralStorage: resource.MustParse("100Mi")}}
			require.NoError(t, c.CreatePod(pod("writer", corev1.Container{Resources: res}), map[string]behavior.Spec{"app": {
				Main: growing(disk("/var/log/app.log"), 0, 30*mi, 131*time.Second, 5)}}))
			require.NoError(t, c.CreatePod(pod("steady", corev1.Container{}), map[string]behavior.Spec{"app": quiet}))
		},
		message: "Pod ephemeral local storage usage exceeds the total limit of containers 100Mi.",
	}, {
		// an emptyDir filled past its sizeLimit by a user's action at the
		// very instant of a tick (5m00s, phase 0): the action comes after
		// the tick, which saw nothing, so the pod goes at the next one.
		name: "emptyDir limit at a tick", memory: "8Gi", disk: "100Gi", until: 10 * time.Minute,
		pods: func(c *sim.Cluster) {
			require.NoError(t, c.CreatePod(pod("cache", corev1.Container{VolumeMounts: cacheMount}, cacheVol), map[string]behavior.Spec{"app": quiet}))
			require.NoError(t, c.At(5*time.Minute, func(c *sim.Cluster) error {
				return c.InContainer("", "cache", "app", "filled the cache", func(ct *behavior.Container) {
					ct.SetFile("/cache/blob", string(make([]byte, 2<<20)))
				})
			}))
		},
		message:   `Usage of EmptyDir volume "cache" exceeds the limit "1Mi".`,
		evictedAt: 5*time.Minute + 10*time.Second,
	}, {
		// the same limit passed by the pod's own process at an instant of a
		// tick (the phase puts one at its write, 5m01.19s): its step comes
		// first (runtime events before the loops'), so that tick sees it.
		name: "emptyDir limit by a process at a tick", memory: "8Gi", disk: "100Gi", phase: 1190 * time.Millisecond, until: 10 * time.Minute,
		pods: func(c *sim.Cluster) {
			require.NoError(t, c.CreatePod(pod("cache", corev1.Container{VolumeMounts: cacheMount}, cacheVol), map[string]behavior.Spec{"app": {
				Main: behavior.Script{behavior.Sleep(5 * time.Minute), behavior.UseDisk("/cache/blob", 2<<20), behavior.Sleep(time.Hour)}}}))
		},
		message:   `Usage of EmptyDir volume "cache" exceeds the limit "1Mi".`,
		evictedAt: 5*time.Minute + 1190*time.Millisecond,
	}, {
		// a 16Gi node whose pods use 10Gi, its Node object deleted: the
		// kubelet keeps the capacity it registered (the machine's, not the
		// API's), so nothing is evicted, ticking or not.
		name: "node object deleted", memory: "16Gi", disk: "100Gi", until: 10 * time.Minute,
		pods: func(c *sim.Cluster) {
			require.NoError(t, c.CreatePod(pod("big", corev1.Container{}), map[string]behavior.Spec{"app": {
				Main: behavior.Script{behavior.UseMemory(10 << 30), behavior.Sleep(time.Hour)}}}))
			require.NoError(t, c.At(3*time.Minute+3*time.Second, func(c *sim.Cluster) error { return c.DeleteNode("node-1") }))
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			build := func(t *testing.T, noElision bool) *sim.Cluster {
				cfg := sim.Config{Version: "1.33", Seed: 7, CheckInvariants: true, NoElision: noElision}
				cfg.Env.Kubelet.EvictionPhase = tc.phase
				c, err := sim.New(cfg)
				require.NoError(t, err)
				require.NoError(t, c.AddNode(evictionNode(tc.memory, tc.disk), sim.NodeOptions{Images: []string{"busybox:1.36"}}))
				tc.pods(c)
				return c
			}
			runs := bothWays(t, tc.name, tc.until, build, nil)
			elided, ticked, c := runs.fired[0], runs.fired[1], runs.elided
			evicted := evictions(c)
			if tc.message == "" {
				require.Empty(t, evicted, "no pod was evicted")
				return
			}
			require.NotEmpty(t, evicted, "a pod was evicted")
			require.True(t, strings.Contains(evicted[0].Event.Message, tc.message), "evicted for its trouble: %s", evicted[0].Event.Message)
			if tc.evictedAt != 0 {
				require.Equal(t, tc.evictedAt, evicted[0].T, "evicted at the tick after the change")
			}
			require.Less(t, elided, ticked, "elision fired fewer events")
			t.Logf("events: %d elided, %d ticked", elided, ticked)
		})
	}
}
