package scenarios

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// resolve turns the Scenario document and the manifests into a runnable
// scenario, recording every problem with its line.
func (l *loader) resolve(s *Scenario, sd *ScenarioDoc, pods []*corev1.Pod, podDocs map[string]*document) {
	d := &s.doc
	const obj = ScenarioKind
	s.Name = sd.Metadata.Name
	if s.Name == "" {
		s.Name = strings.TrimSuffix(filepath.Base(l.file), filepath.Ext(l.file))
	}
	s.Description = sd.Description
	s.Duration = DefaultDuration
	if sd.Duration != nil {
		if sd.Duration.Duration <= 0 {
			l.add(d, obj, "duration", "Invalid value: %q: must be greater than 0", sd.Duration.String())
		} else {
			s.Duration = sd.Duration.Duration
		}
	}
	cfg := sim.Config{Seed: 1, Version: sim.DefaultVersion, CheckInvariants: true}
	if sd.Seed != nil {
		cfg.Seed = *sd.Seed
	}
	if v := sd.KubernetesVersion; v != "" {
		if _, err := sim.ProfileFor(v); err != nil {
			l.add(d, obj, "kubernetesVersion", "Unsupported value: %q: supported values: %s", v, quoteAll(sim.SupportedVersions))
		} else {
			cfg.Version = strings.TrimPrefix(v, "v")
		}
	}
	if sd.Epoch != "" {
		t, err := time.Parse(time.RFC3339Nano, sd.Epoch)
		switch {
		case err != nil:
			l.add(d, obj, "epoch", "Invalid value: %q: must be an RFC 3339 time such as \"2025-01-01T00:00:00Z\"", sd.Epoch)
		case t.IsZero():
			// sim.Config reads the zero time as "not set".
			l.add(d, obj, "epoch", "Invalid value: %q: must be after the year 1", sd.Epoch)
		default:
			cfg.Epoch = t
		}
	}
	l.environment(s, sd, &cfg)
	s.Config = cfg

	for _, p := range pods {
		pd := podDocs[p.Namespace+"/"+p.Name]
		errs, _ := sim.ValidatePod(p, cfg.Version)
		l.addFieldErrors(pd, fmt.Sprintf("Pod %q", p.Name), errs)
		s.Warnings = append(s.Warnings, l.disabledFieldWarnings(pd, p, cfg.Version)...)
		s.Warnings = append(s.Warnings, l.unsimulatedWarnings(pd, p)...)
	}
	if l.scenarioFailed {
		return
	}
	known := map[string]*corev1.Pod{}
	for _, p := range pods {
		known[p.Namespace+"/"+p.Name] = p
	}
	for _, p := range pods {
		s.behaviors[p.Namespace+"/"+p.Name] = l.podBehaviors(s, sd, p, podDocs[p.Namespace+"/"+p.Name])
	}
	l.workloadTemplates(s, sd, known)
	l.actions(s, sd, pods)
	// After the actions, so that the pods they create are known too.
	l.checkBehaviorKeys(d, sd, known, s.podSpecs)
	l.expectations(s, sd)
	// An entry no container matches is most likely a misspelt image, whose
	// settings would otherwise be silently ignored. (Unless a pod could not
	// be read: its images are unknown.)
	for _, k := range sortedKeys(sd.Environment.Images) {
		if !l.usedImages[k] && !l.podUnread {
			l.add(d, obj, fmt.Sprintf("environment.images[%s]", k), "Not found: no container in this scenario runs image %q (a key names an image as a pod writes it, its full reference, or its repository without a tag)", k)
		}
	}
}

func quoteAll(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// sortedKeys lists a map's keys in order, so that no outcome depends on
// map iteration order.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// behaviorKey splits "pod/container" or "namespace/pod/container".
func behaviorKey(key string) (ns, pod, container string, ok bool) {
	parts := strings.Split(key, "/")
	switch len(parts) {
	case 2:
		return corev1.NamespaceDefault, parts[0], parts[1], parts[0] != "" && parts[1] != ""
	case 3:
		return parts[0], parts[1], parts[2], parts[0] != "" && parts[1] != "" && parts[2] != ""
	}
	return "", "", "", false
}

// checkBehaviorKeys makes sure each behaviour names a container of a pod
// of the file (or one an action creates; those are checked with it).
func (l *loader) checkBehaviorKeys(d *document, sd *ScenarioDoc, known, createdSpecs map[string]*corev1.Pod) {
	created := map[string]bool{}
	for _, a := range sd.Actions {
		if len(a.Create) > 0 {
			var meta struct {
				Kind     string            `json:"kind"`
				Metadata metav1.ObjectMeta `json:"metadata"`
			}
			if err := jsonUnmarshal(a.Create, &meta); err == nil && meta.Kind == "Pod" {
				ns := meta.Metadata.Namespace
				if ns == "" {
					ns = corev1.NamespaceDefault
				}
				created[ns+"/"+meta.Metadata.Name] = true
			}
		}
	}
	for _, key := range sortedKeys(sd.Behaviors) {
		path := fmt.Sprintf("behaviors[%s]", key)
		ns, pod, ctr, ok := behaviorKey(key)
		if !ok {
			l.add(d, ScenarioKind, path, "Invalid value: %q: must be \"pod/container\" or \"namespace/pod/container\"", key)
			continue
		}
		p, isKnown := known[ns+"/"+pod]
		if !isKnown {
			if !created[ns+"/"+pod] {
				l.add(d, ScenarioKind, path, "Not found: no pod %q in namespace %q in this file", pod, ns)
			}
			// A pod an action creates has its containers checked too (a
			// behaviour for a container it lacks was silently ignored).
			if p = createdSpecs[ns+"/"+pod]; p == nil {
				continue
			}
		}
		if findContainer(p, ctr) == nil {
			l.add(d, ScenarioKind, path, "Not found: pod %q has no container %q", pod, ctr)
		}
	}
}

func findContainer(p *corev1.Pod, name string) *corev1.Container {
	for i := range p.Spec.InitContainers {
		if p.Spec.InitContainers[i].Name == name {
			return &p.Spec.InitContainers[i]
		}
	}
	for i := range p.Spec.Containers {
		if p.Spec.Containers[i].Name == name {
			return &p.Spec.Containers[i]
		}
	}
	return nil
}

// podBehaviors decides what each container of a pod does: the Scenario's
// behaviour if it gives one, else what the manifest's command and the
// image say. Exec probes and hooks must be commands podsim can run. The
// result belongs to this one pod: a pod created later under the same name
// (an action's create after a delete) gets its own.
func (l *loader) podBehaviors(s *Scenario, sd *ScenarioDoc, p *corev1.Pod, pd *document) map[string]behavior.Spec {
	return l.containerBehaviors(s, sd, p, pd, fmt.Sprintf("Pod %q", p.Name))
}

// containerBehaviors is podBehaviors for any pod spec — a Pod's, or a
// workload's template as a pod named after the workload — reporting
// problems as object's.
func (l *loader) containerBehaviors(s *Scenario, sd *ScenarioDoc, p *corev1.Pod, pd *document, object string) map[string]behavior.Spec {
	specs := map[string]behavior.Spec{}
	visit := func(c *corev1.Container, path string) {
		key := p.Name + "/" + c.Name
		bd, explicit := sd.Behaviors[key]
		if !explicit {
			bd, explicit = sd.Behaviors[p.Namespace+"/"+key]
		}
		imgKey, imgDoc, hasImg := l.imageDoc(sd, c.Image)
		if !explicit && neverRuns(sd, c.Image, imgDoc, hasImg) {
			// Nothing to describe: the container stays waiting
			// (InvalidImageName, ErrImagePull) and never runs a command.
			specs[c.Name] = behavior.Spec{}
			return
		}
		// The programs the environment says the image holds: the command,
		// scripts, probes and hooks may run them.
		var imgCmds map[string]behavior.Script
		if hasImg && len(imgDoc.Commands) > 0 {
			imgCmds = map[string]behavior.Script{}
			for _, cmd := range sortedKeys(imgDoc.Commands) {
				script, _ := behavior.ParseShell(imgDoc.Commands[cmd]) // checked in environment
				imgCmds[cmd] = script
			}
		}
		// A behaviour's own commands are programs in the container too.
		progs := imgCmds
		if explicit && len(bd.Commands) > 0 {
			progs = maps.Clone(imgCmds)
			if progs == nil {
				progs = map[string]behavior.Script{}
			}
			for _, cmd := range sortedKeys(bd.Commands) {
				if script, err := behavior.ParseShell(bd.Commands[cmd]); err == nil { // errors: behaviorFrom reports them
					progs[cmd] = script
				}
			}
		}
		spec, err := behavior.FromContainerWith(c.Image, c.Command, c.Args, progs)
		if hasImg && imgDoc.Default != nil && len(c.Command) == 0 && len(c.Args) == 0 {
			// On top of what podsim knows of the image: its files and
			// userland stay unless the default says otherwise.
			known, ok := behavior.KnownImage(c.Image)
			base := known.Default
			if !ok {
				// An unknown program as PID 1 has no SIGTERM handler, and
				// the kernel ignores the signal for it, as for a shell.
				base = behavior.Spec{Stop: behavior.IgnoreStop(), Userland: behavior.ImageUserland(c.Image)}
			}
			spec, err = l.behaviorFrom(*imgDoc.Default, withCommands(base, imgCmds), &s.doc, "environment.images["+imgKey+"].default")
		}
		if ue := (*behavior.UnknownImageError)(nil); errors.As(err, &ue) && (!explicit || bd.Script == "" && len(bd.Steps) == 0) {
			// Not an error: podsim takes the process to be a healthy
			// server, and says so (assumptions.go).
			spec, err = l.assumeServer(s, sd, pd, object, path, c), nil
		}
		if explicit {
			bpath := fmt.Sprintf("behaviors[%s]", behaviorKeyAsWritten(sd, p, c.Name))
			base := spec
			if err != nil {
				if bd.Script == "" && len(bd.Steps) == 0 {
					// Nothing says what the process does: the command
					// cannot, and the behaviour only adjusts.
					l.add(&s.doc, ScenarioKind, bpath, "Required value: script or steps: podsim cannot read the container's command (%v)", err)
					return
				}
				base = behavior.Spec{Stop: behavior.IgnoreStop()}
			}
			spec, err = l.behaviorFrom(bd, withCommands(base, imgCmds), &s.doc, bpath)
			if err != nil {
				return // already reported
			}
		} else if err != nil {
			field := path + ".command"
			if len(c.Command) == 0 && len(c.Args) > 0 {
				field = path + ".args"
			}
			l.add(pd, object, field, "%v; describe what the process does in the Scenario document, for example:\n    behaviors:\n      %s:\n        script: %s",
				err, suggestedBehaviorKey(p, c.Name), suggestedScript(c, strings.HasPrefix(path, "spec.initContainers")))
			return
		}
		spec = withCommands(spec, imgCmds)
		l.checkExecs(pd, object, path, c, spec)
		specs[c.Name] = spec
	}
	for i := range p.Spec.InitContainers {
		visit(&p.Spec.InitContainers[i], fmt.Sprintf("spec.initContainers[%d]", i))
	}
	for i := range p.Spec.Containers {
		visit(&p.Spec.Containers[i], fmt.Sprintf("spec.containers[%d]", i))
	}
	return specs
}

// withCommands adds the image's programs to a spec, under those it already
// has (a behaviour's own commands win).
func withCommands(spec behavior.Spec, imgCmds map[string]behavior.Script) behavior.Spec {
	if len(imgCmds) == 0 {
		return spec
	}
	merged := make(map[string]behavior.Script, len(spec.Commands)+len(imgCmds))
	for k, v := range imgCmds {
		merged[k] = v
	}
	for k, v := range spec.Commands {
		merged[k] = v
	}
	spec.Commands = merged
	return spec
}

// neverRuns reports whether a container of this image can never start: its
// reference does not parse, or every pull of it fails and no node has it.
func neverRuns(sd *ScenarioDoc, image string, doc ImageDoc, hasDoc bool) bool {
	if _, err := sim.ImageReference(image); err != nil {
		return true
	}
	if !hasDoc || doc.PullError == "" || doc.FailPulls > 0 {
		return false
	}
	for _, n := range sd.Environment.Nodes {
		if slices.Contains(n.Images, image) {
			return false
		}
	}
	return true
}

// suggestedBehaviorKey is the behaviors key to write for a container:
// pod/container, with the namespace first outside the default one.
func suggestedBehaviorKey(p *corev1.Pod, container string) string {
	if p.Namespace == "" || p.Namespace == corev1.NamespaceDefault {
		return p.Name + "/" + container
	}
	return p.Namespace + "/" + p.Name + "/" + container
}

// behaviorKeyAsWritten is the key the Scenario gives a container's
// behaviour under, for messages.
func behaviorKeyAsWritten(sd *ScenarioDoc, p *corev1.Pod, container string) string {
	if _, ok := sd.Behaviors[p.Name+"/"+container]; ok {
		return p.Name + "/" + container
	}
	return p.Namespace + "/" + p.Name + "/" + container
}

// imageDoc finds the environment's entry for an image, by the reference as
// written or without its tag.
func (l *loader) imageDoc(sd *ScenarioDoc, image string) (key string, doc ImageDoc, ok bool) {
	key, ok = sim.ImageKey(sd.Environment.Images, image)
	if !ok {
		return "", ImageDoc{}, false
	}
	if l.usedImages == nil {
		l.usedImages = map[string]bool{}
	}
	l.usedImages[key] = true
	return key, sd.Environment.Images[key], true
}

// checkExecs makes sure every exec probe and exec hook runs a command the
// container's behaviour can answer.
func (l *loader) checkExecs(pd *document, object, path string, c *corev1.Container, spec behavior.Spec) {
	check := func(field string, argv []string) {
		inst := spec.Start(0)
		if _, err := inst.Container.Exec(argv, 0); err != nil {
			// The behavior package's own advice speaks of Go types; the
			// scenario's is below.
			var ce *behavior.CommandError
			var ue *behavior.UnknownCommandError
			switch {
			case errors.As(err, &ce):
				err = ce
			case errors.As(err, &ue):
				err = fmt.Errorf("podsim cannot tell what the command %q does", strings.Join(ue.Argv, " "))
			}
			l.add(pd, object, field, "%v; say what it does among the image's commands in the Scenario document, for example:\n    environment:\n      images:\n        %s:\n          commands:\n            %q: \"exit 0\"",
				err, c.Image, strings.Join(argv, " "))
		}
	}
	for _, pr := range []struct {
		name string
		p    *corev1.Probe
	}{{"livenessProbe", c.LivenessProbe}, {"readinessProbe", c.ReadinessProbe}, {"startupProbe", c.StartupProbe}} {
		if pr.p != nil && pr.p.Exec != nil && len(pr.p.Exec.Command) > 0 {
			check(path+"."+pr.name+".exec.command", pr.p.Exec.Command)
		}
	}
	if c.Lifecycle != nil {
		for _, h := range []struct {
			name string
			h    *corev1.LifecycleHandler
		}{{"postStart", c.Lifecycle.PostStart}, {"preStop", c.Lifecycle.PreStop}} {
			if h.h != nil && h.h.Exec != nil && len(h.h.Exec.Command) > 0 {
				check(path+".lifecycle."+h.name+".exec.command", h.h.Exec.Command)
			}
		}
	}
}

// suggestedScript is the behaviour an error suggests for a container whose
// command podsim cannot read, chosen so that pasted it gives the right
// kind of run: an init container does its work and exits 0 (sleeping
// would hold the pod in Init:0/N); a sidecar or an app container is a
// server that runs until stopped.
func suggestedScript(c *corev1.Container, init bool) string {
	if init && (c.RestartPolicy == nil || *c.RestartPolicy != corev1.ContainerRestartPolicyAlways) {
		return `"exit 0"   # it does its work and exits; add "sleep N; " before for the time that takes`
	}
	return `"sleep infinity"   # it serves until stopped; "exit 0" if it finishes its work`
}
