package eviction

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// Signal is an eviction signal (pkg/kubelet/eviction/api/types.go).
type Signal string

// The signals podsim observes (pkg/kubelet/eviction/api/types.go). The
// containerfs signals of a split image filesystem (KubeletSeparateDiskGC)
// and swap.available are not modelled: a podsim node has one disk.
const (
	// SignalMemoryAvailable is capacity minus the node's working set.
	SignalMemoryAvailable Signal = "memory.available"
	// SignalNodeFsAvailable is the free space of the kubelet's filesystem
	// (volumes, logs and, without an imagefs, images and writable layers).
	SignalNodeFsAvailable Signal = "nodefs.available"
	// SignalNodeFsInodesFree is the free inodes of that filesystem.
	SignalNodeFsInodesFree Signal = "nodefs.inodesFree"
	// SignalImageFsAvailable is the free space of the runtime's image
	// filesystem; on a node with one disk it is the nodefs.
	SignalImageFsAvailable Signal = "imagefs.available"
	// SignalImageFsInodesFree is the free inodes of the image filesystem.
	SignalImageFsInodesFree Signal = "imagefs.inodesFree"
	// SignalAllocatableMemoryAvailable is the pods cgroup's limit minus the
	// pods' working set; it is added for every hard memory.available
	// threshold when node allocatable is enforced for pods (the default).
	SignalAllocatableMemoryAvailable Signal = "allocatableMemory.available"
	// SignalPIDAvailable is pid_max minus the running processes.
	SignalPIDAvailable Signal = "pid.available"
)

// Resources the kubelet reclaims that are no API resource names
// (pkg/kubelet/eviction/helpers.go resourceInodes, resourcePids).
const (
	ResourceInodes corev1.ResourceName = "inodes"
	ResourcePids   corev1.ResourceName = "pids"
)

// Reason is the pod status reason and event reason of an eviction
// (pkg/kubelet/eviction/helpers.go Reason).
const Reason = "Evicted"

// signalToResource maps a signal to the resource it starves
// (pkg/kubelet/eviction/helpers.go signalToResource).
var signalToResource = map[Signal]corev1.ResourceName{
	SignalMemoryAvailable:            corev1.ResourceMemory,
	SignalAllocatableMemoryAvailable: corev1.ResourceMemory,
	SignalImageFsAvailable:           corev1.ResourceEphemeralStorage,
	SignalImageFsInodesFree:          ResourceInodes,
	SignalNodeFsAvailable:            corev1.ResourceEphemeralStorage,
	SignalNodeFsInodesFree:           ResourceInodes,
	SignalPIDAvailable:               ResourcePids,
}

// signalToNodeCondition maps a signal to the node condition it reports
// (pkg/kubelet/eviction/helpers.go signalToNodeCondition).
var signalToNodeCondition = map[Signal]corev1.NodeConditionType{
	SignalMemoryAvailable:            corev1.NodeMemoryPressure,
	SignalAllocatableMemoryAvailable: corev1.NodeMemoryPressure,
	SignalImageFsAvailable:           corev1.NodeDiskPressure,
	SignalNodeFsAvailable:            corev1.NodeDiskPressure,
	SignalImageFsInodesFree:          corev1.NodeDiskPressure,
	SignalNodeFsInodesFree:           corev1.NodeDiskPressure,
	SignalPIDAvailable:               corev1.NodePIDPressure,
}

// ResourceOf is the resource a signal starves, and whether the signal is
// one podsim knows.
func ResourceOf(s Signal) (corev1.ResourceName, bool) {
	r, ok := signalToResource[s]
	return r, ok
}

// ConditionOf is the node condition a signal reports.
func ConditionOf(s Signal) corev1.NodeConditionType { return signalToNodeCondition[s] }

// Signals lists the signals a threshold may name, sorted.
func Signals() []string {
	out := make([]string, 0, len(signalToResource))
	for s := range signalToResource {
		out = append(out, string(s))
	}
	slices.Sort(out)
	return out
}

// ThresholdValue is a quantity or a fraction of the capacity
// (pkg/kubelet/eviction/api/types.go ThresholdValue): the first non-zero
// field is used.
type ThresholdValue struct {
	Quantity   *resource.Quantity
	Percentage float32
}

// String writes the value as a kubelet flag would: "100Mi" or "10%".
func (v ThresholdValue) String() string {
	if v.Quantity != nil {
		return v.Quantity.String()
	}
	// Four decimals undo the float32 rounding of the parsed percentage.
	pct := strings.TrimRight(strconv.FormatFloat(float64(v.Percentage)*100, 'f', 4, 64), "0")
	return strings.TrimSuffix(pct, ".") + "%"
}

// Threshold is one eviction threshold (pkg/kubelet/eviction/api/types.go).
// A threshold is hard when its GracePeriod is 0.
type Threshold struct {
	Signal      Signal
	Value       ThresholdValue
	GracePeriod time.Duration
	MinReclaim  *ThresholdValue
}

// IsHard reports a hard threshold (helpers.go isHardEvictionThreshold).
func (t Threshold) IsHard() bool { return t.GracePeriod == 0 }

// Quantity is the threshold's amount against capacity
// (pkg/kubelet/eviction/api/types.go GetThresholdQuantity): a percentage
// of the capacity (a float32, as the kubelet parses it) is truncated to
// whole units and printed in BinarySI, so 15% of 20Gi is 3221225600 and
// 10% of 100Gi 10737418400.
func Quantity(v ThresholdValue, capacity *resource.Quantity) *resource.Quantity {
	if v.Quantity != nil {
		q := v.Quantity.DeepCopy()
		return &q
	}
	return resource.NewQuantity(int64(float64(capacity.Value())*float64(v.Percentage)), resource.BinarySI)
}

// DefaultEvictionHard is the kubelet's default hard thresholds on Linux
// (pkg/kubelet/eviction/defaults_linux.go). pid.available has no default.
var DefaultEvictionHard = map[string]string{
	"memory.available":  "100Mi",
	"nodefs.available":  "10%",
	"nodefs.inodesFree": "5%",
	"imagefs.available": "15%",
}

// ThresholdConfig is the kubelet's eviction settings as its configuration
// file writes them: signal to value.
type ThresholdConfig struct {
	Hard, Soft, SoftGracePeriod, MinimumReclaim map[string]string
	// EnforcePodsAllocatable is enforceNodeAllocatable containing "pods"
	// (the default): every hard memory.available threshold gets an
	// allocatableMemory.available twin.
	EnforcePodsAllocatable bool
}

// ParseThresholdConfig reads the thresholds as the kubelet does
// (pkg/kubelet/eviction/helpers.go ParseThresholdConfig): hard thresholds,
// then soft ones each with its grace period, minimum reclaims attached to
// every threshold of the signal, then the allocatable twins. The kubelet
// reads each map in Go's random map order; podsim reads them sorted by
// signal, so the order (which decides ties later) is fixed. An error names
// the map and the signal, in the kubelet's words.
func ParseThresholdConfig(c ThresholdConfig) ([]Threshold, error) {
	var out []Threshold
	hard, err := parseStatements(c.Hard)
	if err != nil {
		return nil, err
	}
	out = append(out, hard...)
	soft, err := parseStatements(c.Soft)
	if err != nil {
		return nil, err
	}
	grace := map[Signal]time.Duration{}
	for _, k := range sortedKeys(c.SoftGracePeriod) {
		s := Signal(k)
		if _, ok := signalToResource[s]; !ok {
			return nil, fmt.Errorf("unsupported eviction signal %v", s) // helpers.go unsupportedEvictionSignal
		}
		d, err := time.ParseDuration(c.SoftGracePeriod[k])
		if err != nil {
			return nil, err
		}
		if d < 0 {
			return nil, fmt.Errorf("invalid eviction grace period specified: %v, must be a positive value", c.SoftGracePeriod[k])
		}
		grace[s] = d
	}
	for i := range soft {
		d, ok := grace[soft[i].Signal]
		if !ok {
			return nil, fmt.Errorf("grace period must be specified for the soft eviction threshold %v", soft[i].Signal)
		}
		soft[i].GracePeriod = d
	}
	out = append(out, soft...)
	reclaims, err := parseMinimumReclaims(c.MinimumReclaim)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if r, ok := reclaims[out[i].Signal]; ok {
			out[i].MinReclaim = &r
		}
	}
	if c.EnforcePodsAllocatable {
		out = addAllocatableThresholds(out)
	}
	return out, nil
}

// addAllocatableThresholds copies every hard memory.available threshold to
// allocatableMemory.available (helpers.go addAllocatableThresholds).
func addAllocatableThresholds(ts []Threshold) []Threshold {
	var extra []Threshold
	for _, t := range ts {
		if t.Signal == SignalMemoryAvailable && t.IsHard() {
			extra = append(extra, Threshold{Signal: SignalAllocatableMemoryAvailable, Value: t.Value, MinReclaim: t.MinReclaim})
		}
	}
	return append(slices.Clone(ts), extra...)
}

func parseStatements(m map[string]string) ([]Threshold, error) {
	var out []Threshold
	for _, k := range sortedKeys(m) {
		t, err := parseStatement(Signal(k), m[k])
		if err != nil {
			return nil, err
		}
		if t != nil {
			out = append(out, *t)
		}
	}
	return out, nil
}

// parseStatement follows helpers.go parseThresholdStatement: 0% and 100%
// are ignored, a percentage must lie in [0%, 100%], a quantity must be
// positive.
func parseStatement(s Signal, val string) (*Threshold, error) {
	if _, ok := signalToResource[s]; !ok {
		return nil, fmt.Errorf("unsupported eviction signal %v", s)
	}
	if strings.HasSuffix(val, "%") {
		if val == "0%" || val == "100%" {
			return nil, nil
		}
		p, err := parsePercentage(val)
		if err != nil {
			return nil, err
		}
		if p < 0 {
			return nil, fmt.Errorf("eviction percentage threshold %v must be >= 0%%: %s", s, val)
		}
		if p > 1 {
			return nil, fmt.Errorf("eviction percentage threshold %v must be <= 100%%: %s", s, val)
		}
		return &Threshold{Signal: s, Value: ThresholdValue{Percentage: p}}, nil
	}
	q, err := resource.ParseQuantity(val)
	if err != nil {
		return nil, err
	}
	if q.Sign() <= 0 {
		return nil, fmt.Errorf("eviction threshold %v must be positive: %s", s, &q)
	}
	return &Threshold{Signal: s, Value: ThresholdValue{Quantity: &q}}, nil
}

// parsePercentage reads "25.5%" as 0.255 (helpers.go parsePercentage).
func parsePercentage(input string) (float32, error) {
	v, err := strconv.ParseFloat(strings.TrimRight(input, "%"), 32)
	if err != nil {
		return 0, err
	}
	return float32(v) / 100, nil
}

func parseMinimumReclaims(m map[string]string) (map[Signal]ThresholdValue, error) {
	out := map[Signal]ThresholdValue{}
	for _, k := range sortedKeys(m) {
		s, val := Signal(k), m[k]
		if _, ok := signalToResource[s]; !ok {
			return nil, fmt.Errorf("unsupported eviction signal %v", s)
		}
		if strings.HasSuffix(val, "%") {
			p, err := parsePercentage(val)
			if err != nil {
				return nil, err
			}
			if p <= 0 {
				return nil, fmt.Errorf("eviction percentage minimum reclaim %v must be positive: %s", s, val)
			}
			out[s] = ThresholdValue{Percentage: p}
			continue
		}
		q, err := resource.ParseQuantity(val)
		if err != nil {
			return nil, err
		}
		if q.Sign() < 0 {
			return nil, fmt.Errorf("negative eviction minimum reclaim specified for %v", s)
		}
		out[s] = ThresholdValue{Quantity: &q}
	}
	return out, nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
