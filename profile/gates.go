package profile

import (
	"fmt"
	"sort"
	"time"
)

// A Gate is the state of a feature gate in a version: absent (the version
// does not know it; setting it is an error, "unrecognized feature gate"),
// or present and off or on by default.
type Gate string

// Gate states.
const (
	GateAbsent Gate = ""
	GateOff    Gate = "off"
	GateOn     Gate = "on"
)

// Gates are the kubelet feature gates whose defaults podsim follows per
// version and which a scenario may set. Each field is named after its gate
// (pkg/features/kube_features.go).
type Gates struct {
	// KubeletCrashLoopBackOffMax lets the kubelet configuration set
	// crashLoopBackOff.maxContainerRestartPeriod (KEP-4603, then KEP-5593):
	// alpha 1.32, beta and on 1.35 (PR #135044).
	KubeletCrashLoopBackOffMax Gate
	// ReduceDefaultCrashLoopBackOffDecay starts the crash-loop back-off at
	// 1 s and caps it at 60 s instead of 10 s and 300 s (KEP-4603, PR
	// #130711): alpha and off from 1.33 on.
	ReduceDefaultCrashLoopBackOffDecay Gate
}

// Crash-loop back-off of the kubelet (pkg/kubelet/kubelet.go
// initialCrashLoopBackOff, MaxCrashLoopBackOff and the reduced pair of
// KEP-4603).
const (
	CrashLoopBackOffInitial        = 10 * time.Second
	CrashLoopBackOffMax            = 300 * time.Second
	ReducedCrashLoopBackOffInitial = 1 * time.Second
	ReducedCrashLoopBackOffMax     = 60 * time.Second
	// MaxContainerRestartPeriod bounds the kubelet configuration's
	// crashLoopBackOff.maxContainerRestartPeriod (1 s to 300 s).
	MinContainerRestartPeriod = 1 * time.Second
	MaxContainerRestartPeriod = 300 * time.Second
)

// Gate returns the state of a gate by its name in this version, and
// whether podsim knows the name at all.
func (g Gates) Gate(name string) (Gate, bool) {
	switch name {
	case "KubeletCrashLoopBackOffMax":
		return g.KubeletCrashLoopBackOffMax, true
	case "ReduceDefaultCrashLoopBackOffDecay":
		return g.ReduceDefaultCrashLoopBackOffDecay, true
	}
	return GateAbsent, false
}

// GateNames are the gates Gates follows, sorted.
func GateNames() []string {
	names := []string{"KubeletCrashLoopBackOffMax", "ReduceDefaultCrashLoopBackOffDecay"}
	sort.Strings(names)
	return names
}

// Enabled says whether a gate is on, given the scenario's settings over
// the version's default.
func (g Gates) Enabled(name string, set map[string]bool) bool {
	state, _ := g.Gate(name)
	if state == GateAbsent {
		return false
	}
	if v, ok := set[name]; ok {
		return v
	}
	return state == GateOn
}

// CrashLoopBackOff is the kubelet's crash-loop back-off, first and longest
// wait, from the gates and the configured maxContainerRestartPeriod (0:
// unset), as kubelet.go newCrashLoopBackOff computes it.
func (p *Profile) CrashLoopBackOff(set map[string]bool, maxRestartPeriod time.Duration) (initial, maxWait time.Duration) {
	initial, maxWait = CrashLoopBackOffInitial, CrashLoopBackOffMax
	if p.Gates.Enabled("ReduceDefaultCrashLoopBackOffDecay", set) {
		initial, maxWait = ReducedCrashLoopBackOffInitial, ReducedCrashLoopBackOffMax
	}
	// Operator-invoked configuration has precedence; a maximum under the
	// first wait lowers the first wait too.
	if maxRestartPeriod > 0 && p.Gates.Enabled("KubeletCrashLoopBackOffMax", set) {
		maxWait = maxRestartPeriod
		initial = min(initial, maxWait)
	}
	return initial, maxWait
}

// CheckKubeletGates checks a kubelet configuration's featureGates and
// maxContainerRestartPeriod against the version, as the kubelet refuses a
// configuration at start: an unknown gate, or the field with its gate off.
// Each problem is one message; nil means the settings are valid.
func (p *Profile) CheckKubeletGates(set map[string]bool, maxRestartPeriod time.Duration) []string {
	var errs []string
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if state, known := p.Gates.Gate(n); state == GateAbsent {
			if known {
				errs = append(errs, fmt.Sprintf("featureGates[%s]: unrecognized feature gate: %s (Kubernetes %s does not have it)", n, n, p.Version))
			} else {
				errs = append(errs, fmt.Sprintf("featureGates[%s]: Unsupported value: %q: podsim follows the gates %v", n, n, GateNames()))
			}
		}
	}
	if maxRestartPeriod != 0 {
		switch {
		case maxRestartPeriod < MinContainerRestartPeriod || maxRestartPeriod > MaxContainerRestartPeriod:
			errs = append(errs, fmt.Sprintf("crashLoopBackOff.maxContainerRestartPeriod: Invalid value: %q: must be between 1s and 300s", maxRestartPeriod))
		case p.Gates.KubeletCrashLoopBackOffMax == GateAbsent:
			errs = append(errs, fmt.Sprintf("crashLoopBackOff.maxContainerRestartPeriod: Forbidden: Kubernetes %s does not have it (KubeletCrashLoopBackOffMax, alpha in 1.32)", p.Version))
		case !p.Gates.Enabled("KubeletCrashLoopBackOffMax", set):
			errs = append(errs, fmt.Sprintf("crashLoopBackOff.maxContainerRestartPeriod: Forbidden: needs the feature gate KubeletCrashLoopBackOffMax, off by default in Kubernetes %s", p.Version))
		}
	}
	return errs
}
