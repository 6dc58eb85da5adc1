package scenarios

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/eviction"
	"github.com/podsim/podsim/sim"
)

// kubeletSettings reads environment.kubelet: the reservations and the
// eviction settings, each checked as the kubelet checks its configuration
// (eviction.ParseThresholdConfig's words for a threshold).
func (l *loader) kubeletSettings(d *document, env EnvironmentDoc, cfg *sim.Config) {
	const obj = ScenarioKind
	k := &cfg.Env.Kubelet
	if p := env.Timing.EvictionPhase; p != nil {
		switch {
		case p.Duration < 0:
			l.add(d, obj, "environment.timing.evictionPhase", "Invalid value: %q: must not be negative", p.String())
		case p.Duration >= eviction.MonitoringInterval:
			l.add(d, obj, "environment.timing.evictionPhase", "Invalid value: %q: must be less than %v", p.String(), eviction.MonitoringInterval)
		default:
			k.EvictionPhase = p.Duration
		}
	}
	kd := env.Kubelet
	if kd == nil {
		return
	}
	const path = "environment.kubelet"
	reserved := func(field string, list corev1.ResourceList) corev1.ResourceList {
		for _, name := range sortedKeys(resourceNames(list)) {
			q := list[corev1.ResourceName(name)]
			switch corev1.ResourceName(name) {
			case corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourceEphemeralStorage, "pid":
			default:
				l.add(d, obj, fmt.Sprintf("%s.%s[%s]", path, field, name), `Unsupported value: %q: supported values: "cpu", "memory", "ephemeral-storage", "pid"`, name)
			}
			if q.Sign() < 0 {
				l.add(d, obj, fmt.Sprintf("%s.%s[%s]", path, field, name), "Invalid value: %q: must not be negative", q.String())
			}
		}
		return list
	}
	k.KubeReserved = reserved("kubeReserved", kd.KubeReserved)
	k.SystemReserved = reserved("systemReserved", kd.SystemReserved)
	// Each entry on its own, so that every bad one is named.
	check := func(field string, m map[string]string, cfgOf func(key, val string) eviction.ThresholdConfig) {
		for _, key := range sortedKeys(m) {
			if _, err := eviction.ParseThresholdConfig(cfgOf(key, m[key])); err != nil {
				if _, ok := eviction.ResourceOf(eviction.Signal(key)); !ok {
					l.add(d, obj, fmt.Sprintf("%s.%s[%s]", path, field, key), "Unsupported value: %q: supported values: %s", key, quoteAll(eviction.Signals()))
					continue
				}
				l.add(d, obj, fmt.Sprintf("%s.%s[%s]", path, field, key), "Invalid value: %q: %v", m[key], err)
			}
		}
	}
	one := func(key, val string) map[string]string { return map[string]string{key: val} }
	check("evictionHard", kd.EvictionHard, func(key, val string) eviction.ThresholdConfig {
		return eviction.ThresholdConfig{Hard: one(key, val)}
	})
	check("evictionSoft", kd.EvictionSoft, func(key, val string) eviction.ThresholdConfig {
		return eviction.ThresholdConfig{Soft: one(key, val), SoftGracePeriod: one(key, "0s")}
	})
	check("evictionSoftGracePeriod", kd.EvictionSoftGracePeriod, func(key, val string) eviction.ThresholdConfig {
		return eviction.ThresholdConfig{SoftGracePeriod: one(key, val)}
	})
	check("evictionMinimumReclaim", kd.EvictionMinimumReclaim, func(key, val string) eviction.ThresholdConfig {
		return eviction.ThresholdConfig{MinimumReclaim: one(key, val)}
	})
	for _, key := range sortedKeys(kd.EvictionSoft) {
		if _, ok := kd.EvictionSoftGracePeriod[key]; !ok {
			l.add(d, obj, fmt.Sprintf("%s.evictionSoft[%s]", path, key), "Required value: grace period must be specified for the soft eviction threshold %s (in evictionSoftGracePeriod)", key)
		}
	}
	k.EvictionHard, k.EvictionSoft = kd.EvictionHard, kd.EvictionSoft
	k.EvictionSoftGracePeriod, k.EvictionMinimumReclaim = kd.EvictionSoftGracePeriod, kd.EvictionMinimumReclaim
	if kd.EvictionMaxPodGracePeriod != nil {
		k.EvictionMaxPodGracePeriod = *kd.EvictionMaxPodGracePeriod
	}
	l.kubeletGates(d, kd, cfg)
	if p := kd.EvictionPressureTransitionPeriod; p != nil {
		if p.Duration < 0 {
			l.add(d, obj, path+".evictionPressureTransitionPeriod", "Invalid value: %q: must not be negative", p.String())
		} else {
			k.EvictionPressureTransitionPeriod = p.Duration
		}
	}
}

func resourceNames(l corev1.ResourceList) map[string]bool {
	out := make(map[string]bool, len(l))
	for name := range l {
		out[string(name)] = true
	}
	return out
}

// nodeMachine reads a node's pidMax, inodes and systemUsage.
func (l *loader) nodeMachine(d *document, path string, nd NodeDoc) sim.Machine {
	const obj = ScenarioKind
	var m sim.Machine
	if nd.PIDMax != nil {
		if *nd.PIDMax < 1 {
			l.add(d, obj, path+".pidMax", "Invalid value: %d: must be greater than 0", *nd.PIDMax)
		}
		m.PIDMax = *nd.PIDMax
	}
	if nd.Inodes != nil {
		if *nd.Inodes < 1 {
			l.add(d, obj, path+".inodes", "Invalid value: %d: must be greater than 0", *nd.Inodes)
		}
		m.Inodes = *nd.Inodes
	}
	for _, name := range sortedKeys(resourceNames(nd.SystemUsage)) {
		q := nd.SystemUsage[corev1.ResourceName(name)]
		field := fmt.Sprintf("%s.systemUsage[%s]", path, name)
		if q.Sign() < 0 {
			l.add(d, obj, field, "Invalid value: %q: must not be negative", q.String())
		}
		switch corev1.ResourceName(name) {
		case corev1.ResourceMemory:
			m.SystemMemory = q.Value()
		case corev1.ResourceEphemeralStorage:
			m.SystemDisk = q.Value()
		case "pids":
			m.SystemProcesses = q.Value()
		default:
			l.add(d, obj, field, `Unsupported value: %q: supported values: "memory", "ephemeral-storage", "pids"`, name)
		}
	}
	return m
}
