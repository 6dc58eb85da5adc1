package scheduler

import (
	"cmp"
	"container/heap"
	"slices"
	"time"

	"k8s.io/apimachinery/pkg/types"
)

// Scheduling queue constants (pkg/scheduler/backend/queue/scheduling_queue.go,
// pkg/scheduler/apis/config/v1/defaults.go).
const (
	podInitialBackoff = 1 * time.Second
	podMaxBackoff     = 10 * time.Second
	// podMaxInUnschedulablePods is how long a pod may stay unschedulable
	// before the leftover flush moves it back, whatever happened.
	podMaxInUnschedulablePods = 5 * time.Minute
	// unschedulableFlushPeriod is the period of flushUnschedulablePodsLeftover.
	unschedulableFlushPeriod = 30 * time.Second
	// backoffFlushPeriod is the period of flushBackoffQCompleted.
	backoffFlushPeriod = 1 * time.Second
)

// plugins is a set of the filter plugins that rejected a pod, the
// queue's UnschedulablePlugins.
type plugins uint16

const (
	pluginNodeUnschedulable plugins = 1 << iota
	pluginTaintToleration
	pluginNodeAffinity
	pluginNodePorts
	pluginNodeResourcesFit
	pluginInterPodAffinity
	pluginSchedulingGates
)

// A cluster event and the plugins whose rejection it may undo (each
// plugin's EventsToRegister).
const (
	// A node was added or changed: every node-level check may now pass.
	movedByNodeChange = pluginNodeUnschedulable | pluginTaintToleration | pluginNodeAffinity |
		pluginNodePorts | pluginNodeResourcesFit | pluginInterPodAffinity
	// A bound pod went away: it freed resources and ports, and its
	// anti-affinity no longer applies.
	movedByAssignedPodDelete = pluginNodePorts | pluginNodeResourcesFit | pluginInterPodAffinity
	// A pod was bound: a pod waiting for affinity to it may fit.
	movedByAssignedPodAdd = pluginInterPodAffinity
)

// queuedPod is framework.QueuedPodInfo: a pending pod and its history in
// the queue.
type queuedPod struct {
	pi *podInfo
	// timestamp is when the pod last entered the queue; with priority it
	// orders the active queue (the PrioritySort plugin).
	timestamp time.Duration
	attempts  int
	// rejectedBy are the plugins that rejected the last attempt.
	rejectedBy plugins
	gated      bool
	// parkedAs is what the pod is counted under in parkedBy while parked.
	parkedAs plugins

	// readyAt is when the pod in the active queue is due for its attempt:
	// when it entered plus the scheduling delay.
	readyAt   time.Duration
	heapIndex int // -1 when not in the active queue
	seq       uint64
	// generation changes whenever the pod moves, so a stale leftover-flush
	// timer can tell.
	generation uint64
}

// activeQueue is the active queue: a heap of pods ordered by when their
// attempt is due, then by PrioritySort's rule — higher priority first,
// then the one that entered the queue first.
type activeQueue []*queuedPod

func (q activeQueue) Len() int { return len(q) }
func (q activeQueue) Less(i, j int) bool {
	a, b := q[i], q[j]
	if a.readyAt != b.readyAt {
		return a.readyAt < b.readyAt
	}
	if a.pi.priority != b.pi.priority {
		return a.pi.priority > b.pi.priority
	}
	if a.timestamp != b.timestamp {
		return a.timestamp < b.timestamp
	}
	return a.seq < b.seq
}
func (q activeQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].heapIndex, q[j].heapIndex = i, j
}
func (q *activeQueue) Push(x any) {
	qp := x.(*queuedPod)
	qp.heapIndex = len(*q)
	*q = append(*q, qp)
}
func (q *activeQueue) Pop() any {
	old := *q
	qp := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	qp.heapIndex = -1
	return qp
}

// schedulingQueue holds every pending pod the scheduler knows: in the
// active queue (due for an attempt) or unschedulable (waiting for a
// cluster event that may help, or for its gates to go).
type schedulingQueue struct {
	pods          map[types.NamespacedName]*queuedPod
	active        activeQueue
	unschedulable map[types.NamespacedName]*queuedPod
	// parkedBy counts the unschedulable, ungated pods by the plugins that
	// rejected them (a pod rejected by none, by no plugin at all, counts
	// under every bit), so that an event no parked pod cares about costs
	// nothing.
	parkedBy plugins
	parked   map[plugins]int
	seq      uint64
}

func newSchedulingQueue() *schedulingQueue {
	return &schedulingQueue{pods: map[types.NamespacedName]*queuedPod{}, unschedulable: map[types.NamespacedName]*queuedPod{},
		parked: map[plugins]int{}}
}

// activate puts a pod in the active queue, due at readyAt.
func (q *schedulingQueue) activate(qp *queuedPod, now, readyAt time.Duration) {
	q.unpark(qp)
	qp.generation++
	qp.timestamp = now
	qp.readyAt = readyAt
	if qp.heapIndex >= 0 {
		heap.Fix(&q.active, qp.heapIndex)
		return
	}
	heap.Push(&q.active, qp)
}

// park makes a pod unschedulable until an event moves it.
func (q *schedulingQueue) park(qp *queuedPod, now time.Duration) {
	if qp.heapIndex >= 0 {
		heap.Remove(&q.active, qp.heapIndex)
	}
	qp.generation++
	qp.timestamp = now
	q.unschedulable[qp.pi.key()] = qp
	if !qp.gated {
		qp.parkedAs = qp.rejectedBy
		if qp.parkedAs == 0 {
			qp.parkedAs = ^plugins(0)
		}
		q.parked[qp.parkedAs]++
		q.parkedBy |= qp.parkedAs
	}
}

// unpark takes a pod out of the unschedulable set.
func (q *schedulingQueue) unpark(qp *queuedPod) {
	if _, ok := q.unschedulable[qp.pi.key()]; !ok {
		return
	}
	delete(q.unschedulable, qp.pi.key())
	by := qp.parkedAs
	if by == 0 {
		return
	}
	qp.parkedAs = 0
	if q.parked[by]--; q.parked[by] == 0 {
		delete(q.parked, by)
		q.parkedBy = 0
		for b := range q.parked {
			q.parkedBy |= b
		}
	}
}

// popDue returns the best pod due by now, or nil.
func (q *schedulingQueue) popDue(now time.Duration) *queuedPod {
	if len(q.active) == 0 || q.active[0].readyAt > now {
		return nil
	}
	return heap.Pop(&q.active).(*queuedPod)
}

func (q *schedulingQueue) remove(key types.NamespacedName) *queuedPod {
	qp, ok := q.pods[key]
	if !ok {
		return nil
	}
	delete(q.pods, key)
	q.unpark(qp)
	if qp.heapIndex >= 0 {
		heap.Remove(&q.active, qp.heapIndex)
	}
	qp.generation++
	return qp
}

// unschedulableRejectedBy lists the unschedulable, ungated pods that one
// of these plugins rejected, in the order they became unschedulable.
func (q *schedulingQueue) unschedulableRejectedBy(p plugins) []*queuedPod {
	if q.parkedBy&p == 0 {
		return nil
	}
	var out []*queuedPod
	for _, qp := range q.unschedulable {
		if !qp.gated && (qp.rejectedBy == 0 || qp.rejectedBy&p != 0) {
			out = append(out, qp)
		}
	}
	slices.SortFunc(out, func(a, b *queuedPod) int {
		return cmp.Or(cmp.Compare(a.timestamp, b.timestamp), cmp.Compare(a.seq, b.seq))
	})
	return out
}

// backoff is the pod's back-off after its attempts so far
// (calculateBackoffDuration): 1 s, doubled per attempt, at most 10 s.
func backoff(attempts int) time.Duration {
	d := podInitialBackoff
	for i := 1; i < attempts; i++ {
		d *= 2
		if d > podMaxBackoff {
			return podMaxBackoff
		}
	}
	return d
}
