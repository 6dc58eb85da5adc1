package scenarios

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// environment.kubelet's KEP-4603 settings, checked against the chosen
// version as its kubelet checks its configuration.
func TestKubeletGates(t *testing.T) {
	doc := func(version, kubelet string) string {
		return "apiVersion: podsim.dev/v1alpha1\nkind: Scenario\nkubernetesVersion: \"" + version + "\"\nduration: 1m\nenvironment:\n  kubelet:\n" + kubelet
	}
	tests := []struct {
		name, in, want string
		gates          map[string]bool
		max            time.Duration
	}{
		{name: "reduced decay on 1.37", in: doc("1.37", "    featureGates: {ReduceDefaultCrashLoopBackOffDecay: true}\n"),
			gates: map[string]bool{"ReduceDefaultCrashLoopBackOffDecay": true}},
		{name: "max on 1.35, gate on by default", in: doc("1.35", "    crashLoopBackOff: {maxContainerRestartPeriod: 20s}\n"), max: 20 * time.Second},
		{name: "max on 1.34 with the alpha gate", in: doc("1.34", "    featureGates: {KubeletCrashLoopBackOffMax: true}\n    crashLoopBackOff: {maxContainerRestartPeriod: 20s}\n"),
			gates: map[string]bool{"KubeletCrashLoopBackOffMax": true}, max: 20 * time.Second},
		{name: "gate unknown to 1.32", in: doc("1.32", "    featureGates: {ReduceDefaultCrashLoopBackOffDecay: true}\n"),
			want: "t.yaml:7: Scenario: environment.kubelet.featureGates[ReduceDefaultCrashLoopBackOffDecay]: unrecognized feature gate: ReduceDefaultCrashLoopBackOffDecay (Kubernetes 1.32 does not have it)"},
		{name: "max on 1.34 without the gate", in: doc("1.34", "    crashLoopBackOff: {maxContainerRestartPeriod: 20s}\n"),
			want: "t.yaml:7: Scenario: environment.kubelet.crashLoopBackOff.maxContainerRestartPeriod: Forbidden: needs the feature gate KubeletCrashLoopBackOffMax, off by default in Kubernetes 1.34"},
		{name: "max out of range", in: doc("1.37", "    crashLoopBackOff: {maxContainerRestartPeriod: 10m}\n"),
			want: `t.yaml:7: Scenario: environment.kubelet.crashLoopBackOff.maxContainerRestartPeriod: Invalid value: "10m0s": must be between 1s and 300s`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := parse("t.yaml", []byte(tc.in))
			if tc.want != "" {
				require.EqualError(t, err, tc.want)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.gates, s.Config.Env.Kubelet.FeatureGates)
			require.Equal(t, tc.max, s.Config.Env.Kubelet.MaxContainerRestartPeriod)
		})
	}
}
