// Package scale builds the large clusters podsim's scale benchmarks and
// `podsim bench scale` run: many nodes, many identical pods, each pod doing
// one of a few steady behaviours. It is the documented generator of issue 10
// (docs/performance.md): the figures there name the Workload they ran.
//
// A healthy pod runs busybox with a liveness and a readiness exec probe
// (`cat /tmp/healthy`, the defaults: every 10 s, timeout 1 s) against a
// file it creates at start and never removes: once it is Ready nothing about
// it changes again, so every event it costs after that is the price of
// simulating time, not of simulating change. A crash-looping pod exits 1 at
// once under restartPolicy Always and so lives in CrashLoopBackOff, one
// restart every five minutes once the back-off is full.
//
// Pods are created at time zero already bound (spec.nodeName set,
// round-robin over the nodes), so that the scheduler's cost, measured by its
// own benchmark, does not blur the kubelet's.
package scale

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// Kind is what each generated pod does.
type Kind string

// The pods' behaviours.
const (
	// Healthy pods probe a file that is always there.
	Healthy Kind = "healthy"
	// CrashLoop pods exit 1 at once, again and again.
	CrashLoop Kind = "crashloop"
)

// Image is the image every generated pod runs, present on every node.
const Image = "busybox:1.36"

// Workload describes a generated cluster.
type Workload struct {
	Pods  int
	Nodes int
	Kind  Kind
	// Config is the simulation's configuration (seed, version, MaxEvents…).
	Config sim.Config
}

// Build creates the cluster: the nodes, then the pods, all at time zero.
func (w Workload) Build() (*sim.Cluster, error) {
	if w.Nodes < 1 || w.Pods < 0 {
		return nil, fmt.Errorf("scale: need at least one node and no negative pod count (got %d nodes, %d pods)", w.Nodes, w.Pods)
	}
	c, err := sim.New(w.Config)
	if err != nil {
		return nil, err
	}
	for i := range w.Nodes {
		if err := c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: NodeName(i)}}, sim.NodeOptions{Images: []string{Image}}); err != nil {
			return nil, err
		}
	}
	pod, behaviors, err := w.template()
	if err != nil {
		return nil, err
	}
	for i := range w.Pods {
		// CreatePod stores a copy of what it is given: the template is
		// renamed and rebound for each pod, not copied once more.
		p := pod
		p.Name = fmt.Sprintf("%s-%06d", w.Kind, i)
		p.Spec.NodeName = NodeName(i % w.Nodes)
		if err := c.CreatePod(p, behaviors); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// NodeName is the name of the i-th node.
func NodeName(i int) string { return fmt.Sprintf("node-%04d", i) }

func (w Workload) template() (*corev1.Pod, map[string]behavior.Spec, error) {
	ctr := corev1.Container{Name: "app", Image: Image}
	pod := &corev1.Pod{Spec: corev1.PodSpec{RestartPolicy: corev1.RestartPolicyAlways}}
	var spec behavior.Spec
	switch w.Kind {
	case Healthy:
		healthy := func() *corev1.Probe {
			return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/healthy"}}}}
		}
		ctr.LivenessProbe, ctr.ReadinessProbe = healthy(), healthy()
		spec = behavior.Spec{
			Main:     behavior.Script{behavior.Touch("/tmp/healthy"), behavior.Sleep(365 * 24 * time.Hour)},
			Userland: behavior.BusyBox,
		}
	case CrashLoop:
		spec = behavior.Spec{Main: behavior.Script{behavior.Exit(1)}, Userland: behavior.BusyBox}
	default:
		return nil, nil, fmt.Errorf("scale: unknown pod kind %q (want %q or %q)", w.Kind, Healthy, CrashLoop)
	}
	pod.Spec.Containers = []corev1.Container{ctr}
	return pod, map[string]behavior.Spec{"app": spec}, nil
}
