package sim

import (
	corev1 "k8s.io/api/core/v1"
)

// kubeletView is the kubelet settings as the trace header shows them,
// when a scenario gives any.
type kubeletView struct {
	KubeReserved                     map[string]string `json:"kubeReserved,omitempty"`
	SystemReserved                   map[string]string `json:"systemReserved,omitempty"`
	EvictionHard                     map[string]string `json:"evictionHard,omitempty"`
	EvictionSoft                     map[string]string `json:"evictionSoft,omitempty"`
	EvictionSoftGracePeriod          map[string]string `json:"evictionSoftGracePeriod,omitempty"`
	EvictionMinimumReclaim           map[string]string `json:"evictionMinimumReclaim,omitempty"`
	EvictionMaxPodGracePeriod        int64             `json:"evictionMaxPodGracePeriod,omitempty"`
	EvictionPressureTransitionPeriod string            `json:"evictionPressureTransitionPeriod,omitempty"`
	EvictionPhase                    string            `json:"evictionPhase,omitempty"`
}

func resourceStrings(l corev1.ResourceList) map[string]string {
	if len(l) == 0 {
		return nil
	}
	out := make(map[string]string, len(l))
	for name, q := range l {
		out[string(name)] = q.String()
	}
	return out
}

// kubeletSettingsView is nil for the kubelet's defaults.
func kubeletSettingsView(k KubeletSettings) *kubeletView {
	v := &kubeletView{
		KubeReserved: resourceStrings(k.KubeReserved), SystemReserved: resourceStrings(k.SystemReserved),
		EvictionHard: k.EvictionHard, EvictionSoft: k.EvictionSoft,
		EvictionSoftGracePeriod: k.EvictionSoftGracePeriod, EvictionMinimumReclaim: k.EvictionMinimumReclaim,
		EvictionMaxPodGracePeriod: k.EvictionMaxPodGracePeriod,
	}
	if k.EvictionPressureTransitionPeriod != 0 {
		v.EvictionPressureTransitionPeriod = k.EvictionPressureTransitionPeriod.String()
	}
	if k.EvictionPhase != 0 {
		v.EvictionPhase = k.EvictionPhase.String()
	}
	if v.KubeReserved == nil && v.SystemReserved == nil && v.EvictionHard == nil && v.EvictionSoft == nil &&
		v.EvictionSoftGracePeriod == nil && v.EvictionMinimumReclaim == nil && v.EvictionMaxPodGracePeriod == 0 &&
		v.EvictionPressureTransitionPeriod == "" && v.EvictionPhase == "" {
		return nil
	}
	return v
}
