package eviction

import (
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// thresholdsMet returns the thresholds whose signal is below its value,
// ignoring grace periods; with enforceMinReclaim a threshold counts as met
// until the signal is back above value plus minimum reclaim
// (helpers.go thresholdsMet).
func thresholdsMet(ts []Threshold, obs Observations, enforceMinReclaim bool) []Threshold {
	var out []Threshold
	for _, t := range ts {
		ob, ok := obs[t.Signal]
		if !ok {
			continue
		}
		q := Quantity(t.Value, ob.capacity)
		if enforceMinReclaim && t.MinReclaim != nil {
			q.Add(*Quantity(*t.MinReclaim, ob.capacity))
		}
		if q.Cmp(*ob.available) > 0 { // OpLessThan
			out = append(out, t)
		}
	}
	return out
}

// thresholdsUpdatedStats keeps the thresholds whose observation is newer
// than the last one (helpers.go thresholdsUpdatedStats): a threshold
// whose stats did not move since the last pass drives no eviction.
func thresholdsUpdatedStats(ts []Threshold, obs, last Observations) []Threshold {
	var out []Threshold
	for _, t := range ts {
		ob, ok := obs[t.Signal]
		if !ok {
			continue
		}
		prev, found := last[t.Signal]
		if !found || ob.time == 0 || ob.time > prev.time {
			out = append(out, t)
		}
	}
	return out
}

// thresholdKey identifies a threshold as hasThreshold compares them: by
// signal, value and grace period.
type thresholdKey struct {
	signal Signal
	value  string
	grace  time.Duration
}

func keyOf(t Threshold) thresholdKey {
	return thresholdKey{t.Signal, t.Value.String(), t.GracePeriod}
}

// observedAt records when each threshold was first seen met, in the order
// the thresholds were met (the kubelet keeps a map and reads it in random
// order; podsim keeps the order so ties break the same way every run).
type observedAt struct {
	order []Threshold
	at    map[thresholdKey]time.Duration
}

// thresholdsFirstObservedAt keeps the first-observed time of thresholds
// still met and stamps new ones with now (helpers.go
// thresholdsFirstObservedAt).
func thresholdsFirstObservedAt(ts []Threshold, last observedAt, now time.Duration) observedAt {
	out := observedAt{at: make(map[thresholdKey]time.Duration, len(ts))}
	for _, t := range ts {
		k := keyOf(t)
		if _, dup := out.at[k]; dup {
			continue
		}
		at, ok := last.at[k]
		if !ok {
			at = now
		}
		out.at[k] = at
		out.order = append(out.order, t)
	}
	return out
}

// thresholdsMetGracePeriod returns the thresholds met for at least their
// grace period (helpers.go thresholdsMetGracePeriod).
func thresholdsMetGracePeriod(o observedAt, now time.Duration) []Threshold {
	var out []Threshold
	for _, t := range o.order {
		if now-o.at[keyOf(t)] >= t.GracePeriod {
			out = append(out, t)
		}
	}
	return out
}

// mergeThresholds appends the thresholds of b not already in a
// (helpers.go mergeThresholds).
func mergeThresholds(a, b []Threshold) []Threshold {
	out := a
	for _, t := range b {
		if !hasThreshold(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// hasThreshold compares grace period, signal and value (helpers.go
// hasThreshold).
func hasThreshold(ts []Threshold, t Threshold) bool {
	for _, x := range ts {
		if x.GracePeriod == t.GracePeriod && x.Signal == t.Signal && compareThresholdValue(x.Value, t.Value) {
			return true
		}
	}
	return false
}

// compareThresholdValue reports two values that mean the same
// (helpers.go compareThresholdValue).
func compareThresholdValue(a, b ThresholdValue) bool {
	if a.Quantity != nil {
		return b.Quantity != nil && a.Quantity.Cmp(*b.Quantity) == 0
	}
	if b.Quantity != nil {
		return false
	}
	return a.Percentage == b.Percentage
}

// nodeConditions are the conditions the thresholds report, once each, in
// the thresholds' order (helpers.go nodeConditions).
func nodeConditions(ts []Threshold) []corev1.NodeConditionType {
	var out []corev1.NodeConditionType
	for _, t := range ts {
		if c, ok := signalToNodeCondition[t.Signal]; ok && !hasNodeCondition(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func hasNodeCondition(cs []corev1.NodeConditionType, c corev1.NodeConditionType) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// conditionOrder is the order podsim lists conditions that are observed
// together; the kubelet reads them from a map, in random order, so its
// "The node had condition: [DiskPressure PIDPressure]. " may list them
// either way.
var conditionOrder = []corev1.NodeConditionType{corev1.NodeMemoryPressure, corev1.NodeDiskPressure, corev1.NodePIDPressure}

// nodeConditionsLastObservedAt stamps the conditions observed now and
// keeps the others' last time (helpers.go nodeConditionsLastObservedAt).
func nodeConditionsLastObservedAt(cs []corev1.NodeConditionType, last map[corev1.NodeConditionType]time.Duration, now time.Duration) map[corev1.NodeConditionType]time.Duration {
	out := make(map[corev1.NodeConditionType]time.Duration, len(last)+len(cs))
	for k, v := range last {
		out[k] = v
	}
	for _, c := range cs {
		out[c] = now
	}
	return out
}

// nodeConditionsObservedSince are the conditions observed within period
// before now (helpers.go nodeConditionsObservedSince): a condition stays
// on for the pressure transition period after its last observation.
func nodeConditionsObservedSince(at map[corev1.NodeConditionType]time.Duration, period, now time.Duration) []corev1.NodeConditionType {
	var out []corev1.NodeConditionType
	for _, c := range conditionOrder {
		if t, ok := at[c]; ok && now-t < period {
			out = append(out, c)
		}
	}
	return out
}

// byEvictionPriority ranks memory thresholds before all others and
// thresholds with no resource to reclaim last (helpers.go
// byEvictionPriority). It is sorted with sort.Sort, as the kubelet does,
// so equal thresholds end up where Go's sort puts them.
type byEvictionPriority []Threshold

func (a byEvictionPriority) Len() int      { return len(a) }
func (a byEvictionPriority) Swap(i, j int) { a[i], a[j] = a[j], a[i] }
func (a byEvictionPriority) Less(i, j int) bool {
	_, jHasResource := signalToResource[a[j].Signal]
	return a[i].Signal == SignalMemoryAvailable || a[i].Signal == SignalAllocatableMemoryAvailable || !jHasResource
}

func sortByEvictionPriority(ts []Threshold) { sort.Sort(byEvictionPriority(ts)) }

// reclaimableThreshold is the first threshold with a resource to reclaim
// (helpers.go getReclaimableThreshold).
func reclaimableThreshold(ts []Threshold) (Threshold, corev1.ResourceName, bool) {
	for _, t := range ts {
		if r, ok := signalToResource[t.Signal]; ok {
			return t, r, true
		}
	}
	return Threshold{}, "", false
}
