package kubelet

import (
	"slices"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/lifecycle"
)

// plegEvent is a pod lifecycle event (pkg/kubelet/pleg).
type plegEvent uint8

const (
	containerStarted plegEvent = iota
	containerDied
	containerRemoved
	containerChanged
)

// cacheWaiter is a pod worker blocked in GetNewerThan.
type cacheWaiter struct {
	minTime int64 // virtual nanoseconds
	fn      func(*podSnapshot)
}

// waitForCache is podCache.GetNewerThan(uid, lastSyncTime)
// (pkg/kubelet/container/cache.go): it hands fn the pod's cached runtime
// status once the cache is newer than the end of the previous sync — at
// once if it already is, else at the end of the next relist. The first sync
// of a pod does not wait.
func (k *Kubelet) waitForCache(kp *kpod, fn func(*podSnapshot)) {
	w := &kp.w
	min := w.lastSync
	if !w.synced || (kp.cached != nil && kp.cachedAt > min) || (k.cacheTSValid && k.plegTimestamp() > min) {
		snap := kp.cached
		if snap == nil {
			snap = &podSnapshot{}
		}
		k.eng.After(0, engine.PriorityNormal, func() { fn(snap) })
		return
	}
	if kp.waiter == nil {
		k.waiting++
	}
	kp.waiter = &cacheWaiter{minTime: int64(min), fn: fn}
	k.wakeRelist() // the next relist releases it
}

// plegTimestamp is the cache's global timestamp: the time of the last
// relist, which a parked relist loop (loop_elision.go) works out as the
// last tick that ticking would have run.
func (k *Kubelet) plegTimestamp() time.Duration {
	if l := k.relistLoop; l.parked() && !l.halted {
		return k.relistLoop.lastRun()
	}
	return k.cacheTS
}

// relistNeed: a relist that finds no pod changed and no worker waiting
// does nothing but move the cache's timestamp, which plegTimestamp works
// out while the loop is parked; so it parks until the runtime changes a
// pod (containerRuntime.changed) or a worker waits for the cache.
func (k *Kubelet) relistNeed() time.Duration {
	if k.rt.anyChanged || k.waiting > 0 {
		return k.eng.Now()
	}
	return engine.Forever
}

// haltRelist is the kubelet halting: the timestamp that a parked relist's
// ticks have set by now is kept, and none moves it until the kubelet starts
// again. A kubelet halted twice (stopped, then its node powered off) keeps
// the timestamp of the first.
func (k *Kubelet) haltRelist() {
	l := k.relistLoop
	if l == nil || l.halted {
		return
	}
	if l.parked() {
		k.cacheTS = l.lastRun()
	}
	l.halted = true
}

// wakeRelist ends a park of the relist loop: the next relist runs at the
// first tick that has not run yet. The timestamp its parked ticks would
// have set is kept, as they would have set it. A halted kubelet's relist
// stays parked, its timestamp where it was (restartLoops wakes it).
func (k *Kubelet) wakeRelist() {
	if l := k.relistLoop; l != nil && l.parked() && !l.halted {
		k.cacheTS = l.lastRun()
		l.pull(k.eng.Now())
	}
}

// relist is GenericPLEG.relist: it compares each pod's containers and
// sandboxes with the previous relist, updates the cache entry of pods that
// changed, reports ContainerStarted and ContainerDied (which sync the pod),
// and finally moves the cache's global timestamp to the relist time, which
// releases waiting pod workers.
func (k *Kubelet) relist() {
	now := k.eng.Now()
	// Only pods whose sandboxes or containers changed can have events; a
	// change made during this relist (a dead container's clean-up) is for
	// the next one.
	changed := k.rt.anyChanged
	k.rt.anyChanged = false
	for _, kp := range k.order {
		if !changed {
			break
		}
		if !kp.plegDirty {
			continue
		}
		kp.plegDirty = false
		events := k.plegEvents(kp)
		if len(events) == 0 {
			continue
		}
		kp.cached = k.rt.snapshot(kp.uid)
		kp.cachedAt = now
		var why []string
		for _, e := range events {
			what := "sandbox"
			if e.name != "" {
				what = "container " + e.name
			}
			switch e.kind {
			case containerDied:
				why = append(why, what+" died")
				k.cleanUpContainers(kp, e.name)
			case containerStarted:
				why = append(why, what+" started")
			}
		}
		if len(why) > 0 {
			kp, cause := kp, "PLEG: "+strings.Join(why, ", ")
			kp.plegCause, kp.plegAt = cause, now
			k.eng.After(0, engine.PriorityNormal, func() { k.handlePodSyncs(kp, cause) })
		}
	}
	k.cacheTS, k.cacheTSValid = now, true
	for _, kp := range k.order {
		if k.waiting == 0 {
			break
		}
		if wt := kp.waiter; wt != nil && int64(now) >= wt.minTime {
			kp.waiter = nil
			k.waiting--
			snap := kp.cached
			if snap == nil {
				snap = &podSnapshot{}
			}
			fn := wt.fn
			k.eng.After(0, engine.PriorityNormal, func() { fn(snap) })
		}
	}
}

// plegEntry is the last relist's state of one sandbox or container of a
// pod (generic.go podRecord): a slice, not a map, as a pod has a few and a
// map of them cost 200 bytes a pod (issue 10).
type plegEntry struct {
	id string
	st lifecycle.RuntimeState
}

type plegChange struct {
	kind plegEvent
	id   string
	name string
}

// plegEvents compares the runtime's current view of a pod with the last
// relist's record (generic.go generateEvents). Created containers count as
// unknown and yield ContainerChanged, which the PLEG never sends on.
func (k *Kubelet) plegEvents(kp *kpod) []plegChange {
	var out []plegChange
	listed := 0 // IDs the runtime lists; they are unique
	check := func(id, name string, st lifecycle.RuntimeState) {
		listed++
		i := slices.IndexFunc(kp.plegRecord, func(e plegEntry) bool { return e.id == id })
		switch {
		case i < 0:
			kp.plegRecord = append(kp.plegRecord, plegEntry{id, st})
		case kp.plegRecord[i].st == st:
			return
		default:
			kp.plegRecord[i].st = st
		}
		switch st {
		case lifecycle.StateRunning:
			out = append(out, plegChange{containerStarted, id, name})
		case lifecycle.StateExited:
			out = append(out, plegChange{containerDied, id, name})
		default:
			out = append(out, plegChange{containerChanged, id, name})
		}
	}
	sandboxes, containers := k.rt.sandboxes[kp.uid], k.rt.containers[kp.uid]
	if kp.sameListing(sandboxes, containers) {
		return nil // what the record holds: no event, and nothing to hash
	}
	defer kp.keepListing(sandboxes, containers)
	for _, sb := range sandboxes {
		st := lifecycle.StateExited
		if sb.ready {
			st = lifecycle.StateRunning
		}
		check(sb.id, "", st)
	}
	for _, ct := range containers {
		check(ct.id, ct.name, ct.state)
	}
	// Every listed ID is in the record now, so a record no larger than the
	// listing means nothing disappeared: the common case, which allocates
	// nothing (a relist runs every second for every pod).
	if listed == len(kp.plegRecord) {
		return out
	}
	seen := make(map[string]bool, listed)
	for _, sb := range sandboxes {
		seen[sb.id] = true
	}
	for _, ct := range containers {
		seen[ct.id] = true
	}
	record := slices.SortedFunc(slices.Values(kp.plegRecord), func(a, b plegEntry) int { return strings.Compare(a.id, b.id) })
	kp.plegRecord = kp.plegRecord[:0]
	for _, e := range record {
		if seen[e.id] {
			kp.plegRecord = append(kp.plegRecord, e)
			continue
		}
		if e.st != lifecycle.StateExited {
			out = append(out, plegChange{containerDied, e.id, ""})
		}
		out = append(out, plegChange{containerRemoved, e.id, ""})
	}
	return out
}

// cleanUpContainers is the dead-container cleanup a ContainerDied event
// starts (pod_container_deletor.go): of the exited instances of that
// container, only the newest is kept (minDeadContainerInPod = 1).
func (k *Kubelet) cleanUpContainers(kp *kpod, name string) {
	if name == "" {
		return
	}
	list := k.rt.containers[kp.uid]
	newestDead := -1
	for i := len(list) - 1; i >= 0 && newestDead < 0; i-- {
		if list[i].name == name && list[i].state == lifecycle.StateExited {
			newestDead = i
		}
	}
	keep := make([]*container, 0, len(list))
	for i, ct := range list {
		if ct.name == name && ct.state == lifecycle.StateExited && i != newestDead {
			continue
		}
		keep = append(keep, ct)
	}
	k.rt.containers[kp.uid] = keep
	k.rt.changed(kp.uid)
}

// plegListed is one sandbox or container of a relist's listing, and the
// state the relist saw.
type plegListed struct {
	sb *sandbox
	ct *container
	st lifecycle.RuntimeState
}

func sandboxState(sb *sandbox) lifecycle.RuntimeState {
	if sb.ready {
		return lifecycle.StateRunning
	}
	return lifecycle.StateExited
}

// sameListing reports whether the runtime lists the same sandboxes and
// containers, in the same states, as at the last relist. Then the record
// already holds each of them as it is and nothing has disappeared, so the
// relist would find no event: the common case of a pod that runs on,
// answered without a map look-up.
func (kp *kpod) sameListing(sandboxes []*sandbox, containers []*container) bool {
	l := kp.plegListing
	if len(l) != len(sandboxes)+len(containers) {
		return false
	}
	for i, sb := range sandboxes {
		if l[i].sb != sb || l[i].st != sandboxState(sb) {
			return false
		}
	}
	l = l[len(sandboxes):]
	for i, ct := range containers {
		if l[i].ct != ct || l[i].st != ct.state {
			return false
		}
	}
	return true
}

// keepListing remembers the listing the relist just recorded.
func (kp *kpod) keepListing(sandboxes []*sandbox, containers []*container) {
	l := kp.plegListing[:0]
	for _, sb := range sandboxes {
		l = append(l, plegListed{sb: sb, st: sandboxState(sb)})
	}
	for _, ct := range containers {
		l = append(l, plegListed{ct: ct, st: ct.state})
	}
	kp.plegListing = l
}

// changed notes that the runtime's sandboxes or containers of the pod, or
// their states, changed: the next relist looks at the pod. A relist looks
// only at such pods, the others being as the last relist recorded them.
func (r *containerRuntime) changed(uid types.UID) {
	r.anyChanged = true
	r.k.statsMoved(uid) // stats_cache.go: a container came, went or changed state
	if kp := r.k.pods[uid]; kp != nil {
		kp.plegDirty = true
		r.k.resyncWake(kp) // resync_elision.go
	}
	r.k.wakeRelist()
}
