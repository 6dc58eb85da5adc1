package sim

import (
	"errors"
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/internal/podutil"
)

// No silent guess, in the Go API as in a scenario file: a container the
// caller gives no behaviour for, of an image podsim does not know and with
// no command, is taken to be a healthy server (AssumedServer), and the
// assumption is recorded in the trace header's Assumptions. Config.Strict
// makes it an error instead, as podsim run --strict does for a file.

// AssumedServer is what podsim assumes of a container of an image it does
// not know that gives no command: behavior.AssumedServer on the ports the
// container declares and those its probes and hooks name, and the sentence
// that says so (behavior.AssumedServerText). The scenario loader and
// CreatePod both use it, so a file and the Go API assume the same.
func AssumedServer(ctr *corev1.Container) (behavior.Spec, string) {
	ports := podutil.ContainerPorts(ctr)
	return behavior.AssumedServer(ctr.Image, ports), behavior.AssumedServerText(ctr.Image, ports)
}

// strictError is Config.Strict's refusal of an assumption. Its message is
// the one podsim run --strict gives, and callers return it unwrapped.
type strictError struct{ assumption string }

func (e *strictError) Error() string { return "strict: podsim would assume: " + e.assumption }

// manifestBehavior is what a container the caller gave no behaviour for
// does: what its manifest says (behavior.FromContainer), or the assumed
// server for an unknown image. object ("Pod \"api\"") and field
// ("spec.containers[0].image") name it in the assumption as the scenario
// loader names a file's. The assumption is returned, to be recorded only
// once the object is created (recordAssumptions).
func (c *Cluster) manifestBehavior(object string, spec *corev1.PodSpec, ctr *corev1.Container, prefix string) (behavior.Spec, string, error) {
	b, err := behavior.FromContainer(ctr.Image, ctr.Command, ctr.Args)
	var ue *behavior.UnknownImageError
	if !errors.As(err, &ue) {
		return b, "", err
	}
	b, text := AssumedServer(ctr)
	a := fmt.Sprintf("%s: %s%s.image: %s", object, prefix, containerPath(spec, ctr), text)
	if c.cfg.Strict {
		return behavior.Spec{}, "", &strictError{a}
	}
	return b, a, nil
}

// containerPath is the field path of a container of spec:
// spec.containers[1] or spec.initContainers[0].
func containerPath(spec *corev1.PodSpec, ctr *corev1.Container) string {
	for i := range spec.InitContainers {
		if &spec.InitContainers[i] == ctr {
			return fmt.Sprintf("spec.initContainers[%d]", i)
		}
	}
	for i := range spec.Containers {
		if &spec.Containers[i] == ctr {
			return fmt.Sprintf("spec.containers[%d]", i)
		}
	}
	return fmt.Sprintf("spec.containers[name=%s]", ctr.Name)
}

// recordAssumptions adds assumptions to the trace header, each once (a pod
// re-created under its name, or a workload's every pod, assumes the same).
func (c *Cluster) recordAssumptions(as ...string) {
	for _, a := range as {
		if a != "" && !slices.Contains(c.tr.Header.Assumptions, a) {
			c.tr.Header.Assumptions = append(c.tr.Header.Assumptions, a)
		}
	}
}

// wrapBehaviorErr names the container in an error of manifestBehavior,
// except Strict's, whose message is podsim --strict's.
func wrapBehaviorErr(err error, format string, args ...any) error {
	if se := (*strictError)(nil); errors.As(err, &se) {
		return err
	}
	return fmt.Errorf(format, append(args, err)...)
}
