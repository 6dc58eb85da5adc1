package kubelet

import (
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/eviction"
	"github.com/podsim/podsim/internal/podutil"
)

// The eviction loop's waits (eviction_manager.go podCleanupTimeout,
// podCleanupPollFreq; kubelet_pods.go killPodNow's minimum timeout).
const (
	podCleanupTimeout  = 30 * time.Second
	podCleanupPollFreq = time.Second
	killPodMinTimeout  = 10 * time.Second
)

// evictionState is the kubelet's eviction manager: the pure state machine
// of package eviction, the loop that runs it every 10 s, and the
// evictions of a pass waiting to be carried out.
type evictionState struct {
	m     *eviction.Manager
	timer *engine.Timer
	// queue are the evictions of the pass under way, killed one after
	// another as evictPod's blocking killPodFunc does.
	queue   []eviction.Eviction
	evicted []*kpod
	// stats is the stats summary's cache (stats_cache.go).
	stats statsCache
	// parked: the loop skips its ticks until the stats move
	// (eviction_elision.go); parkedNext is the first tick it skipped.
	parked     bool
	parkedNext time.Duration
	// capacity is the node's capacity as registered (resources.go
	// machineCapacity).
	capacity corev1.ResourceList
	// active is the array ActivePods fills.
	active []*corev1.Pod
}

// newEvictionManager builds the manager (eviction.NewManager) and gives
// the node status setters its answers (setPressureSource), as the kubelet
// hands the MemoryPressure, DiskPressure and PIDPressure setters
// evictionManager.IsUnderMemoryPressure and the others.
func (k *Kubelet) newEvictionManager() {
	r := k.cfg.Resources
	m := eviction.NewManager(eviction.Config{
		Thresholds:                    k.thresholds,
		PressureTransitionPeriod:      r.EvictionPressureTransitionPeriod,
		MaxPodGracePeriodSeconds:      r.EvictionMaxPodGracePeriod,
		LocalStorageCapacityIsolation: true,
		Rules:                         k.prof.Eviction,
	})
	k.evictions.m = m
	for _, c := range []corev1.NodeConditionType{corev1.NodeMemoryPressure, corev1.NodeDiskPressure, corev1.NodePIDPressure} {
		k.setPressureSource(c, func() bool { return m.IsUnderPressure(c) })
	}
}

// startEvictionLoop arms the first pass at the configured phase of the
// 10 s period (evictionMonitoringPeriod). The timer is ranked (see
// engine.Timer.ResetRanked): its own ticks keep its rank, so that when it
// skipped ticks (eviction_elision.go) it takes the place among
// simultaneous events that ticking would have given it.
func (k *Kubelet) startEvictionLoop(first time.Duration) {
	k.evictions.timer = k.eng.NewTimer(engine.PriorityNormal, func() {
		if k.faults.halted { // node_faults.go: the kubelet is not running
			k.evictionTickAgain()
			k.parkEvictionsWhileHalted()
			return
		}
		k.evictionPass(true)
	}).SetOwner(kubeletLoop{k.name, "eviction manager"})
	k.evictions.timer.ResetRanked(first, k.eng.Now())
}

// evictionTickAgain arms the loop's next tick, one period from now.
func (k *Kubelet) evictionTickAgain() {
	now := k.eng.Now()
	k.evictions.timer.ResetRanked(engine.Add(now, eviction.MonitoringInterval), now)
}

// evictionPass is one turn of the manager's loop (eviction_manager.go
// Start): synchronize; with no eviction, sleep 10 s; else carry out the
// evictions, wait for the pods to be cleaned up, and synchronize again at
// once. ticked: the loop's timer runs it (not the end of a wait).
func (k *Kubelet) evictionPass(ticked bool) {
	es := &k.evictions
	es.queue, es.evicted = nil, nil
	evicted := es.m.Synchronize(k.eng.Now(), evictionHost{k})
	k.nodeStatusPressureMayHaveChanged() // node_status_elision.go
	es.stats.release()                   // the pass is over: no summary of it is in use
	if len(evicted) == 0 {
		if !ticked {
			es.timer.Rerank() // armed as an ordinary arming now would be
		}
		k.evictionTickAgain()
		k.parkEvictionsIfQuiet()
		return
	}
	k.nextEviction()
}

// nextEviction carries out the next eviction of the pass: the Evicted
// event, then the kill, which the manager waits for (killPodNow: until the
// pod is terminated, or 1.5 × its grace period, at least 10 s).
func (k *Kubelet) nextEviction() {
	es := &k.evictions
	if len(es.queue) == 0 {
		k.waitForPodsCleanup(k.eng.Now())
		return
	}
	e := es.queue[0]
	es.queue = es.queue[1:]
	kp := k.pods[e.Pod.UID]
	k.rec.AnnotatedEvent(podutil.PodRef(kp.pod, ""), e.Annotations, corev1.EventTypeWarning, eviction.Reason, e.Message)
	es.evicted = append(es.evicted, kp)
	grace := e.GracePeriodSeconds
	timeout := max(time.Duration(grace+grace/2)*time.Second, killPodMinTimeout)
	waited := false
	var timer *engine.Timer
	done := func() {
		if waited {
			return
		}
		waited = true
		timer.Stop()
		k.nextEviction()
	}
	timer = k.eng.NewTimer(engine.PriorityNormal, func() {
		if waited {
			return
		}
		waited = true
		// kubelet_pods.go killPodNow: events.ExceededGracePeriod.
		k.event(podutil.PodRef(kp.pod, ""), corev1.EventTypeWarning, "ExceededGracePeriod", "Container runtime did not kill the pod within specified grace period.")
		k.nextEviction()
	}).SetOwner(kubeletLoop{k.name, "eviction manager"})
	timer.ResetAfter(timeout)
	kp.onTerminated = append(kp.onTerminated, done)
	msg, cond := e.Message, e.Condition
	k.updatePod(kp, updateOptions{
		kind: syncPodKill, graceOverride: &grace, cause: "evicted: " + msg,
		statusFn: func(s *corev1.PodStatus) {
			s.Phase, s.Reason, s.Message = corev1.PodFailed, eviction.Reason, msg
			if cond != nil {
				setPodCondition(s, *cond)
			}
		},
	})
	if kp.w.terminated {
		done()
	}
}

// waitForPodsCleanup polls every second, from since, until every evicted
// pod's resources are reclaimed (its containers gone, its volumes torn
// down), or for 30 s; then the next pass runs at once.
func (k *Kubelet) waitForPodsCleanup(since time.Duration) {
	es := &k.evictions
	var poll func()
	poll = func() {
		now := k.eng.Now()
		if now-since >= podCleanupTimeout {
			k.evictionPass(false)
			return
		}
		for _, kp := range es.evicted {
			if !kp.w.finished && !kp.w.rejected {
				k.eng.After(podCleanupPollFreq, engine.PriorityNormal, poll).SetOwner(kubeletLoop{k.name, "eviction manager"})
				return
			}
		}
		k.evictionPass(false)
	}
	k.eng.After(podCleanupPollFreq, engine.PriorityNormal, poll).SetOwner(kubeletLoop{k.name, "eviction manager"})
}

// setPodCondition replaces or adds a condition (podutil.UpdatePodCondition).
func setPodCondition(s *corev1.PodStatus, c corev1.PodCondition) {
	for i := range s.Conditions {
		if s.Conditions[i].Type == c.Type {
			s.Conditions[i] = c
			return
		}
	}
	s.Conditions = append(s.Conditions, c)
}

// evictionHost is what a pass of the manager asks of the kubelet.
type evictionHost struct{ k *Kubelet }

func (h evictionHost) Stats() eviction.Summary { return h.k.summary() }

// ActivePods are the pods that may still have running containers, in
// admission order (kubelet.go GetActivePods, filterOutInactivePods): not
// rejected, and not yet terminated. The list is the manager's for the
// pass only (it ranks a copy), so each pass reuses the last one's array.
func (h evictionHost) ActivePods() []*corev1.Pod {
	es := &h.k.evictions
	clear(es.active)
	out := es.active[:0]
	for _, kp := range h.k.order {
		if !kp.w.rejected && !kp.w.terminated && !kp.w.finished {
			out = append(out, kp.pod)
		}
	}
	es.active = out
	return out
}

func (h evictionHost) Reclaim(r eviction.Reclaim) {
	switch r {
	case eviction.DeleteAllUnusedContainers:
		h.k.deleteAllUnusedContainers()
	case eviction.DeleteUnusedImages:
		h.k.deleteUnusedImages()
	}
}

func (h evictionHost) NodeEvent(eventType, reason, message string) {
	h.k.rec.Event(h.k.nodeRef(), eventType, reason, message)
}

func (h evictionHost) Evict(e eviction.Eviction) bool {
	if h.k.pods[e.Pod.UID] == nil {
		return false
	}
	h.k.evictions.queue = append(h.k.evictions.queue, e)
	return true
}

// admitUnderPressure is the eviction manager's admission handler, the
// first the kubelet asks (eviction_manager.go Admit).
func (k *Kubelet) admitUnderPressure(p *corev1.Pod) (reason, message string) {
	if ok, reason, msg := k.evictions.m.Admit(p); !ok {
		return reason, msg
	}
	return "", ""
}
