package apiserver

import (
	"fmt"
	"maps"
	"strconv"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/internal/podutil"
)

// podChanges summarises what a pod update changed, for the trace: one
// line per changed field, "field: old → new". It runs at every pod write
// and most fields do not change, so each is compared first and a line is
// built only for a change (the lines are what fmt's %v of each value
// would write: strings as they are, bools and counts in decimal).
func podChanges(old, cur *corev1.Pod) []string {
	if old == nil {
		return []string{"created"}
	}
	var out []string
	add := func(field, a, b string) {
		if a != b {
			out = append(out, field+": "+a+" → "+b)
		}
	}
	add("spec.nodeName", orNone(old.Spec.NodeName), orNone(cur.Spec.NodeName))
	if (old.DeletionTimestamp == nil) != (cur.DeletionTimestamp == nil) || (old.DeletionGracePeriodSeconds != nil && cur.DeletionGracePeriodSeconds != nil && *old.DeletionGracePeriodSeconds != *cur.DeletionGracePeriodSeconds) {
		add("metadata.deletionGracePeriodSeconds", int64OrNone(old.DeletionGracePeriodSeconds), int64OrNone(cur.DeletionGracePeriodSeconds))
	}
	if !maps.Equal(old.Annotations, cur.Annotations) {
		for _, k := range podutil.SortedKeys(mergeKeys(old.Annotations, cur.Annotations)) {
			ov, ook := old.Annotations[k]
			nv, nok := cur.Annotations[k]
			if ov != nv || ook != nok {
				add("metadata.annotations["+k+"]", quoteOrAbsent(ov, ook), quoteOrAbsent(nv, nok))
			}
		}
	}
	add("status.phase", string(old.Status.Phase), string(cur.Status.Phase))
	add("status.reason", orNone(old.Status.Reason), orNone(cur.Status.Reason))
	add("status.podIP", orNone(old.Status.PodIP), orNone(cur.Status.PodIP))
	add("status.nominatedNodeName", orNone(old.Status.NominatedNodeName), orNone(cur.Status.NominatedNodeName))
	for _, cond := range cur.Status.Conditions {
		prev := podutil.FindCondition(old.Status.Conditions, cond.Type)
		was := "absent"
		if prev != nil {
			was = string(prev.Status)
		}
		if was != string(cond.Status) {
			add("condition "+string(cond.Type), was, string(cond.Status))
		}
	}
	statusChanges := func(prefix string, olds, news []corev1.ContainerStatus) {
		for i := range news {
			n := &news[i]
			o := podutil.FindContainerStatus(olds, n.Name)
			var was corev1.ContainerStatus
			if o != nil {
				was = *o
			}
			if stateWordsDiffer(was.State, n.State) {
				add(prefix+n.Name+" state", stateString(was.State), stateString(n.State))
			}
			if was.Ready != n.Ready {
				add(prefix+n.Name+" ready", strconv.FormatBool(was.Ready), strconv.FormatBool(n.Ready))
			}
			if was.RestartCount != n.RestartCount {
				add(prefix+n.Name+" restartCount", strconv.FormatInt(int64(was.RestartCount), 10), strconv.FormatInt(int64(n.RestartCount), 10))
			}
		}
	}
	statusChanges("init container ", old.Status.InitContainerStatuses, cur.Status.InitContainerStatuses)
	statusChanges("container ", old.Status.ContainerStatuses, cur.Status.ContainerStatuses)
	return out
}

// stateWordsDiffer reports whether stateString(a) != stateString(b)
// without writing either: states of different kinds never read the same,
// and states of one kind differ only by what stateString writes of them.
func stateWordsDiffer(a, b corev1.ContainerState) bool {
	ka, kb := stateKind(a), stateKind(b)
	switch {
	case ka != kb:
		return true
	case ka == 't':
		return a.Terminated.Reason != b.Terminated.Reason || a.Terminated.ExitCode != b.Terminated.ExitCode
	case ka == 'w':
		return a.Waiting.Reason != b.Waiting.Reason
	}
	return false
}

// stateKind is the case of stateString a state falls in.
func stateKind(s corev1.ContainerState) byte {
	switch {
	case s.Running != nil:
		return 'r'
	case s.Terminated != nil:
		return 't'
	case s.Waiting != nil:
		return 'w'
	}
	return 0
}

func orNone(s string) string {
	if s == "" {
		return "<none>"
	}
	return s
}

func int64OrNone(p *int64) string {
	if p == nil {
		return "<none>"
	}
	return strconv.FormatInt(*p, 10)
}

func quoteOrAbsent(v string, ok bool) string {
	if !ok {
		return "<absent>"
	}
	return strconv.Quote(v)
}

func mergeKeys(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k := range a {
		out[k] = ""
	}
	for k := range b {
		out[k] = ""
	}
	return out
}

// stateString is a container state in a word or two: "waiting
// CrashLoopBackOff", "running", "terminated Error (137)".
func stateString(s corev1.ContainerState) string {
	switch {
	case s.Running != nil:
		return "running"
	case s.Terminated != nil:
		return fmt.Sprintf("terminated %s (%d)", s.Terminated.Reason, s.Terminated.ExitCode)
	case s.Waiting != nil:
		if s.Waiting.Reason == "" {
			return "waiting"
		}
		return "waiting " + s.Waiting.Reason
	}
	return "<none>"
}
