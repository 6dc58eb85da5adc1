package explain

import (
	"fmt"
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/scenarios"
	"github.com/podsim/podsim/sim"
)

// FromScenario is the Input for a pod of a loaded scenario file (the first
// pod when name is ""): its behaviours as the loader read them, the
// file's Kubernetes version, and its environment's timings, image pulls and
// the images present on its first node. The horizon is the scenario's
// duration. Nothing is run.
func FromScenario(s *scenarios.Scenario, name string) (Input, error) {
	pods := s.Pods()
	if len(pods) == 0 {
		return Input{}, fmt.Errorf("%s: no pod to explain", s.File)
	}
	i := 0
	if name != "" {
		i = slices.IndexFunc(pods, func(p *corev1.Pod) bool { return p.Name == name })
		if i < 0 {
			return Input{}, fmt.Errorf("%s: no pod %q in this file", s.File, name)
		}
	}
	pod := pods[i]
	prof, err := profile.For(s.Config.Version)
	if err != nil {
		return Input{}, fmt.Errorf("%s: %w", s.File, err)
	}
	env := s.Config.Env
	var present []string
	if nodes := s.NodeNames(); len(nodes) > 0 {
		present = s.PresentImages(nodes[0])
	}
	t := env.Timing
	var notes []string
	switch n := s.Actions(); {
	case n == 1:
		notes = append(notes, "the file's timed action (a delete, a created object, an action in a container) is not part of this explanation")
	case n > 1:
		notes = append(notes, fmt.Sprintf("the file's %d timed actions (deletes, created objects, actions in containers) are not part of this explanation", n))
	}
	return Input{
		Pod:       pod,
		Behaviors: s.Behaviors(pod.Namespace, pod.Name),
		Profile:   prof,
		Horizon:   s.Duration,
		Timing: Timing{
			Scheduling: t.Scheduling, Watch: t.Watch, SandboxCreate: t.SandboxCreate,
			ContainerCreate: t.ContainerCreate, ContainerStart: t.ContainerStart, DefaultPull: t.DefaultPull,
			Pulls: func(image string) []time.Duration {
				if k, ok := sim.ImageKey(env.Images, image); ok {
					return env.Images[k].Pulls
				}
				return nil
			},
			Present: func(image string) bool { return slices.Contains(present, image) },
			PullFails: func(image string) (bool, int) {
				k, ok := sim.ImageKey(env.Images, image)
				if !ok {
					return false, 0
				}
				img := env.Images[k]
				return img.PullError != "" && img.FailPulls == 0, img.FailPulls
			},
		},
		Notes: notes,
	}, nil
}
