package trace

import (
	"time"

	"github.com/podsim/podsim/lifecycle"
)

// Interval is a stretch of virtual time in which what `kubectl get pods`
// shows of a pod did not change: its phase, STATUS, READY, its Ready
// condition and RESTARTS' number. The pod's writes that change none of them
// (a binding, a new IP, a condition kubectl does not print) fall inside an
// interval.
type Interval struct {
	Namespace, Pod string
	// From is the time of the write that began the interval, To the time of
	// the next write that changed the pod's state, of its deletion, or of
	// the end of the run.
	From, To time.Duration
	State
	// Cause is the cause of the write that began the interval.
	Cause string
	// Deleted is set on a pod's last interval when the pod was deleted at
	// To.
	Deleted bool
}

// State is a pod's state as kubectl prints it, with the numbers behind the
// columns.
type State struct {
	// Phase is status.phase.
	Phase string
	// Status and Ready are the STATUS and READY columns.
	Status, Ready string
	// ReadyContainers and TotalContainers are READY's two numbers.
	ReadyContainers, TotalContainers int
	// PodReady is the Ready condition.
	PodReady bool
	// Restarts is RESTARTS' number.
	Restarts int
}

// Intervals cuts the trace's pod records into intervals, pod by pod in the
// order the pods were first created, each pod's in time order. rules are
// the printing rules of the trace's Kubernetes version. The last interval
// of a pod still there at the end of the run ends at the run's duration
// (the header's), or at the last record if that is later.
func Intervals(t *Trace, rules lifecycle.Rules) []Interval {
	end := t.Header.Duration
	if n := t.Len(); n > 0 && t.At(n-1).T > end {
		end = t.At(n - 1).T
	}
	type key struct{ ns, name string }
	var order []key
	byPod := map[key][]Interval{}
	open := map[key]bool{} // the pod's last interval has not ended yet
	for _, r := range t.All() {
		if r.Kind != "Pod" || r.Pod == nil {
			continue
		}
		k := key{r.Namespace, r.Name}
		list, seen := byPod[k]
		if !seen {
			order = append(order, k)
		}
		last := len(list) - 1
		if r.Op == Deleted {
			if open[k] {
				list[last].To, list[last].Deleted = r.T, true
				open[k] = false
			}
			continue
		}
		s := PodState(r, t.Header.Epoch.Add(r.T), rules)
		if open[k] && list[last].State == s {
			continue // a write kubectl's columns do not show
		}
		if open[k] {
			list[last].To = r.T
		}
		byPod[k] = append(list, Interval{Namespace: r.Namespace, Pod: r.Name, From: r.T, State: s, Cause: r.Cause})
		open[k] = true
	}
	var out []Interval
	for _, k := range order {
		list := byPod[k]
		if open[k] {
			list[len(list)-1].To = end
		}
		out = append(out, list...)
	}
	return out
}

// PodState is the state of the pod of a Pod record at time at.
func PodState(r Record, at time.Time, rules lifecycle.Rules) State {
	row, n := lifecycle.PrintPodCounts(r.Pod, at, rules)
	return State{
		Phase: string(r.Pod.Status.Phase), Status: row.Status, Ready: row.Ready,
		ReadyContainers: n.ReadyContainers, TotalContainers: n.TotalContainers,
		PodReady: podReady(r.Pod), Restarts: n.Restarts,
	}
}
