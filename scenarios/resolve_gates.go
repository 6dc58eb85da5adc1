package scenarios

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

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

// disabledFieldWarnings are the warnings of sim.DisabledFields for a pod of
// the file, with the line of each field.
func (l *loader) disabledFieldWarnings(d *document, p *corev1.Pod, version string) []string {
	ws, err := sim.DisabledFields(p, version)
	if err != nil {
		return nil // the version's own error is reported
	}
	var out []string
	for _, w := range ws {
		out = append(out, (&Error{File: l.file, Line: d.lineOf(w.Field), Object: fmt.Sprintf("Pod %q", p.Name), Msg: w.String()}).Error())
	}
	return out
}
