package probe

// Steady reports whether another Success would change nothing a reader of
// the worker can see but the length of the current run: the worker is
// following a container, is not on hold, its last results were Successes
// at least SuccessThreshold in a row, and the stored result is Success. A
// caller that knows the next run will succeed again — nothing the probe
// reads has changed — may skip runs while the worker is steady and account
// for them with Repeat.
func (w *Worker) Steady() bool {
	if w.containerID == "" || w.onHold || w.lastResult != Success || w.resultRun < int(w.Spec.SuccessThreshold) {
		return false
	}
	r, ok := w.Results.Get(w.containerID)
	return ok && r == Success
}

// Repeat is n Records of Success by a Steady worker, at the cost of one
// addition: only the run length grows (a Failure after them still starts
// a new run; a stored-result message that counts the run sees the same
// count as had each been recorded). It does nothing unless the worker is
// Steady.
func (w *Worker) Repeat(n int) {
	if n > 0 && w.Steady() {
		w.resultRun += n
	}
}
