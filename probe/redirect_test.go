package probe

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A server whose same-host redirects go on past the Go client's bound
// fails the probe with client.Do's error (pkg/probe/http/http.go).
func TestHTTPOutcomeTooManyRedirects(t *testing.T) {
	got := HTTPOutcome(&HTTPGet{Port: 8080, Path: "/loop"}, "10.244.0.5", TooManyRedirects)
	require.Equal(t, Outcome{Result: OutcomeFailure, Output: `Get "http://10.244.0.5:8080/loop": stopped after 10 redirects`}, got)
	got = HTTPOutcome(&HTTPGet{Port: 8080, Path: "/login"}, "10.244.0.5", 302)
	require.Equal(t, OutcomeWarning, got.Result, "a redirect to another host is the answer: success with a warning")
}
