package explain

import (
	"errors"
	"fmt"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/internal/imageref"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/probe"
	"github.com/podsim/podsim/profile"
)

// Report is what Explain finds.
type Report struct {
	Pod     string
	Version string
	// FirstStart is when the first regular container starts, since the
	// pod's creation, and how that sum is made.
	FirstStart    Interval
	FirstStartWhy string
	Containers    []ContainerReport
	// Predictions are the times stated, in time order of their earliest.
	Predictions []Prediction
	// Warnings are probe settings Kubernetes users often get wrong, each
	// with its numbers.
	Warnings []string
	// Notes are what explain assumed or could not follow.
	Notes []string
}

// ContainerReport describes one regular container.
type ContainerReport struct {
	Name string
	// Process says what the process does, from its behaviour.
	Process string
	Probes  []ProbeReport
	// PreStop says whether the preStop hook fits the grace period.
	PreStop string
}

// ProbeReport describes one probe.
type ProbeReport struct {
	Kind probe.Kind
	Spec probe.Spec
	// Outcome says when it passes and fails over a run of the container.
	Outcome string
	// Detect is the time from a container's death (its probe's first
	// failure) to the probe's verdict: failureThreshold failures in a row,
	// from (failureThreshold−1)×periodSeconds for a failure just before a
	// tick to failureThreshold×periodSeconds + timeoutSeconds for a
	// process that hangs.
	Detect Interval
}

// Explain works out what a pod will do from the rules of packages
// lifecycle and probe, and the pod's process model — without running a
// cluster.
func Explain(in Input) (*Report, error) {
	if in.Pod == nil {
		return nil, errors.New("explain: no pod")
	}
	if in.Profile == nil {
		p, err := profile.For("")
		if err != nil {
			return nil, err
		}
		in.Profile = p
	}
	in.Timing = in.Timing.withDefaults()
	if in.Horizon == 0 {
		in.Horizon = 15 * time.Minute
	}
	pod := in.Pod.DeepCopy()
	applyPodDefaults(pod)
	in.Pod = pod
	r := &Report{Pod: pod.Name, Version: in.Profile.Version, Notes: append([]string(nil), in.Notes...)}
	r.Notes = append(r.Notes, unmodelled(pod)...)

	// The first start: the steps before the regular containers run.
	t := in.Timing
	pulls := map[string]int{}
	startDur := func(c *corev1.Container) (time.Duration, string) {
		d := t.ContainerCreate + t.ContainerStart
		if needsPull(c, t, pulls[c.Image]) {
			p := t.pull(c.Image, pulls[c.Image])
			pulls[c.Image]++
			return d + p, fmt.Sprintf("pull of %s %v (%s), create %v, start %v", c.Image, p, pullWhy(c), t.ContainerCreate, t.ContainerStart)
		}
		return d, fmt.Sprintf("%s already present, create %v, start %v", c.Image, t.ContainerCreate, t.ContainerStart)
	}
	first := At(t.Scheduling + t.Watch + t.SandboxCreate)
	why := fmt.Sprintf("scheduling %v, watch %v, sandbox %v", t.Scheduling, t.Watch, t.SandboxCreate)
	for i := range pod.Spec.InitContainers {
		c := &pod.Spec.InitContainers[i]
		if why := neverStarts(c, t); why != "" {
			r.Notes = append(r.Notes, fmt.Sprintf("init container %s %s, so the pod stays in Init and nothing below happens", c.Name, why))
			return r, nil
		}
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways && in.Profile.SidecarContainers {
			// A sidecar: the next container starts once it has started.
			d, w := startDur(c)
			first = first.Plus(d).Add(Between(0, relistPeriod))
			why += fmt.Sprintf("; sidecar %s: %s, seen at the next relist", c.Name, w)
			r.Notes = append(r.Notes, fmt.Sprintf("sidecar %s: its own probes and restarts are not followed", c.Name))
			continue
		}
		spec, err := behaviorOf(in, c)
		if err != nil {
			return nil, err
		}
		proc, err := runProcess(spec, nil, in.Horizon)
		if err != nil {
			return nil, fmt.Errorf("init container %s: %w", c.Name, err)
		}
		d, w := startDur(c)
		if !proc.exits || proc.exitCode != 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("init container %s does not finish with exit 0 in %v: the pod stays in Init, and nothing below happens", c.Name, in.Horizon))
			return r, nil
		}
		first = first.Plus(d + proc.exitAt).Add(Between(0, relistPeriod))
		why += fmt.Sprintf("; init container %s: %s, runs %v, seen at the next relist", c.Name, w, proc.exitAt)
	}
	if len(pod.Spec.ReadinessGates) > 0 || len(pod.Spec.Containers) > 1 {
		r.Notes = append(r.Notes, "Ready and NotReady are each container's ready flag; the pod is Ready only when every container is, and its readiness gates' conditions are True.")
	}
	r.Notes = append(r.Notes, "Times count from the pod's creation. Durations of the cluster's steps are podsim's environment (a scenario file's environment, else podsim's defaults); the kubelet's 1 s loops may add up to 1 s to a start.")

	for i := range pod.Spec.Containers {
		c := &pod.Spec.Containers[i]
		if why := neverStarts(c, t); why != "" {
			r.Notes = append(r.Notes, fmt.Sprintf("container %s %s: explain states no times for it", c.Name, why))
			continue
		}
		d, w := startDur(c)
		cstart := first.Plus(d).Add(Between(0, startSlack))
		if i == 0 {
			r.FirstStart, r.FirstStartWhy = cstart, why+"; "+w
		}
		cr, preds, notes, err := explainContainer(in, pod, c, cstart, pulls[c.Image])
		if err != nil {
			return nil, err
		}
		r.Containers = append(r.Containers, cr)
		r.Predictions = append(r.Predictions, preds...)
		r.Notes = append(r.Notes, notes...)
		r.Warnings = append(r.Warnings, advise(in, pod, c)...)
	}
	sort.SliceStable(r.Predictions, func(a, b int) bool { return r.Predictions[a].At.Lo < r.Predictions[b].At.Lo })
	return r, nil
}

// explainContainer works out one regular container's runs.
func explainContainer(in Input, pod *corev1.Pod, c *corev1.Container, start Interval, pulled int) (ContainerReport, []Prediction, []string, error) {
	cr := ContainerReport{Name: c.Name}
	spec, err := behaviorOf(in, c)
	if err != nil {
		return cr, nil, nil, err
	}
	specs := probeSpecs(c)
	var list []probe.Spec
	for _, k := range kinds {
		if ps, ok := specs[k]; ok {
			list = append(list, ps)
		}
	}
	proc, err := runProcess(spec, list, in.Horizon)
	if err != nil {
		return cr, nil, nil, fmt.Errorf("container %s: %w", c.Name, err)
	}
	cr.Process = describeProcess(proc)
	for _, ps := range list {
		cr.Probes = append(cr.Probes, ProbeReport{Kind: ps.Kind, Spec: ps, Outcome: describeOutcomes(proc.probes[ps.Kind]), Detect: detection(ps)})
	}
	cr.PreStop = describePreStop(pod, c, spec)
	run, err := model(pod, c, proc, specs, in.Horizon)
	if err != nil {
		return cr, nil, nil, fmt.Errorf("container %s: %w", c.Name, err)
	}
	reset := in.Profile.CrashLoopResetAfter
	if reset == 0 {
		reset = 2 * maxContainerBackOff // the default hasExpired rule: 2 × max
	}
	t := in.Timing
	_, hasReadiness := specs[probe.Readiness]
	tl := &timeline{in: &in, c: c, run: run, reset: reset, hasReadiness: hasReadiness, startup: func(n int) (time.Duration, bool) {
		d := t.ContainerCreate + t.ContainerStart
		if needsPull(c, t, n) {
			return d + t.pull(c.Image, n), true
		}
		return d, false
	}}
	tl.follow(branch{start: start, pulls: pulled, why: "the first start"})
	return cr, tl.out, tl.notes, nil
}

// behaviorOf is what a container does: the given behaviour, or what its
// manifest says.
func behaviorOf(in Input, c *corev1.Container) (behavior.Spec, error) {
	if s, ok := in.Behaviors[c.Name]; ok {
		return s, nil
	}
	s, err := behavior.FromContainer(c.Image, c.Command, c.Args)
	if err != nil {
		return s, fmt.Errorf("container %s: %w", c.Name, err)
	}
	return s, nil
}

// probeSpecs compiles a container's probes with the API defaults.
func probeSpecs(c *corev1.Container) map[probe.Kind]probe.Spec {
	out := map[probe.Kind]probe.Spec{}
	for _, p := range []struct {
		kind probe.Kind
		p    *corev1.Probe
	}{{probe.Liveness, c.LivenessProbe}, {probe.Readiness, c.ReadinessProbe}, {probe.Startup, c.StartupProbe}} {
		if p.p == nil {
			continue
		}
		cp := p.p.DeepCopy()
		probe.ApplyDefaults(cp)
		out[p.kind] = probe.Compile(cp, p.kind, c)
	}
	return out
}

// detection is the range of times from a container's death to its probe's
// verdict.
func detection(ps probe.Spec) Interval {
	ft := time.Duration(ps.FailureThreshold)
	return Between((ft-1)*ps.Period, ft*ps.Period+ps.Timeout)
}

// applyPodDefaults sets the API defaults explain's rules read
// (pkg/apis/core/v1/defaults.go): restartPolicy Always and a 30 s
// termination grace period.
func applyPodDefaults(p *corev1.Pod) {
	if p.Spec.RestartPolicy == "" {
		p.Spec.RestartPolicy = corev1.RestartPolicyAlways
	}
	if p.Spec.TerminationGracePeriodSeconds == nil {
		g := int64(lifecycle.DefaultTerminationGracePeriodSeconds)
		p.Spec.TerminationGracePeriodSeconds = &g
	}
	if p.Namespace == "" {
		p.Namespace = corev1.NamespaceDefault
	}
}

// pullPolicy is the container's imagePullPolicy or its API default:
// Always for a latest or untagged image, else IfNotPresent
// (pkg/apis/core/v1/defaults.go SetDefaults_Container).
func pullPolicy(c *corev1.Container) corev1.PullPolicy {
	if c.ImagePullPolicy != "" {
		return c.ImagePullPolicy
	}
	if ref, err := imageref.Parse(c.Image); err == nil && ref.Tag == "latest" {
		return corev1.PullAlways
	}
	return corev1.PullIfNotPresent
}

func pullWhy(c *corev1.Container) string {
	if pullPolicy(c) == corev1.PullAlways {
		return "imagePullPolicy Always: pulled on every start"
	}
	return "imagePullPolicy IfNotPresent: pulled once"
}

// needsPull says whether a start pulls the image, after n earlier pulls.
func needsPull(c *corev1.Container, t Timing, n int) bool {
	switch pullPolicy(c) {
	case corev1.PullAlways:
		return true
	case corev1.PullNever:
		return false
	}
	return n == 0 && !t.present(c.Image)
}

// neverStarts says why a container cannot start as explain follows it: an
// image reference the runtime cannot parse, or pulls that fail.
func neverStarts(c *corev1.Container, t Timing) string {
	if _, err := imageref.Parse(c.Image); err != nil {
		return fmt.Sprintf("never starts: its image %q is not a valid reference (InvalidImageName)", c.Image)
	}
	if t.PullFails == nil || !needsPull(c, t, 0) {
		return ""
	}
	switch always, n := t.PullFails(c.Image); {
	case always:
		return fmt.Sprintf("never starts: every pull of %s fails (ErrImagePull, then ImagePullBackOff)", c.Image)
	case n > 0:
		return fmt.Sprintf("starts only after %d failed pulls of %s and the image back-off between them, which explain does not follow", n, c.Image)
	}
	return ""
}

// unmodelled lists what the pod has that explain's times leave out.
func unmodelled(pod *corev1.Pod) []string {
	var out []string
	for _, c := range podContainers(pod) {
		if c.Lifecycle != nil && c.Lifecycle.PostStart != nil {
			out = append(out, fmt.Sprintf("container %s has a postStart hook: the kubelet shows it Running, and probes it, only when the hook is done, so its Ready times count from then; its Started times are the process's, and the next container's start waiting for the hook is not followed", c.Name))
		}
		refs := len(c.EnvFrom) > 0
		for _, e := range c.Env {
			refs = refs || e.ValueFrom != nil && (e.ValueFrom.ConfigMapKeyRef != nil || e.ValueFrom.SecretKeyRef != nil)
		}
		if refs {
			out = append(out, fmt.Sprintf("container %s reads ConfigMaps or Secrets: explain assumes they exist (else CreateContainerConfigError)", c.Name))
		}
		if len(c.Resources.Requests) > 0 || len(c.Resources.Limits) > 0 {
			out = append(out, fmt.Sprintf("container %s has resource requests or limits: explain assumes the pod fits its node and stays within them", c.Name))
		}
	}
	return out
}

func podContainers(pod *corev1.Pod) []*corev1.Container {
	var out []*corev1.Container
	for i := range pod.Spec.InitContainers {
		out = append(out, &pod.Spec.InitContainers[i])
	}
	for i := range pod.Spec.Containers {
		out = append(out, &pod.Spec.Containers[i])
	}
	return out
}
