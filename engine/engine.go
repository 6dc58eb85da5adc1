package engine

import (
	"cmp"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Priority orders events that fall at the same virtual time: lower runs
// first. Within one priority, events run in the order they were scheduled.
type Priority int8

// Priorities used by the cluster model. Only their order matters.
const (
	// PriorityAPI is for API-server writes and the watch deliveries they cause.
	PriorityAPI Priority = -10
	// PriorityRuntime is for what the container runtime and the processes in
	// containers do (a process exits, a sleep ends, a pull completes).
	PriorityRuntime Priority = -5
	// PriorityNormal is the default.
	PriorityNormal Priority = 0
	// PriorityAction is for a scenario's timed actions, which run after the
	// cluster has settled at that instant.
	PriorityAction Priority = 10
)

// Forever is the end of virtual time. Arithmetic that would pass it stops
// there (Add, Seconds): a timer armed at Forever never fires in a run that
// ends before it, which is what a 300-year grace period means in a run of
// minutes — never "an event in the past" because a sum wrapped around.
const Forever = time.Duration(math.MaxInt64)

// Add is t + d, saturating at Forever (and at -Forever below).
func Add(t, d time.Duration) time.Duration {
	switch {
	case d > 0 && t > Forever-d:
		return Forever
	case d < 0 && t < -Forever-d:
		return -Forever
	}
	return t + d
}

// Seconds is n seconds as a duration, saturating at Forever: the API's
// int64 seconds (terminationGracePeriodSeconds, a delete's
// gracePeriodSeconds) reach far beyond what a time.Duration holds.
func Seconds(n int64) time.Duration {
	const max = int64(Forever / time.Second)
	switch {
	case n > max:
		return Forever
	case n < -max:
		return -Forever
	}
	return time.Duration(n) * time.Second
}

// ErrMaxEvents is returned when a run fires more events than Engine.MaxEvents
// allows: a runaway scenario becomes an error instead of a hang.
var ErrMaxEvents = errors.New("sim: event limit reached")

// ErrPastEvent is returned when something tried to schedule an event before
// the current virtual time. It is always a bug in the model.
var ErrPastEvent = errors.New("sim: event scheduled in the past")

// Engine is a deterministic discrete-event engine: a virtual clock and a
// queue of timers. It is not safe for concurrent use; one goroutine drives one
// simulation.
type Engine struct {
	now     time.Duration
	seq     uint64
	queue   queue
	fired   uint64
	err     error // the engine's own: an event in the past, the event limit
	failure error // the model's: see Fail
	stopped bool  // err or failure is set: one test on the hot path instead of two

	// MaxEvents bounds the number of events one engine fires; 0 means no bound.
	MaxEvents uint64
	// Epoch is the wall-clock time of virtual time zero (see Wall).
	Epoch time.Time

	seed    uint64
	streams map[string]*rand.Rand

	// recent are the owners of the last events fired, for the message of
	// ErrMaxEvents: what was busy when the bound was reached; recentNext is
	// where the next goes (a ring, in no order that matters).
	recent     [recentEvents]Owner
	recentNext int

	// high is the greatest item fired at the current instant (see
	// Timer.RankedPassed); high.at is -1 before the first event.
	high item
}

// recentEvents is how many of the last events' owners the engine keeps.
const recentEvents = 1000

// Owner says what a timer belongs to — a container's process, a probe, a
// kubelet loop — in words for a person ("container app of pod default/web").
// It is only asked when the event bound is reached, so it may build its
// string then.
type Owner interface {
	String() string
}

// New returns an engine at virtual time zero whose random streams all
// derive from seed.
func New(seed uint64) *Engine {
	return &Engine{seed: seed, streams: map[string]*rand.Rand{}, high: item{at: -1}}
}

// Now is the current virtual time, measured from the start of the run.
func (e *Engine) Now() time.Duration { return e.now }

// Fired is the number of events fired so far (cancelled timers not counted).
func (e *Engine) Fired() uint64 { return e.fired }

// Pending is the number of queued items, including cancelled ones not yet
// dropped.
func (e *Engine) Pending() int { return e.queue.len() }

// Seed is the root seed of every random stream.
func (e *Engine) Seed() uint64 { return e.seed }

// Wall is the wall-clock time of virtual time t: Epoch plus t. Components
// that stamp times (the API server, a kubelet with its node's clock) start
// from it; nothing reads the machine's clock.
func (e *Engine) Wall(t time.Duration) time.Time { return e.Epoch.Add(t) }

// Fail stops the run with err: a component found that the simulation cannot
// go on (a behaviour that cannot run, a broken invariant, a failed action).
// The first failure wins; Step fires nothing after it.
func (e *Engine) Fail(err error) {
	if e.failure == nil {
		e.failure = err
		e.stopped = true
	}
}

// Err is what stopped the run: the first failure reported with Fail, else
// the engine's own first error (an event in the past, the event limit), or
// nil.
func (e *Engine) Err() error {
	if e.failure != nil {
		return e.failure
	}
	return e.err
}

// setErr records the engine's own first error, which ends the run.
func (e *Engine) setErr(err error) {
	if e.err == nil {
		e.err = err
		e.stopped = true
	}
}

// Stream returns the named random stream, creating it on first use. Each
// stream is a PCG generator seeded from the root seed and a hash of the name,
// so the draws of one stream never shift the draws of another: adding a node
// or a pod does not change the randomness any other component sees.
func (e *Engine) Stream(name string) *rand.Rand {
	if r, ok := e.streams[name]; ok {
		return r
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	r := rand.New(rand.NewPCG(e.seed, h.Sum64()))
	e.streams[name] = r
	return r
}

// Timer is a reusable, cancellable event source, the engine's only kind of
// event. A timer is armed at most once at a time: arming it again moves it.
// The timer keeps the queue position of its current arming; an item in the
// queue that no longer matches it is stale (the timer was moved or
// stopped), and it is dropped when it reaches the head of the queue (lazy
// deletion, no heap search).
type Timer struct {
	eng   *Engine
	owner Owner
	fn    func()
	prio  Priority
	armed bool
	at    time.Duration
	when  uint64 // the current arming's priority and time (packWhen)
	seq   uint64 // the current arming's sequence number, or the rank
	rank  uint64 // see ResetRanked; 0 until it is first used
}

// NewTimer returns an unarmed timer that runs fn when it fires.
func (e *Engine) NewTimer(prio Priority, fn func()) *Timer {
	return &Timer{eng: e, fn: fn, prio: prio}
}

// At arms a new one-shot timer for virtual time at.
func (e *Engine) At(at time.Duration, prio Priority, fn func()) *Timer {
	t := e.NewTimer(prio, fn)
	t.Reset(at)
	return t
}

// After arms a new one-shot timer d after now.
func (e *Engine) After(d time.Duration, prio Priority, fn func()) *Timer {
	return e.At(Add(e.now, d), prio, fn)
}

// Reset arms the timer for virtual time at, cancelling any earlier arming.
// A time before now is a model bug: the engine records ErrPastEvent, which
// ends the run, and the timer stays unarmed.
func (t *Timer) Reset(at time.Duration) {
	e := t.eng
	if at < e.now {
		e.setErr(fmt.Errorf("%w: at %v, now %v", ErrPastEvent, at, e.now))
		t.armed = false
		return
	}
	e.seq++
	t.arm(at, e.now, e.seq)
}

func (t *Timer) arm(at, armedAt time.Duration, seq uint64) {
	t.armed, t.at, t.when, t.seq = true, at, packWhen(t.prio, armedAt), seq
	t.eng.queue.push(item{at: at, when: t.when, seq: seq, timer: t})
}

// ResetRanked arms a periodic timer for at as if it had been armed at
// armedAt (at most at; it may be later than now), ordered among the events of its instant by the
// timer's rank instead of by when it was armed: the rank is a sequence
// number drawn at the timer's first ranked arming (or by Rerank) and kept. A periodic
// loop that always arms itself this way, with armedAt the time of the tick
// that would have armed it, keeps the same place among other events
// whether it ticked every period or skipped ticks that would have done
// nothing and was armed again later (steady-state elision): two such loops
// that fall due together run in the order of their ranks either way. A
// loop armed now for a tick many periods ahead says it was armed by the
// tick before that one, later than now, and so keeps its place among the
// events scheduled for that instant meanwhile.
func (t *Timer) ResetRanked(at, armedAt time.Duration) {
	e := t.eng
	if at < e.now {
		e.setErr(fmt.Errorf("%w: at %v, now %v", ErrPastEvent, at, e.now))
		t.armed = false
		return
	}
	if t.rank == 0 {
		e.seq++
		t.rank = e.seq
	}
	t.arm(at, min(armedAt, at), t.rank)
}

// Rerank gives the timer a new rank, the next sequence number: the next
// ResetRanked orders it after every event already scheduled for the same
// instant and arming time, as an ordinary Reset would. A loop reranks when
// it is armed by something other than its own tick (a manual run).
func (t *Timer) Rerank() {
	t.eng.seq++
	t.rank = t.eng.seq
}

// ResetAfter arms the timer d after now.
func (t *Timer) ResetAfter(d time.Duration) { t.Reset(Add(t.eng.now, d)) }

// Stop disarms the timer. It reports whether the timer was armed.
func (t *Timer) Stop() bool {
	was := t.armed
	t.armed = false
	return was
}

// Armed reports whether the timer will fire.
func (t *Timer) Armed() bool { return t.armed }

// SetOwner says what the timer belongs to, for the message of ErrMaxEvents.
// It returns the timer, so that it can follow After or At.
func (t *Timer) SetOwner(o Owner) *Timer {
	t.owner = o
	return t
}

// When is the time the timer will fire; meaningful only while Armed.
func (t *Timer) When() time.Duration { return t.at }

// next drops stale items and returns the next live one, or nil.
func (e *Engine) next() *item {
	for e.queue.len() > 0 {
		top := e.queue.top()
		if t := top.timer; t.armed && t.at == top.at && t.when == top.when && t.seq == top.seq {
			return top
		}
		e.queue.pop()
	}
	return nil
}

// NextAt reports the time of the next live event.
func (e *Engine) NextAt() (time.Duration, bool) {
	if it := e.next(); it != nil {
		return it.at, true
	}
	return 0, false
}

// Step fires the next live event. It returns false when there is nothing left
// to do or the engine has failed (see Err).
func (e *Engine) Step() bool {
	if e.stopped {
		return false
	}
	if e.next() == nil {
		return false
	}
	if e.MaxEvents > 0 && e.fired >= e.MaxEvents {
		e.setErr(fmt.Errorf("%w: %d events by %v%s", ErrMaxEvents, e.fired, e.now, e.busiest()))
		return false
	}
	top := e.queue.top()
	t, at := top.timer, top.at
	if at != e.high.at || e.high.before(top) {
		e.high.at, e.high.when, e.high.seq = at, top.when, top.seq
	}
	// The fired item leaves a hole at the head of the queue; a timer that
	// re-arms itself while firing (every periodic loop) fills it with one
	// sift-down instead of a pop and a push.
	e.queue.removeTop()
	t.armed = false
	e.now = at
	e.recent[e.recentNext] = t.owner
	if e.recentNext++; e.recentNext == recentEvents {
		e.recentNext = 0
	}
	e.fired++
	t.fn()
	return !e.stopped
}

// RunUntil fires every event due at or before until, then moves the clock to
// until. It returns the engine's error, if any.
func (e *Engine) RunUntil(until time.Duration) error {
	for e.err == nil && e.failure == nil {
		at, ok := e.NextAt()
		if !ok || at > until {
			break
		}
		e.Step()
	}
	if e.Err() == nil && until >= e.now {
		e.now = until
		e.high = item{at: until, when: math.MaxUint64, seq: math.MaxUint64} // all of until has fired
	}
	return e.Err()
}

// Run fires events until none are left. With periodic timers (a kubelet's
// relist loop) that never happens, so bound it with MaxEvents or use RunUntil.
func (e *Engine) Run() error {
	for e.Step() {
	}
	return e.Err()
}

// busiest says which owners fired most of the recent events, for the
// message of ErrMaxEvents: "; of the last 1000 events, 998 were container
// app of pod default/web, 2 other work".
func (e *Engine) busiest() string {
	n := int(min(e.fired, recentEvents))
	if n == 0 {
		return ""
	}
	counts := map[string]int{}
	for _, o := range e.recent[:n] {
		name := "other work"
		if o != nil {
			name = o.String()
		}
		counts[name]++
	}
	names := slices.Collect(maps.Keys(counts))
	slices.SortFunc(names, func(a, b string) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, 0, 3)
	for i, name := range names {
		if i == 3 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprintf("%d %s", counts[name], name))
	}
	return fmt.Sprintf("; of the last %d events: %s", n, strings.Join(parts, ", "))
}
