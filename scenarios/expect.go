package scenarios

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/trace"
)

var readyRe = regexp.MustCompile(`^[0-9]+/[0-9]+$`)

// expectations checks the expectations of the Scenario document.
func (l *loader) expectations(s *Scenario, sd *ScenarioDoc) {
	d := &s.doc
	pods := map[string]*corev1.Pod{}
	for _, m := range s.objects {
		if p, ok := m.obj.(*corev1.Pod); ok {
			pods[p.Namespace+"/"+p.Name] = p
		}
	}
	created := map[string]bool{}
	for _, a := range sd.Actions {
		var head struct {
			Kind     string `json:"kind"`
			Metadata struct{ Name, Namespace string }
		}
		if len(a.Create) > 0 && jsonUnmarshal(a.Create, &head) == nil && head.Kind == "Pod" {
			created[nsOf(head.Metadata.Namespace)+"/"+head.Metadata.Name] = true
		}
	}
	for i, e := range sd.Expect {
		path := fmt.Sprintf("expect[%d]", i)
		x := expectation{ExpectDoc: e, at: s.Duration, line: d.lineOf(path), index: i}
		if e.At != nil {
			x.at = e.At.Duration
			if x.at < 0 || x.at > s.Duration {
				l.add(d, ScenarioKind, path+".at", "Invalid value: %q: must be within the scenario's duration (0s to %v)", e.At.String(), s.Duration)
			}
		}
		if e.Watch != "" {
			if e.Pod != "" || e.At != nil || e.Phase != "" || e.Status != "" || e.Ready != "" || e.ReadinessGates != "" || e.Restarts != nil || len(e.Conditions) > 0 || len(e.Containers) > 0 || len(e.Events) > 0 || e.Gone != nil || e.Reason != nil || e.Message != nil || e.Node != "" {
				l.add(d, ScenarioKind, path+".watch", "Forbidden: a watch expectation checks the whole run; put checks of a pod at a time in an expectation of their own")
				continue
			}
			if _, err := ParseWatch(e.Watch); err != nil {
				l.add(d, ScenarioKind, path+".watch", "%v", err)
				continue
			}
			if e.From != nil && (e.From.Duration < 0 || e.From.Duration > s.Duration) {
				l.add(d, ScenarioKind, path+".from", "Invalid value: %q: must be within the scenario's duration (0s to %v)", e.From.String(), s.Duration)
			}
			if e.ExactLines != nil && *e.ExactLines < 0 {
				l.add(d, ScenarioKind, path+".exactLines", "Invalid value: %d: must be greater than or equal to 0", *e.ExactLines)
			}
			s.expect = append(s.expect, x)
			continue
		}
		for _, f := range []struct {
			name string
			set  bool
		}{{"exactLines", e.ExactLines != nil}, {"tolerance", e.Tolerance != nil}, {"wide", e.Wide}, {"from", e.From != nil}} {
			if f.set {
				l.add(d, ScenarioKind, path+"."+f.name, "Forbidden: exactLines, tolerance, wide and from go with watch")
				break
			}
		}
		for _, c := range []struct {
			field string
			n     *int64
		}{
			{"restarts", int64Of(e.Restarts)}, {"readyEndpoints", intOf(e.ReadyEndpoints)}, {"notReadyEndpoints", intOf(e.NotReadyEndpoints)},
		} {
			if c.n != nil && *c.n < 0 {
				l.add(d, ScenarioKind, path+"."+c.field, "Invalid value: %d: must be greater than or equal to 0", *c.n)
			}
		}
		for i, ev := range e.Events {
			if ev.Count != nil && *ev.Count < 1 {
				l.add(d, ScenarioKind, fmt.Sprintf("%s.events[%d].count", path, i), "Invalid value: %d: must be at least 1 (an event that happened counts 1)", *ev.Count)
			}
		}
		for _, name := range sortedKeys(e.Containers) {
			ce := e.Containers[name]
			for _, c := range []struct {
				field string
				n     *int32
			}{{"restartCount", ce.RestartCount}} {
				if c.n != nil && *c.n < 0 {
					l.add(d, ScenarioKind, fmt.Sprintf("%s.containers[%s].%s", path, name, c.field), "Invalid value: %d: must be greater than or equal to 0", *c.n)
				}
			}
		}
		if e.Node != "" || e.NodeConditions != nil || e.Taints != nil {
			if l.nodeExpectation(d, path, e, s.NodeNames()) {
				s.expect = append(s.expect, x)
			}
			continue
		}
		if workloadExpected(e) {
			if l.workloadExpectation(d, path, e) {
				s.expect = append(s.expect, x)
			}
			continue
		}
		if e.PodDisruptionBudget != "" || e.Budget != nil {
			if l.budgetExpectation(d, path, e) {
				s.expect = append(s.expect, x)
			}
			continue
		}
		if e.Service != "" {
			if e.Pod != "" || e.ReadyEndpoints == nil && e.NotReadyEndpoints == nil {
				l.add(d, ScenarioKind, path+".service", "Invalid value: an endpoints expectation gives readyEndpoints or notReadyEndpoints, and no pod")
				continue
			}
			s.expect = append(s.expect, x)
			continue
		}
		if e.ReadyEndpoints != nil || e.NotReadyEndpoints != nil {
			l.add(d, ScenarioKind, path+".service", "Required value: readyEndpoints and notReadyEndpoints need a service")
			continue
		}
		if e.Pod == "" {
			l.add(d, ScenarioKind, path+".pod", "Required value: an expectation names a pod or a service, or gives the whole watch")
			continue
		}
		// READY and READINESS GATES print as n/m: anything else can never
		// match, so say so now rather than fail the run with a diff.
		for _, f := range []struct{ name, v string }{{"ready", e.Ready}, {"readinessGates", e.ReadinessGates}} {
			if f.v != "" && !readyRe.MatchString(f.v) {
				l.add(d, ScenarioKind, path+"."+f.name, "Invalid value: %q: must be a count such as \"1/1\", as kubectl shows it", f.v)
			}
		}
		key := nsOf(e.Namespace) + "/" + e.Pod
		p, ok := pods[key]
		switch {
		case ok:
		case created[key]:
			p = s.podSpecs[key] // created by an action: its containers are known too
		default:
			// A pod a workload's controller makes, by the name it gets.
			if p = workloadPodTemplate(s, nsOf(e.Namespace), e.Pod); p == nil {
				l.add(d, ScenarioKind, path+".pod", "Not found: no pod %q in this file", e.Pod)
				continue
			}
		}
		for _, name := range sortedKeys(e.Containers) {
			c := e.Containers[name]
			cp := fmt.Sprintf("%s.containers[%s]", path, name)
			if p != nil && findContainer(p, name) == nil {
				l.add(d, ScenarioKind, cp, "Not found: pod %q has no container %q", e.Pod, name)
			}
			for _, st := range []struct{ field, v string }{{"state", c.State}, {"lastState", c.LastState}} {
				switch st.v {
				case "", "waiting", "running", "terminated":
				default:
					l.add(d, ScenarioKind, cp+"."+st.field, "Unsupported value: %q: supported values: \"waiting\", \"running\", \"terminated\"", st.v)
				}
			}
		}
		for _, t := range sortedKeys(e.Conditions) {
			switch e.Conditions[t].Status {
			case corev1.ConditionTrue, corev1.ConditionFalse, corev1.ConditionUnknown:
			default:
				l.add(d, ScenarioKind, fmt.Sprintf("%s.conditions[%s].status", path, t), "Unsupported value: %q: supported values: \"True\", \"False\", \"Unknown\"", e.Conditions[t].Status)
			}
		}
		for j, ev := range e.Events {
			if ev.Reason == "" {
				l.add(d, ScenarioKind, fmt.Sprintf("%s.events[%d].reason", path, j), "Required value")
			}
			// As with phase: a type no event has could only fail the run.
			switch ev.Type {
			case "", corev1.EventTypeNormal, corev1.EventTypeWarning:
			default:
				l.add(d, ScenarioKind, fmt.Sprintf("%s.events[%d].type", path, j), "Unsupported value: %q: supported values: \"Normal\", \"Warning\"", ev.Type)
			}
		}
		// A phase that does not exist (Runing, Completed) can never match:
		// say so now rather than fail the run with a diff.
		switch e.Phase {
		case "", corev1.PodPending, corev1.PodRunning, corev1.PodSucceeded, corev1.PodFailed, corev1.PodUnknown:
		default:
			l.add(d, ScenarioKind, path+".phase", "Unsupported value: %q: supported values: \"Pending\", \"Running\", \"Succeeded\", \"Failed\", \"Unknown\"", e.Phase)
		}
		s.expect = append(s.expect, x)
	}
	sort.SliceStable(s.expect, func(a, b int) bool { return s.expect[a].at < s.expect[b].at })
}

// Failure is an expectation the run did not meet.
type Failure struct {
	File string
	Line int
	// What the expectation checks, e.g. `pod "liveness" at 87s`.
	What string
	// Diff shows the difference: "-want +got" for a pod, line by line for a watch.
	Diff string
}

func (f Failure) String() string {
	return fmt.Sprintf("%s:%d: %s:\n%s", f.File, f.Line, f.What, strings.TrimRight(f.Diff, "\n"))
}

// podView is what a pod expectation compares: only the fields it names.
// Its JSON names are the expectation's own field names, so a diff of its
// YAML reads as the scenario file is written.
type podView struct {
	Gone           *bool                      `json:"gone,omitempty"`
	Phase          corev1.PodPhase            `json:"phase,omitempty"`
	Status         string                     `json:"status,omitempty"`
	Ready          string                     `json:"ready,omitempty"`
	ReadinessGates string                     `json:"readinessGates,omitempty"`
	Restarts       *int32                     `json:"restarts,omitempty"`
	Conditions     map[string]ConditionExpect `json:"conditions,omitempty"`
	Containers     map[string]ContainerExpect `json:"containers,omitempty"`
	Events         []EventExpect              `json:"events,omitempty"`
	Reason         *string                    `json:"reason,omitempty"`
	Message        *string                    `json:"message,omitempty"`
}

func strPtr(s string) *string { return &s }

// diff shows what differs between two views as a line diff of their YAML,
// in the field names of the scenario format ("- restarts: 1" / "+ restarts:
// 9"), not Go's. It is "" when they are the same.
func diff(want, got any) string { return YAMLDiff(want, got) }

// checkPod compares a pod with an expectation; "" means it matches.
func checkPod(c *sim.Cluster, x expectation) string {
	want := podView{Gone: x.Gone, Phase: x.Phase, Status: x.Status, Ready: x.Ready, ReadinessGates: x.ReadinessGates, Restarts: x.Restarts,
		Conditions: x.Conditions, Containers: x.Containers, Events: x.Events, Reason: x.Reason, Message: x.Message}
	pod := c.Pod(nsOf(x.Namespace), x.Pod)
	var got podView
	if x.Gone != nil {
		gone := pod == nil
		got.Gone = &gone
	}
	if pod == nil {
		if x.Gone == nil || !*x.Gone {
			return fmt.Sprintf("pod %q does not exist at %v", x.Pod, x.at)
		}
		return diff(want, got)
	}
	row := lifecycle.PrintPod(pod, c.Wall(), c.Profile().Lifecycle)
	if x.Phase != "" {
		got.Phase = pod.Status.Phase
	}
	if x.Status != "" {
		got.Status = row.Status
	}
	if x.Reason != nil {
		got.Reason = strPtr(pod.Status.Reason)
	}
	if x.Message != nil {
		got.Message = strPtr(pod.Status.Message)
	}
	if x.Ready != "" {
		got.Ready = row.Ready
	}
	if x.ReadinessGates != "" {
		got.ReadinessGates = row.ReadinessGates
	}
	if x.Restarts != nil {
		var n int32
		for _, cs := range append(append([]corev1.ContainerStatus{}, pod.Status.InitContainerStatuses...), pod.Status.ContainerStatuses...) {
			n += cs.RestartCount
		}
		got.Restarts = &n
	}
	if len(x.Conditions) > 0 {
		got.Conditions = map[string]ConditionExpect{}
		for t, w := range x.Conditions {
			var cond *corev1.PodCondition
			for i := range pod.Status.Conditions {
				if string(pod.Status.Conditions[i].Type) == t {
					cond = &pod.Status.Conditions[i]
				}
			}
			if cond == nil {
				got.Conditions[t] = ConditionExpect{Status: "<absent>"}
				continue
			}
			g := ConditionExpect{Status: cond.Status}
			if w.Reason != nil {
				g.Reason = strPtr(cond.Reason)
			}
			if w.Message != nil {
				g.Message = strPtr(cond.Message)
			}
			got.Conditions[t] = g
		}
	}
	if len(x.Containers) > 0 {
		got.Containers = map[string]ContainerExpect{}
		for name, w := range x.Containers {
			got.Containers[name] = containerView(pod, name, w)
		}
	}
	if len(x.Events) > 0 {
		got.Events = eventsView(c, pod, x.Events)
	}
	return diff(want, got)
}

func containerView(pod *corev1.Pod, name string, w ContainerExpect) ContainerExpect {
	var cs *corev1.ContainerStatus
	for _, list := range [][]corev1.ContainerStatus{pod.Status.InitContainerStatuses, pod.Status.ContainerStatuses} {
		for i := range list {
			if list[i].Name == name {
				cs = &list[i]
			}
		}
	}
	if cs == nil {
		return ContainerExpect{State: "<no status>"}
	}
	var g ContainerExpect
	state, reason, message, code := describeState(cs.State)
	if w.State != "" {
		g.State = state
	}
	if w.Reason != nil {
		g.Reason = strPtr(reason)
	}
	if w.Message != nil {
		g.Message = strPtr(message)
	}
	if w.ExitCode != nil {
		g.ExitCode = code
	}
	if w.Ready != nil {
		g.Ready = &cs.Ready
	}
	if w.Started != nil {
		started := cs.Started != nil && *cs.Started
		g.Started = &started
	}
	if w.RestartCount != nil {
		g.RestartCount = &cs.RestartCount
	}
	lstate, lreason, _, lcode := describeState(cs.LastTerminationState)
	if w.LastState != "" {
		g.LastState = lstate
	}
	if w.LastReason != nil {
		g.LastReason = strPtr(lreason)
	}
	if w.LastExitCode != nil {
		g.LastExitCode = lcode
	}
	return g
}

func describeState(s corev1.ContainerState) (state, reason, message string, code *int32) {
	switch {
	case s.Running != nil:
		return "running", "", "", nil
	case s.Terminated != nil:
		c := s.Terminated.ExitCode
		return "terminated", s.Terminated.Reason, s.Terminated.Message, &c
	case s.Waiting != nil:
		return "waiting", s.Waiting.Reason, s.Waiting.Message, nil
	}
	return "<none>", "", "", nil
}

// eventsView finds, for each expected event, the pod's event with that
// reason (and message, when given), shown as the expectation asks.
func eventsView(c *sim.Cluster, pod *corev1.Pod, want []EventExpect) []EventExpect {
	events := c.Events()
	var out []EventExpect
	for _, w := range want {
		g := EventExpect{Reason: w.Reason, Type: w.Type}
		var found *corev1.Event
		for i := range events {
			e := &events[i]
			if e.InvolvedObject.UID != pod.UID || e.Reason != w.Reason {
				continue
			}
			if w.Message != nil && strings.TrimSpace(e.Message) != strings.TrimSpace(*w.Message) {
				if found == nil {
					found = e
				}
				continue
			}
			found = e
			break
		}
		if found == nil {
			g.Reason = w.Reason + " <no such event>"
			out = append(out, g)
			continue
		}
		if w.Type != "" {
			g.Type = found.Type
		}
		if w.Message != nil {
			g.Message = strPtr(strings.TrimSpace(found.Message))
		}
		if w.Count != nil {
			n := found.Count
			g.Count = &n
		}
		out = append(out, g)
	}
	return out
}

// checkEndpoints compares a Service's endpoints with an expectation.
func checkEndpoints(c *sim.Cluster, x expectation) string {
	type view struct {
		Ready    *int `json:"readyEndpoints,omitempty"`
		NotReady *int `json:"notReadyEndpoints,omitempty"`
	}
	var ready, notReady int
	if ep := c.Endpoints(nsOf(x.Namespace), x.Service); ep != nil {
		for _, s := range ep.Subsets {
			ready += len(s.Addresses)
			notReady += len(s.NotReadyAddresses)
		}
	}
	want := view{x.ReadyEndpoints, x.NotReadyEndpoints}
	var got view
	if x.ReadyEndpoints != nil {
		got.Ready = &ready
	}
	if x.NotReadyEndpoints != nil {
		got.NotReady = &notReady
	}
	return diff(want, got)
}

// checkWatch compares the run's watch with an expectation.
func checkWatch(c *sim.Cluster, x expectation) string {
	want, _ := ParseWatch(x.Watch)
	var b strings.Builder
	opts := trace.WatchOptions{Wide: x.Wide, Rules: c.Profile().Lifecycle}
	if x.From != nil {
		opts.Since = x.From.Duration
	}
	trace.Watch(&b, c.Trace(), opts)
	got, err := ParseWatch(b.String())
	if err != nil {
		return err.Error()
	}
	exact := len(want)
	if x.ExactLines != nil {
		exact = *x.ExactLines
	}
	tol := time.Duration(0)
	if x.Tolerance != nil {
		tol = x.Tolerance.Duration
	}
	return strings.Join(CompareWatch(got, want, exact, tol), "\n")
}

func int64Of(p *int32) *int64 {
	if p == nil {
		return nil
	}
	n := int64(*p)
	return &n
}

func intOf(p *int) *int64 {
	if p == nil {
		return nil
	}
	n := int64(*p)
	return &n
}
