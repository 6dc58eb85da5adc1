package eviction

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

var (
	allDiskStats = []fsStatsType{fsStatsRoot, fsStatsLogs, fsStatsLocalVolumeSource}
	mustParse    = resource.MustParse
)

// Every ordering test of pkg/kubelet/eviction/helpers_test.go, with its
// pods, stats and expected order.
func TestOrderings(t *testing.T) {
	type ordering struct {
		pods  []*corev1.Pod // in the order given to the sort
		stats map[*corev1.Pod]PodStats
		sort  func(statsFunc) *multiSorter
		want  []string
	}
	tests := map[string]func() ordering{
		// TestOrderedByExceedsRequestMemory
		"exceeds request memory": func() ordering {
			below := newPod("below-requests", -1, []corev1.Container{newContainer("below-requests", newResourceList("", "200Mi", ""), newResourceList("", "", ""))}, nil)
			exceeds := newPod("exceeds-requests", 1, []corev1.Container{newContainer("exceeds-requests", newResourceList("", "100Mi", ""), newResourceList("", "", ""))}, nil)
			return ordering{
				pods: []*corev1.Pod{below, exceeds},
				stats: map[*corev1.Pod]PodStats{
					below:   newPodMemoryStats(below, mustParse("199Mi")),   // -1 relative to request
					exceeds: newPodMemoryStats(exceeds, mustParse("101Mi")), // 1 relative to request
				},
				sort: func(s statsFunc) *multiSorter { return orderedBy(exceedMemoryRequests(s)) },
				want: []string{"exceeds-requests", "below-requests"},
			}
		},
		// TestOrderedByExceedsRequestDisk
		"exceeds request disk": func() ordering {
			below := newPod("below-requests", -1, []corev1.Container{newContainer("below-requests", corev1.ResourceList{corev1.ResourceEphemeralStorage: mustParse("200Mi")}, newResourceList("", "", ""))}, nil)
			exceeds := newPod("exceeds-requests", 1, []corev1.Container{newContainer("exceeds-requests", corev1.ResourceList{corev1.ResourceEphemeralStorage: mustParse("100Mi")}, newResourceList("", "", ""))}, nil)
			return ordering{
				pods: []*corev1.Pod{below, exceeds},
				stats: map[*corev1.Pod]PodStats{
					below:   newPodDiskStats(below, mustParse("100Mi"), mustParse("99Mi"), mustParse("0Mi")),  // -1 relative to request
					exceeds: newPodDiskStats(exceeds, mustParse("90Mi"), mustParse("11Mi"), mustParse("0Mi")), // 1 relative to request
				},
				sort: func(s statsFunc) *multiSorter {
					return orderedBy(exceedDiskRequests(s, allDiskStats, corev1.ResourceEphemeralStorage))
				},
				want: []string{"exceeds-requests", "below-requests"},
			}
		},
		// TestOrderedByPriority
		"priority": func() ordering {
			low := newPod("low-priority", -134, []corev1.Container{newContainer("low-priority", newResourceList("", "", ""), newResourceList("", "", ""))}, nil)
			medium := newPod("medium-priority", 1, []corev1.Container{newContainer("medium-priority", newResourceList("100m", "100Mi", ""), newResourceList("200m", "200Mi", ""))}, nil)
			high := newPod("high-priority", 12534, []corev1.Container{newContainer("high-priority", newResourceList("200m", "200Mi", ""), newResourceList("200m", "200Mi", ""))}, nil)
			return ordering{
				pods: []*corev1.Pod{high, medium, low},
				sort: func(statsFunc) *multiSorter { return orderedBy(priority) },
				want: []string{"low-priority", "medium-priority", "high-priority"},
			}
		},
		// TestOrderedbyDisk
		"disk": func() ordering {
			mk := func(name, req, lim string) *corev1.Pod {
				return newPod(name, defaultPriority, []corev1.Container{newContainer(name, newResourceList("", "", req), newResourceList("", "", lim))}, emptyDirVolume())
			}
			pod1, pod2 := mk("best-effort-high", "", ""), mk("best-effort-low", "", "")
			pod3, pod4 := mk("burstable-high", "100Mi", "400Mi"), mk("burstable-low", "100Mi", "400Mi")
			pod5, pod6 := mk("guaranteed-high", "400Mi", "400Mi"), mk("guaranteed-low", "400Mi", "400Mi")
			return ordering{
				pods: []*corev1.Pod{pod1, pod2, pod3, pod4, pod5, pod6},
				stats: map[*corev1.Pod]PodStats{
					pod1: newPodDiskStats(pod1, mustParse("50Mi"), mustParse("100Mi"), mustParse("150Mi")), // 300Mi - 0 = 300Mi
					pod2: newPodDiskStats(pod2, mustParse("25Mi"), mustParse("25Mi"), mustParse("50Mi")),   // 100Mi - 0 = 100Mi
					pod3: newPodDiskStats(pod3, mustParse("150Mi"), mustParse("150Mi"), mustParse("50Mi")), // 350Mi - 100Mi = 250Mi
					pod4: newPodDiskStats(pod4, mustParse("25Mi"), mustParse("35Mi"), mustParse("50Mi")),   // 110Mi - 100Mi = 10Mi
					pod5: newPodDiskStats(pod5, mustParse("225Mi"), mustParse("100Mi"), mustParse("50Mi")), // 375Mi - 400Mi = -25Mi
					pod6: newPodDiskStats(pod6, mustParse("25Mi"), mustParse("45Mi"), mustParse("50Mi")),   // 120Mi - 400Mi = -280Mi
				},
				sort: func(s statsFunc) *multiSorter {
					return orderedBy(disk(s, allDiskStats, corev1.ResourceEphemeralStorage))
				},
				want: []string{"best-effort-high", "burstable-high", "best-effort-low", "burstable-low", "guaranteed-high", "guaranteed-low"},
			}
		},
		// TestOrderedbyInodes
		"inodes": func() ordering {
			mk := func(name string) *corev1.Pod {
				return newPod(name, defaultPriority, []corev1.Container{newContainer(name, newResourceList("", "", ""), newResourceList("", "", ""))}, emptyDirVolume())
			}
			low, medium, high := mk("low"), mk("medium"), mk("high")
			return ordering{
				pods: []*corev1.Pod{low, medium, high},
				stats: map[*corev1.Pod]PodStats{
					low:    newPodInodeStats(low, mustParse("50000"), mustParse("100000"), mustParse("50000")),     // 200000
					medium: newPodInodeStats(medium, mustParse("100000"), mustParse("150000"), mustParse("50000")), // 300000
					high:   newPodInodeStats(high, mustParse("200000"), mustParse("150000"), mustParse("50000")),   // 400000
				},
				sort: func(s statsFunc) *multiSorter { return orderedBy(disk(s, allDiskStats, ResourceInodes)) },
				want: []string{"high", "medium", "low"},
			}
		},
		// TestOrderedByPriorityDisk
		"priority disk": func() ordering {
			mk := func(name string, prio int32, req string) *corev1.Pod {
				return newPod(name, prio, []corev1.Container{newContainer(name, newResourceList("", "", req), newResourceList("", "", ""))}, emptyDirVolume())
			}
			pod1 := mk("above-requests-low-priority-high-usage", lowPriority, "")
			pod2 := mk("above-requests-low-priority-low-usage", lowPriority, "")
			pod3 := mk("above-requests-high-priority-high-usage", highPriority, "100Mi")
			pod4 := mk("above-requests-high-priority-low-usage", highPriority, "100Mi")
			pod5 := mk("below-requests-low-priority-high-usage", lowPriority, "1Gi")
			pod6 := mk("below-requests-low-priority-low-usage", lowPriority, "1Gi")
			pod7 := mk("below-requests-high-priority-high-usage", highPriority, "1Gi")
			pod8 := mk("below-requests-high-priority-low-usage", highPriority, "1Gi")
			return ordering{
				pods: []*corev1.Pod{pod8, pod7, pod6, pod5, pod4, pod3, pod2, pod1},
				stats: map[*corev1.Pod]PodStats{
					pod1: newPodDiskStats(pod1, mustParse("200Mi"), mustParse("100Mi"), mustParse("200Mi")), // 500 relative to request
					pod2: newPodDiskStats(pod2, mustParse("10Mi"), mustParse("10Mi"), mustParse("30Mi")),    // 50 relative to request
					pod3: newPodDiskStats(pod3, mustParse("200Mi"), mustParse("150Mi"), mustParse("250Mi")), // 500 relative to request
					pod4: newPodDiskStats(pod4, mustParse("90Mi"), mustParse("50Mi"), mustParse("10Mi")),    // 50 relative to request
					pod5: newPodDiskStats(pod5, mustParse("500Mi"), mustParse("200Mi"), mustParse("100Mi")), // -200 relative to request
					pod6: newPodDiskStats(pod6, mustParse("50Mi"), mustParse("100Mi"), mustParse("50Mi")),   // -800 relative to request
					pod7: newPodDiskStats(pod7, mustParse("250Mi"), mustParse("500Mi"), mustParse("50Mi")),  // -200 relative to request
					pod8: newPodDiskStats(pod8, mustParse("100Mi"), mustParse("60Mi"), mustParse("40Mi")),   // -800 relative to request
				},
				sort: func(s statsFunc) *multiSorter {
					return orderedBy(exceedDiskRequests(s, allDiskStats, corev1.ResourceEphemeralStorage), priority, disk(s, allDiskStats, corev1.ResourceEphemeralStorage))
				},
				want: names([]*corev1.Pod{pod1, pod2, pod3, pod4, pod5, pod6, pod7, pod8}),
			}
		},
		// TestOrderedByPriorityInodes
		"priority inodes": func() ordering {
			mk := func(name string, prio int32) *corev1.Pod {
				return newPod(name, prio, []corev1.Container{newContainer(name, newResourceList("", "", ""), newResourceList("", "", ""))}, emptyDirVolume())
			}
			pod1, pod2 := mk("low-priority-high-usage", lowPriority), mk("low-priority-low-usage", lowPriority)
			pod3, pod4 := mk("high-priority-high-usage", highPriority), mk("high-priority-low-usage", highPriority)
			return ordering{
				pods: []*corev1.Pod{pod4, pod3, pod2, pod1},
				stats: map[*corev1.Pod]PodStats{
					pod1: newPodInodeStats(pod1, mustParse("50000"), mustParse("100000"), mustParse("250000")), // 400000
					pod2: newPodInodeStats(pod2, mustParse("60000"), mustParse("30000"), mustParse("10000")),   // 100000
					pod3: newPodInodeStats(pod3, mustParse("150000"), mustParse("150000"), mustParse("50000")), // 350000
					pod4: newPodInodeStats(pod4, mustParse("10000"), mustParse("40000"), mustParse("100000")),  // 150000
				},
				sort: func(s statsFunc) *multiSorter { return orderedBy(priority, disk(s, allDiskStats, ResourceInodes)) },
				want: names([]*corev1.Pod{pod1, pod2, pod3, pod4}),
			}
		},
		// TestOrderedByMemory
		"memory": func() ordering {
			mk := func(name, req, lim string) *corev1.Pod {
				return newPod(name, defaultPriority, []corev1.Container{newContainer(name, newResourceList("", req, ""), newResourceList("", lim, ""))}, nil)
			}
			pod1, pod2 := mk("best-effort-high", "", ""), mk("best-effort-low", "", "")
			pod3, pod4 := mk("burstable-high", "100Mi", "1Gi"), mk("burstable-low", "100Mi", "1Gi")
			pod5, pod6 := mk("guaranteed-high", "1Gi", "1Gi"), mk("guaranteed-low", "1Gi", "1Gi")
			return ordering{
				pods: []*corev1.Pod{pod1, pod2, pod3, pod4, pod5, pod6},
				stats: map[*corev1.Pod]PodStats{
					pod1: newPodMemoryStats(pod1, mustParse("500Mi")), // 500 relative to request
					pod2: newPodMemoryStats(pod2, mustParse("300Mi")), // 300 relative to request
					pod3: newPodMemoryStats(pod3, mustParse("800Mi")), // 700 relative to request
					pod4: newPodMemoryStats(pod4, mustParse("300Mi")), // 200 relative to request
					pod5: newPodMemoryStats(pod5, mustParse("800Mi")), // -200 relative to request
					pod6: newPodMemoryStats(pod6, mustParse("200Mi")), // -800 relative to request
				},
				sort: func(s statsFunc) *multiSorter { return orderedBy(memory(s)) },
				want: names([]*corev1.Pod{pod3, pod1, pod2, pod4, pod5, pod6}),
			}
		},
		// TestOrderedByPriorityMemory
		"priority memory": func() ordering {
			mk := func(name string, prio int32, req string) *corev1.Pod {
				return newPod(name, prio, []corev1.Container{newContainer(name, newResourceList("", req, ""), newResourceList("", "", ""))}, nil)
			}
			pod1 := mk("above-requests-low-priority-high-usage", lowPriority, "")
			pod2 := mk("above-requests-low-priority-low-usage", lowPriority, "")
			pod3 := mk("above-requests-high-priority-high-usage", highPriority, "100Mi")
			pod4 := mk("above-requests-high-priority-low-usage", highPriority, "100Mi")
			pod5 := mk("below-requests-low-priority-high-usage", lowPriority, "1Gi")
			pod6 := mk("below-requests-low-priority-low-usage", lowPriority, "1Gi")
			pod7 := mk("below-requests-high-priority-high-usage", highPriority, "1Gi")
			pod8 := mk("below-requests-high-priority-low-usage", highPriority, "1Gi")
			return ordering{
				pods: []*corev1.Pod{pod8, pod7, pod6, pod5, pod4, pod3, pod2, pod1},
				stats: map[*corev1.Pod]PodStats{
					pod1: newPodMemoryStats(pod1, mustParse("500Mi")), // 500 relative to request
					pod2: newPodMemoryStats(pod2, mustParse("50Mi")),  // 50 relative to request
					pod3: newPodMemoryStats(pod3, mustParse("600Mi")), // 500 relative to request
					pod4: newPodMemoryStats(pod4, mustParse("150Mi")), // 50 relative to request
					pod5: newPodMemoryStats(pod5, mustParse("800Mi")), // -200 relative to request
					pod6: newPodMemoryStats(pod6, mustParse("200Mi")), // -800 relative to request
					pod7: newPodMemoryStats(pod7, mustParse("800Mi")), // -200 relative to request
					pod8: newPodMemoryStats(pod8, mustParse("200Mi")), // -800 relative to request
				},
				sort: func(s statsFunc) *multiSorter { return orderedBy(exceedMemoryRequests(s), priority, memory(s)) },
				want: names([]*corev1.Pod{pod1, pod2, pod3, pod4, pod5, pod6, pod7, pod8}),
			}
		},
		// TestOrderedByPriorityProcess
		"priority process": func() ordering {
			pod1 := newPod("low-priority-high-usage", lowPriority, nil, nil)
			pod2 := newPod("low-priority-low-usage", lowPriority, nil, nil)
			pod3 := newPod("high-priority-high-usage", highPriority, nil, nil)
			pod4 := newPod("high-priority-low-usage", highPriority, nil, nil)
			return ordering{
				pods: []*corev1.Pod{pod4, pod3, pod2, pod1},
				stats: map[*corev1.Pod]PodStats{
					pod1: newPodProcessStats(pod1, 20), pod2: newPodProcessStats(pod2, 6),
					pod3: newPodProcessStats(pod3, 20), pod4: newPodProcessStats(pod4, 5),
				},
				sort: func(s statsFunc) *multiSorter { return orderedBy(priority, process(s)) },
				want: names([]*corev1.Pod{pod1, pod2, pod3, pod4}),
			}
		},
		// A pod with no stats goes first (helpers.go "prioritize evicting
		// the pod for which no stats were found").
		"no stats first": func() ordering {
			seen := newPod("seen", defaultPriority, []corev1.Container{newContainer("seen", newResourceList("", "", ""), newResourceList("", "", ""))}, nil)
			unseen := newPod("unseen", highPriority, []corev1.Container{newContainer("unseen", newResourceList("", "1Gi", ""), newResourceList("", "1Gi", ""))}, nil)
			return ordering{
				pods:  []*corev1.Pod{seen, unseen},
				stats: map[*corev1.Pod]PodStats{seen: newPodMemoryStats(seen, mustParse("900Mi"))},
				sort: func(s statsFunc) *multiSorter {
					return orderedBy(exceedMemoryRequests(s), priority, memory(s))
				},
				want: []string{"unseen", "seen"},
			}
		},
	}
	for name, build := range tests {
		t.Run(name, func(t *testing.T) {
			o := build()
			pods := append([]*corev1.Pod(nil), o.pods...)
			o.sort(statsOf(o.stats)).Sort(pods)
			if diff := cmp.Diff(o.want, names(pods)); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
		})
	}
}

// The rank functions of each signal use the orderings above. QoS class is
// not among the keys: BestEffort, then Burstable over its request, then
// Guaranteed is the usual outcome (a BestEffort pod always exceeds its
// request of 0, a Guaranteed one never does), but a Burstable pod further
// over its request than a BestEffort pod uses goes first.
func TestRankBySignal(t *testing.T) {
	be := newPod("best-effort", defaultPriority, []corev1.Container{newContainer("c", nil, nil)}, nil)
	bu := newPod("burstable", defaultPriority, []corev1.Container{newContainer("c", newResourceList("", "100Mi", ""), newResourceList("", "1Gi", ""))}, nil)
	gu := newPod("guaranteed", defaultPriority, []corev1.Container{newContainer("c", newResourceList("1", "500Mi", ""), newResourceList("1", "500Mi", ""))}, nil)
	stats := statsOf(map[*corev1.Pod]PodStats{
		be: newPodMemoryStats(be, mustParse("300Mi")),
		bu: newPodMemoryStats(bu, mustParse("150Mi")),
		gu: newPodMemoryStats(gu, mustParse("480Mi")),
	})
	greedy := statsOf(map[*corev1.Pod]PodStats{
		be: newPodMemoryStats(be, mustParse("50Mi")),
		bu: newPodMemoryStats(bu, mustParse("400Mi")),
		gu: newPodMemoryStats(gu, mustParse("480Mi")),
	})
	pods := []*corev1.Pod{gu, be, bu}
	rankMemoryPressure(pods, greedy)
	if diff := cmp.Diff([]string{"burstable", "best-effort", "guaranteed"}, names(pods)); diff != "" {
		t.Errorf("a Burstable pod 300Mi over its request before a BestEffort pod using 50Mi (-want +got):\n%s", diff)
	}
	for _, dedicated := range []bool{false, true} {
		ranks := signalRankFuncs(dedicated)
		for _, s := range []Signal{SignalMemoryAvailable, SignalAllocatableMemoryAvailable} {
			pods := []*corev1.Pod{gu, bu, be}
			ranks[s](pods, stats)
			if diff := cmp.Diff([]string{"best-effort", "burstable", "guaranteed"}, names(pods)); diff != "" {
				t.Errorf("%s (dedicated imagefs %v) (-want +got):\n%s", s, dedicated, diff)
			}
		}
		for _, s := range []Signal{SignalNodeFsAvailable, SignalNodeFsInodesFree, SignalImageFsAvailable, SignalImageFsInodesFree, SignalPIDAvailable} {
			if ranks[s] == nil {
				t.Errorf("no rank function for %s (dedicated imagefs %v)", s, dedicated)
			}
		}
	}
}

// With a dedicated imagefs, nodefs pressure ranks by logs and local
// volumes, imagefs pressure by writable layers (buildSignalToRankFunc).
func TestRankDiskDependsOnImageFs(t *testing.T) {
	layers := newPod("layers", defaultPriority, []corev1.Container{newContainer("c", nil, nil)}, emptyDirVolume())
	volume := newPod("volume", defaultPriority, []corev1.Container{newContainer("c", nil, nil)}, emptyDirVolume())
	stats := statsOf(map[*corev1.Pod]PodStats{
		layers: newPodDiskStats(layers, mustParse("900Mi"), mustParse("0"), mustParse("10Mi")),
		volume: newPodDiskStats(volume, mustParse("10Mi"), mustParse("0"), mustParse("500Mi")),
	})
	cases := []struct {
		dedicated bool
		signal    Signal
		want      []string
	}{
		{false, SignalNodeFsAvailable, []string{"layers", "volume"}},
		{false, SignalImageFsAvailable, []string{"layers", "volume"}},
		{true, SignalNodeFsAvailable, []string{"volume", "layers"}},
		{true, SignalImageFsAvailable, []string{"layers", "volume"}},
	}
	for _, c := range cases {
		pods := []*corev1.Pod{volume, layers}
		signalRankFuncs(c.dedicated)[c.signal](pods, stats)
		if diff := cmp.Diff(c.want, names(pods)); diff != "" {
			t.Errorf("%s, dedicated imagefs %v (-want +got):\n%s", c.signal, c.dedicated, diff)
		}
	}
}

func TestRequestQuantity(t *testing.T) {
	always := corev1.ContainerRestartPolicyAlways
	pod := func(containers, inits []corev1.Container) *corev1.Pod {
		return &corev1.Pod{Spec: corev1.PodSpec{Containers: containers, InitContainers: inits}}
	}
	sidecar := newContainer("side", newResourceList("", "50Mi", ""), nil)
	sidecar.RestartPolicy = &always
	cases := []struct {
		name string
		pod  *corev1.Pod
		want string
	}{
		{"sum of containers", pod([]corev1.Container{newContainer("a", newResourceList("", "100Mi", ""), nil), newContainer("b", newResourceList("", "200Mi", ""), nil)}, nil), "300Mi"},
		{"a larger init container", pod([]corev1.Container{newContainer("a", newResourceList("", "100Mi", ""), nil)}, []corev1.Container{newContainer("i", newResourceList("", "1Gi", ""), nil)}), "1Gi"},
		{"a sidecar adds to the sum", pod([]corev1.Container{newContainer("a", newResourceList("", "100Mi", ""), nil)}, []corev1.Container{sidecar}), "150Mi"},
		{"nothing requested", pod([]corev1.Container{newContainer("a", nil, nil)}, nil), "0"},
	}
	for _, c := range cases {
		got := RequestQuantity(c.pod, corev1.ResourceMemory)
		if want := mustParse(c.want); got.Cmp(want) != 0 {
			t.Errorf("%s: got %s, want %s", c.name, got.String(), c.want)
		}
	}
}
