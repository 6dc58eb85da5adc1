package kubelet

import (
	"fmt"
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

// statsCache is the sums of the cached figures and the lists of pods to
// work out again; each pod's own figures are its kpod's (statsEntry).
type statsCache struct {
	// marked are the pods to work out again; volatile the pods that mount
	// a hostPath.
	marked, volatile []*kpod
	// holding: a summary of the pass under way is in use, so figures
	// worked out meanwhile (after a reclaim) wait in held, and the pods'
	// own stay as that summary saw them: the manager ranks pods by the
	// stats of its first summary, as eviction_manager.go synchronize does.
	holding bool
	held    []heldFigures
	// The sums of the pods' figures (the newest, held ones included), and
	// the images' bytes.
	memory, processes, disk, inodes int64
	images                          int64
	imagesMarked, started           bool
}

// statsEntry is one pod's cached figures.
type statsEntry struct {
	f                            podFigures // f.ps is nil until first worked out
	marked, volatile, held, gone bool
}

// heldFigures are a pod's figures worked out while a summary was in use.
type heldFigures struct {
	kp *kpod
	f  podFigures
}

// statsPodAdded starts the cache entry of a pod the kubelet admitted to
// its list (handlePodAdd).
func (k *Kubelet) statsPodAdded(kp *kpod) {
	sc := &k.evictions.stats
	if !sc.started {
		sc.started, sc.imagesMarked = true, true
	}
	sc.mark(kp)
	k.statsChanged()
}

// statsPodGone drops a pod the kubelet forgot (housekeeping): its figures
// leave the node's sums.
func (k *Kubelet) statsPodGone(kp *kpod) {
	sc := &k.evictions.stats
	sc.add(sc.newest(kp), -1)
	kp.stats.gone = true
	k.statsChanged()
}

// statsMoved marks a pod whose figures may have moved.
func (k *Kubelet) statsMoved(uid types.UID) {
	if kp := k.pods[uid]; kp != nil {
		k.evictions.stats.mark(kp)
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

func (sc *statsCache) mark(kp *kpod) {
	if e := &kp.stats; !e.marked && !e.gone {
		e.marked = true
		sc.marked = append(sc.marked, kp)
	}
}

// newest are a pod's newest figures: held ones, else its own.
func (sc *statsCache) newest(kp *kpod) podFigures {
	if kp.stats.held {
		for i := len(sc.held) - 1; i >= 0; i-- {
			if sc.held[i].kp == kp {
				return sc.held[i].f
			}
		}
	}
	return kp.stats.f
}

// add adds figures to the sums (sign 1) or takes them away (-1).
func (sc *statsCache) add(f podFigures, sign int64) {
	if f.ps == nil {
		return
	}
	sc.memory += sign * f.ps.MemoryWorkingSet
	sc.processes += sign * f.ps.Processes
	sc.disk += sign * f.disk
	sc.inodes += sign * f.inodes
}

// refreshStats works out again the marked pods, the pods that mount a
// hostPath and, if marked, the images' bytes.
func (k *Kubelet) refreshStats() *statsCache {
	sc := &k.evictions.stats
	if sc.imagesMarked || !sc.started {
		sc.images, sc.imagesMarked = k.rt.images.bytes(), false
	}
	for _, kp := range sc.marked {
		kp.stats.marked = false
		if !kp.stats.gone {
			k.workOut(sc, kp)
		}
	}
	clear(sc.marked)
	sc.marked = sc.marked[:0]
	if len(sc.volatile) > 0 {
		keep := sc.volatile[:0]
		for _, kp := range sc.volatile {
			if !kp.stats.gone {
				k.workOut(sc, kp)
				keep = append(keep, kp)
			}
		}
		clear(sc.volatile[len(keep):])
		sc.volatile = keep
	}
	return sc
}

// workOut works out a pod's figures now.
func (k *Kubelet) workOut(sc *statsCache, kp *kpod) {
	f := k.podFigures(kp)
	sc.add(sc.newest(kp), -1)
	sc.add(f, 1)
	e := &kp.stats
	if sc.holding && e.f.ps != nil {
		e.held = true
		sc.held = append(sc.held, heldFigures{kp, f})
	} else {
		e.f = f
	}
	if !e.volatile && kp.vols != nil && mountsHostPath(kp.vols) {
		e.volatile = true
		sc.volatile = append(sc.volatile, kp)
	}
}

// release ends a pass: the figures held for it become the pods' own.
func (sc *statsCache) release() {
	sc.holding = false
	for _, h := range sc.held {
		h.kp.stats.f, h.kp.stats.held = h.f, false
	}
	clear(sc.held)
	sc.held = sc.held[:0]
}

func mountsHostPath(pv *podVolumes) bool {
	for _, sv := range pv.sorted {
		if sv.hostPath {
			return true
		}
	}
	return false
}

// lookup is the pods' stats for a summary, as they are now and until the
// pass ends (release).
func (k *Kubelet) statsLookup() func(types.UID) (*eviction.PodStats, bool) {
	k.evictions.stats.holding = true
	return func(uid types.UID) (*eviction.PodStats, bool) {
		kp := k.pods[uid]
		if kp == nil || kp.stats.f.ps == nil {
			return nil, false
		}
		return kp.stats.f.ps, true
	}
}

// checkStatsCache fails the run when the cached summary differs from one
// worked out from nothing: a change that moves a figure went unmarked. A
// pod's newest figures are compared (held ones included: what a summary
// taken again within a pass shows of the pods is the pass's first view).
func (k *Kubelet) checkStatsCache(s eviction.Summary) {
	fresh := k.freshSummary()
	if !reflect.DeepEqual(s.Node, fresh.Node) {
		k.eng.Fail(fmt.Errorf("kubelet %s: the cached stats summary's node figures %+v differ from %+v", k.name, s.Node, fresh.Node))
		return
	}
	sc := &k.evictions.stats
	for i, kp := range k.order {
		want, got := &fresh.Pods[i], sc.newest(kp).ps
		if !reflect.DeepEqual(got, want) {
			k.eng.Fail(fmt.Errorf("kubelet %s: the cached stats of pod %s are %+v, worked out now %+v", k.name, want.UID, got, want))
			return
		}
	}
}
