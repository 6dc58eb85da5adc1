package apiserver

import (
	"fmt"
	"strconv"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/internal/podutil"
)

// podChanges summarises what a pod update changed, for the trace.
func podChanges(old, cur *corev1.Pod) []string {
	if old == nil {
		return []string{"created"}
	}
	var out []string
	add := func(field string, a, b any) {
		// Equal values of one type need no formatting (every value here is
		// comparable); only a change is written out.
		if a == b {
			return
		}
		if fmt.Sprint(a) != fmt.Sprint(b) {
			out = append(out, fmt.Sprintf("%s: %v → %v", field, a, b))
		}
	}
	add("spec.nodeName", orNone(old.Spec.NodeName), orNone(cur.Spec.NodeName))
	if (old.DeletionTimestamp == nil) != (cur.DeletionTimestamp == nil) || (old.DeletionGracePeriodSeconds != nil && cur.DeletionGracePeriodSeconds != nil && *old.DeletionGracePeriodSeconds != *cur.DeletionGracePeriodSeconds) {
		add("metadata.deletionGracePeriodSeconds", int64OrNone(old.DeletionGracePeriodSeconds), int64OrNone(cur.DeletionGracePeriodSeconds))
	}
	for _, k := range podutil.SortedKeys(mergeKeys(old.Annotations, cur.Annotations)) {
		ov, ook := old.Annotations[k]
		nv, nok := cur.Annotations[k]
		if ov != nv || ook != nok {
			add("metadata.annotations["+k+"]", quoteOrAbsent(ov, ook), quoteOrAbsent(nv, nok))
		}
	}
	add("status.phase", old.Status.Phase, cur.Status.Phase)
	add("status.reason", orNone(old.Status.Reason), orNone(cur.Status.Reason))
	add("status.podIP", orNone(old.Status.PodIP), orNone(cur.Status.PodIP))
	add("status.nominatedNodeName", orNone(old.Status.NominatedNodeName), orNone(cur.Status.NominatedNodeName))
	for _, cond := range cur.Status.Conditions {
		prev := podutil.FindCondition(old.Status.Conditions, cond.Type)
		was := "absent"
		if prev != nil {
			was = string(prev.Status)
		}
		add("condition "+string(cond.Type), was, cond.Status)
	}
	statusChanges := func(prefix string, olds, news []corev1.ContainerStatus) {
		for _, n := range news {
			o := podutil.FindContainerStatus(olds, n.Name)
			var was corev1.ContainerStatus
			if o != nil {
				was = *o
			}
			add(prefix+n.Name+" state", stateString(was.State), stateString(n.State))
			add(prefix+n.Name+" ready", was.Ready, n.Ready)
			add(prefix+n.Name+" restartCount", was.RestartCount, n.RestartCount)
		}
	}
	statusChanges("init container ", old.Status.InitContainerStatuses, cur.Status.InitContainerStatuses)
	statusChanges("container ", old.Status.ContainerStatuses, cur.Status.ContainerStatuses)
	return out
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
