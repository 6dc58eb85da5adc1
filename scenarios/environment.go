package scenarios

import (
	"fmt"
	"net/netip"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// environment fills the simulation's environment: timing, network,
// images and nodes.
func (l *loader) environment(s *Scenario, sd *ScenarioDoc, cfg *sim.Config) {
	d := &s.doc
	const obj = ScenarioKind
	env := sd.Environment
	t := &cfg.Env.Timing
	set := func(dst *time.Duration, src *Duration, name string, max time.Duration) {
		if src == nil {
			return
		}
		path := "environment.timing." + name
		switch {
		case src.Duration < 0:
			l.add(d, obj, path, "Invalid value: %q: must not be negative", src.String())
		case max > 0 && src.Duration >= max:
			l.add(d, obj, path, "Invalid value: %q: must be less than %v", src.String(), max)
		default:
			*dst = src.Duration
		}
	}
	set(&t.Scheduling, env.Timing.Scheduling, "scheduling", 0)
	set(&t.Watch, env.Timing.Watch, "watch", 0)
	set(&t.SandboxCreate, env.Timing.SandboxCreate, "sandboxCreate", 0)
	set(&t.SandboxStop, env.Timing.SandboxStop, "sandboxStop", 0)
	set(&t.ContainerCreate, env.Timing.ContainerCreate, "containerCreate", 0)
	set(&t.ContainerStart, env.Timing.ContainerStart, "containerStart", 0)
	set(&t.VolumeTeardown, env.Timing.VolumeTeardown, "volumeTeardown", 0)
	set(&t.DefaultPull, env.Timing.DefaultPull, "defaultPull", 0)
	set(&t.RelistPhase, env.Timing.RelistPhase, "relistPhase", time.Second)
	set(&t.SyncTickPhase, env.Timing.SyncTickPhase, "syncTickPhase", time.Second)
	set(&t.HousekeepingPhase, env.Timing.HousekeepingPhase, "housekeepingPhase", 2*time.Second)
	l.kubeletSettings(d, env, cfg)
	if env.ResyncInterval != nil {
		if env.ResyncInterval.Duration <= 0 {
			l.add(d, obj, "environment.resyncInterval", "Invalid value: %q: must be greater than 0", env.ResyncInterval.String())
		} else {
			cfg.Env.ResyncInterval = env.ResyncInterval.Duration
		}
	}
	switch env.Network.Plugin {
	case sim.NetworkPlain, sim.NetworkCalico:
		cfg.Env.Network.Plugin = env.Network.Plugin
	default:
		l.add(d, obj, "environment.network.plugin", "Unsupported value: %q: supported values: \"\", %q", env.Network.Plugin, sim.NetworkCalico)
	}
	if c := env.Network.PodCIDR; c != "" {
		// The rule sim.Config's normalize applies: the loader let /32 and
		// IPv4-mapped IPv6 ranges through, and the cluster then refused them.
		if pfx, err := netip.ParsePrefix(c); err != nil || !pfx.Addr().Is4() || pfx.Bits() > 24 {
			l.add(d, obj, "environment.network.podCIDR", "Invalid value: %q: must be an IPv4 range of /24 or wider, such as 10.244.0.0/16", c)
		} else {
			cfg.Env.Network.PodCIDR = c
		}
	}
	for _, name := range sortedKeys(env.Images) {
		img := env.Images[name]
		path := fmt.Sprintf("environment.images[%s]", name)
		ie := sim.ImageEnv{SizeBytes: img.SizeBytes, PullError: img.PullError, FailPulls: img.FailPulls}
		for i, p := range img.Pulls {
			if p.Duration <= 0 {
				l.add(d, obj, fmt.Sprintf("%s.pulls[%d]", path, i), "Invalid value: %q: must be greater than 0", p.String())
			}
			ie.Pulls = append(ie.Pulls, p.Duration)
		}
		if img.FailPulls < 0 {
			l.add(d, obj, path+".failPulls", "Invalid value: %d: must be greater than or equal to 0", img.FailPulls)
		}
		for _, cmd := range sortedKeys(img.Commands) {
			if _, err := behavior.ParseShell(img.Commands[cmd]); err != nil {
				l.add(d, obj, fmt.Sprintf("%s.commands[%s]", path, cmd), "%v", err)
			}
		}
		if cfg.Env.Images == nil {
			cfg.Env.Images = map[string]sim.ImageEnv{}
		}
		cfg.Env.Images[name] = l.withDistributions(d, path, img, ie)
	}
	declared := map[string]bool{}
	for _, n := range s.nodes {
		declared[n.node.Name] = true
	}
	for i, nd := range env.Nodes {
		path := fmt.Sprintf("environment.nodes[%d]", i)
		if nd.Name == "" {
			l.add(d, obj, path+".name", "Required value")
			continue
		}
		var offset time.Duration
		if nd.ClockOffset != nil {
			offset = nd.ClockOffset.Duration
			if offset < -24*time.Hour || offset > 24*time.Hour {
				l.add(d, obj, path+".clockOffset", "Invalid value: %q: must be within 24h either way", nd.ClockOffset.String())
			}
		}
		machine := l.nodeMachine(d, path, nd)
		found := false
		for j := range s.nodes {
			if s.nodes[j].node.Name == nd.Name {
				s.nodes[j].opts.Images = append(s.nodes[j].opts.Images, nd.Images...)
				s.nodes[j].opts.ClockOffset = offset
				s.nodes[j].opts.Machine = machine
				found = true
				if len(nd.Capacity) > 0 {
					l.add(d, obj, path+".capacity", "Forbidden: node %q is declared by a Node manifest; give its capacity there", nd.Name)
				}
			}
		}
		if !found {
			node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: nd.Name}}
			if len(nd.Capacity) > 0 {
				node.Status.Capacity = nd.Capacity.DeepCopy()
				if _, ok := node.Status.Capacity[corev1.ResourcePods]; !ok {
					node.Status.Capacity[corev1.ResourcePods] = resource.MustParse("110")
				}
			}
			s.nodes = append(s.nodes, nodeDecl{node: node, opts: sim.NodeOptions{Images: nd.Images, ClockOffset: offset, Machine: machine}})
		}
		if declared[nd.Name] && !found {
			l.add(d, obj, path+".name", "Duplicate value: %q", nd.Name)
		}
		declared[nd.Name] = true
	}
	if len(s.nodes) == 0 {
		s.nodes = append(s.nodes, nodeDecl{node: &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: DefaultNode}}})
	}
}
