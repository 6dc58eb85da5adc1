package sim

import (
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/controllers/disruption"
	"github.com/podsim/podsim/controllers/endpoints"
	"github.com/podsim/podsim/controllers/scheduler"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/kubelet"
	"github.com/podsim/podsim/trace"
)

// Cluster is a simulated Kubernetes cluster: an API server, a scheduler, an
// endpoints controller and one kubelet per node, driven by one engine in
// virtual time. It assembles the components and is the way in for a
// scenario: its actions are what a user with kubectl, or a fault, would do.
// It is not safe for concurrent use.
type Cluster struct {
	cfg     Config
	eng     *engine.Engine
	profile *Profile

	api       *apiserver.Server
	events    *record.Broadcaster
	sched     *scheduler.Scheduler
	endpoints *endpoints.Controller
	pdbs      *disruption.Controller
	kubelets  []*kubelet.Kubelet // in the order nodes were added

	behaviors map[types.NamespacedName]*ownBehaviors // a pod's own: see podBehaviors
	wb        workloadBehaviors
	wc        workloadControllers
	nc        nodeControllers // node_controllers.go
	tr        trace.Trace
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
		eng:       engine.New(cfg.Seed),
		profile:   prof,
		behaviors: map[types.NamespacedName]*ownBehaviors{},
	}
	c.eng.MaxEvents = cfg.MaxEvents
	c.eng.Epoch = cfg.Epoch
	c.tr.Header = trace.Header{Schema: trace.Schema, PodsimVersion: trace.PodsimVersion(), Seed: cfg.Seed, Version: prof.Version,
		Epoch: cfg.Epoch, Settings: cfg.Env.view()}
	c.api = apiserver.New(apiserver.Config{
		Engine: c.eng, Profile: prof, Trace: &c.tr,
		WatchLatency: cfg.Env.Timing.Watch, CheckInvariants: cfg.CheckInvariants,
		NoElision: cfg.NoElision,
	})
	c.events = record.NewBroadcaster(c.eng, c.api, &c.tr, prof.EventReportingController)
	c.sched, err = scheduler.New(scheduler.Config{
		Engine: c.eng, Client: c.api, Profile: prof, Delay: cfg.Env.Timing.Scheduling,
		Events: c.events.NewEventsRecorder(corev1.DefaultSchedulerName, corev1.DefaultSchedulerName+"-podsim"),
	})
	if err != nil {
		return nil, err
	}
	if c.endpoints, err = endpoints.New(c.api); err != nil {
		return nil, err
	}
	if err := c.startWorkloadControllers(); err != nil {
		return nil, err
	}
	if c.pdbs, err = disruption.New(disruption.Config{Engine: c.eng, Client: c.api, Profile: prof,
		Events: c.events.NewRecorder(record.Source{Component: disruption.Component})}); err != nil {
		return nil, err
	}
	if err := c.startNodeControllers(); err != nil {
		return nil, err
	}
	return c, nil
}

// ErrNotBuilt is what the methods of a Cluster not made by New return: a
// nil *Cluster or a zero Cluster has no components to act on.
var ErrNotBuilt = errors.New("sim: the Cluster was not made with sim.New")

// check reports ErrNotBuilt for a nil or zero Cluster.
func (c *Cluster) check() error {
	if c == nil || c.eng == nil {
		return ErrNotBuilt
	}
	return nil
}

// Profile is the version profile the cluster follows.
func (c *Cluster) Profile() *Profile {
	if c.check() != nil {
		return nil
	}
	return c.profile
}

// Config is the configuration the cluster runs with, defaults resolved.
func (c *Cluster) Config() Config {
	if c.check() != nil {
		return Config{}
	}
	return c.cfg
}

// Engine is the event engine driving the cluster.
func (c *Cluster) Engine() *engine.Engine {
	if c.check() != nil {
		return nil
	}
	return c.eng
}

// Now is the current virtual time.
func (c *Cluster) Now() time.Duration {
	if c.check() != nil {
		return 0
	}
	return c.eng.Now()
}

// Wall is the wall-clock time of the current virtual time.
func (c *Cluster) Wall() time.Time {
	if c.check() != nil {
		return time.Time{}
	}
	return c.eng.Wall(c.eng.Now())
}

// Trace is the history recorded so far (nil for a nil Cluster).
func (c *Cluster) Trace() *trace.Trace {
	if c == nil {
		return nil
	}
	return &c.tr
}

// Err is the error that stopped the run, if any.
func (c *Cluster) Err() error {
	if err := c.check(); err != nil {
		return err
	}
	return c.eng.Err()
}

// RunUntil advances the cluster to virtual time t. The trace header's
// Duration becomes the time the run reached.
func (c *Cluster) RunUntil(t time.Duration) error {
	if err := c.check(); err != nil {
		return err
	}
	defer func() { c.tr.Header.Duration = c.eng.Now() }()
	for c.eng.Err() == nil {
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
	if err := c.check(); err != nil {
		return err
	}
	if fn == nil {
		return errors.New("sim: At needs a function to run")
	}
	if t < c.eng.Now() {
		return fmt.Errorf("action at %v: the simulation is already at %v", t, c.eng.Now())
	}
	c.eng.At(t, engine.PriorityAction, func() {
		if err := fn(c); err != nil {
			c.eng.Fail(err)
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
	// Machine is the node's pid_max and inode count, and what its
	// operating system and daemons use of memory, disk and processes.
	Machine Machine
}

// AddNode registers a node and starts its kubelet. A node without capacity
// gets 4 CPUs, 8 GiB of memory, 100 GiB of ephemeral storage and 110 pods.
func (c *Cluster) AddNode(node *corev1.Node, opts NodeOptions) error {
	if err := c.check(); err != nil {
		return err
	}
	if node == nil || node.Name == "" {
		return errors.New("node: metadata.name: Required value")
	}
	if c.api.Node(node.Name) != nil {
		return fmt.Errorf("node %q already exists", node.Name)
	}
	env := c.cfg.Env
	link := newNodeLink(c) // node_link.go: what a fault can cut
	k, err := kubelet.New(kubelet.Config{
		Node: node, Index: len(c.kubelets), PresentImages: opts.Images, ClockOffset: opts.ClockOffset,
		Engine: c.eng, Profile: c.profile, Client: link, Events: link.broadcaster(c), Trace: &c.tr,
		DNS: clusterDNS{c.api}, Behaviors: c.podBehaviors,
		Timing: env.Timing.kubeletTiming(), Images: env.Images, Network: env.Network, ResyncInterval: env.ResyncInterval,
		Resources: env.Kubelet, Machine: opts.Machine, NoElision: c.cfg.NoElision, CheckInvariants: c.cfg.CheckInvariants,
	})
	if err != nil {
		return err
	}
	c.kubelets = append(c.kubelets, k)
	c.nc.addNode(node.Name, k, link)
	// The scheduler hears of the node at once, not through a watch: a
	// simplification kept so that pods waiting for a node bind at the
	// scheduling delay after it joins.
	c.sched.NodesChanged()
	return nil
}

// Node returns a copy of the node, or nil.
func (c *Cluster) Node(name string) *corev1.Node {
	if c.check() != nil {
		return nil
	}
	if n := c.api.Node(name); n != nil {
		return n.DeepCopy()
	}
	return nil
}

// CreatePod creates a pod now. behaviors says what each container's process
// does, by container name. A container it does not name — every container,
// when behaviors is nil — does what its manifest says: behavior.FromContainer
// reads its command and args and what podsim knows of its image, as the
// scenario loader does for a file. An image podsim does not know, when the
// container gives no command, is a healthy server on its ports
// (AssumedServer), recorded in Trace().Header.Assumptions as a file's
// assumption is; Config.Strict makes that an error. A command podsim cannot
// read is an error naming the container; give that container a
// behavior.Spec.
func (c *Cluster) CreatePod(pod *corev1.Pod, behaviors map[string]behavior.Spec) error {
	if err := c.check(); err != nil {
		return err
	}
	if pod == nil {
		return errors.New("sim: CreatePod needs a pod (got a nil *corev1.Pod)")
	}
	p := pod.DeepCopy()
	defaultNamespace(&p.Namespace)
	key := podutil.KeyOf(p)
	if c.api.Pod(key) != nil {
		return fmt.Errorf("pods %q already exists", p.Name)
	}
	if errs := apiserver.ValidatePod(p, c.profile); len(errs) > 0 {
		return fmt.Errorf("pod %s: %w", key, errs.ToAggregate())
	}
	specs := make(map[string]behavior.Spec, len(behaviors))
	var assumed []string
	for _, ctr := range podutil.AllContainers(&p.Spec) {
		if spec, ok := behaviors[ctr.Name]; ok {
			specs[ctr.Name] = spec
			continue
		}
		spec, a, err := c.manifestBehavior(fmt.Sprintf("Pod %q", p.Name), &p.Spec, ctr, "")
		if err != nil {
			return wrapBehaviorErr(err, "pod %s: container %q: %w; say what its process does with a behavior.Spec", key, ctr.Name)
		}
		specs[ctr.Name] = spec
		assumed = append(assumed, a)
	}
	prev, hadPrev := c.behaviors[key]
	own := newOwnBehaviors("", specs)
	if hadPrev {
		own.uid = prev.uid
	}
	c.behaviors[key] = own
	if err := c.api.CreatePod(p, "user", "created"); err != nil {
		if hadPrev {
			c.behaviors[key] = prev
		} else {
			delete(c.behaviors, key)
		}
		return err
	}
	c.recordAssumptions(assumed...)
	own.uid = p.UID
	return nil
}

// Pod returns a copy of the pod as the API server holds it, or nil.
func (c *Cluster) Pod(namespace, name string) *corev1.Pod {
	if c.check() != nil {
		return nil
	}
	defaultNamespace(&namespace)
	if p := c.api.Pod(types.NamespacedName{Namespace: namespace, Name: name}); p != nil {
		return p.DeepCopy()
	}
	return nil
}

// Pods returns copies of every pod, sorted by namespace and name.
func (c *Cluster) Pods() []*corev1.Pod {
	if c.check() != nil {
		return nil
	}
	var out []*corev1.Pod
	for _, k := range c.api.PodKeys() {
		out = append(out, c.api.Pod(k).DeepCopy())
	}
	return out
}

func defaultNamespace(ns *string) {
	if *ns == "" {
		*ns = corev1.NamespaceDefault
	}
}
