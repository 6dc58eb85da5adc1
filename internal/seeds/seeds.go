// Package seeds builds, with podsim's Go API, the observed timelines of the
// documents podsim was founded on (docs/seed-timelines.md),
// so that tests, benchmarks and examples share one definition of each.
//
// Each scenario fixes only what a Pod manifest cannot say and the seed
// document shows: the Kubernetes version it was recorded on (1.25), the
// network plugin (Calico, whose pod annotations add a watch line), the image
// pull times the seed's `kubectl describe` reports, where in its second the
// pod was created, and when the user acted. Everything else is podsim's
// defaults.
package seeds

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// Version is the Kubernetes version the seed observations were recorded on.
const Version = "1.25"

// Node is the name of the seed cluster's single node.
const Node = "mac-k8s"

// Scenario is a seed timeline ready to run.
type Scenario struct {
	Name    string
	Config  sim.Config
	Node    sim.NodeOptions
	Pods    []*corev1.Pod
	Objects []*corev1.Service
	// Behaviors by pod name, then container name.
	Behaviors map[string]map[string]behavior.Spec
	// Actions run at the given times.
	Actions []Action
	// Until is how long the seed watched.
	Until time.Duration
}

// Action is a timed user action.
type Action struct {
	At time.Duration
	Do func(*sim.Cluster) error
}

// Build creates the cluster with the scenario's node, objects, pods and
// actions, ready to run.
func (s *Scenario) Build() (*sim.Cluster, error) {
	c, err := sim.New(s.Config)
	if err != nil {
		return nil, err
	}
	if err := c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: Node}}, s.Node); err != nil {
		return nil, err
	}
	for _, p := range s.Pods {
		if err := c.CreatePod(p, s.Behaviors[p.Name]); err != nil {
			return nil, err
		}
	}
	for _, o := range s.Objects {
		if err := c.Create(o); err != nil {
			return nil, err
		}
	}
	for _, a := range s.Actions {
		if err := c.At(a.At, a.Do); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func seconds(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }

// seedConfig is the environment of the seed cluster: 1.25, Calico, and the
// epoch's sub-second part (where in its second the pod was created).
func seedConfig(seed uint64, fraction time.Duration, images map[string]sim.ImageEnv) sim.Config {
	return sim.Config{
		Version:         Version,
		Seed:            seed,
		Epoch:           time.Date(2022, 8, 29, 0, 25, 42, 0, time.UTC).Add(fraction),
		CheckInvariants: true,
		Env: sim.Environment{
			Network: sim.Network{Plugin: sim.NetworkCalico},
			Images:  images,
		},
	}
}

func execProbe(cmd ...string) corev1.ProbeHandler {
	return corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: cmd}}
}

// healthyThenNot is `touch /tmp/healthy; sleep N; rm -rf /tmp/healthy;
// sleep 600` run by /bin/sh as PID 1 in a GNU userland (centos).
func healthyThenNot(n time.Duration) behavior.Spec {
	return behavior.Spec{
		Main: behavior.Script{
			behavior.Touch("/tmp/healthy"), behavior.Sleep(n),
			behavior.Remove("/tmp/healthy"), behavior.Sleep(600 * time.Second),
		},
		Stop:     behavior.IgnoreStop(),
		Userland: behavior.GNU,
	}
}

// InitialDelay is seed timeline 1a: a readiness probe with an initial
// delay. The pull time is the seed's "Successfully pulled image "centos" in
// 1.331745551s"; the pod was created 0.3 s into its second, which is why
// Calico's annotation lands at 1s here and at 0s in 1b.
func InitialDelay(seed uint64) *Scenario {
	return &Scenario{
		Name:   "1a-initial-delay",
		Config: seedConfig(seed, 300*time.Millisecond, map[string]sim.ImageEnv{"centos": {Pulls: []time.Duration{1331745551}}}),
		Pods: []*corev1.Pod{{
			ObjectMeta: metav1.ObjectMeta{Name: "initial-delay"},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{
				Name:  "initial-delay",
				Image: "centos",
				Args:  []string{"/bin/sh", "-c", "touch /tmp/healthy; sleep 40; rm -rf /tmp/healthy; sleep 600"},
				ReadinessProbe: &corev1.Probe{
					ProbeHandler:        execProbe("cat", "/tmp/healthy"),
					InitialDelaySeconds: 30,
					PeriodSeconds:       5,
				},
			}}},
		}},
		Behaviors: map[string]map[string]behavior.Spec{"initial-delay": {"initial-delay": healthyThenNot(40 * time.Second)}},
		Until:     4 * time.Minute,
	}
}

// Liveness is seed timeline 1b: liveness-probe restarts, then
// CrashLoopBackOff. The first two pull times are the seed's describe
// output; the next four are read off the watch lines' "(Xs ago)".
func Liveness(seed uint64) *Scenario {
	pulls := []time.Duration{1649042848, 1933447781, seconds(2.6), seconds(3.6), seconds(2.6), seconds(1.6), seconds(2)}
	return &Scenario{
		Name:   "1b-liveness",
		Config: seedConfig(seed, 0, map[string]sim.ImageEnv{"centos": {Pulls: pulls}}),
		Pods: []*corev1.Pod{{
			ObjectMeta: metav1.ObjectMeta{Name: "liveness"},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{
				Name:  "liveness",
				Image: "centos",
				Args:  []string{"/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy; sleep 600"},
				LivenessProbe: &corev1.Probe{
					ProbeHandler:        execProbe("cat", "/tmp/healthy"),
					InitialDelaySeconds: 10,
					PeriodSeconds:       5,
				},
			}}},
		}},
		Behaviors: map[string]map[string]behavior.Spec{"liveness": {"liveness": healthyThenNot(30 * time.Second)}},
		Until:     13 * time.Minute,
	}
}

// NoSigterm is seed timeline 1d: a shell that ignores SIGTERM, deleted
// about 10 s after creation with a 60 s grace period.
func NoSigterm(seed uint64) *Scenario {
	return &Scenario{
		Name:   "1d-no-sigterm",
		Config: seedConfig(seed, 0, map[string]sim.ImageEnv{"centos": {Pulls: []time.Duration{seconds(1.6)}}}),
		Pods: []*corev1.Pod{{
			ObjectMeta: metav1.ObjectMeta{Name: "no-sigterm"},
			Spec: corev1.PodSpec{
				TerminationGracePeriodSeconds: ptr.To[int64](60),
				Containers: []corev1.Container{{
					Name:    "no-sigterm",
					Image:   "centos",
					Command: []string{"/bin/sh"},
					Args:    []string{"-c", "while true; do echo hello; sleep 10;done"},
				}},
			},
		}},
		Behaviors: map[string]map[string]behavior.Spec{"no-sigterm": {"no-sigterm": {
			Main: behavior.Script{behavior.Forever(behavior.Echo("hello"), behavior.Sleep(10*time.Second))},
			Stop: behavior.IgnoreStop(),
		}}},
		Actions: []Action{{At: seconds(10.5), Do: func(c *sim.Cluster) error {
			return c.DeletePod("default", "no-sigterm", sim.DeleteOptions{})
		}}},
		Until: 2 * time.Minute,
	}
}

// nginx is what the nginx image does: it serves / on port 80 and shuts
// down cleanly on its stop signal.
func nginx() behavior.Spec {
	return behavior.Spec{
		Main: behavior.Script{behavior.ServeHTTP(80, "/", 200), behavior.Forever(behavior.Sleep(time.Hour))},
		Stop: behavior.ExitOnStop(100*time.Millisecond, 0),
	}
}

// ReadinessGate is seed timeline 1e: a readiness gate nobody sets, and a
// Service selecting the pod. The image is already on the node.
func ReadinessGate(seed uint64) *Scenario {
	return &Scenario{
		Name:   "1e-readiness-gate",
		Config: seedConfig(seed, 0, nil),
		Node:   sim.NodeOptions{Images: []string{"nginx:1.25.2"}},
		Pods: []*corev1.Pod{{
			ObjectMeta: metav1.ObjectMeta{Name: "readiness-gate", Labels: map[string]string{"app": "readiness-gate"}},
			Spec: corev1.PodSpec{
				ReadinessGates: []corev1.PodReadinessGate{{ConditionType: "www.example.com/feature-1"}},
				Containers:     []corev1.Container{{Name: "readiness-gate", Image: "nginx:1.25.2"}},
			},
		}},
		Objects: []*corev1.Service{{
			ObjectMeta: metav1.ObjectMeta{Name: "readiness-gate"},
			Spec: corev1.ServiceSpec{
				Selector: map[string]string{"app": "readiness-gate"},
				Ports:    []corev1.ServicePort{{Port: 80, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromInt32(80)}},
			},
		}},
		Behaviors: map[string]map[string]behavior.Spec{"readiness-gate": {"readiness-gate": nginx()}},
		Until:     2*time.Minute + 12*time.Second,
	}
}

// Nginx is seed timeline 1f: a plain nginx pod, ready a second after it
// was created.
func Nginx(seed uint64) *Scenario {
	return &Scenario{
		Name:      "1f-nginx",
		Config:    seedConfig(seed, 0, nil),
		Node:      sim.NodeOptions{Images: []string{"nginx:1.25.2"}},
		Pods:      []*corev1.Pod{{ObjectMeta: metav1.ObjectMeta{Name: "nginx"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: "nginx:1.25.2"}}}}},
		Behaviors: map[string]map[string]behavior.Spec{"nginx": {"nginx": nginx()}},
		Until:     35 * time.Second,
	}
}
