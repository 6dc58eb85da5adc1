package eviction

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"
)

// fakeHost is the kubelet side of a pass: stats set by the test, the
// reclaims and evictions recorded.
type fakeHost struct {
	pods     []*corev1.Pod
	summary  Summary
	reclaim  func(Reclaim) // changes summary
	reclaims []Reclaim
	events   []string
	evicted  []Eviction
}

func (h *fakeHost) Stats() Summary            { return h.summary }
func (h *fakeHost) ActivePods() []*corev1.Pod { return h.pods }
func (h *fakeHost) Reclaim(r Reclaim) {
	h.reclaims = append(h.reclaims, r)
	if h.reclaim != nil {
		h.reclaim(r)
	}
}
func (h *fakeHost) NodeEvent(t, reason, msg string) {
	h.events = append(h.events, t+" "+reason+" "+msg)
}
func (h *fakeHost) Evict(e Eviction) bool {
	h.evicted = append(h.evicted, e)
	return true
}

const mi = 1 << 20

// memoryNode is a 1Gi node whose pods use the given working sets.
func memoryNode(now time.Duration, pods map[*corev1.Pod]int64, order []*corev1.Pod) Summary {
	s := Summary{Time: now, Node: NodeStats{MemoryCapacity: 1024 * mi, PodsMemoryLimit: 1024 * mi,
		NodeFs: FsStats{CapacityBytes: 100 << 30, AvailableBytes: 90 << 30}, ImageFs: FsStats{CapacityBytes: 100 << 30, AvailableBytes: 90 << 30}}}
	for _, p := range order {
		ws := pods[p]
		s.Node.MemoryWorkingSet += ws
		s.Node.PodsMemoryWorkingSet += ws
		s.Pods = append(s.Pods, PodStats{UID: p.UID, MemoryWorkingSet: ws, Containers: []ContainerStats{{Name: p.Spec.Containers[0].Name, MemoryWorkingSet: ws}}})
	}
	return s
}

func defaultThresholds(t *testing.T, soft map[string]string, grace map[string]string) []Threshold {
	ts, err := ParseThresholdConfig(ThresholdConfig{Hard: DefaultEvictionHard, Soft: soft, SoftGracePeriod: grace, EnforcePodsAllocatable: true})
	require.NoError(t, err)
	return ts
}

func qosPods() (be, bu, gu *corev1.Pod) {
	be = newPod("best-effort", defaultPriority, []corev1.Container{newContainer("hog", nil, nil)}, nil)
	bu = newPod("burstable", defaultPriority, []corev1.Container{newContainer("app", newResourceList("", "200Mi", ""), newResourceList("", "600Mi", ""))}, nil)
	gu = newPod("guaranteed", defaultPriority, []corev1.Container{newContainer("db", newResourceList("500m", "300Mi", ""), newResourceList("500m", "300Mi", ""))}, nil)
	return
}

// A hard memory threshold: the node reports MemoryPressure at the first
// pass that sees it, evicts the BestEffort pod with the kubelet's message,
// keeps the condition for the transition period after recovery, and
// refuses BestEffort pods meanwhile.
func TestMemoryPressure(t *testing.T) {
	be, bu, gu := qosPods()
	order := []*corev1.Pod{be, bu, gu}
	for _, c := range []struct {
		minor     int
		grace     int64
		message   string
		condition bool
	}{
		{33, 1, "The node was low on resource: memory. Threshold quantity: 100Mi, available: 84Mi. Container hog was using 440Mi, request is 0, has larger consumption of memory. ", true},
		{25, 0, "The node was low on resource: memory. Container hog was using 440Mi, which exceeds its request of 0. ", false},
	} {
		m := NewManager(Config{Thresholds: defaultThresholds(t, nil, nil), LocalStorageCapacityIsolation: true, Rules: RulesFor(c.minor)})
		h := &fakeHost{pods: order}
		use := map[*corev1.Pod]int64{be: 300 * mi, bu: 250 * mi, gu: 250 * mi}
		h.summary = memoryNode(0, use, order)
		require.Empty(t, m.Synchronize(0, h))
		require.Empty(t, m.NodeConditions())

		use[be] = 440 * mi // 940Mi used, 84Mi available
		h.summary = memoryNode(10*time.Second, use, order)
		evicted := m.Synchronize(10*time.Second, h)
		require.Equal(t, []*corev1.Pod{be}, evicted)
		require.Equal(t, []corev1.NodeConditionType{corev1.NodeMemoryPressure}, m.NodeConditions())
		require.True(t, m.IsUnderPressure(corev1.NodeMemoryPressure))
		require.Equal(t, []string{"Warning EvictionThresholdMet Attempting to reclaim memory"}, h.events)
		require.Len(t, h.evicted, 1)
		e := h.evicted[0]
		require.Equal(t, c.message, e.Message, "1.%d", c.minor)
		require.Equal(t, c.grace, e.GracePeriodSeconds)
		require.Equal(t, map[string]string{OffendingContainersKey: "hog", OffendingContainersUsageKey: "440Mi", StarvedResourceKey: "memory"}, e.Annotations)
		if c.condition {
			require.Equal(t, &corev1.PodCondition{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue, Reason: "TerminationByKubelet", Message: c.message}, e.Condition)
		} else {
			require.Nil(t, e.Condition)
		}
		require.Empty(t, h.reclaims, "memory has no node-level reclaim")

		ok, reason, msg := m.Admit(newPod("late", 0, []corev1.Container{newContainer("c", nil, nil)}, nil))
		require.False(t, ok)
		require.Equal(t, "Evicted", reason)
		require.Equal(t, "The node had condition: [MemoryPressure]. ", msg)

		// The BestEffort pod is gone: the node recovers at once, but the
		// condition stays for 5 minutes after the last pass that met it.
		h.pods = []*corev1.Pod{bu, gu}
		delete(use, be)
		h.summary = memoryNode(20*time.Second, use, h.pods)
		require.Empty(t, m.Synchronize(20*time.Second, h))
		require.True(t, m.IsUnderPressure(corev1.NodeMemoryPressure))
		last := 10*time.Second + DefaultPressureTransitionPeriod
		h.summary.Time = last - time.Second
		m.Synchronize(last-time.Second, h)
		require.True(t, m.IsUnderPressure(corev1.NodeMemoryPressure))
		h.summary.Time = last
		m.Synchronize(last, h)
		require.False(t, m.IsUnderPressure(corev1.NodeMemoryPressure))
		ok, _, _ = m.Admit(newPod("later", 0, []corev1.Container{newContainer("c", nil, nil)}, nil))
		require.True(t, ok)
	}
}

// The next passes evict Burstable over its request, then Guaranteed.
func TestMemoryPressureOrder(t *testing.T) {
	be, bu, gu := qosPods()
	m := NewManager(Config{Thresholds: defaultThresholds(t, nil, nil), Rules: RulesFor(33)})
	h := &fakeHost{}
	use := map[*corev1.Pod]int64{be: 380 * mi, bu: 350 * mi, gu: 280 * mi}
	var got []string
	for i, pods := range [][]*corev1.Pod{{be, bu, gu}, {bu, gu}, {gu}} {
		now := time.Duration(i+1) * 10 * time.Second
		h.pods = pods
		h.summary = memoryNode(now, use, pods)
		h.summary.Node.MemoryWorkingSet = 1000 * mi // others use the rest: still under pressure
		h.summary.Node.PodsMemoryWorkingSet = 1000 * mi
		for _, p := range m.Synchronize(now, h) {
			got = append(got, p.Name)
		}
	}
	require.Equal(t, []string{"best-effort", "burstable", "guaranteed"}, got)
	require.Equal(t, "The node was low on resource: memory. Threshold quantity: 100Mi, available: 24Mi. Container app was using 350Mi, request is 200Mi, has larger consumption of memory. ", h.evicted[1].Message)
	require.Equal(t, "The node was low on resource: memory. Threshold quantity: 100Mi, available: 24Mi. ", h.evicted[2].Message, "within its request, a Guaranteed container is not named")
}

// A soft threshold drives eviction only after its grace period, with
// eviction-max-pod-grace-period (capped by the pod's own since 1.31).
func TestSoftThreshold(t *testing.T) {
	be, _, _ := qosPods()
	be.Spec.TerminationGracePeriodSeconds = ptr.To[int64](10)
	ts := defaultThresholds(t, map[string]string{"memory.available": "300Mi"}, map[string]string{"memory.available": "1m"})
	for minor, want := range map[int]int64{33: 10, 25: 60} {
		m := NewManager(Config{Thresholds: ts, MaxPodGracePeriodSeconds: 60, Rules: RulesFor(minor)})
		h := &fakeHost{pods: []*corev1.Pod{be}}
		use := map[*corev1.Pod]int64{be: 800 * mi} // 224Mi available: soft met, hard not
		for _, now := range []time.Duration{0, 30 * time.Second, 50 * time.Second} {
			h.summary = memoryNode(now, use, h.pods)
			require.Empty(t, m.Synchronize(now, h), "at %v the grace period has not passed", now)
			require.True(t, m.IsUnderPressure(corev1.NodeMemoryPressure), "the condition ignores grace periods")
		}
		h.summary = memoryNode(time.Minute, use, h.pods)
		require.Len(t, m.Synchronize(time.Minute, h), 1)
		require.Equal(t, want, h.evicted[0].GracePeriodSeconds, "1.%d", minor)
	}
}

// A threshold met stays met until the signal is back above value plus
// minimum reclaim.
func TestMinimumReclaim(t *testing.T) {
	be, bu, _ := qosPods()
	ts, err := ParseThresholdConfig(ThresholdConfig{Hard: map[string]string{"memory.available": "100Mi"}, MinimumReclaim: map[string]string{"memory.available": "200Mi"}})
	require.NoError(t, err)
	m := NewManager(Config{Thresholds: ts, Rules: RulesFor(33)})
	h := &fakeHost{pods: []*corev1.Pod{be, bu}}
	use := map[*corev1.Pod]int64{be: 500 * mi, bu: 450 * mi} // 74Mi available
	h.summary = memoryNode(0, use, h.pods)
	require.Equal(t, []*corev1.Pod{be}, m.Synchronize(0, h))
	use[be] = 300 * mi // 274Mi available: above 100Mi, below 100Mi + 200Mi
	h.summary = memoryNode(10*time.Second, use, h.pods)
	require.Len(t, m.Synchronize(10*time.Second, h), 1, "not yet reclaimed enough")
	use[be], use[bu] = 300*mi, 400*mi // 324Mi available
	h.summary = memoryNode(20*time.Second, use, h.pods)
	require.Empty(t, m.Synchronize(20*time.Second, h))
}

// Disk pressure first removes dead containers and unused images; when
// that frees enough, no pod is evicted.
func TestDiskPressureReclaimsFirst(t *testing.T) {
	be, _, _ := qosPods()
	disk := func(now time.Duration, free int64) Summary {
		s := memoryNode(now, map[*corev1.Pod]int64{be: 10 * mi}, []*corev1.Pod{be})
		fs := FsStats{CapacityBytes: 20 << 30, AvailableBytes: free}
		s.Node.NodeFs, s.Node.ImageFs = fs, fs
		return s
	}
	for _, c := range []struct {
		afterReclaim int64
		wantEvicted  int
	}{{10 << 30, 0}, {2 << 30, 1}} {
		m := NewManager(Config{Thresholds: defaultThresholds(t, nil, nil), Rules: RulesFor(33)})
		h := &fakeHost{pods: []*corev1.Pod{be}}
		h.summary = disk(0, 1<<30) // 1Gi of 20Gi free: imagefs.available<15% and nodefs.available<10%
		h.reclaim = func(r Reclaim) {
			if r == DeleteUnusedImages {
				h.summary = disk(0, c.afterReclaim)
			}
		}
		require.Len(t, m.Synchronize(0, h), c.wantEvicted)
		require.Equal(t, []Reclaim{DeleteAllUnusedContainers, DeleteUnusedImages}, h.reclaims)
		require.Equal(t, []string{"Warning EvictionThresholdMet Attempting to reclaim ephemeral-storage"}, h.events)
		require.Equal(t, []corev1.NodeConditionType{corev1.NodeDiskPressure}, m.NodeConditions())
		ok, _, msg := m.Admit(newPod("guaranteed-too", 0, []corev1.Container{newContainer("c", newResourceList("1", "1Gi", ""), newResourceList("1", "1Gi", ""))}, nil))
		require.False(t, ok, "disk pressure refuses every pod")
		require.Equal(t, "The node had condition: [DiskPressure]. ", msg)
	}
}

// Local storage limits evict every pod over its limit in one pass, at the
// immediate grace period and with no DisruptionTarget condition.
func TestLocalStorageEviction(t *testing.T) {
	limit := quantityMustParse("40Gi")
	work := newPod("work", 0, []corev1.Container{newContainer("c", nil, nil)},
		[]corev1.Volume{newVolume("myworkdir", corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{SizeLimit: limit}})})
	capped := newPod("capped", 0, []corev1.Container{
		newContainer("a", nil, corev1.ResourceList{corev1.ResourceEphemeralStorage: *quantityMustParse("1Gi")}),
		newContainer("b", nil, corev1.ResourceList{corev1.ResourceEphemeralStorage: *quantityMustParse("500Mi")}),
	}, nil)
	// Within the pod's total, one container over its own limit.
	layer := newPod("layer", 0, []corev1.Container{
		newContainer("c", nil, corev1.ResourceList{corev1.ResourceEphemeralStorage: *quantityMustParse("100Mi")}),
		newContainer("d", nil, corev1.ResourceList{corev1.ResourceEphemeralStorage: *quantityMustParse("1Gi")}),
	}, nil)
	quiet := newPod("quiet", 0, []corev1.Container{newContainer("c", nil, nil)}, nil)
	for minor, grace := range map[int]int64{33: 1, 25: 0} {
		m := NewManager(Config{Thresholds: defaultThresholds(t, nil, nil), LocalStorageCapacityIsolation: true, Rules: RulesFor(minor)})
		h := &fakeHost{pods: []*corev1.Pod{work, capped, layer, quiet}}
		h.summary = memoryNode(0, nil, nil)
		h.summary.Pods = []PodStats{
			{UID: work.UID, Volumes: []VolumeStats{{Name: "myworkdir", UsedBytes: 41 << 30}}, Containers: []ContainerStats{{Name: "c"}}},
			{UID: capped.UID, EphemeralStorage: 1600 * mi, Containers: []ContainerStats{{Name: "a", RootfsBytes: 900 * mi}, {Name: "b", RootfsBytes: 400 * mi}}},
			{UID: layer.UID, EphemeralStorage: 101 * mi, Containers: []ContainerStats{{Name: "c", RootfsBytes: 90 * mi, LogsBytes: 11 * mi}, {Name: "d"}}},
			{UID: quiet.UID, Containers: []ContainerStats{{Name: "c", RootfsBytes: 90 << 30}}},
		}
		require.Equal(t, []*corev1.Pod{work, capped, layer}, m.Synchronize(0, h))
		want := []string{
			`Usage of EmptyDir volume "myworkdir" exceeds the limit "40Gi". `,
			"Pod ephemeral local storage usage exceeds the total limit of containers 1524Mi. ",
			`Container c exceeded its local ephemeral storage limit "100Mi". `,
		}
		for i, e := range h.evicted {
			require.Equal(t, want[i], e.Message)
			require.Equal(t, grace, e.GracePeriodSeconds)
			require.Nil(t, e.Condition)
		}
		require.Empty(t, h.events, "no threshold is met")
	}
}

// PID pressure ranks by priority, then process count; critical pods are
// never evicted.
func TestPIDPressureAndCriticalPods(t *testing.T) {
	fork := newPod("fork-bomb", 0, []corev1.Container{newContainer("c", nil, nil)}, nil)
	quiet := newPod("quiet", 0, []corev1.Container{newContainer("c", nil, nil)}, nil)
	critical := newPod("kube-proxy", 2000001000, []corev1.Container{newContainer("c", nil, nil)}, nil)
	ts, err := ParseThresholdConfig(ThresholdConfig{Hard: map[string]string{"pid.available": "1000"}})
	require.NoError(t, err)
	m := NewManager(Config{Thresholds: ts, Rules: RulesFor(33)})
	h := &fakeHost{pods: []*corev1.Pod{critical, quiet, fork}}
	h.summary = memoryNode(0, nil, nil)
	h.summary.Node.MaxPID, h.summary.Node.Processes = 4096, 3500
	h.summary.Pods = []PodStats{{UID: fork.UID, Processes: 3000}, {UID: quiet.UID, Processes: 3}, {UID: critical.UID, Processes: 5000}}
	require.Equal(t, []*corev1.Pod{fork}, m.Synchronize(0, h), "the critical pod ranks first by use, but cannot go")
	require.Equal(t, "The node was low on resource: pids. Threshold quantity: 1k, available: 596. ", h.evicted[0].Message)
	require.Equal(t, []corev1.NodeConditionType{corev1.NodePIDPressure}, m.NodeConditions())
	ok, _, msg := m.Admit(quiet)
	require.False(t, ok)
	require.Equal(t, "The node had condition: [PIDPressure]. ", msg)
	ok, _, _ = m.Admit(critical)
	require.True(t, ok, "critical pods are admitted under any pressure")
}

// Under memory pressure alone, a BestEffort pod that tolerates the
// memory-pressure taint is admitted, as any other QoS class is.
func TestAdmitUnderMemoryPressure(t *testing.T) {
	be, bu, _ := qosPods()
	m := NewManager(Config{Thresholds: defaultThresholds(t, nil, nil), Rules: RulesFor(33)})
	h := &fakeHost{pods: []*corev1.Pod{be}}
	h.summary = memoryNode(0, map[*corev1.Pod]int64{be: 1000 * mi}, []*corev1.Pod{be})
	m.Synchronize(0, h)
	tolerant := be.DeepCopy()
	tolerant.Spec.Tolerations = []corev1.Toleration{{Key: corev1.TaintNodeMemoryPressure, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}}
	for _, c := range []struct {
		pod  *corev1.Pod
		want bool
	}{{be, false}, {tolerant, true}, {bu, true}} {
		ok, _, _ := m.Admit(c.pod)
		require.Equal(t, c.want, ok, c.pod.Name)
	}
}
