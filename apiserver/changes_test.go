package apiserver

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/internal/podutil"
)

// podChangesByFormatting is podChanges as it was, formatting every value
// to compare it: the reference the faster one must match line for line.
func podChangesByFormatting(old, cur *corev1.Pod) []string {
	if old == nil {
		return []string{"created"}
	}
	var out []string
	add := func(field string, a, b any) {
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

// randomPod draws a pod from a small space of values for every field
// podChanges reads, so that two draws often agree on some fields and
// differ on others.
func randomPod(r *rand.Rand) *corev1.Pod {
	pick := func(vals ...string) string { return vals[r.IntN(len(vals))] }
	p := &corev1.Pod{}
	p.Spec.NodeName = pick("", "node-a", "node-b")
	if r.IntN(3) == 0 {
		p.DeletionTimestamp = &metav1.Time{}
	}
	if r.IntN(2) == 0 {
		p.DeletionGracePeriodSeconds = ptr.To(int64(r.IntN(3) * 15))
	}
	switch r.IntN(3) {
	case 0:
	case 1:
		p.Annotations = map[string]string{}
	default:
		p.Annotations = map[string]string{}
		for _, k := range []string{"a", "b", "c"} {
			if r.IntN(2) == 0 {
				p.Annotations[k] = pick("", "x", `"q"`)
			}
		}
	}
	p.Status.Phase = corev1.PodPhase(pick("", "Pending", "Running", "Failed"))
	p.Status.Reason = pick("", "Evicted")
	p.Status.PodIP = pick("", "10.0.0.1", "10.0.0.2")
	p.Status.NominatedNodeName = pick("", "node-b")
	for _, t := range []corev1.PodConditionType{corev1.PodScheduled, corev1.PodInitialized, corev1.ContainersReady, corev1.PodReady} {
		if r.IntN(3) > 0 {
			p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: t, Status: corev1.ConditionStatus(pick("True", "False", "Unknown"))})
		}
	}
	statuses := func(names ...string) []corev1.ContainerStatus {
		var out []corev1.ContainerStatus
		for _, name := range names {
			if r.IntN(4) == 0 {
				continue
			}
			cs := corev1.ContainerStatus{Name: name, Ready: r.IntN(2) == 0, RestartCount: int32(r.IntN(3))}
			switch r.IntN(6) {
			case 0:
			case 1:
				cs.State.Running = &corev1.ContainerStateRunning{}
			case 2:
				cs.State.Running = &corev1.ContainerStateRunning{}
				cs.State.Terminated = &corev1.ContainerStateTerminated{Reason: "Error", ExitCode: 1}
			case 3:
				cs.State.Terminated = &corev1.ContainerStateTerminated{Reason: pick("Error", "Completed", ""), ExitCode: int32(r.IntN(2))}
			default:
				cs.State.Waiting = &corev1.ContainerStateWaiting{Reason: pick("", "CrashLoopBackOff", "ContainerCreating")}
			}
			out = append(out, cs)
		}
		return out
	}
	p.Status.InitContainerStatuses = statuses("init")
	p.Status.ContainerStatuses = statuses("app", "sidecar")
	return p
}

// podChanges writes the same lines as formatting every value would, for
// random pairs of pods that agree on some fields and differ on others,
// and for a pod against itself and against nothing.
func TestPodChangesMatchesFormattingEveryValue(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	changed := 0
	for i := range 20000 {
		old, cur := randomPod(r), randomPod(r)
		if i%10 == 0 {
			old = nil
		}
		want := podChangesByFormatting(old, cur)
		if diff := cmp.Diff(want, podChanges(old, cur)); diff != "" {
			t.Fatalf("pair %d: podChanges differs from formatting every value (-want +got):\n%s", i, diff)
		}
		if len(want) > 0 {
			changed++
		}
		if got := podChanges(cur, cur); len(got) != 0 {
			t.Fatalf("pair %d: a pod against itself changed %q", i, got)
		}
	}
	if changed < 10000 {
		t.Fatalf("only %d pairs changed anything", changed)
	}
}
