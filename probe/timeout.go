package probe

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// The outcomes of a network probe whose answer did not come within
// timeoutSeconds. The prober turns a client error into a failure with the
// error's text as output (pkg/probe/http/http.go, pkg/probe/tcp/tcp.go);
// the texts are Go's own.

// HTTPTimeoutOutcome is an httpGet probe that timed out: net/http's client
// error for a request whose Client.Timeout passed before the headers came
// (net/http/client.go, net/url Error).
func HTTPTimeoutOutcome(h *HTTPGet, podIP string) Outcome {
	host := h.Host
	if host == "" {
		host = podIP
	}
	scheme := strings.ToLower(h.Scheme)
	if scheme == "" {
		scheme = "http"
	}
	url := fmt.Sprintf("%s://%s%s", scheme, net.JoinHostPort(host, strconv.Itoa(h.Port)), h.Path)
	return Outcome{Result: OutcomeFailure, Output: fmt.Sprintf("Get %q: context deadline exceeded (Client.Timeout exceeded while awaiting headers)", url)}
}

// TCPTimeoutOutcome is a tcpSocket probe whose connection did not open in
// time: net.DialTimeout's error.
func TCPTimeoutOutcome(t *TCPSocket, podIP string) Outcome {
	host := t.Host
	if host == "" {
		host = podIP
	}
	return Outcome{Result: OutcomeFailure, Output: fmt.Sprintf("dial tcp %s: i/o timeout", net.JoinHostPort(host, strconv.Itoa(t.Port)))}
}

// GRPCTimeoutOutcome is a grpc probe whose health RPC, once connected, did
// not complete within the timeout (pkg/probe/grpc/grpc.go, DeadlineExceeded).
func GRPCTimeoutOutcome(timeout time.Duration) Outcome {
	return Outcome{Result: OutcomeFailure, Output: fmt.Sprintf("timeout: health rpc did not complete within %v", timeout)}
}
