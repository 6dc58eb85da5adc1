package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestExplain(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		has    []string
		stderr string
	}{
		{"seed 1b", []string{"explain", scenario("1b-liveness.yaml")}, 0, []string{
			"Pod liveness, Kubernetes 1.25 rules",
			"livenessProbe: exec cat /tmp/healthy every 5s, timeout 1s, initialDelaySeconds 10",
			"a dead container is noticed 10s–16s after it dies",
			"liveness CrashLoopBackOff before run 7",
			"restart 6 after the 1m20s back-off",
		}, ""},
		{"a pod of a file with several", []string{"explain", "--pod", "web", scenario("1g-init-service.yaml")}, 2, nil,
			"error: " + scenario("1g-init-service.yaml") + ": no pod \"web\" in this file\n"},
		{"no file", []string{"explain"}, 2, nil, "error: accepts 1 arg(s), received 0\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := podsim(tc.args...)
			require.Equal(t, tc.code, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
			for _, h := range tc.has {
				require.Contains(t, out, h)
			}
			require.Equal(t, tc.stderr, errOut)
		})
	}
	// The same file explains the same way every time.
	_, a, _ := podsim("explain", scenario("1b-liveness.yaml"))
	_, b, _ := podsim("explain", scenario("1b-liveness.yaml"))
	require.Equal(t, a, b)
}
