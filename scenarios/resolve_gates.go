package scenarios

import (
	"strings"

	"github.com/podsim/podsim/sim"
)

// kubeletGates reads environment.kubelet.featureGates and
// crashLoopBackOff.maxContainerRestartPeriod, checked against the chosen
// version as its kubelet checks its configuration (profile.CheckKubeletGates).
func (l *loader) kubeletGates(d *document, kd *KubeletDoc, cfg *sim.Config) {
	const obj = ScenarioKind
	k := &cfg.Env.Kubelet
	k.FeatureGates = kd.FeatureGates
	if c := kd.CrashLoopBackOff; c != nil && c.MaxContainerRestartPeriod != nil {
		k.MaxContainerRestartPeriod = c.MaxContainerRestartPeriod.Duration
		if k.MaxContainerRestartPeriod == 0 {
			l.add(d, obj, "environment.kubelet.crashLoopBackOff.maxContainerRestartPeriod", "Invalid value: %q: must be between 1s and 300s", "0s")
		}
	}
	prof, err := sim.ProfileFor(cfg.Version)
	if err != nil {
		return // the version's own error is reported
	}
	for _, e := range prof.CheckKubeletGates(k.FeatureGates, k.MaxContainerRestartPeriod) {
		field, msg, _ := strings.Cut(e, ": ")
		l.add(d, obj, "environment.kubelet."+field, "%s", msg)
	}
}
