package kubelet

import (
	"fmt"
	"maps"
	"reflect"

	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/eviction"
)

// The stats summary's cache.
//
// The eviction manager asks for the summary every 10 s, and the kernel for
// the node's memory at every change of a container's memory; working out
// every pod's figures each time made the cost of an idle node grow with
// its pods × the passes. A pod's figures move only when something happens
// to it: a step of one of its processes (memory, writable layer, logs,
// volume writes), a container created, started, exited or removed, its
// volumes set up, refreshed or torn down, the pod added or forgotten. Each
// of those marks the pod (statsMoved), and a summary works out again only
// the marked pods, keeping the node's sums up to date by difference
// (integer sums: the order of the additions cannot change them). A pod
// that mounts a hostPath is worked out at every summary, since another
// pod's writes to the directory move its figures too. The images' bytes
// are worked out again after a pull or an image GC.
//
// Config.CheckInvariants compares every cached summary with one worked
// out from nothing.

// statsCache is the cached figures and their sums over the pods.
type statsCache struct {
	entries map[types.UID]*statsEntry
	// marked are the entries to work out again; volatile the entries of
	// pods that mount a hostPath.
	marked, volatile []*statsEntry
	// byUID is what the summaries hand the eviction manager; shared: a
	// summary of the pass under way holds it, so it is copied before it
	// changes (the manager ranks pods by the stats of its first summary,
	// after a reclaim asked for another).
	byUID  map[types.UID]*eviction.PodStats
	shared bool
	// The sums of the pods' figures, and the images' bytes.
	memory, processes, disk, inodes int64
	images                          int64
	imagesMarked                    bool
}

// statsEntry is one pod's cached figures.
type statsEntry struct {
	kp       *kpod
	f        podFigures // f.ps is nil until first worked out
	marked   bool
	volatile bool
	gone     bool
}

// statsPodAdded starts the cache entry of a pod the kubelet admitted to
// its list (handlePodAdd).
func (k *Kubelet) statsPodAdded(kp *kpod) {
	sc := &k.evictions.stats
	if sc.entries == nil {
		sc.entries = map[types.UID]*statsEntry{}
		sc.imagesMarked = true
	}
	e := &statsEntry{kp: kp}
	sc.entries[kp.uid] = e
	sc.mark(e)
	k.statsChanged()
}

// statsPodGone drops a pod the kubelet forgot (housekeeping): its figures
// leave the node's sums.
func (k *Kubelet) statsPodGone(kp *kpod) {
	sc := &k.evictions.stats
	e := sc.entries[kp.uid]
	if e == nil || e.kp != kp {
		return
	}
	e.gone = true
	sc.set(e, podFigures{})
	delete(sc.entries, kp.uid)
	sc.own()
	delete(sc.byUID, kp.uid)
	k.statsChanged()
}

// statsMoved marks a pod whose figures may have moved.
func (k *Kubelet) statsMoved(uid types.UID) {
	sc := &k.evictions.stats
	if e := sc.entries[uid]; e != nil {
		sc.mark(e)
	}
	k.statsChanged()
}

// imagesMoved marks the images' bytes: an image was pulled or removed.
func (k *Kubelet) imagesMoved() {
	k.evictions.stats.imagesMarked = true
	k.statsChanged()
}

// statsChanged is called at every change of what the summary counts: it
// wakes a parked eviction loop (eviction_elision.go).
func (k *Kubelet) statsChanged() { k.wakeEvictions() }

func (sc *statsCache) mark(e *statsEntry) {
	if !e.marked {
		e.marked = true
		sc.marked = append(sc.marked, e)
	}
}

// own copies byUID if a summary holds it.
func (sc *statsCache) own() {
	if sc.shared {
		sc.byUID = maps.Clone(sc.byUID)
		sc.shared = false
	}
	if sc.byUID == nil {
		sc.byUID = map[types.UID]*eviction.PodStats{}
	}
}

// set replaces an entry's figures, and the sums by the difference.
func (sc *statsCache) set(e *statsEntry, f podFigures) {
	if old := e.f.ps; old != nil {
		sc.memory -= old.MemoryWorkingSet
		sc.processes -= old.Processes
		sc.disk -= e.f.disk
		sc.inodes -= e.f.inodes
	}
	if f.ps != nil {
		sc.memory += f.ps.MemoryWorkingSet
		sc.processes += f.ps.Processes
		sc.disk += f.disk
		sc.inodes += f.inodes
	}
	e.f = f
}

// refreshStats works out again the marked pods, the pods that mount a
// hostPath and, if marked, the images' bytes.
func (k *Kubelet) refreshStats() *statsCache {
	sc := &k.evictions.stats
	if sc.imagesMarked || sc.entries == nil {
		sc.images, sc.imagesMarked = k.rt.images.bytes(), false
	}
	if len(sc.marked) == 0 && len(sc.volatile) == 0 {
		return sc
	}
	sc.own()
	for _, e := range sc.marked {
		e.marked = false
		if !e.gone {
			k.workOut(sc, e)
		}
	}
	clear(sc.marked)
	sc.marked = sc.marked[:0]
	keep := sc.volatile[:0]
	for _, e := range sc.volatile {
		if !e.gone {
			k.workOut(sc, e)
			keep = append(keep, e)
		}
	}
	clear(sc.volatile[len(keep):])
	sc.volatile = keep
	return sc
}

// workOut works out an entry's figures now.
func (k *Kubelet) workOut(sc *statsCache, e *statsEntry) {
	f := k.podFigures(e.kp)
	sc.set(e, f)
	sc.byUID[e.kp.uid] = f.ps
	if !e.volatile && e.kp.vols != nil && mountsHostPath(e.kp.vols) {
		e.volatile = true
		sc.volatile = append(sc.volatile, e)
	}
}

func mountsHostPath(pv *podVolumes) bool {
	for _, sv := range pv.sorted {
		if sv.hostPath {
			return true
		}
	}
	return false
}

// lookup is the pods' stats for a summary: the figures as they are now,
// kept as they are for as long as the summary is in use.
func (sc *statsCache) lookup() func(types.UID) (*eviction.PodStats, bool) {
	sc.own()
	sc.shared = true
	byUID := sc.byUID
	return func(uid types.UID) (*eviction.PodStats, bool) {
		ps, ok := byUID[uid]
		return ps, ok
	}
}

// checkStatsCache fails the run when the cached summary differs from one
// worked out from nothing: a change that moves a figure went unmarked.
func (k *Kubelet) checkStatsCache(s eviction.Summary) {
	fresh := k.freshSummary()
	if !reflect.DeepEqual(s.Node, fresh.Node) {
		k.eng.Fail(fmt.Errorf("kubelet %s: the cached stats summary's node figures %+v differ from %+v", k.name, s.Node, fresh.Node))
		return
	}
	if got, want := len(k.evictions.stats.entries), len(fresh.Pods); got != want {
		k.eng.Fail(fmt.Errorf("kubelet %s: the stats cache holds %d pods, the kubelet %d", k.name, got, want))
		return
	}
	for i := range fresh.Pods {
		want := &fresh.Pods[i]
		if got, ok := s.Lookup(want.UID); !ok || !reflect.DeepEqual(got, want) {
			k.eng.Fail(fmt.Errorf("kubelet %s: the cached stats of pod %s are %+v, worked out now %+v", k.name, want.UID, got, want))
			return
		}
	}
}
