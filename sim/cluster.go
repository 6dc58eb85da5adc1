package sim

import (
	"errors"
	"fmt"
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/trace"
)

// Cluster is a simulated Kubernetes cluster: an API server, a scheduler, an
// endpoints controller and one kubelet per node, driven by one Engine in
// virtual time. It is not safe for concurrent use.
type Cluster struct {
	cfg     Config
	eng     *Engine
	profile *Profile

	api       *apiServer
	sched     *scheduler
	endpoints *endpointsController
	recorder  *eventRecorder
	kubelets  []*kubelet // in the order nodes were added

	behaviors map[objKey]map[string]behavior.Spec
	tr        trace.Trace
	inv       *invariants
	err       error
}

// New returns an empty cluster at virtual time zero. Add nodes before pods.
func New(cfg Config) (*Cluster, error) {
	if err := cfg.normalize(); err != nil {
		return nil, err
	}
	prof, err := ProfileFor(cfg.Version)
	if err != nil {
		return nil, err
	}
	c := &Cluster{
		cfg:       cfg,
		eng:       NewEngine(cfg.Seed),
		profile:   prof,
		behaviors: map[objKey]map[string]behavior.Spec{},
	}
	c.eng.MaxEvents = cfg.MaxEvents
	if cfg.CheckInvariants {
		c.inv = &invariants{}
	}
	c.tr.Header = trace.Header{Schema: trace.Schema, Seed: cfg.Seed, Version: prof.Version, Epoch: cfg.Epoch, Settings: cfg.Env.view()}
	c.api = newAPIServer(c)
	c.recorder = newEventRecorder(c)
	c.sched = newScheduler(c)
	c.endpoints = newEndpointsController(c)
	return c, nil
}

// Profile is the version profile the cluster follows.
func (c *Cluster) Profile() *Profile { return c.profile }

// Config is the configuration the cluster runs with, defaults resolved.
func (c *Cluster) Config() Config { return c.cfg }

// Engine is the event engine driving the cluster.
func (c *Cluster) Engine() *Engine { return c.eng }

// Now is the current virtual time.
func (c *Cluster) Now() time.Duration { return c.eng.Now() }

// Wall is the wall-clock time of the current virtual time.
func (c *Cluster) Wall() time.Time { return c.wall(c.eng.Now()) }

// Trace is the history recorded so far.
func (c *Cluster) Trace() *trace.Trace { return &c.tr }

func (c *Cluster) record(r trace.Record) { c.tr.Records = append(c.tr.Records, r) }

// fail stops the run with err (the first error wins).
func (c *Cluster) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// Err is the error that stopped the run, if any.
func (c *Cluster) Err() error {
	if c.err != nil {
		return c.err
	}
	return c.eng.Err()
}

// RunUntil advances the cluster to virtual time t.
func (c *Cluster) RunUntil(t time.Duration) error {
	for c.err == nil {
		at, ok := c.eng.NextAt()
		if !ok || at > t {
			break
		}
		if !c.eng.Step() {
			break
		}
	}
	if err := c.Err(); err != nil {
		return fmt.Errorf("at %v: %w", c.eng.Now(), err)
	}
	return c.eng.RunUntil(t)
}

// At schedules fn as a timed action at virtual time t (after everything else
// due at that instant). An error from fn stops the run; RunUntil returns it
// prefixed with the time ("at 1s: …").
func (c *Cluster) At(t time.Duration, fn func(*Cluster) error) error {
	if t < c.eng.Now() {
		return fmt.Errorf("action at %v: the simulation is already at %v", t, c.eng.Now())
	}
	c.eng.At(t, PriorityAction, func() {
		if err := fn(c); err != nil {
			c.fail(err)
		}
	})
	return nil
}

// NodeOptions describes a node beyond its manifest.
type NodeOptions struct {
	// Images are present on the node from the start.
	Images []string
	// ClockOffset is how far the node's clock runs ahead of the control
	// plane's (negative: behind). The kubelet and the container runtime
	// stamp container start and finish times, condition transitions, the
	// pod's start time and their events with the node's clock, so kubectl,
	// reading them against its own, can print "(<invalid> ago)" for a
	// restart that just happened (seed 004).
	ClockOffset time.Duration
}

// AddNode registers a node and starts its kubelet. A node without capacity
// gets 4 CPUs, 8 GiB of memory, 100 GiB of ephemeral storage and 110 pods.
func (c *Cluster) AddNode(node *corev1.Node, opts NodeOptions) error {
	if node == nil || node.Name == "" {
		return errors.New("node: metadata.name: Required value")
	}
	if _, ok := c.api.nodes[node.Name]; ok {
		return fmt.Errorf("node %q already exists", node.Name)
	}
	n := node.DeepCopy()
	c.api.createNode(n)
	k := newKubelet(c, n, len(c.kubelets), opts)
	c.kubelets = append(c.kubelets, k)
	k.startLoops()
	c.sched.nodesChanged()
	return nil
}

// Node returns a copy of the node, or nil.
func (c *Cluster) Node(name string) *corev1.Node {
	if n, ok := c.api.nodes[name]; ok {
		return n.DeepCopy()
	}
	return nil
}

// CreatePod creates a pod now. behaviors says what each container's process
// does, by container name; every container needs one.
func (c *Cluster) CreatePod(pod *corev1.Pod, behaviors map[string]behavior.Spec) error {
	p := pod.DeepCopy()
	if p.Namespace == "" {
		p.Namespace = corev1.NamespaceDefault
	}
	key := keyOf(p)
	if _, ok := c.api.pods[key]; ok {
		return fmt.Errorf("pods %q already exists", p.Name)
	}
	if errs := c.validatePod(p); len(errs) > 0 {
		return fmt.Errorf("pod %s: %w", key, errs.ToAggregate())
	}
	for _, ctr := range allContainers(&p.Spec) {
		if _, ok := behaviors[ctr.Name]; !ok {
			return fmt.Errorf("pod %s: container %q has no behaviour: say what its process does with a behavior.Spec", key, ctr.Name)
		}
	}
	c.behaviors[key] = behaviors
	c.api.createPod(p, "user", "created")
	return nil
}

// Pod returns a copy of the pod as the API server holds it, or nil.
func (c *Cluster) Pod(namespace, name string) *corev1.Pod {
	if namespace == "" {
		namespace = corev1.NamespaceDefault
	}
	if p, ok := c.api.pods[objKey{namespace, name}]; ok {
		return p.DeepCopy()
	}
	return nil
}

// Pods returns copies of every pod, sorted by namespace and name.
func (c *Cluster) Pods() []*corev1.Pod {
	var out []*corev1.Pod
	for _, k := range c.api.sortedPodKeys() {
		out = append(out, c.api.pods[k].DeepCopy())
	}
	return out
}

// Events returns the events the API server holds, oldest first.
func (c *Cluster) Events() []corev1.Event {
	out := make([]corev1.Event, 0, len(c.api.events))
	for _, e := range c.api.events {
		out = append(out, *e.DeepCopy())
	}
	slices.SortFunc(out, func(a, b corev1.Event) int {
		if a.Name != b.Name {
			return cmpString(a.Name, b.Name)
		}
		return cmpString(a.Namespace, b.Namespace)
	})
	return out
}

// Container returns the running container of a pod, to act inside it as a
// scenario action does (create a file, open a port). It is nil when the
// container is not running.
func (c *Cluster) Container(namespace, pod, container string) *behavior.Container {
	if ct, _ := c.runningContainer(namespace, pod, container); ct != nil {
		return ct.inst.Container
	}
	return nil
}

// InContainer does something inside a running container, as a person with
// kubectl exec would (create a file, close a port), and records it in the
// trace as done by "user", with what as its description. It fails if the
// container is not running.
func (c *Cluster) InContainer(namespace, pod, container, what string, do func(*behavior.Container)) error {
	ct, k := c.runningContainer(namespace, pod, container)
	if ct == nil {
		return fmt.Errorf("container %q of pod %q is not running", container, pod)
	}
	do(ct.inst.Container)
	kp := k.pods[ct.podUID]
	c.record(trace.Record{T: c.eng.Now(), Kind: "Container", Op: trace.Runtime, Namespace: kp.key.ns, Name: kp.key.name,
		Container: ct.name, Actor: "user", Cause: what})
	return nil
}

// runningContainer finds a running container of the newest pod of that
// name a kubelet knows, even one whose API object is already gone (a force
// delete), and that kubelet.
func (c *Cluster) runningContainer(namespace, pod, name string) (*container, *kubelet) {
	if namespace == "" {
		namespace = corev1.NamespaceDefault
	}
	key := objKey{namespace, pod}
	for _, k := range c.kubelets {
		for i := len(k.order) - 1; i >= 0; i-- {
			if kp := k.order[i]; kp.key == key {
				if ct := k.rt.running(kp.uid, name); ct != nil {
					return ct, k
				}
				break
			}
		}
	}
	return nil, nil
}

func allContainers(spec *corev1.PodSpec) []*corev1.Container {
	out := make([]*corev1.Container, 0, len(spec.InitContainers)+len(spec.Containers))
	for i := range spec.InitContainers {
		out = append(out, &spec.InitContainers[i])
	}
	for i := range spec.Containers {
		out = append(out, &spec.Containers[i])
	}
	return out
}
