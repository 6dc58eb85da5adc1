package eviction_test

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/eviction"
)

// host is a node of 1Gi whose one BestEffort pod uses 950Mi.
type host struct{ pod *corev1.Pod }

func (h host) Stats() eviction.Summary {
	ws := int64(950 << 20)
	return eviction.Summary{Time: 10 * time.Second, Node: eviction.NodeStats{
		MemoryCapacity: 1 << 30, MemoryWorkingSet: ws, PodsMemoryLimit: 1 << 30, PodsMemoryWorkingSet: ws,
	}, Pods: []eviction.PodStats{{UID: h.pod.UID, MemoryWorkingSet: ws,
		Containers: []eviction.ContainerStats{{Name: "hog", MemoryWorkingSet: ws}}}}}
}
func (h host) ActivePods() []*corev1.Pod       { return []*corev1.Pod{h.pod} }
func (h host) Reclaim(eviction.Reclaim)        {}
func (h host) NodeEvent(_, reason, msg string) { fmt.Println("node event:", reason, msg) }
func (h host) Evict(e eviction.Eviction) bool {
	fmt.Printf("evict %s (grace %ds): %q\n", e.Pod.Name, e.GracePeriodSeconds, e.Message)
	return true
}

// One pass of the eviction manager on a node under memory pressure, with
// the kubelet's default hard thresholds and Kubernetes 1.33's rules.
func ExampleManager_Synchronize() {
	ts, err := eviction.ParseThresholdConfig(eviction.ThresholdConfig{Hard: eviction.DefaultEvictionHard, EnforcePodsAllocatable: true})
	if err != nil {
		panic(err)
	}
	m := eviction.NewManager(eviction.Config{Thresholds: ts, Rules: eviction.RulesFor(33)})
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "hog", UID: "uid-1"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "hog"}}}}
	m.Synchronize(10*time.Second, host{pod})
	fmt.Println("conditions:", m.NodeConditions())
	_, reason, msg := m.Admit(pod)
	fmt.Printf("admit a BestEffort pod: %s: %q\n", reason, msg)
	// Output:
	// node event: EvictionThresholdMet Attempting to reclaim memory
	// evict hog (grace 1s): "The node was low on resource: memory. Threshold quantity: 100Mi, available: 74Mi. Container hog was using 950Mi, request is 0, has larger consumption of memory. "
	// conditions: [MemoryPressure]
	// admit a BestEffort pod: Evicted: "The node had condition: [MemoryPressure]. "
}

// The default hard thresholds of a Linux kubelet, as thresholds.
func ExampleParseThresholdConfig() {
	ts, _ := eviction.ParseThresholdConfig(eviction.ThresholdConfig{Hard: eviction.DefaultEvictionHard, EnforcePodsAllocatable: true})
	for _, t := range ts {
		fmt.Printf("%s<%s hard=%v\n", t.Signal, t.Value, t.IsHard())
	}
	fmt.Println(eviction.Quantity(ts[0].Value, resource.NewQuantity(20<<30, resource.BinarySI)))
	// Output:
	// imagefs.available<15% hard=true
	// memory.available<100Mi hard=true
	// nodefs.available<10% hard=true
	// nodefs.inodesFree<5% hard=true
	// allocatableMemory.available<100Mi hard=true
	// 3221225600
}
