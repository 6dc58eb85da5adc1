package kubelet

import (
	"unique"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/internal/imageref"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/probe"
)

// podSpec is a pod as the kubelet compiles it once, at admission: the API
// defaults are already applied (the API server did), images are parsed,
// back-off keys and probe specs computed and each container's behaviour
// attached, so the sync path does not redo this work on every pass.
type podSpec struct {
	init        []*containerSpec // spec order
	regular     []*containerSpec // spec order
	hasSidecars bool
}

// byName is the container of that name, or nil: a scan, not a map, as a
// pod has a few containers and a map of them cost 200 bytes a pod (issue
// 10). Names are unique within a pod (validation).
func (ps *podSpec) byName(name string) *containerSpec {
	for _, list := range [2][]*containerSpec{ps.regular, ps.init} {
		for _, cs := range list {
			if cs.api.Name == name {
				return cs
			}
		}
	}
	return nil
}

// containerSpec is one compiled container.
type containerSpec struct {
	api     *corev1.Container
	isInit  bool
	sidecar bool
	// imageBad: the image name does not parse; ensureImage parses it
	// again for the error, so that the struct fits in 256 B (issue 10).
	imageBad bool
	image    imageref.Ref
	imageID  string
	hash     string
	behavior behavior.Spec
	probes   []probe.Spec  // startup, readiness, liveness, as the prober adds them
	varying  *varyingTimes // its image's distributions, looked up on first use
}

func compilePodSpec(p *corev1.Pod, behaviors map[string]behavior.Spec) *podSpec {
	ps := &podSpec{}
	add := func(c *corev1.Container, isInit bool) *containerSpec {
		cs := &containerSpec{api: c, isInit: isInit, sidecar: isInit && podutil.IsRestartableInit(c), behavior: behaviors[c.Name]}
		var err error
		cs.image, err = imageref.Parse(c.Image)
		cs.imageBad = err != nil
		if err == nil {
			cs.imageID = unique.Make(imageref.ID(cs.image)).Value() // one copy for all the pods of an image
		}
		cs.hash = containerHash(c)
		for _, pr := range []struct {
			p    *corev1.Probe
			kind probe.Kind
		}{{c.StartupProbe, probe.Startup}, {c.ReadinessProbe, probe.Readiness}, {c.LivenessProbe, probe.Liveness}} {
			if pr.p != nil {
				cs.probes = append(cs.probes, probe.Compile(pr.p, pr.kind, c))
			}
		}
		return cs
	}
	for i := range p.Spec.InitContainers {
		cs := add(&p.Spec.InitContainers[i], true)
		ps.init = append(ps.init, cs)
		ps.hasSidecars = ps.hasSidecars || cs.sidecar
	}
	for i := range p.Spec.Containers {
		ps.regular = append(ps.regular, add(&p.Spec.Containers[i], false))
	}
	return ps
}
