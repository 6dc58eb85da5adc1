package sweep

import (
	"maps"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/trace"
)

// PodMetrics are what one run says about one pod. A time is measured from
// the pod's creation and is nil when the thing never happened in the run.
type PodMetrics struct {
	Namespace string `json:"namespace"`
	Pod       string `json:"pod"`
	// Ready is the time to Ready: the first change that shows the pod's
	// Ready condition True.
	Ready *Seconds `json:"ready_s"`
	// FirstRestart is the time to the first restart: the first change that
	// shows a restart count above 0 (the watch's RESTARTS turning 1).
	FirstRestart *Seconds `json:"first_restart_s"`
	// Restarts is the pod's restart count (of all its containers) at the
	// end of the run, or when it was deleted.
	Restarts int32 `json:"restarts"`
	// LivenessDetection is how long the kubelet took to act on a failing
	// liveness probe, the first time it did: from the first Unhealthy
	// liveness event since that container last started to the Killing
	// event that restarts it — (failureThreshold − 1) × periodSeconds plus
	// the probes' latencies.
	LivenessDetection *Seconds `json:"liveness_detection_s"`
	// ReadinessDetection is the same for readiness, the first time the pod
	// lost its Ready condition after readiness failures: from the first
	// Unhealthy readiness event while it was Ready to the change that shows
	// it not Ready.
	ReadinessDetection *Seconds `json:"readiness_detection_s"`
}

// Seconds is a duration in seconds, as notebooks read durations.
type Seconds float64

func seconds(d time.Duration) *Seconds {
	s := Seconds(d.Seconds())
	return &s
}

// Duration is s as a time.Duration, rounded to the nanosecond.
func (s Seconds) Duration() time.Duration {
	return time.Duration(float64(s)*float64(time.Second) + 0.5)
}

// podState follows one pod through the trace.
type podState struct {
	m       PodMetrics
	created time.Duration
	ready   bool
	// since the container last started: when its first liveness failure
	// came, by container name
	livenessFailedAt map[string]time.Duration
	// since the pod last became Ready: its first readiness failure
	readinessFailedAt *time.Duration
}

// Measure reads the metrics of every pod of a run from its trace, in
// namespace/name order.
func Measure(t *trace.Trace) []PodMetrics {
	pods := map[string]*podState{}
	state := func(ns, name string, at time.Duration) *podState {
		key := ns + "/" + name
		p := pods[key]
		if p == nil {
			p = &podState{m: PodMetrics{Namespace: ns, Pod: name}, created: at, livenessFailedAt: map[string]time.Duration{}}
			pods[key] = p
		}
		return p
	}
	for _, r := range t.All() {
		switch {
		case r.Kind == "Pod" && r.Pod != nil:
			state(r.Namespace, r.Name, r.T).pod(r)
		case r.Kind == "Event" && r.Event != nil && r.Event.InvolvedObject.Kind == "Pod":
			o := r.Event.InvolvedObject
			if p := pods[o.Namespace+"/"+o.Name]; p != nil {
				p.event(r.T, r.Event)
			}
		}
	}
	out := make([]PodMetrics, 0, len(pods))
	for _, k := range slices.Sorted(maps.Keys(pods)) {
		out = append(out, pods[k].m)
	}
	return out
}

func (p *podState) pod(r trace.Record) {
	s := &r.Pod.Status
	var restarts int32
	for _, cs := range s.InitContainerStatuses {
		restarts += cs.RestartCount
	}
	for _, cs := range s.ContainerStatuses {
		restarts += cs.RestartCount
	}
	p.m.Restarts = restarts
	if restarts > 0 && p.m.FirstRestart == nil {
		p.m.FirstRestart = seconds(r.T - p.created)
	}
	ready := false
	for _, c := range s.Conditions {
		if c.Type == corev1.PodReady {
			ready = c.Status == corev1.ConditionTrue
		}
	}
	switch {
	case ready && !p.ready:
		if p.m.Ready == nil {
			p.m.Ready = seconds(r.T - p.created)
		}
		p.readinessFailedAt = nil
	case !ready && p.ready:
		if p.readinessFailedAt != nil && p.m.ReadinessDetection == nil {
			p.m.ReadinessDetection = seconds(r.T - *p.readinessFailedAt)
		}
		p.readinessFailedAt = nil
	}
	p.ready = ready
}

// container is the container an event's field path names
// (spec.containers{name}, as the kubelet's ObjectReference has it).
func container(e *corev1.Event) string {
	fp := e.InvolvedObject.FieldPath
	if i := strings.IndexByte(fp, '{'); i >= 0 && strings.HasSuffix(fp, "}") {
		return fp[i+1 : len(fp)-1]
	}
	return fp
}

// event follows the kubelet's probe events. Their texts are the prober's
// (pkg/kubelet/prober/prober.go: "Liveness probe failed: …" and
// "… errored: …") and the kill's (pkg/kubelet/kuberuntime/kuberuntime_manager.go
// computePodActions: "Container %s failed liveness probe, will be
// restarted").
func (p *podState) event(at time.Duration, e *corev1.Event) {
	c := container(e)
	switch {
	case e.Reason == "Started":
		delete(p.livenessFailedAt, c)
	case e.Reason == "Unhealthy" && strings.HasPrefix(e.Message, "Liveness probe"):
		if _, ok := p.livenessFailedAt[c]; !ok {
			p.livenessFailedAt[c] = at
		}
	case e.Reason == "Unhealthy" && strings.HasPrefix(e.Message, "Readiness probe"):
		if p.ready && p.readinessFailedAt == nil {
			p.readinessFailedAt = &at
		}
	case e.Reason == "Killing" && strings.Contains(e.Message, "failed liveness probe"):
		if first, ok := p.livenessFailedAt[c]; ok && p.m.LivenessDetection == nil {
			p.m.LivenessDetection = seconds(at - first)
		}
	}
}
