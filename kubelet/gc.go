package kubelet

import (
	"fmt"
	"time"

	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/trace"
)

// imageMinimumGCAge is how old an image must be before image GC may
// remove it (imageMinimumGCAge's default, pkg/kubelet/apis/config/v1beta1
// defaults.go; images/image_gc_manager.go freeSpace skips younger ones).
const imageMinimumGCAge = 2 * time.Minute

// bytes is what the node's images take on its disk.
func (s *imageStore) bytes() int64 {
	var n int64
	for _, ref := range podutil.SortedKeys(s.present) {
		n += s.sizes[ref]
	}
	return n
}

// nodeRecord puts in the trace something the kubelet did to its node
// that no API object shows (a garbage collection).
func (k *Kubelet) nodeRecord(what string) {
	k.tr.Add(trace.Record{T: k.eng.Now(), Kind: "Node", Op: trace.Runtime, Name: k.name, Actor: "kubelet/" + k.name, Cause: what})
}

// deleteUnusedImages is ImageGCManager.DeleteUnusedImages: every image
// that no container on the node uses, running or exited, and that has
// been on the node for imageMinimumGCAge, is removed (image_gc_manager.go
// freeSpace with no byte goal). podsim removes them in name order; the
// kubelet goes by when each was last used.
func (k *Kubelet) deleteUnusedImages() {
	s := k.rt.images
	inUse := map[string]bool{}
	for _, list := range k.rt.containers { // a set: the order does not matter
		for _, ct := range list {
			inUse[ct.image] = true
		}
	}
	now := k.eng.Now()
	for _, ref := range podutil.SortedKeys(s.present) {
		if inUse[ref] {
			continue
		}
		if at, ok := s.detected[ref]; ok && now-at < imageMinimumGCAge {
			continue
		}
		size := s.sizes[ref]
		delete(s.present, ref)
		delete(s.sizes, ref)
		delete(s.detected, ref)
		k.imagesMoved() // stats_cache.go
		k.nodeRecord(fmt.Sprintf("image GC removed image %s (%s)", ref, quantity(size)))
	}
}

// deleteAllUnusedContainers is ContainerGC.DeleteAllUnusedContainers
// (kuberuntime_gc.go GarbageCollect with evictNonDeletedPods): every dead
// container of a pod that has terminated is removed, with its writable
// layer and its logs; the newest dead instance of each container of a
// pod still running stays (MaxPerPodContainer 1), as the kubelet's own
// cleanup already leaves it.
func (k *Kubelet) deleteAllUnusedContainers() {
	for _, kp := range k.order {
		if !kp.w.terminated && !kp.w.finished && !kp.w.rejected {
			continue
		}
		list := k.rt.containers[kp.uid]
		keep := list[:0]
		for _, ct := range list {
			if ct.state == lifecycle.StateRunning {
				keep = append(keep, ct)
				continue
			}
			freed := ct.logBytes()
			if ct.inst != nil {
				freed += ct.inst.Container.RootfsBytes()
			}
			k.nodeRecord(fmt.Sprintf("container GC removed container %s of pod %s (%s)", ct.name, kp.key, quantity(freed)))
		}
		k.rt.containers[kp.uid] = keep
		k.rt.changed(kp.uid)
	}
}
