package kubelet

import (
	"errors"
	"time"
)

// backoffError is kubecontainer.BackoffError (pkg/kubelet/container/
// sync_result.go, PR #133066, 1.35): a start refused by the crash-loop
// back-off, carrying when that back-off ends, so that the pod worker
// retries the pod then rather than after its 10–15 s error back-off
// (profile.CrashLoopRetryAtExpiry). Its text is the wrapped error's.
type backoffError struct {
	error
	until time.Duration
}

func (e *backoffError) Unwrap() error { return e.error }

// withBackoffExpiry is what the kubelet's sync error carries of its start
// results since PR #133066: the earliest back-off expiry among them
// (kubecontainer.MinBackoffExpiration over the aggregate). err is returned
// as it is when no start carries one.
func (r *syncResult) withBackoffExpiry(err error) error {
	found, until := false, time.Duration(0)
	for _, s := range r.starts {
		var be *backoffError
		if errors.As(s.err, &be) && (!found || be.until < until) {
			found, until = true, be.until
		}
	}
	if !found || err == nil {
		return err
	}
	return &backoffError{error: err, until: until}
}

// errorRetryDelay is how long the pod worker waits before it retries a pod
// whose sync failed, before jitter (pod_workers.go completeWork): the
// worker's backOffPeriod, or, for an error that carries a back-off expiry,
// the time left until then, within 0 and the resync interval.
func (k *Kubelet) errorRetryDelay(err error, now time.Duration) time.Duration {
	var be *backoffError
	if !errors.As(err, &be) {
		return errorBackOffPeriod
	}
	return min(max(be.until-now, 0), k.cfg.ResyncInterval)
}
