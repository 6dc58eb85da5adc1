package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A field the chosen version drops is named on stderr, as kubectl prints
// an API server's warnings; a field the version does not have is an error.
func TestVersionedFieldWarnings(t *testing.T) {
	manifest := `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  os: {name: linux}
  containers:
  - name: nginx
    image: nginx:1.25.2
    lifecycle:
      stopSignal: SIGQUIT
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
kubernetesVersion: "VERSION"
duration: 5s
`
	tests := []struct {
		version, stderr string
		code            int
	}{
		{"1.35", `Warning: web.yaml:11: Pod "web": spec.containers[0].lifecycle.stopSignal: dropped: the API server of Kubernetes 1.35 drops it silently, its feature gate ContainerStopSignals being off by default`, 0},
		{"1.32", `web.yaml:11: Pod "web": spec.containers[0].lifecycle.stopSignal: Forbidden: strict decoding error: unknown field "spec.containers[0].lifecycle.stopSignal": Kubernetes 1.32 does not have it (it came with the feature gate ContainerStopSignals)`, exitInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.version, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "web.yaml")
			require.NoError(t, os.WriteFile(file, []byte(strings.Replace(manifest, "VERSION", tc.version, 1)), 0o644))
			var stdout, stderr bytes.Buffer
			code := run([]string{"run", file}, &stdout, &stderr)
			require.Equal(t, tc.code, code, stderr.String())
			require.Contains(t, strings.ReplaceAll(stderr.String(), dir+string(filepath.Separator), ""), tc.stderr)
		})
	}
}

// podsim versions: the list, what each version changes, and one version's
// every switch.
func TestVersionsCommand(t *testing.T) {
	tests := []struct {
		args []string
		want []string
		code int
	}{
		{[]string{"versions", "--changes"}, []string{
			"  CrashLoopRetryAtExpiry: yes (",
			"  Gates.KubeletCrashLoopBackOffMax: on (",
			"1.36\n1.37 (default)\n",
		}, 0},
		{[]string{"versions", "1.34"}, []string{
			"Kubernetes 1.34\n",
			"  CrashLoopRetryAtExpiry: no (",
			"  APIFields.PodLevelResources: on (",
			"  NodeMonitorGracePeriod: 50s (",
		}, 0},
		{[]string{"versions", "1.24"}, []string{`kubernetes version "1.24" is not supported`}, exitInvalid},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			require.Equal(t, tc.code, run(tc.args, &stdout, &stderr), stderr.String())
			for _, w := range tc.want {
				require.Contains(t, stdout.String()+stderr.String(), w)
			}
		})
	}
}
