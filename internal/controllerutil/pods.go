package controllerutil

import (
	"math"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/podsim/podsim/internal/podutil"
)

// PodDeletionCostAnnotation ranks pods for deletion by a ReplicaSet
// (k8s.io/api/core/v1 annotation_key_constants.go).
const PodDeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"

// IsPodActive reports whether a pod still counts for its controller: not
// finished and not being deleted (controller_utils.go IsPodActive).
func IsPodActive(p *corev1.Pod) bool {
	return p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed && p.DeletionTimestamp == nil
}

// FilterActivePods keeps the active pods, in order
// (controller_utils.go FilterActivePods).
func FilterActivePods(pods []*corev1.Pod) []*corev1.Pod {
	var out []*corev1.Pod
	for _, p := range pods {
		if IsPodActive(p) {
			out = append(out, p)
		}
	}
	return out
}

// IsPodTerminating reports a pod being deleted that has not finished
// (controller_utils.go IsPodTerminating).
func IsPodTerminating(p *corev1.Pod) bool {
	return p.DeletionTimestamp != nil && p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed
}

// CountTerminatingPods counts the terminating pods
// (controller_utils.go CountTerminatingPods).
func CountTerminatingPods(pods []*corev1.Pod) int32 {
	var n int32
	for _, p := range pods {
		if IsPodTerminating(p) {
			n++
		}
	}
	return n
}

// IsPodReady reports whether the pod's Ready condition is True
// (pkg/api/v1/pod IsPodReady).
func IsPodReady(p *corev1.Pod) bool {
	c := podutil.FindCondition(p.Status.Conditions, corev1.PodReady)
	return c != nil && c.Status == corev1.ConditionTrue
}

// IsPodAvailable reports whether the pod has been ready for at least
// minReadySeconds at now (pkg/api/v1/pod IsPodAvailable): the Ready
// condition's lastTransitionTime, kept to the second, plus minReadySeconds
// is before now.
func IsPodAvailable(p *corev1.Pod, minReadySeconds int32, now time.Time) bool {
	if !IsPodReady(p) {
		return false
	}
	c := podutil.FindCondition(p.Status.Conditions, corev1.PodReady)
	d := time.Duration(minReadySeconds) * time.Second
	return minReadySeconds == 0 || (!c.LastTransitionTime.IsZero() && c.LastTransitionTime.Add(d).Before(now))
}

// podReadyTime is when a ready pod became ready, or nil
// (controller_utils.go podReadyTime).
func podReadyTime(p *corev1.Pod) *metav1.Time {
	if IsPodReady(p) {
		c := podutil.FindCondition(p.Status.Conditions, corev1.PodReady)
		return &c.LastTransitionTime
	}
	return &metav1.Time{}
}

func maxContainerRestarts(p *corev1.Pod) int32 {
	var n int32
	for _, c := range p.Status.ContainerStatuses {
		n = max(n, c.RestartCount)
	}
	return n
}

// afterOrZero: a zero time counts as after any other
// (controller_utils.go afterOrZero).
func afterOrZero(t1, t2 *metav1.Time) bool {
	if t1.Time.IsZero() || t2.Time.IsZero() {
		return t1.Time.IsZero()
	}
	return t1.After(t2.Time)
}

var podPhaseToOrdinal = map[corev1.PodPhase]int{corev1.PodPending: 0, corev1.PodUnknown: 1, corev1.PodRunning: 2}

// ActivePodsLess orders pods so that the one to delete first is smallest
// (controller_utils.go ActivePods.Less): unassigned before assigned,
// Pending before Unknown before Running, not ready before ready, ready for
// less time before more, more restarts before fewer, newer before older.
func ActivePodsLess(a, b *corev1.Pod) bool {
	if a.Spec.NodeName != b.Spec.NodeName && (a.Spec.NodeName == "" || b.Spec.NodeName == "") {
		return a.Spec.NodeName == ""
	}
	if podPhaseToOrdinal[a.Status.Phase] != podPhaseToOrdinal[b.Status.Phase] {
		return podPhaseToOrdinal[a.Status.Phase] < podPhaseToOrdinal[b.Status.Phase]
	}
	if IsPodReady(a) != IsPodReady(b) {
		return !IsPodReady(a)
	}
	if IsPodReady(a) && IsPodReady(b) {
		if ra, rb := podReadyTime(a), podReadyTime(b); !ra.Equal(rb) {
			return afterOrZero(ra, rb)
		}
	}
	if maxContainerRestarts(a) != maxContainerRestarts(b) {
		return maxContainerRestarts(a) > maxContainerRestarts(b)
	}
	if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		return afterOrZero(&a.CreationTimestamp, &b.CreationTimestamp)
	}
	return false
}

// RankedPod is a pod with its rank: how many active pods of the same owner
// share its node.
type RankedPod struct {
	Pod  *corev1.Pod
	Rank int
}

// RankedPodsLess orders pods for a ReplicaSet's scale-down
// (controller_utils.go ActivePodsWithRanks.Less, with PodDeletionCost and
// LogarithmicScaleDown on, as in every supported version): unassigned
// first, then Pending, Unknown, Running; not ready; lower
// pod-deletion-cost; doubled up on a node; ready for less time and newer,
// both compared in powers of two of their age at now, ties broken by UID;
// more restarts.
func RankedPodsLess(a, b RankedPod, now time.Time) bool {
	pa, pb := a.Pod, b.Pod
	if pa.Spec.NodeName != pb.Spec.NodeName && (pa.Spec.NodeName == "" || pb.Spec.NodeName == "") {
		return pa.Spec.NodeName == ""
	}
	if podPhaseToOrdinal[pa.Status.Phase] != podPhaseToOrdinal[pb.Status.Phase] {
		return podPhaseToOrdinal[pa.Status.Phase] < podPhaseToOrdinal[pb.Status.Phase]
	}
	if IsPodReady(pa) != IsPodReady(pb) {
		return !IsPodReady(pa)
	}
	if ca, cb := deletionCost(pa), deletionCost(pb); ca != cb {
		return ca < cb
	}
	if a.Rank != b.Rank {
		return a.Rank > b.Rank
	}
	if IsPodReady(pa) && IsPodReady(pb) {
		ra, rb := podReadyTime(pa), podReadyTime(pb)
		if !ra.Equal(rb) {
			if ra.IsZero() || rb.IsZero() {
				return afterOrZero(ra, rb)
			}
			if d := logarithmicRankDiff(ra.Time, rb.Time, now); d != 0 {
				return d < 0
			}
			return pa.UID < pb.UID
		}
	}
	if maxContainerRestarts(pa) != maxContainerRestarts(pb) {
		return maxContainerRestarts(pa) > maxContainerRestarts(pb)
	}
	if !pa.CreationTimestamp.Equal(&pb.CreationTimestamp) {
		if pa.CreationTimestamp.IsZero() || pb.CreationTimestamp.IsZero() {
			return afterOrZero(&pa.CreationTimestamp, &pb.CreationTimestamp)
		}
		if d := logarithmicRankDiff(pa.CreationTimestamp.Time, pb.CreationTimestamp.Time, now); d != 0 {
			return d < 0
		}
		return pa.UID < pb.UID
	}
	return false
}

// logarithmicRankDiff compares the ages of t1 and t2 at now in whole powers
// of two of nanoseconds (controller_utils.go logarithmicRankDiff).
func logarithmicRankDiff(t1, t2, now time.Time) int64 {
	d1, d2 := now.Sub(t1), now.Sub(t2)
	r1, r2 := int64(-1), int64(-1)
	if d1 > 0 {
		r1 = int64(math.Log2(float64(d1)))
	}
	if d2 > 0 {
		r2 = int64(math.Log2(float64(d2)))
	}
	return r1 - r2
}

// deletionCost is the pod's pod-deletion-cost annotation, 0 when absent or
// not an int32 (pkg/apis/core/helper GetDeletionCostFromPodAnnotations; the
// API server refuses an invalid one, podsim reads it as 0).
func deletionCost(p *corev1.Pod) int32 {
	v, ok := p.Annotations[PodDeletionCostAnnotation]
	if !ok {
		return 0
	}
	var n int64
	for i, r := range v {
		switch {
		case r == '-' && i == 0:
		case r >= '0' && r <= '9':
			n = n*10 + int64(r-'0')
			if n > math.MaxInt32+1 {
				return 0
			}
		default:
			return 0
		}
	}
	if len(v) > 0 && v[0] == '-' {
		n = -n
	}
	if n > math.MaxInt32 || n < math.MinInt32 {
		return 0
	}
	return int32(n)
}

// PodFromTemplate is the pod a controller creates from its template
// (controller_utils.go GetPodFromTemplate): the template's labels,
// annotations, finalizers and spec, generateName from the owner's name,
// and the controller reference.
func PodFromTemplate(template *corev1.PodTemplateSpec, ownerName string, ref *metav1.OwnerReference) *corev1.Pod {
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{
		Labels:       copyMap(template.Labels),
		Annotations:  copyMap(template.Annotations),
		GenerateName: PodsPrefix(ownerName),
		Finalizers:   append([]string(nil), template.Finalizers...),
	}}
	if ref != nil {
		pod.OwnerReferences = append(pod.OwnerReferences, *ref)
	}
	pod.Spec = *template.Spec.DeepCopy()
	return pod
}

// PodsPrefix is the generateName of a controller's pods: its name and a
// dash, unless that is not a valid name (controller_utils.go getPodsPrefix).
func PodsPrefix(controllerName string) string {
	prefix := controllerName + "-"
	// ValidatePodName(prefix, true): a DNS subdomain once the trailing
	// dash is masked.
	if len(validation.IsDNS1123Subdomain(controllerName+"-a")) != 0 {
		prefix = controllerName
	}
	return prefix
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// ControllerOf is the controller reference of an object, or nil
// (metav1.GetControllerOf).
func ControllerOf(obj metav1.Object) *metav1.OwnerReference { return metav1.GetControllerOf(obj) }

// ObjectRef is the involved object of an event about a controller's
// object (client-go tools/reference GetReference).
func ObjectRef(obj metav1.Object, kind, apiVersion string) corev1.ObjectReference {
	return corev1.ObjectReference{Kind: kind, Namespace: obj.GetNamespace(), Name: obj.GetName(), UID: obj.GetUID(),
		APIVersion: apiVersion, ResourceVersion: obj.GetResourceVersion()}
}

// PodKey is a pod's namespace/name (controller_utils.go PodKey).
func PodKey(p *corev1.Pod) string { return p.Namespace + "/" + p.Name }

// Reasons of the pod events of controllers (controller_utils.go).
const (
	FailedCreatePodReason     = "FailedCreate"
	SuccessfulCreatePodReason = "SuccessfulCreate"
	FailedDeletePodReason     = "FailedDelete"
	SuccessfulDeletePodReason = "SuccessfulDelete"
)

// SlowStartInitialBatchSize is the first batch of a slow start
// (controller_utils.go SlowStartInitialBatchSize).
const SlowStartInitialBatchSize = 1

// SlowStartBatch calls fn count times in batches of initial, then twice
// as many while every call of a batch succeeds (replica_set.go
// slowStartBatch); after a batch with a failure it stops. It returns the
// successful calls and the first error. The calls of a batch run one after
// another at one instant: in the simulation a create is not slow.
func SlowStartBatch(count, initial int, fn func() error) (int, error) {
	remaining, successes := count, 0
	for batch := min(remaining, initial); batch > 0; batch = min(2*batch, remaining) {
		var first error
		for range batch {
			if err := fn(); err != nil {
				if first == nil {
					first = err
				}
				continue
			}
			successes++
		}
		if first != nil {
			return successes, first
		}
		remaining -= batch
	}
	return successes, nil
}
