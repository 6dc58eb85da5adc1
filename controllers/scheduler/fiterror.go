package scheduler

import (
	"fmt"
	"sort"
	"strings"
)

// errNoNodesAvailable is the error of an attempt with no nodes at all
// (pkg/scheduler/schedule_one.go ErrNoNodesAvailable): the message is
// that, not a FitError.
const errNoNodesAvailable = "no nodes available to schedule pods"

// fitError is framework.FitError: why no node fits, node by node.
type fitError struct {
	numAllNodes int
	// statuses are the rejected nodes' verdicts.
	statuses []nodeStatus
	// absent is the verdict of every node not in statuses (the preemption
	// uses it for the nodes it did not try).
	absent []string
	// postFilterMsg is what preemption said, "preemption: …".
	postFilterMsg string
}

// Error follows FitError.Error (pkg/scheduler/framework/types.go): "0/N
// nodes are available:", a histogram of the reasons sorted as strings
// ("1 Insufficient cpu, 2 node(s) had untolerated taint {…}"), then the
// preemption's message. Before 1.30 that message was appended with a
// period of its own, doubling the one it ends with.
func (f *fitError) message(doublePeriod bool) string {
	reasons := map[string]int{}
	for _, st := range f.statuses {
		for _, r := range st.reasons {
			reasons[r]++
		}
	}
	if rest := f.numAllNodes - len(f.statuses); rest > 0 {
		for _, r := range f.absent {
			reasons[r] += rest
		}
	}
	histogram := make([]string, 0, len(reasons))
	for r, n := range reasons {
		histogram = append(histogram, fmt.Sprintf("%v %v", n, r))
	}
	sort.Strings(histogram)
	msg := fmt.Sprintf("0/%v nodes are available:", f.numAllNodes)
	if len(histogram) > 0 {
		msg += fmt.Sprintf(" %v.", strings.Join(histogram, ", "))
	}
	if f.postFilterMsg != "" {
		if doublePeriod {
			msg += fmt.Sprintf(" %v.", f.postFilterMsg)
		} else {
			msg += " " + f.postFilterMsg
		}
	}
	return msg
}
