package explain

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/lifecycle"
)

// Kind is what a prediction is about.
type Kind string

// The kinds of prediction.
const (
	// Started: the container's process starts (the Started event).
	Started Kind = "Started"
	// Ready: the container becomes ready in the pod's status — for a pod
	// of one container and no readiness gates, the pod's Ready condition
	// turns True.
	Ready Kind = "Ready"
	// NotReady: the container stops being ready.
	NotReady Kind = "NotReady"
	// Killed: the kubelet decides to kill the container (the Killing event).
	Killed Kind = "Killed"
	// Exited: the container's process ends.
	Exited Kind = "Exited"
	// BackOff: the pod shows CrashLoopBackOff before restart N.
	BackOff Kind = "BackOff"
)

// Prediction is one time Explain states: the N-th event of a kind for a
// container, at a time since the pod's creation within At.
type Prediction struct {
	Kind      Kind
	Container string
	// N counts from 1: the N-th run of the container for Started, Ready,
	// NotReady, Killed and Exited; for BackOff, the run the back-off holds
	// back (the pod shows RESTARTS N−2 then N−1: run N is restart N−1).
	N  int
	At Interval
	// ExitCode is an exit's status.
	ExitCode int
	// Maybe: it happens in some of the outcomes the jitter allows, not all.
	Maybe bool
	// Why says which rule gives the time.
	Why string
}

// branch is one outcome of the timeline so far: the kubelet's jitter can
// make a restart come at once or after a back-off, and each is followed.
type branch struct {
	start     Interval // the current run's start, since creation
	sinceExit Interval // at start: since the previous run's exit
	hasExit   bool
	backoff   time.Duration // the crash-loop back-off entry; 0 for none
	sinceNext Interval      // at start: since the back-off's last Next
	pulls     int           // pulls of the image so far
	why       string        // how this run came to start
	// ready: the container is ready in the pod's status when this run
	// starts (a kill and restart in one sync leaves the status as it was);
	// readyN and notReadyN count the changes so far.
	ready             bool
	readyN, notReadyN int
}

// timeline follows a container's runs, restarts and back-offs from its
// first start to the horizon.
type timeline struct {
	in *Input
	c  *corev1.Container
	// hasReadiness: the container has a readiness probe.
	hasReadiness bool
	run          instance
	reset        time.Duration
	startup      func(pulls int) (time.Duration, bool) // a start's duration, and whether it pulled
	out          []Prediction
	notes        []string
	index        map[string]int // prediction key → index in out
	counts       map[string]int // prediction key → branches that made it
}

// maxRuns bounds the timeline; maxBranches is how many outcomes are
// followed apart before those with the same back-off state are joined
// (their times hulled), which keeps the count small but widens the ranges.
const (
	maxRuns     = 12
	maxBranches = 8
)

func (tl *timeline) emit(p Prediction, branches int) {
	key := fmt.Sprintf("%s/%d", p.Kind, p.N)
	if i, ok := tl.index[key]; ok {
		tl.out[i].At = tl.out[i].At.Hull(p.At)
		tl.out[i].Maybe = tl.out[i].Maybe || p.Maybe
		if w := tl.out[i].Why; w != p.Why && !strings.HasPrefix(w, "either ") {
			tl.out[i].Why = "either " + w + ", or " + p.Why
		}
		tl.counts[key]++
		return
	}
	tl.index[key] = len(tl.out)
	tl.counts[key] = 1
	tl.out = append(tl.out, p)
}

// follow runs the timeline from the first start.
func (tl *timeline) follow(first branch) {
	tl.index, tl.counts = map[string]int{}, map[string]int{}
	frontier := []branch{first}
	for n := 1; n <= maxRuns && len(frontier) > 0; n++ {
		var next []branch
		keysBefore := len(tl.out)
		for _, b := range frontier {
			next = append(next, tl.step(b, n, len(frontier))...)
		}
		// A prediction not every branch made is a maybe.
		for i := keysBefore; i < len(tl.out); i++ {
			key := fmt.Sprintf("%s/%d", tl.out[i].Kind, tl.out[i].N)
			if tl.counts[key] < len(frontier) {
				tl.out[i].Maybe = true
			}
		}
		frontier = next
		if len(frontier) > maxBranches {
			frontier = merge(next)
		}
		if len(frontier) > 0 && minStart(frontier) > tl.in.Horizon {
			break
		}
	}
}

func minStart(bs []branch) time.Duration {
	m := bs[0].start.Lo
	for _, b := range bs {
		m = min(m, b.start.Lo)
	}
	return m
}

// merge joins branches whose back-off state is the same, taking the hull
// of their times.
func merge(bs []branch) []branch {
	var out []branch
	for _, b := range bs {
		joined := false
		for i := range out {
			if out[i].backoff == b.backoff && out[i].hasExit == b.hasExit && out[i].pulls == b.pulls &&
				out[i].ready == b.ready && out[i].readyN == b.readyN && out[i].notReadyN == b.notReadyN {
				out[i].start = out[i].start.Hull(b.start)
				out[i].sinceExit = out[i].sinceExit.Hull(b.sinceExit)
				out[i].sinceNext = out[i].sinceNext.Hull(b.sinceNext)
				if out[i].why != b.why {
					out[i].why = "either of: " + out[i].why + "; " + b.why
				}
				joined = true
				break
			}
		}
		if !joined {
			out = append(out, b)
		}
	}
	return out
}

// step follows run n of branch b to the start of run n+1, in every way the
// rules allow.
func (tl *timeline) step(b branch, n, branches int) []branch {
	name := tl.c.Name
	run := tl.run
	tl.emit(Prediction{Kind: Started, Container: name, N: n, At: b.start, Why: b.why}, branches)
	// The container's ready flag in the pod's status: each change is a
	// Ready or NotReady, counted over the pod's life.
	ready, readyN, notReadyN := b.ready, b.readyN, b.notReadyN
	seen := Between(0, relistPeriod+statusSlack) // a change the next relist's sync writes
	if ready && tl.hasReadiness {
		// A new container starts not ready (readiness Failure until probed).
		notReadyN++
		tl.emit(Prediction{Kind: NotReady, Container: name, N: notReadyN, At: b.start.Add(seen), Why: "the new container is not ready until its readiness probe passes"}, branches)
		ready = false
	}
	if run.ready != nil && !ready {
		readyN++
		tl.emit(Prediction{Kind: Ready, Container: name, N: readyN, At: b.start.Add(*run.ready), Why: run.readyWhy, Maybe: run.readyUnsure}, branches)
		ready = true
	}
	if run.notReady != nil && ready {
		notReadyN++
		tl.emit(Prediction{Kind: NotReady, Container: name, N: notReadyN, At: b.start.Add(*run.notReady), Why: run.notReadyWhy}, branches)
		ready = false
	}
	unready := func(at Interval, why string, maybe bool) {
		if ready {
			notReadyN++
			tl.emit(Prediction{Kind: NotReady, Container: name, N: notReadyN, At: at.Add(seen), Why: why, Maybe: maybe}, branches)
			ready = false
		}
	}
	switch run.end {
	case runsOn:
		return nil
	case unsure:
		if n == 1 {
			tl.notes = append(tl.notes, fmt.Sprintf("container %s: %s, but whether that comes before its other end depends on the probe ticker's phase: the timeline stops here", name, run.endWhy))
		}
		return nil
	case killed:
		tl.emit(Prediction{Kind: Killed, Container: name, N: n, At: b.start.Add(run.killAt), Why: run.endWhy}, branches)
	}
	exit := b.start.Add(run.exitAt)
	why := run.endWhy
	if run.stopWhy != "" {
		why = run.stopWhy
	}
	tl.emit(Prediction{Kind: Exited, Container: name, N: n, At: exit, ExitCode: run.exitCode, Why: why}, branches)
	if run.killReason == "" {
		unready(exit, "the container exited", false)
	}

	switch tl.in.Pod.Spec.RestartPolicy {
	case corev1.RestartPolicyNever:
		return nil
	case corev1.RestartPolicyOnFailure:
		if run.exitCode == 0 {
			return nil
		}
	}
	dur := run.exitAt
	prevGap := b.sinceExit.Add(dur) // at the exit: since the previous exit
	sinceNext := b.sinceNext.Add(dur)
	startDur, pulled := tl.startup(b.pulls)
	pulls := b.pulls
	if pulled {
		pulls++
	}
	// restart is the next run, started gap after this exit; Next was
	// called at that moment.
	restart := func(gap Interval, backoff time.Duration, why string) branch {
		since := gap.Plus(startDur)
		return branch{start: exit.Add(since), sinceExit: since, hasExit: true, backoff: backoff,
			sinceNext: At(startDur), pulls: pulls, why: why, ready: ready, readyN: readyN, notReadyN: notReadyN}
	}
	nextBackoff := func(expired bool) time.Duration { return backoffAfterNext(b.backoff, expired) }
	waitAfter := func(backoff time.Duration, errGap, shown Interval, maybe bool) []branch {
		// In back-off: the pod worker retries every 10–15 s until the
		// back-off since the exit is over. The status shows
		// CrashLoopBackOff from the first sync after one that failed
		// with it: a status is built from the reason the last sync left
		// (kubelet_pods.go convertToAPIContainerStatuses).
		wasReady, rn, nrn := ready, readyN, notReadyN
		unready(exit, "the container is dead, waiting out its back-off", maybe)
		defer func() { ready, readyN, notReadyN = wasReady, rn, nrn }()
		tl.emit(Prediction{Kind: BackOff, Container: name, N: n + 1, At: exit.Add(shown).Add(Between(0, statusSlack)), Maybe: maybe,
			Why: fmt.Sprintf("the %v back-off since the exit has not passed", backoff)}, branches)
		rw := retryWindow()
		gap := Between(max(backoff, errGap.Lo+rw.Lo), max(backoff, errGap.Hi)+rw.Hi)
		return []branch{restart(gap, nextBackoff(false),
			fmt.Sprintf("restart %d after the %v back-off, at the pod worker's first retry after it (a failed sync is retried %v–%v later: wait.Jitter(10s, 0.5) and the 1 s sync tick)", n, backoff, rw.Lo, rw.Hi))}
	}
	if run.killReason != "" {
		// Kill and start in one sync: doBackOff looks at the previous run's
		// exit in the snapshot the sync began with
		// (kuberuntime_manager.go doBackOff).
		if !b.hasExit {
			return []branch{restart(At(0), b.backoff, fmt.Sprintf("restart %d at once: the sync that killed it finds no earlier exit to back off from", n))}
		}
		if b.backoff == 0 {
			return []branch{restart(At(0), nextBackoff(false), fmt.Sprintf("restart %d at once: no back-off yet; it becomes %v", n, backOffPeriod))}
		}
		var out []branch
		cmp := prevGap.compare(b.backoff)
		if cmp >= 0 {
			out = append(out, restart(At(0), nextBackoff(false),
				fmt.Sprintf("restart %d at once: %v since the previous exit is at least the %v back-off; it becomes %v", n, prevGap, b.backoff, nextBackoff(false))))
		}
		if cmp <= 0 {
			// The killing sync fails with CrashLoopBackOff; the relist
			// that sees the death syncs again and shows it.
			out = append(out, waitAfter(b.backoff, At(0), Between(0, relistPeriod), cmp == 0)...)
		}
		return out
	}
	// The process exited by itself: the next relist sees it, and that sync
	// checks the back-off against this exit.
	errGap := Between(0, relistPeriod)
	// The entry expires when the exit comes more than the reset time after
	// the last Next (kubelet.go HasExpiredFunc); a range on both sides of
	// it is taken as not expired, the longer wait.
	expired := sinceNext.compare(tl.reset+time.Nanosecond) > 0
	switch {
	case b.backoff == 0:
		return []branch{restart(errGap, nextBackoff(false), fmt.Sprintf("restart %d at once, at the next relist: no back-off yet; it becomes %v", n, backOffPeriod))}
	case expired:
		return []branch{restart(errGap, nextBackoff(true), fmt.Sprintf("restart %d at once, at the next relist: the back-off has expired (the run was longer than %v); it starts again at %v", n, tl.reset, backOffPeriod))}
	}
	// The sync after the relist fails with CrashLoopBackOff (its status
	// still shows the exit); its retry shows the back-off.
	return waitAfter(b.backoff, errGap, errGap.Add(retryWindow()), false)
}

// backoffAfterNext is the crash-loop back-off after the kubelet's Next,
// from current (0: no entry yet), as lifecycle.Backoff computes it:
// Initial for a new or expired entry, else double, capped at Max.
func backoffAfterNext(current time.Duration, expired bool) time.Duration {
	const key = "container"
	bo := lifecycle.NewBackoff(backOffPeriod, maxContainerBackOff)
	if current > 0 && !expired {
		// Bring the entry to current: Next at one instant never expires.
		for bo.Get(key) < current {
			bo.Next(key, 0, 0)
		}
	}
	bo.Next(key, 0, 0)
	return bo.Get(key)
}
