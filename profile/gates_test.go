package profile

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// KEP-4603's back-off by version, gate settings and
// maxContainerRestartPeriod (kubelet.go newCrashLoopBackOff).
func TestCrashLoopBackOff(t *testing.T) {
	reduce := map[string]bool{"ReduceDefaultCrashLoopBackOffDecay": true}
	maxOn := map[string]bool{"KubeletCrashLoopBackOffMax": true}
	both := map[string]bool{"ReduceDefaultCrashLoopBackOffDecay": true, "KubeletCrashLoopBackOffMax": true}
	tests := []struct {
		minor        int
		gates        map[string]bool
		max          time.Duration
		initial, got time.Duration
	}{
		{25, nil, 0, 10 * time.Second, 300 * time.Second},
		{33, nil, 0, 10 * time.Second, 300 * time.Second},
		{37, nil, 0, 10 * time.Second, 300 * time.Second}, // the gate is still alpha
		{33, reduce, 0, time.Second, 60 * time.Second},
		{37, reduce, 0, time.Second, 60 * time.Second},
		{34, nil, 30 * time.Second, 10 * time.Second, 300 * time.Second}, // gate off: the setting is not read
		{34, maxOn, 30 * time.Second, 10 * time.Second, 30 * time.Second},
		{35, nil, 30 * time.Second, 10 * time.Second, 30 * time.Second}, // beta, on
		{35, nil, 5 * time.Second, 5 * time.Second, 5 * time.Second},    // under the first wait: lowers it
		{35, both, 120 * time.Second, time.Second, 120 * time.Second},   // the setting has precedence
		{37, both, 0, time.Second, 60 * time.Second},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("1.%d/%v/%v", tc.minor, tc.gates, tc.max), func(t *testing.T) {
			p, err := For(fmt.Sprintf("1.%d", tc.minor))
			require.NoError(t, err)
			initial, maxWait := p.CrashLoopBackOff(tc.gates, tc.max)
			require.Equal(t, tc.initial, initial)
			require.Equal(t, tc.got, maxWait)
		})
	}
}

func TestCheckKubeletGates(t *testing.T) {
	tests := []struct {
		minor int
		gates map[string]bool
		max   time.Duration
		want  []string
	}{
		{37, map[string]bool{"ReduceDefaultCrashLoopBackOffDecay": true}, 0, nil},
		{32, map[string]bool{"ReduceDefaultCrashLoopBackOffDecay": true}, 0, []string{"featureGates[ReduceDefaultCrashLoopBackOffDecay]: unrecognized feature gate: ReduceDefaultCrashLoopBackOffDecay (Kubernetes 1.32 does not have it)"}},
		{33, map[string]bool{"NoSuchGate": true}, 0, []string{`featureGates[NoSuchGate]: Unsupported value: "NoSuchGate": podsim follows the gates [KubeletCrashLoopBackOffMax ReduceDefaultCrashLoopBackOffDecay]`}},
		{31, nil, 30 * time.Second, []string{"crashLoopBackOff.maxContainerRestartPeriod: Forbidden: Kubernetes 1.31 does not have it (KubeletCrashLoopBackOffMax, alpha in 1.32)"}},
		{34, nil, 30 * time.Second, []string{"crashLoopBackOff.maxContainerRestartPeriod: Forbidden: needs the feature gate KubeletCrashLoopBackOffMax, off by default in Kubernetes 1.34"}},
		{34, map[string]bool{"KubeletCrashLoopBackOffMax": true}, 30 * time.Second, nil},
		{35, nil, 30 * time.Second, nil},
		{35, nil, 301 * time.Second, []string{`crashLoopBackOff.maxContainerRestartPeriod: Invalid value: "5m1s": must be between 1s and 300s`}},
		{35, nil, 500 * time.Millisecond, []string{`crashLoopBackOff.maxContainerRestartPeriod: Invalid value: "500ms": must be between 1s and 300s`}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("1.%d/%v/%v", tc.minor, tc.gates, tc.max), func(t *testing.T) {
			p, err := For(fmt.Sprintf("1.%d", tc.minor))
			require.NoError(t, err)
			require.Equal(t, tc.want, p.CheckKubeletGates(tc.gates, tc.max))
		})
	}
}
