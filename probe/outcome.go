package probe

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// OutcomeResult is a handler's raw result (pkg/probe/probe.go Result).
type OutcomeResult uint8

const (
	OutcomeSuccess OutcomeResult = iota
	OutcomeWarning
	OutcomeFailure
	OutcomeUnknown
)

// String is the result as the kubelet prints it in an errored-probe event.
func (r OutcomeResult) String() string {
	return [...]string{"success", "warning", "failure", "unknown"}[r]
}

// Outcome is what running a probe handler gave: a result with its output,
// or an error (the kubelet retries errored probes, then throws them away).
type Outcome struct {
	Result OutcomeResult
	Output string
	Err    error
}

// ExecOutcome maps an exec probe's end (pkg/probe/exec/exec.go): exit 0
// succeeds, any other code fails, both with the command's output; a
// timeout fails with the runtime's "command … timed out".
func ExecOutcome(exitCode int, output string, timedOut bool, cmd []string) Outcome {
	switch {
	case timedOut:
		return Outcome{Result: OutcomeFailure, Output: fmt.Sprintf("command %q timed out", strings.Join(cmd, " "))}
	case exitCode == 0:
		return Outcome{Result: OutcomeSuccess, Output: output}
	}
	return Outcome{Result: OutcomeFailure, Output: output}
}

// HTTPOutcome maps an httpGet probe's answer (pkg/probe/http/http.go):
// 200–399 succeed (3xx as a warning: the redirect was not followed), other
// codes fail with "HTTP probe failed with statuscode: N", and a refused
// connection (status 0) fails with Go's dial error.
func HTTPOutcome(h *HTTPGet, podIP string, status int) Outcome {
	if h.Port == 0 {
		return Outcome{Result: OutcomeUnknown, Err: fmt.Errorf("port %q not found", h.PortName)}
	}
	host := h.Host
	if host == "" {
		host = podIP
	}
	scheme := strings.ToLower(h.Scheme)
	if scheme == "" {
		scheme = "http"
	}
	addr := net.JoinHostPort(host, strconv.Itoa(h.Port))
	switch {
	case status == 0:
		url := fmt.Sprintf("%s://%s%s", scheme, addr, h.Path)
		return Outcome{Result: OutcomeFailure, Output: fmt.Sprintf("Get %q: dial tcp %s: connect: connection refused", url, addr)}
	case status == TooManyRedirects:
		// The prober's RedirectChecker stops the Go client after 10
		// redirects to the same host; client.Do's error is the output.
		url := fmt.Sprintf("%s://%s%s", scheme, addr, h.Path)
		return Outcome{Result: OutcomeFailure, Output: fmt.Sprintf("Get %q: stopped after 10 redirects", url)}
	case status >= 200 && status < 300:
		return Outcome{Result: OutcomeSuccess}
	case status >= 300 && status < 400:
		return Outcome{Result: OutcomeWarning, Output: "Probe terminated redirects, Response body: "}
	}
	return Outcome{Result: OutcomeFailure, Output: fmt.Sprintf("HTTP probe failed with statuscode: %d", status)}
}

// TCPOutcome maps a tcpSocket probe (pkg/probe/tcp/tcp.go): a connection
// succeeds with no output; a refusal fails with Go's dial error.
func TCPOutcome(t *TCPSocket, podIP string, listening bool) Outcome {
	if t.Port == 0 {
		return Outcome{Result: OutcomeUnknown, Err: fmt.Errorf("port %q not found", t.PortName)}
	}
	host := t.Host
	if host == "" {
		host = podIP
	}
	if listening {
		return Outcome{Result: OutcomeSuccess}
	}
	return Outcome{Result: OutcomeFailure, Output: fmt.Sprintf("dial tcp %s: connect: connection refused", net.JoinHostPort(host, strconv.Itoa(t.Port)))}
}

// GRPCOutcome maps a grpc probe (pkg/probe/grpc/grpc.go): SERVING
// succeeds; another status, an unknown service or no connection within the
// timeout fails, each with the prober's own words.
func GRPCOutcome(g *GRPC, podIP, status string, up, unknownService bool, timeout time.Duration) Outcome {
	addr := net.JoinHostPort(podIP, strconv.Itoa(g.Port))
	switch {
	case !up:
		return Outcome{Result: OutcomeFailure, Output: fmt.Sprintf("timeout: failed to connect service %q within %v: context deadline exceeded", addr, timeout)}
	case unknownService:
		return Outcome{Result: OutcomeFailure, Output: "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service"}
	case status == "SERVING":
		return Outcome{Result: OutcomeSuccess, Output: "service healthy"}
	}
	return Outcome{Result: OutcomeFailure, Output: fmt.Sprintf("service unhealthy (responded with %q)", status)}
}

// TooManyRedirects is the status a server's answer takes when following
// its same-host redirects would pass the Go client's bound of 10
// (behavior.TooManyRedirects, which has the same value).
const TooManyRedirects = -10
