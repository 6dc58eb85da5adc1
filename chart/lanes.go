package chart

import (
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/trace"
)

// lane is what the chart draws for one pod.
type lane struct {
	namespace string
	label     string
	intervals []trace.Interval
	// restarts are the times RESTARTS went up.
	restarts []time.Duration
	// warnings and normals are the times of the pod's events.
	warnings, normals []time.Duration
}

// lanes are the pods of a chart, top to bottom, and how far time goes.
type lanes struct {
	lanes []lane
	end   time.Duration
	// phases are the phases that show (for some time), for the legend.
	phases []string
}

// buildLanes turns the trace into lanes, one per pod in the order the pods
// were created (keep names only, when given).
func buildLanes(t *trace.Trace, rules lifecycle.Rules, keep []string) *lanes {
	ls := &lanes{end: t.Header.Duration}
	type key struct{ ns, name string }
	index := map[key]int{}
	namespaces := map[string]bool{}
	for _, iv := range trace.Intervals(t, rules) {
		if len(keep) > 0 && !slices.Contains(keep, iv.Pod) {
			continue
		}
		k := key{iv.Namespace, iv.Pod}
		i, ok := index[k]
		if !ok {
			i = len(ls.lanes)
			index[k] = i
			ls.lanes = append(ls.lanes, lane{namespace: iv.Namespace, label: iv.Pod})
			namespaces[iv.Namespace] = true
		}
		ln := &ls.lanes[i]
		if n := len(ln.intervals); n > 0 && iv.Restarts > ln.intervals[n-1].Restarts {
			ln.restarts = append(ln.restarts, iv.From)
		}
		ln.intervals = append(ln.intervals, iv)
		ls.end = max(ls.end, iv.To)
		if iv.To > iv.From && !slices.Contains(ls.phases, iv.Phase) { // the legend names what shows
			ls.phases = append(ls.phases, iv.Phase)
		}
	}
	if len(namespaces) > 1 {
		for i := range ls.lanes {
			ls.lanes[i].label = ls.lanes[i].namespace + "/" + ls.lanes[i].label
		}
	}
	for _, r := range t.All() {
		if r.Event == nil || r.Event.InvolvedObject.Kind != "Pod" {
			continue
		}
		i, ok := index[key{r.Namespace, r.Name}]
		if !ok {
			continue
		}
		if r.Event.Type == corev1.EventTypeWarning {
			ls.lanes[i].warnings = append(ls.lanes[i].warnings, r.T)
		} else {
			ls.lanes[i].normals = append(ls.lanes[i].normals, r.T)
		}
	}
	slices.SortFunc(ls.phases, func(a, b string) int { return phaseRank(a) - phaseRank(b) })
	return ls
}

// y is the vertical position of lane i: the first lane is at the top.
func (ls *lanes) y(i int) float64 { return float64(len(ls.lanes) - 1 - i) }

// seconds is the x coordinate of a time.
func seconds(d time.Duration) float64 { return d.Seconds() }

// phaseRank orders phases as a pod goes through them.
func phaseRank(phase string) int {
	switch corev1.PodPhase(phase) {
	case corev1.PodPending:
		return 0
	case corev1.PodRunning:
		return 1
	case corev1.PodSucceeded:
		return 2
	case corev1.PodFailed:
		return 3
	}
	return 4
}
