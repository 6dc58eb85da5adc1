package scenarios_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/scenarios"
)

const redirectPod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "sleep 3600"]
    livenessProbe:
      httpGet: {path: /a, port: 8080}
      periodSeconds: 5
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 40s
behaviors:
  web/app:
    steps:
`

// A probe follows a server's same-host redirects, at most 10 of them, and
// takes a redirect to another host as a success (pkg/probe/http/http.go).
func TestProbeFollowsRedirects(t *testing.T) {
	for name, tc := range map[string]struct {
		steps    string
		restarts int32
		event    string
	}{
		"a local redirect to a healthy path": {`
    - serveHTTP: {port: 8080, path: /a, status: 302, location: /b}
    - serveHTTP: {port: 8080, path: /b, status: 200}
    - sleep: 1h`, 0, ""},
		"a redirect to another host": {`
    - serveHTTP: {port: 8080, path: /a, status: 302, location: "https://sso.example.com/"}
    - sleep: 1h`, 0, ""},
		"a redirect loop": {`
    - serveHTTP: {port: 8080, path: /a, status: 302, location: /a}
    - sleep: 1h`, 0, `Liveness probe failed: Get "http://10.244.0.2:8080/a": stopped after 10 redirects`},
	} {
		t.Run(name, func(t *testing.T) {
			doc := redirectPod + strings.TrimPrefix(tc.steps, "\n") + "\nexpect:\n- at: 30s\n  pod: web\n  restarts: " + strconv.Itoa(int(tc.restarts)) + "\n"
			if tc.event != "" {
				doc += "  events:\n  - reason: Unhealthy\n    message: '" + tc.event + "'\n"
			}
			s, err := scenarios.Parse("r.yaml", []byte(doc))
			require.NoError(t, err)
			failures, _, err := s.Test(scenarios.Options{})
			require.NoError(t, err)
			for _, f := range failures {
				t.Error(f.String())
			}
		})
	}
	_, err := scenarios.Parse("r.yaml", []byte(redirectPod+"    - serveHTTP: {port: 8080, path: /a, status: 200, location: /b}\n"))
	require.ErrorContains(t, err, "behaviors[web/app].steps[0].serveHTTP.location: Invalid value: \"/b\": a Location goes with a redirect status (300-399), not 200")
}
