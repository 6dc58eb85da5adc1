package controllerutil

import "time"

// ExpectationsTimeout is how long a controller waits for the watch events
// of the creations and deletions it asked for before it syncs anyway
// (controller_utils.go ExpectationsTimeout).
const ExpectationsTimeout = 5 * time.Minute

// Expectations are what a controller expects to see of its own writes
// before it acts again (controller_utils.go ControllerExpectations with
// UIDTrackingControllerExpectations): per controller key, a count of pod
// creations and of deletions still to be observed, and the keys of the
// pods it is deleting, so that a deletion is counted once whether it is
// seen as the deletionTimestamp being set or as the pod going. Times are
// virtual times passed in.
type Expectations struct {
	m map[string]*expectation
}

type expectation struct {
	add, del int
	at       time.Duration
	deleting map[string]bool
}

// NewExpectations returns an empty store.
func NewExpectations() *Expectations { return &Expectations{m: map[string]*expectation{}} }

// Satisfied reports whether the controller may act: it expects nothing, or
// everything it expected was seen, or its expectations are older than
// ExpectationsTimeout (SatisfiedExpectations).
func (e *Expectations) Satisfied(key string, now time.Duration) bool {
	x, ok := e.m[key]
	if !ok {
		return true
	}
	return (x.add <= 0 && x.del <= 0) || now-x.at > ExpectationsTimeout
}

// ExpectCreations records n creations to observe, replacing what was
// expected before (ExpectCreations → SetExpectations).
func (e *Expectations) ExpectCreations(key string, n int, now time.Duration) {
	e.m[key] = &expectation{add: n, at: now}
}

// ExpectDeletions records the deletion of these pods (namespace/name keys),
// replacing what was expected before (UIDTrackingControllerExpectations
// ExpectDeletions).
func (e *Expectations) ExpectDeletions(key string, podKeys []string, now time.Duration) {
	x := &expectation{del: len(podKeys), at: now, deleting: map[string]bool{}}
	for _, k := range podKeys {
		x.deleting[k] = true
	}
	e.m[key] = x
}

// ExpectDeletionCount records n deletions without tracking which pods
// (ControllerExpectations.ExpectDeletions, as the Job controller uses it).
func (e *Expectations) ExpectDeletionCount(key string, n int, now time.Duration) {
	e.m[key] = &expectation{del: n, at: now}
}

// CreationObserved lowers the creations expected by one.
func (e *Expectations) CreationObserved(key string) {
	if x, ok := e.m[key]; ok {
		x.add--
	}
}

// DeletionObserved lowers the deletions expected by one when the pod is one
// the controller is deleting (UID-tracking), or, for a controller that does
// not track which, on any deletion of its pods (podKey "").
func (e *Expectations) DeletionObserved(key, podKey string) {
	x, ok := e.m[key]
	if !ok {
		return
	}
	if x.deleting == nil || podKey == "" {
		x.del--
		return
	}
	if x.deleting[podKey] {
		delete(x.deleting, podKey)
		x.del--
	}
}

// Delete forgets the controller's expectations (DeleteExpectations).
func (e *Expectations) Delete(key string) { delete(e.m, key) }
