package podsimtest

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/trace"
)

// History asks questions of a recorded trace. Rules are the kubectl
// printing rules of the run's version, for PodStatus.
type History struct {
	Trace *trace.Trace
	Rules lifecycle.Rules

	// before is the pod as it was before the record being matched, set
	// while FirstTime, Times and Changes walk the trace.
	before *corev1.Pod
}

// scan calls match on each record in order, with before set to the pod of
// a Pod record as it was before that record; it stops when match says so.
func (h History) scan(match func(r trace.Record, h History) (stop bool)) {
	last := map[string]*corev1.Pod{}
	for _, r := range h.Trace.All() {
		key := r.Namespace + "/" + r.Name
		if r.Kind == "Pod" {
			h.before = last[key]
		} else {
			h.before = nil
		}
		if match(r, h) {
			return
		}
		if r.Kind == "Pod" {
			last[key] = r.Pod
			if r.Op == trace.Deleted {
				last[key] = nil
			}
		}
	}
}

// Pred is a question about one record, with what it asks in words for
// failure messages.
type Pred struct {
	What  string
	Match func(r trace.Record, h History) bool
}

// Where is a predicate of your own.
func Where(what string, match func(trace.Record) bool) Pred {
	return Pred{What: what, Match: func(r trace.Record, _ History) bool { return match(r) }}
}

// podRecord matches the Pod records of a pod ("name" or "namespace/name").
func podRecord(name string, match func(p *corev1.Pod, r trace.Record, h History) bool) func(trace.Record, History) bool {
	key := keyOf(name)
	return func(r trace.Record, h History) bool {
		return r.Kind == "Pod" && r.Pod != nil && r.Namespace == key.Namespace && r.Name == key.Name && match(r.Pod, r, h)
	}
}

// PodReady matches a write that leaves the pod Ready.
func PodReady(pod string) Pred {
	return Pred{describe(pod) + " Ready", podRecord(pod, func(p *corev1.Pod, _ trace.Record, _ History) bool { return podReady(p) })}
}

// PodNotReady matches a write that takes the pod from Ready to not Ready.
func PodNotReady(pod string) Pred {
	return Pred{describe(pod) + " no longer Ready", podRecord(pod, func(p *corev1.Pod, _ trace.Record, h History) bool {
		return !podReady(p) && podReady(h.before)
	})}
}

// PodStatus matches a write after which kubectl's STATUS column reads
// status ("Running", "CrashLoopBackOff", "Completed", …).
func PodStatus(pod, status string) Pred {
	return Pred{fmt.Sprintf("%s STATUS %s", describe(pod), status), podRecord(pod, func(p *corev1.Pod, r trace.Record, h History) bool {
		return lifecycle.PrintPod(p, h.Trace.Header.Epoch.Add(r.T), h.Rules).Status == status
	})}
}

// PodPhase matches a write after which the pod is in phase.
func PodPhase(pod string, phase corev1.PodPhase) Pred {
	return Pred{fmt.Sprintf("%s phase %s", describe(pod), phase), podRecord(pod, func(p *corev1.Pod, _ trace.Record, _ History) bool {
		return p.Status.Phase == phase
	})}
}

// Restarted matches a write after which the pod's containers have been
// restarted n times in all.
func Restarted(pod string, n int32) Pred {
	return Pred{fmt.Sprintf("%s restarted %d times", describe(pod), n), podRecord(pod, func(p *corev1.Pod, _ trace.Record, _ History) bool {
		return restarts(p) >= n
	})}
}

// EventReason matches an event about the pod with this reason (Killing,
// Unhealthy, BackOff, …) that reached the API server.
func EventReason(pod, reason string) Pred {
	key := keyOf(pod)
	return Where(fmt.Sprintf("%s event %s", describe(pod), reason), func(r trace.Record) bool {
		return r.Kind == "Event" && r.Event != nil && !r.Dropped && r.Namespace == key.Namespace && r.Name == key.Name && r.Event.Reason == reason
	})
}

// SignalSent matches the runtime sending a signal ("SIGTERM", "SIGKILL")
// to a container of the pod.
func SignalSent(pod, signal string) Pred {
	return runtimePred(pod, fmt.Sprintf("%s sent %s", describe(pod), signal), func(a *trace.RuntimeAction) bool {
		return a.Kind == trace.RuntimeSignal && a.Signal == signal
	})
}

// Exited matches a container of the pod ending.
func Exited(pod string) Pred {
	return runtimePred(pod, describe(pod)+" container exited", func(a *trace.RuntimeAction) bool { return a.Kind == trace.RuntimeExit })
}

func runtimePred(pod, what string, match func(*trace.RuntimeAction) bool) Pred {
	key := keyOf(pod)
	return Where(what, func(r trace.Record) bool {
		return r.Runtime != nil && r.Namespace == key.Namespace && r.Name == key.Name && match(r.Runtime)
	})
}

// FirstTime is when a record first matched pred.
func (h History) FirstTime(pred Pred) (time.Duration, bool) {
	var at time.Duration
	found := false
	h.scan(func(r trace.Record, h History) bool {
		if pred.Match(r, h) {
			at, found = r.T, true
		}
		return found
	})
	return at, found
}

// Times lists when records matched pred, in order.
func (h History) Times(pred Pred) []time.Duration {
	var out []time.Duration
	h.scan(func(r trace.Record, h History) bool {
		if pred.Match(r, h) {
			out = append(out, r.T)
		}
		return false
	})
	return out
}

// Changes lists the times at which a predicate about a pod's records
// became true: the first record that matched, and each one that matched
// after a record of the same pod that did not. PodReady's changes are the
// times the pod became Ready.
func (h History) Changes(pred Pred) []time.Duration {
	var out []time.Duration
	last := map[string]bool{}
	h.scan(func(r trace.Record, h History) bool {
		m := pred.Match(r, h)
		key := r.Kind + "/" + r.Namespace + "/" + r.Name
		if m && !last[key] {
			out = append(out, r.T)
		}
		if m || r.Kind == "Pod" {
			last[key] = m
		}
		return false
	})
	return out
}

// PodAt returns the pod as the API server held it at time at (after every
// write up to and including at), or nil if it did not exist then.
func (h History) PodAt(pod string, at time.Duration) *corev1.Pod {
	key := keyOf(pod)
	var p *corev1.Pod
	for _, r := range h.Trace.All() {
		if r.T > at {
			break
		}
		if r.Kind != "Pod" || r.Namespace != key.Namespace || r.Name != key.Name {
			continue
		}
		p = r.Pod
		if r.Op == trace.Deleted {
			p = nil
		}
	}
	return p
}

// Ready reports whether the pod was Ready at time at.
func (h History) Ready(pod string, at time.Duration) bool { return podReady(h.PodAt(pod, at)) }

// RestartCount is the pod's restarts, all containers together, at time at.
func (h History) RestartCount(pod string, at time.Duration) int32 {
	return restarts(h.PodAt(pod, at))
}

// SignalRecord is a signal the runtime sent to a container.
type SignalRecord struct {
	T         time.Duration
	Container string
	Signal    string
	// GracePeriodSeconds is the time left before SIGKILL, for a stop signal.
	GracePeriodSeconds int64
}

// ExitRecord is the end of a container's main process.
type ExitRecord struct {
	T         time.Duration
	Container string
	ExitCode  int
	// Signal is the signal that ended it, "" if it exited by itself.
	Signal string
}

// Signals lists the signals sent to the pod's containers, in order.
func (h History) Signals(pod string) []SignalRecord {
	var out []SignalRecord
	h.runtime(pod, trace.RuntimeSignal, func(r trace.Record) {
		s := SignalRecord{T: r.T, Container: r.Container, Signal: r.Runtime.Signal}
		if g := r.Runtime.GracePeriodSeconds; g != nil {
			s.GracePeriodSeconds = *g
		}
		out = append(out, s)
	})
	return out
}

// Exits lists the exits of the pod's containers, in order.
func (h History) Exits(pod string) []ExitRecord {
	var out []ExitRecord
	h.runtime(pod, trace.RuntimeExit, func(r trace.Record) {
		e := ExitRecord{T: r.T, Container: r.Container, Signal: r.Runtime.Signal}
		if c := r.Runtime.ExitCode; c != nil {
			e.ExitCode = *c
		}
		out = append(out, e)
	})
	return out
}

func (h History) runtime(pod string, kind trace.RuntimeKind, add func(trace.Record)) {
	key := keyOf(pod)
	for _, r := range h.Trace.All() {
		if r.Runtime != nil && r.Runtime.Kind == kind && r.Namespace == key.Namespace && r.Name == key.Name {
			add(r)
		}
	}
}
