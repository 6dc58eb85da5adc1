package eviction

import (
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/qos"
)

// Config is the eviction manager's configuration (pkg/kubelet/eviction
// types.go Config).
type Config struct {
	// Thresholds are the hard and soft thresholds (ParseThresholdConfig).
	Thresholds []Threshold
	// PressureTransitionPeriod is how long a pressure condition stays on
	// after its threshold was last met (default 5m).
	PressureTransitionPeriod time.Duration
	// MaxPodGracePeriodSeconds is eviction-max-pod-grace-period, the grace
	// period of a soft eviction (default 0).
	MaxPodGracePeriodSeconds int64
	// LocalStorageCapacityIsolation turns on the emptyDir sizeLimit and
	// ephemeral-storage limit evictions (default true, GA 1.25).
	LocalStorageCapacityIsolation bool
	// DedicatedImageFs: the runtime's images and writable layers are on a
	// disk of their own.
	DedicatedImageFs bool
	Rules            Rules
}

// Reclaim is a node-level reclaim the manager asks for before evicting
// pods (eviction_manager.go reclaimNodeLevelResources).
type Reclaim uint8

// The node-level reclaims (helpers.go buildSignalToNodeReclaimFuncs).
const (
	// DeleteAllUnusedContainers removes the dead containers the kubelet
	// may remove (ContainerGC.DeleteAllUnusedContainers).
	DeleteAllUnusedContainers Reclaim = iota + 1
	// DeleteUnusedImages removes the images no container uses
	// (ImageGC.DeleteUnusedImages).
	DeleteUnusedImages
)

// Eviction is a pod the manager evicts and how.
type Eviction struct {
	Pod *corev1.Pod
	// GracePeriodSeconds is the grace period override passed to the pod
	// worker.
	GracePeriodSeconds int64
	// Message is the pod's status message and the Evicted event's.
	Message string
	// Annotations go on the Evicted event.
	Annotations map[string]string
	// Condition is DisruptionTarget for a node-pressure eviction where the
	// version sets it; nil for a local-storage eviction.
	Condition *corev1.PodCondition
	// Signal is the threshold's signal, "" for a local-storage limit.
	Signal Signal
}

// Host is what a synchronize pass asks of the kubelet around it.
type Host interface {
	// Stats are the stats now (summaryProvider.Get).
	Stats() Summary
	// ActivePods are the pods that may still have running containers, in
	// the kubelet's order. The manager uses the slice during the pass only
	// and does not change it.
	ActivePods() []*corev1.Pod
	// Reclaim runs one node-level reclaim.
	Reclaim(r Reclaim)
	// NodeEvent records an event on the node.
	NodeEvent(eventType, reason, message string)
	// Evict starts the eviction of a pod; it reports whether it did
	// (eviction_manager.go evictPod, which refuses a critical pod first).
	Evict(e Eviction) bool
}

// Manager is the eviction manager's state between passes
// (eviction_manager.go managerImpl). It is a pure state machine: each
// Synchronize is one pass of the kubelet's loop at the time it is given.
type Manager struct {
	cfg Config
	// nodeConditions are the pressure conditions now reported.
	nodeConditions []corev1.NodeConditionType
	// conditionsLastObservedAt is when each condition's threshold was last met.
	conditionsLastObservedAt map[corev1.NodeConditionType]time.Duration
	firstObservedAt          observedAt
	// thresholdsMet are the thresholds met (grace included) and not yet
	// recovered by their minimum reclaim.
	thresholdsMet    []Threshold
	lastObservations Observations
	// quiet: the last pass found nothing to act on (see Quiet).
	quiet   bool
	rank    map[Signal]rankFunc
	reclaim map[Signal][]Reclaim
}

// NewManager returns a manager with nothing observed yet.
func NewManager(cfg Config) *Manager {
	if cfg.PressureTransitionPeriod == 0 {
		cfg.PressureTransitionPeriod = DefaultPressureTransitionPeriod
	}
	m := &Manager{cfg: cfg, conditionsLastObservedAt: map[corev1.NodeConditionType]time.Duration{}, rank: signalRankFuncs(cfg.DedicatedImageFs)}
	m.reclaim = signalReclaims(cfg.DedicatedImageFs)
	return m
}

// DefaultPressureTransitionPeriod is evictionPressureTransitionPeriod's
// default (pkg/kubelet/apis/config/v1beta1/defaults.go).
const DefaultPressureTransitionPeriod = 5 * time.Minute

// MonitoringInterval is how often the kubelet runs a pass
// (pkg/kubelet/kubelet.go evictionMonitoringPeriod).
const MonitoringInterval = 10 * time.Second

// signalReclaims follows helpers.go buildSignalToNodeReclaimFuncs (no
// split container filesystem): on one disk every disk signal removes dead
// containers, then unused images; with a dedicated imagefs, nodefs
// pressure has nothing to reclaim but imagefs pressure does both.
func signalReclaims(dedicatedImageFs bool) map[Signal][]Reclaim {
	both := []Reclaim{DeleteAllUnusedContainers, DeleteUnusedImages}
	if dedicatedImageFs {
		return map[Signal][]Reclaim{
			SignalNodeFsAvailable: {}, SignalNodeFsInodesFree: {},
			SignalImageFsAvailable: both, SignalImageFsInodesFree: both,
		}
	}
	return map[Signal][]Reclaim{
		SignalNodeFsAvailable: both, SignalNodeFsInodesFree: both,
		SignalImageFsAvailable: both, SignalImageFsInodesFree: both,
	}
}

// NodeConditions are the pressure conditions the node reports now.
func (m *Manager) NodeConditions() []corev1.NodeConditionType { return m.nodeConditions }

// IsUnderPressure reports a pressure condition: what the node status
// setters ask (IsUnderMemoryPressure, IsUnderDiskPressure,
// IsUnderPIDPressure).
func (m *Manager) IsUnderPressure(c corev1.NodeConditionType) bool {
	return hasNodeCondition(m.nodeConditions, c)
}

// Quiet reports whether the last pass found nothing to act on: no
// threshold met, none waiting out its grace period or its minimum reclaim,
// no pressure condition reported (so none waiting out the transition
// period), no pod over a local storage limit. Another pass over the same
// stats, at any later time, then does nothing and leaves the manager as
// it is: the thresholds are compared with the same observations, and no
// condition or first-observed time is stamped (helpers.go thresholdsMet,
// nodeConditionsLastObservedAt, nodeConditionsObservedSince). Only the
// last observations' time would move, which thresholdsUpdatedStats reads
// only for a threshold met, against an observation newer than any pass
// before. A host that knows the stats have not moved may skip such passes.
func (m *Manager) Quiet() bool { return m.quiet }

// Admit decides whether a pod may start on the node (eviction_manager.go
// Admit): with no pressure, or for a critical pod, yes; under memory
// pressure alone, unless the pod is BestEffort and does not tolerate the
// memory-pressure taint; under any other pressure, no. A refusal gives the
// reason Evicted and the message.
func (m *Manager) Admit(p *corev1.Pod) (ok bool, reason, message string) {
	if len(m.nodeConditions) == 0 || qos.IsCriticalPod(p) {
		return true, "", ""
	}
	if len(m.nodeConditions) == 1 && m.nodeConditions[0] == corev1.NodeMemoryPressure {
		if qos.PodClass(p) != corev1.PodQOSBestEffort {
			return true, "", ""
		}
		taint := corev1.Taint{Key: corev1.TaintNodeMemoryPressure, Effect: corev1.TaintEffectNoSchedule}
		if podutil.ToleratesTaint(p.Spec.Tolerations, taint) {
			return true, "", ""
		}
	}
	return false, Reason, AdmissionMessage(m.nodeConditions)
}

// Synchronize is one pass of the manager at now (eviction_manager.go
// synchronize): observe, update the thresholds met and the node
// conditions, then evict for local storage limits, else reclaim node-level
// resources, else evict at most one pod for the starved resource. It
// returns the pods it evicted.
func (m *Manager) Synchronize(now time.Duration, h Host) []*corev1.Pod {
	m.quiet = false
	if len(m.cfg.Thresholds) == 0 && !m.cfg.LocalStorageCapacityIsolation {
		m.quiet = true
		return nil
	}
	active := h.ActivePods()
	summary := h.Stats()
	obs := Observe(summary)
	stats := podStatsFunc(summary)

	ts := thresholdsMet(m.cfg.Thresholds, obs, false)
	if len(m.thresholdsMet) > 0 {
		ts = mergeThresholds(ts, thresholdsMet(m.thresholdsMet, obs, true))
	}
	first := thresholdsFirstObservedAt(ts, m.firstObservedAt, now)
	lastSeen := nodeConditionsLastObservedAt(nodeConditions(ts), m.conditionsLastObservedAt, now)
	m.nodeConditions = nodeConditionsObservedSince(lastSeen, m.cfg.PressureTransitionPeriod, now)
	ts = thresholdsMetGracePeriod(first, now)
	m.firstObservedAt = first
	m.conditionsLastObservedAt = lastSeen
	m.thresholdsMet = ts
	ts = thresholdsUpdatedStats(ts, obs, m.lastObservations)
	m.lastObservations = obs

	violations := 0
	if m.cfg.LocalStorageCapacityIsolation {
		var evicted []*corev1.Pod
		if evicted, violations = m.localStorageEviction(active, stats, h); len(evicted) > 0 {
			return evicted
		}
	}
	if len(ts) == 0 {
		m.quiet = violations == 0 && len(m.thresholdsMet) == 0 && len(m.firstObservedAt.at) == 0 && len(m.nodeConditions) == 0
		return nil
	}
	sortByEvictionPriority(ts)
	t, res, ok := reclaimableThreshold(ts)
	if !ok {
		return nil
	}
	h.NodeEvent(corev1.EventTypeWarning, "EvictionThresholdMet", "Attempting to reclaim "+string(res))
	if m.reclaimNodeLevelResources(t.Signal, h) {
		return nil
	}
	rank, ok := m.rank[t.Signal]
	if !ok || len(active) == 0 {
		return nil
	}
	pods := append([]*corev1.Pod(nil), active...)
	rank(pods, stats)
	for _, p := range pods {
		grace := m.cfg.Rules.ImmediateGracePeriodSeconds
		if !t.IsHard() {
			grace = m.cfg.MaxPodGracePeriodSeconds
			if m.cfg.Rules.SoftGraceCappedByPod && p.Spec.TerminationGracePeriodSeconds != nil {
				grace = min(grace, *p.Spec.TerminationGracePeriodSeconds)
			}
		}
		msg, ann := evictionMessage(m.cfg.Rules, res, p, stats, ts, obs)
		e := Eviction{Pod: p, GracePeriodSeconds: grace, Message: msg, Annotations: ann, Signal: t.Signal}
		if m.cfg.Rules.DisruptionTarget {
			e.Condition = &corev1.PodCondition{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue,
				Reason: corev1.PodReasonTerminationByKubelet, Message: msg}
		}
		if m.evict(e, h) {
			return []*corev1.Pod{p}
		}
	}
	return nil
}

// evict refuses critical pods, then hands the eviction to the host
// (eviction_manager.go evictPod).
func (m *Manager) evict(e Eviction, h Host) bool {
	if qos.IsCriticalPod(e.Pod) {
		return false
	}
	return h.Evict(e)
}

// reclaimNodeLevelResources runs the signal's reclaims, then re-reads the
// stats: if no threshold is met any more, minimum reclaim included, no pod
// need go (eviction_manager.go reclaimNodeLevelResources).
func (m *Manager) reclaimNodeLevelResources(s Signal, h Host) bool {
	rs := m.reclaim[s]
	for _, r := range rs {
		h.Reclaim(r)
	}
	if len(rs) == 0 {
		return false
	}
	return len(thresholdsMet(m.cfg.Thresholds, Observe(h.Stats()), true)) == 0
}

// localStorageEviction evicts every active pod over a local storage limit,
// at the immediate grace period and with no DisruptionTarget condition
// (eviction_manager.go localStorageEviction). It also counts the pods over
// a limit, evicted or not (a critical pod is not).
func (m *Manager) localStorageEviction(active []*corev1.Pod, stats statsFunc, h Host) (evicted []*corev1.Pod, violations int) {
	for _, p := range active {
		ps, ok := stats(p.UID)
		if !ok {
			continue
		}
		msg := localStorageViolation(ps, p, m.cfg.DedicatedImageFs)
		if msg == "" {
			continue
		}
		violations++
		if m.evict(Eviction{Pod: p, GracePeriodSeconds: m.cfg.Rules.ImmediateGracePeriodSeconds, Message: msg}, h) {
			evicted = append(evicted, p)
		}
	}
	return evicted, violations
}
