package podsimtest

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/yaml"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/sim"
)

// DefaultNode is the node NewCluster adds unless an option names nodes.
const DefaultNode = "node-1"

// Cluster is a [sim.Cluster] for a test: its setup and run methods fail the
// test rather than return errors, and it answers questions about its
// history. Every method of sim.Cluster is there too, as it is.
type Cluster struct {
	*sim.Cluster
	t TB
}

type settings struct {
	cfg   sim.Config
	nodes []nodeSpec
}

type nodeSpec struct {
	node *corev1.Node
	opts sim.NodeOptions
}

// Option changes the cluster NewCluster builds.
type Option func(*settings)

// Version follows a Kubernetes version, "1.25" to "1.37" (default
// sim.DefaultVersion).
func Version(v string) Option { return func(s *settings) { s.cfg.Version = v } }

// Seed sets the root of the run's random streams (default 1).
func Seed(seed uint64) Option { return func(s *settings) { s.cfg.Seed = seed } }

// NoInvariants turns off the lifecycle invariant checks (on by default).
func NoInvariants() Option { return func(s *settings) { s.cfg.CheckInvariants = false } }

// Config changes anything else of the configuration: the environment's
// timings and image pulls, the epoch, MaxEvents.
func Config(change func(*sim.Config)) Option { return func(s *settings) { change(&s.cfg) } }

// Node adds a node. The first Node option replaces the default node; a
// node's images are present on it from the start.
func Node(name string, images ...string) Option {
	return NodeWith(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}}, sim.NodeOptions{Images: images})
}

// NodeWith adds a node given as a manifest, with its options.
func NodeWith(node *corev1.Node, opts sim.NodeOptions) Option {
	return func(s *settings) { s.nodes = append(s.nodes, nodeSpec{node, opts}) }
}

// NewCluster returns a cluster at time zero with one node (DefaultNode,
// unless options add nodes) and the lifecycle invariants checked on every
// pod status write. It fails the test at once if the configuration or a
// node is refused.
func NewCluster(t TB, opts ...Option) *Cluster {
	t.Helper()
	s := settings{cfg: sim.Config{Seed: 1, CheckInvariants: true}}
	for _, o := range opts {
		o(&s)
	}
	if len(s.nodes) == 0 {
		s.nodes = []nodeSpec{{&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: DefaultNode}}, sim.NodeOptions{}}}
	}
	c, err := sim.New(s.cfg)
	if err != nil {
		t.Fatalf("podsimtest.NewCluster: %v", err)
		return nil
	}
	for _, n := range s.nodes {
		if err := c.AddNode(n.node, n.opts); err != nil {
			t.Fatalf("podsimtest.NewCluster: node %q: %v", n.node.Name, err)
			return nil
		}
	}
	return Wrap(t, c)
}

// Wrap makes a test cluster of a sim.Cluster built elsewhere, such as by
// scenarios.Scenario.Build.
func Wrap(t TB, c *sim.Cluster) *Cluster { return &Cluster{Cluster: c, t: t} }

// CreatePod creates a pod now and fails the test if it is refused.
// behaviors says what containers do, by name; a container it does not
// name — every container, when it is nil — does what its manifest says
// (sim.Cluster.CreatePod).
func (c *Cluster) CreatePod(pod *corev1.Pod, behaviors map[string]behavior.Spec) {
	c.t.Helper()
	if err := c.Cluster.CreatePod(pod, behaviors); err != nil {
		c.t.Fatalf("create pod %q: %v", pod.Name, err)
	}
}

// RunUntil advances the cluster to virtual time at and fails the test if
// the run stops with an error (an invariant violated, an action refused).
func (c *Cluster) RunUntil(at time.Duration) {
	c.t.Helper()
	if err := c.Cluster.RunUntil(at); err != nil {
		c.t.Fatalf("run until %v: %v", at, err)
	}
}

// At schedules a timed action, failing the test if it is in the past.
// An error the action returns stops the run, and RunUntil fails the test.
func (c *Cluster) At(at time.Duration, action func(*sim.Cluster) error) {
	c.t.Helper()
	if err := c.Cluster.At(at, action); err != nil {
		c.t.Fatalf("%v", err)
	}
}

// History is the run's history so far, to ask questions of.
func (c *Cluster) History() History {
	return History{Trace: c.Trace(), Rules: c.Profile().Lifecycle}
}

// FirstTime is when a record first matched pred. If none has, it fails
// the test (as Errorf) and returns -1; ask History().FirstTime to check
// that something did not happen.
func (c *Cluster) FirstTime(pred Pred) time.Duration {
	c.t.Helper()
	at, ok := c.History().FirstTime(pred)
	if !ok {
		c.t.Errorf("by %v, never: %s", c.Now(), pred.What)
		return -1
	}
	return at
}

// Ready reports whether the pod is Ready now (its Ready condition is True).
func (c *Cluster) Ready(pod string) bool {
	c.t.Helper()
	return podReady(c.pod(pod))
}

// RestartCount is the pod's RESTARTS now: the sum of its containers'
// restart counts.
func (c *Cluster) RestartCount(pod string) int32 {
	c.t.Helper()
	return restarts(c.pod(pod))
}

// pod returns the pod now, failing the test if there is none.
func (c *Cluster) pod(name string) *corev1.Pod {
	c.t.Helper()
	key := keyOf(name)
	p := c.Pod(key.Namespace, key.Name)
	if p == nil {
		c.t.Fatalf("at %v: no pod %q", c.Now(), name)
	}
	return p
}

// ParsePod reads a Pod manifest written as YAML (apiVersion and kind may be
// left out) and fails the test if it cannot: a short way to write the pod
// of a test.
func ParsePod(t TB, manifest string) *corev1.Pod {
	t.Helper()
	var p corev1.Pod
	if err := yaml.UnmarshalStrict([]byte(manifest), &p); err != nil {
		t.Fatalf("podsimtest.ParsePod: %v", err)
		return nil
	}
	p.APIVersion, p.Kind = "v1", "Pod"
	return &p
}

// keyOf reads "name" or "namespace/name".
func keyOf(name string) types.NamespacedName {
	if ns, n, ok := strings.Cut(name, "/"); ok {
		return types.NamespacedName{Namespace: ns, Name: n}
	}
	return types.NamespacedName{Namespace: corev1.NamespaceDefault, Name: name}
}

func podReady(p *corev1.Pod) bool {
	if p == nil {
		return false
	}
	cond := podutil.FindCondition(p.Status.Conditions, corev1.PodReady)
	return cond != nil && cond.Status == corev1.ConditionTrue
}

func restarts(p *corev1.Pod) int32 {
	if p == nil {
		return 0
	}
	var n int32
	for _, list := range [][]corev1.ContainerStatus{p.Status.InitContainerStatuses, p.Status.ContainerStatuses} {
		for _, cs := range list {
			n += cs.RestartCount
		}
	}
	return n
}

// describe names a pod for messages.
func describe(name string) string { return fmt.Sprintf("pod %q", name) }
