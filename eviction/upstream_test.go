package eviction

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

// TestOrderedByQoS of the older helpers_test.go (before pod priority, when
// the kubelet ranked by QoS class first): BestEffort < Burstable <
// Guaranteed. The comparator is gone; the memory rank of today gives the
// same order for the test's pods when each uses 150Mi — the BestEffort pod
// exceeds its request of 0 by the most, the Burstable one exceeds its
// 100Mi, the Guaranteed one stays within its 200Mi.
func TestOrderedByQoSOutcome(t *testing.T) {
	bestEffort := newPod("best-effort", defaultPriority, []corev1.Container{newContainer("best-effort", newResourceList("", "", ""), newResourceList("", "", ""))}, nil)
	burstable := newPod("burstable", defaultPriority, []corev1.Container{newContainer("burstable", newResourceList("100m", "100Mi", ""), newResourceList("200m", "200Mi", ""))}, nil)
	guaranteed := newPod("guaranteed", defaultPriority, []corev1.Container{newContainer("guaranteed", newResourceList("200m", "200Mi", ""), newResourceList("200m", "200Mi", ""))}, nil)
	stats := map[*corev1.Pod]PodStats{}
	for _, p := range []*corev1.Pod{bestEffort, burstable, guaranteed} {
		stats[p] = newPodMemoryStats(p, mustParse("150Mi"))
	}
	for name, order := range map[string][]*corev1.Pod{
		"given best last":  {guaranteed, burstable, bestEffort},
		"given best first": {bestEffort, burstable, guaranteed},
		"given mixed":      {burstable, guaranteed, bestEffort},
	} {
		pods := append([]*corev1.Pod(nil), order...)
		rankMemoryPressure(pods, statsOf(stats))
		if diff := cmp.Diff([]string{"best-effort", "burstable", "guaranteed"}, names(pods)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
}

// TestMakeSignalObservations of helpers_test.go, with its figures:
// memory.available is what the node has free (its capacity less its
// working set), allocatableMemory.available the pods cgroup's, the
// filesystems' available bytes and free inodes as reported, and
// pid.available pid_max less the running processes.
func TestObserveSignals(t *testing.T) {
	const gi = int64(1) << 30
	s := Summary{Node: NodeStats{
		MemoryCapacity: 2 * gi, MemoryWorkingSet: gi,
		PodsMemoryLimit: 2 * gi, PodsMemoryWorkingSet: gi,
		ImageFs: FsStats{AvailableBytes: 1024 * 1024, CapacityBytes: 2 * 1024 * 1024, InodesFree: 1024, Inodes: 1024 * 1024},
		NodeFs:  FsStats{AvailableBytes: 1024, CapacityBytes: 2 * 1024, InodesFree: 1024, Inodes: 1024 * 1024},
		MaxPID:  255816, Processes: 1000,
	}}
	obs := Observe(s)
	for _, c := range []struct {
		signal              Signal
		available, capacity int64
	}{
		{SignalMemoryAvailable, gi, 2 * gi},
		{SignalAllocatableMemoryAvailable, gi, 2 * gi},
		{SignalNodeFsAvailable, 1024, 2 * 1024},
		{SignalNodeFsInodesFree, 1024, 1024 * 1024},
		{SignalImageFsAvailable, 1024 * 1024, 2 * 1024 * 1024},
		{SignalImageFsInodesFree, 1024, 1024 * 1024},
		{SignalPIDAvailable, 255816 - 1000, 255816},
	} {
		ob, ok := obs[c.signal]
		require.True(t, ok, "no observation of %s", c.signal)
		require.Equal(t, c.available, ob.available.Value(), "%s available", c.signal)
		require.Equal(t, c.capacity, ob.capacity.Value(), "%s capacity", c.signal)
	}
	// No inode count, no inode signal; no pid_max, no pid signal.
	s.Node.NodeFs.Inodes, s.Node.MaxPID = 0, 0
	obs = Observe(s)
	_, ok := obs[SignalNodeFsInodesFree]
	require.False(t, ok)
	_, ok = obs[SignalPIDAvailable]
	require.False(t, ok)
}

// helpers.go evictionMessage, version by version: the starved resource,
// the threshold sentence (where the version has it), one sentence per
// container over its request (init containers too since 1.31), and the
// annotations of the Evicted event.
func TestEvictionMessages(t *testing.T) {
	app := newContainer("app", newResourceList("", "100Mi", "100Mi"), nil)
	small := newContainer("small", newResourceList("", "1Gi", "1Gi"), nil)
	initC := newContainer("setup", newResourceList("", "10Mi", ""), nil)
	pod := newPod("p", defaultPriority, []corev1.Container{app, small}, nil)
	pod.Spec.InitContainers = []corev1.Container{initC}
	ps := PodStats{UID: pod.UID, Containers: []ContainerStats{
		{Name: "app", MemoryWorkingSet: 300 << 20, RootfsBytes: 150 << 20, LogsBytes: 50 << 20},
		{Name: "small", MemoryWorkingSet: 200 << 20, RootfsBytes: 10 << 20},
		{Name: "setup", MemoryWorkingSet: 20 << 20},
	}}
	stats := statsOf(map[*corev1.Pod]PodStats{pod: ps})
	memT := Threshold{Signal: SignalMemoryAvailable, Value: ThresholdValue{Quantity: quantityMustParse("100Mi")}}
	diskT := Threshold{Signal: SignalNodeFsAvailable, Value: ThresholdValue{Percentage: 0.1}}
	obs := Observations{
		SignalMemoryAvailable: observation{available: quantityMustParse("90Mi"), capacity: quantityMustParse("8Gi")},
		SignalNodeFsAvailable: observation{available: quantityMustParse("5Gi"), capacity: quantityMustParse("100Gi")},
	}
	cases := []struct {
		name    string
		minor   int
		res     corev1.ResourceName
		ts      []Threshold
		stats   statsFunc
		want    string
		wantAnn map[string]string
	}{
		{"1.25 memory", 25, corev1.ResourceMemory, []Threshold{memT}, stats,
			"The node was low on resource: memory. Container app was using 300Mi, which exceeds its request of 100Mi. ",
			map[string]string{OffendingContainersKey: "app", OffendingContainersUsageKey: "300Mi", StarvedResourceKey: "memory"}},
		{"1.26 memory: the new container sentence", 26, corev1.ResourceMemory, []Threshold{memT}, stats,
			"The node was low on resource: memory. Container app was using 300Mi, request is 100Mi, has larger consumption of memory. ",
			map[string]string{OffendingContainersKey: "app", OffendingContainersUsageKey: "300Mi", StarvedResourceKey: "memory"}},
		{"1.30 memory: the threshold sentence", 30, corev1.ResourceMemory, []Threshold{memT}, stats,
			"The node was low on resource: memory. Threshold quantity: 100Mi, available: 90Mi. Container app was using 300Mi, request is 100Mi, has larger consumption of memory. ",
			map[string]string{OffendingContainersKey: "app", OffendingContainersUsageKey: "300Mi", StarvedResourceKey: "memory"}},
		{"1.33 memory: init containers too", 33, corev1.ResourceMemory, []Threshold{memT}, stats,
			"The node was low on resource: memory. Threshold quantity: 100Mi, available: 90Mi. Container app was using 300Mi, request is 100Mi, has larger consumption of memory. Container setup was using 20Mi, request is 10Mi, has larger consumption of memory. ",
			map[string]string{OffendingContainersKey: "app,setup", OffendingContainersUsageKey: "300Mi,20Mi", StarvedResourceKey: "memory"}},
		// A share of the capacity is a float32 (10% is 0.10000000149), so the
		// quantity is a few bytes over 10Gi, printed in bytes, as real
		// messages show it.
		{"1.33 ephemeral-storage: writable layer and logs", 33, corev1.ResourceEphemeralStorage, []Threshold{diskT}, stats,
			"The node was low on resource: ephemeral-storage. Threshold quantity: 10737418400, available: 5Gi. Container app was using 200Mi, request is 100Mi, has larger consumption of ephemeral-storage. ",
			map[string]string{OffendingContainersKey: "app", OffendingContainersUsageKey: "200Mi", StarvedResourceKey: "ephemeral-storage"}},
		{"no stats: the node sentences alone", 33, corev1.ResourceMemory, []Threshold{memT}, statsOf(nil),
			"The node was low on resource: memory. Threshold quantity: 100Mi, available: 90Mi. ", map[string]string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msg, ann := evictionMessage(RulesFor(c.minor), c.res, pod, c.stats, c.ts, obs)
			require.Equal(t, c.want, msg)
			require.Equal(t, c.wantAnn, ann)
		})
	}
}
