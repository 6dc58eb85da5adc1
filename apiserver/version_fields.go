package apiserver

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/podsim/podsim/profile"
)

// A versionedField is a pod field that not every supported version's API
// server keeps: absent from the older versions' API types, then behind a
// feature gate that is off by default, then on (profile.APIFields).
type versionedField struct {
	// gate is the feature gate's name; state reads it from the profile.
	gate  string
	state func(profile.APIFields) profile.Gate
	// uses lists where the pod sets the field; drop clears it, as
	// pkg/api/pod/util.go dropDisabledFields does.
	uses func(p *corev1.Pod) []*field.Path
	drop func(p *corev1.Pod)
}

// versionedFields are the fields pkg/api/pod/util.go dropDisabledFields
// drops while their gate is off, for the gates that change between 1.25
// and 1.37 (the sidecar restartPolicy of init containers, the sleep action
// and schedulingGates have their own, stricter, checks in validation.go).
var versionedFields = []versionedField{
	{gate: "UserNamespacesSupport", state: func(g profile.APIFields) profile.Gate { return g.UserNamespacesSupport },
		uses: func(p *corev1.Pod) []*field.Path {
			if p.Spec.HostUsers != nil {
				return []*field.Path{field.NewPath("spec", "hostUsers")}
			}
			return nil
		},
		drop: func(p *corev1.Pod) { p.Spec.HostUsers = nil }},
	{gate: "SupplementalGroupsPolicy", state: func(g profile.APIFields) profile.Gate { return g.SupplementalGroupsPolicy },
		uses: func(p *corev1.Pod) []*field.Path {
			if sc := p.Spec.SecurityContext; sc != nil && sc.SupplementalGroupsPolicy != nil {
				return []*field.Path{field.NewPath("spec", "securityContext", "supplementalGroupsPolicy")}
			}
			return nil
		},
		drop: func(p *corev1.Pod) {
			if sc := p.Spec.SecurityContext; sc != nil {
				sc.SupplementalGroupsPolicy = nil
			}
		}},
	{gate: "PodLevelResources", state: func(g profile.APIFields) profile.Gate { return g.PodLevelResources },
		uses: func(p *corev1.Pod) []*field.Path {
			if p.Spec.Resources != nil {
				return []*field.Path{field.NewPath("spec", "resources")}
			}
			return nil
		},
		drop: func(p *corev1.Pod) { p.Spec.Resources = nil }},
	{gate: "HostnameOverride", state: func(g profile.APIFields) profile.Gate { return g.HostnameOverride },
		uses: func(p *corev1.Pod) []*field.Path {
			if p.Spec.HostnameOverride != nil {
				return []*field.Path{field.NewPath("spec", "hostnameOverride")}
			}
			return nil
		},
		drop: func(p *corev1.Pod) { p.Spec.HostnameOverride = nil }},
	{gate: "NodeInclusionPolicyInPodTopologySpread", state: func(g profile.APIFields) profile.Gate { return g.NodeInclusionPolicyInPodTopologySpread },
		uses: func(p *corev1.Pod) []*field.Path {
			var out []*field.Path
			for i, c := range p.Spec.TopologySpreadConstraints {
				path := field.NewPath("spec", "topologySpreadConstraints").Index(i)
				if c.NodeAffinityPolicy != nil {
					out = append(out, path.Child("nodeAffinityPolicy"))
				}
				if c.NodeTaintsPolicy != nil {
					out = append(out, path.Child("nodeTaintsPolicy"))
				}
			}
			return out
		},
		drop: func(p *corev1.Pod) {
			for i := range p.Spec.TopologySpreadConstraints {
				p.Spec.TopologySpreadConstraints[i].NodeAffinityPolicy = nil
				p.Spec.TopologySpreadConstraints[i].NodeTaintsPolicy = nil
			}
		}},
	{gate: "MatchLabelKeysInPodTopologySpread", state: func(g profile.APIFields) profile.Gate { return g.MatchLabelKeysInPodTopologySpread },
		uses: func(p *corev1.Pod) []*field.Path {
			var out []*field.Path
			for i, c := range p.Spec.TopologySpreadConstraints {
				if c.MatchLabelKeys != nil {
					out = append(out, field.NewPath("spec", "topologySpreadConstraints").Index(i).Child("matchLabelKeys"))
				}
			}
			return out
		},
		drop: func(p *corev1.Pod) {
			for i := range p.Spec.TopologySpreadConstraints {
				p.Spec.TopologySpreadConstraints[i].MatchLabelKeys = nil
			}
		}},
	{gate: "ImageVolume", state: func(g profile.APIFields) profile.Gate { return g.ImageVolume },
		uses: func(p *corev1.Pod) []*field.Path {
			var out []*field.Path
			for i, v := range p.Spec.Volumes {
				if v.Image != nil {
					out = append(out, field.NewPath("spec", "volumes").Index(i).Child("image"))
				}
			}
			return out
		},
		// util.go dropImageVolumes removes the whole volume (and the mounts
		// of it), as a volume with no source is left.
		drop: func(p *corev1.Pod) {
			gone := map[string]bool{}
			kept := p.Spec.Volumes[:0:0]
			for _, v := range p.Spec.Volumes {
				if v.Image != nil {
					gone[v.Name] = true
					continue
				}
				kept = append(kept, v)
			}
			if len(gone) == 0 {
				return
			}
			p.Spec.Volumes = kept
			eachContainer(p, func(c *corev1.Container, _ containerPath) {
				mounts := c.VolumeMounts[:0:0]
				for _, m := range c.VolumeMounts {
					if !gone[m.Name] {
						mounts = append(mounts, m)
					}
				}
				c.VolumeMounts = mounts
			})
		}},
	containerField("InPlacePodVerticalScaling", func(g profile.APIFields) profile.Gate { return g.InPlacePodVerticalScaling },
		func(c *corev1.Container, path containerPath) []*field.Path {
			if c.ResizePolicy != nil {
				return []*field.Path{path.path().Child("resizePolicy")}
			}
			return nil
		},
		func(c *corev1.Container) { c.ResizePolicy = nil }),
	containerField("RecursiveReadOnlyMounts", func(g profile.APIFields) profile.Gate { return g.RecursiveReadOnlyMounts },
		func(c *corev1.Container, path containerPath) []*field.Path {
			var out []*field.Path
			for j, m := range c.VolumeMounts {
				if m.RecursiveReadOnly != nil {
					out = append(out, path.path().Child("volumeMounts").Index(j).Child("recursiveReadOnly"))
				}
			}
			return out
		},
		func(c *corev1.Container) {
			for j := range c.VolumeMounts {
				c.VolumeMounts[j].RecursiveReadOnly = nil
			}
		}),
	containerField("ContainerStopSignals", func(g profile.APIFields) profile.Gate { return g.ContainerStopSignals },
		func(c *corev1.Container, path containerPath) []*field.Path {
			if c.Lifecycle != nil && c.Lifecycle.StopSignal != nil {
				return []*field.Path{path.path().Child("lifecycle", "stopSignal")}
			}
			return nil
		},
		func(c *corev1.Container) {
			if c.Lifecycle != nil && c.Lifecycle.StopSignal != nil {
				c.Lifecycle.StopSignal = nil
				if *c.Lifecycle == (corev1.Lifecycle{}) {
					c.Lifecycle = nil
				}
			}
		}),
	containerField("EnvFiles", func(g profile.APIFields) profile.Gate { return g.EnvFiles },
		func(c *corev1.Container, path containerPath) []*field.Path {
			var out []*field.Path
			for j, e := range c.Env {
				if e.ValueFrom != nil && e.ValueFrom.FileKeyRef != nil {
					out = append(out, path.path().Child("env").Index(j).Child("valueFrom", "fileKeyRef"))
				}
			}
			return out
		},
		func(c *corev1.Container) {
			for j := range c.Env {
				if c.Env[j].ValueFrom != nil {
					c.Env[j].ValueFrom.FileKeyRef = nil
				}
			}
		}),
	// A regular container's restartPolicy and the restartPolicyRules of
	// any container (util.go dropContainerRestartRules).
	{gate: "ContainerRestartRules", state: func(g profile.APIFields) profile.Gate { return g.ContainerRestartRules },
		uses: func(p *corev1.Pod) []*field.Path {
			var out []*field.Path
			eachContainer(p, func(c *corev1.Container, path containerPath) {
				if len(c.RestartPolicyRules) > 0 {
					out = append(out, path.path().Child("restartPolicyRules"))
				}
			})
			for i, c := range p.Spec.Containers {
				if c.RestartPolicy != nil {
					out = append(out, field.NewPath("spec", "containers").Index(i).Child("restartPolicy"))
				}
			}
			return out
		},
		drop: func(p *corev1.Pod) {
			eachContainer(p, func(c *corev1.Container, _ containerPath) { c.RestartPolicyRules = nil })
			for i := range p.Spec.Containers {
				p.Spec.Containers[i].RestartPolicy = nil
			}
		}},
}

// containerField is a versionedField set on init and regular containers.
func containerField(gate string, state func(profile.APIFields) profile.Gate, uses func(*corev1.Container, containerPath) []*field.Path, drop func(*corev1.Container)) versionedField {
	return versionedField{gate: gate, state: state,
		uses: func(p *corev1.Pod) []*field.Path {
			var out []*field.Path
			eachContainer(p, func(c *corev1.Container, path containerPath) { out = append(out, uses(c, path)...) })
			return out
		},
		drop: func(p *corev1.Pod) { eachContainer(p, func(c *corev1.Container, _ containerPath) { drop(c) }) },
	}
}

// eachContainer visits the init containers, then the regular ones.
func eachContainer(p *corev1.Pod, fn func(c *corev1.Container, path containerPath)) {
	for i := range p.Spec.InitContainers {
		fn(&p.Spec.InitContainers[i], containerPath{"initContainers", i})
	}
	for i := range p.Spec.Containers {
		fn(&p.Spec.Containers[i], containerPath{"containers", i})
	}
}

// containerPath is where a container is in a pod's spec; its field path
// is built only for a field found set (every create asks each versioned
// field of each container, and most are not).
type containerPath struct {
	list string // initContainers or containers
	i    int
}

func (cp containerPath) path() *field.Path { return field.NewPath("spec", cp.list).Index(cp.i) }

// A FieldWarning is a warning about one field of a manifest.
type FieldWarning struct{ Field, Message string }

func (w FieldWarning) String() string { return w.Field + ": " + w.Message }

// DisabledFields lists the fields of a pod that the profile's version
// drops on create because their feature gate is off by default
// (pkg/api/pod/util.go DropDisabledPodFields): the real API server says
// nothing, podsim warns of each, with its path.
func DisabledFields(p *corev1.Pod, prof *profile.Profile) []FieldWarning {
	var out []FieldWarning
	for _, f := range versionedFields {
		if f.state(prof.APIFields) != profile.GateOff {
			continue
		}
		for _, path := range f.uses(p) {
			out = append(out, FieldWarning{path.String(), fmt.Sprintf("dropped: the API server of Kubernetes %s drops it silently, its feature gate %s being off by default", prof.Version, f.gate)})
		}
	}
	return out
}

// dropDisabledFields removes the fields DisabledFields lists, as the API
// server does on create, and returns the warnings.
func dropDisabledFields(p *corev1.Pod, prof *profile.Profile) []string {
	var warnings []string
	for _, w := range DisabledFields(p, prof) {
		warnings = append(warnings, w.String())
	}
	for _, f := range versionedFields {
		if f.state(prof.APIFields) == profile.GateOff {
			f.drop(p)
		}
	}
	return warnings
}

// validateVersionedFields refuses the fields the profile's version does
// not have at all: its API types lack them, so the request's strict
// decoding fails (kubectl's default field validation, Strict).
func validateVersionedFields(p *corev1.Pod, prof *profile.Profile) field.ErrorList {
	var errs field.ErrorList
	for _, f := range versionedFields {
		if f.state(prof.APIFields) != profile.GateAbsent {
			continue
		}
		for _, path := range f.uses(p) {
			errs = append(errs, field.Forbidden(path, fmt.Sprintf("strict decoding error: unknown field %q: Kubernetes %s does not have it (it came with the feature gate %s)", path, prof.Version, f.gate)))
		}
	}
	return errs
}
