package probe

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The texts a probe that timed out reports, as Go's clients word them for
// the kubelet's prober.
func TestTimeoutOutcomes(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  Outcome
		want string
	}{
		{"http", HTTPTimeoutOutcome(&HTTPGet{Port: 8080, Path: "/healthz"}, "10.244.0.2"),
			`Get "http://10.244.0.2:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`},
		{"https to a host", HTTPTimeoutOutcome(&HTTPGet{Scheme: "HTTPS", Host: "example.com", Port: 443, Path: "/"}, "10.244.0.2"),
			`Get "https://example.com:443/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`},
		{"tcp", TCPTimeoutOutcome(&TCPSocket{Port: 6379}, "10.244.0.2"), "dial tcp 10.244.0.2:6379: i/o timeout"},
		{"grpc", GRPCTimeoutOutcome(time.Second), "timeout: health rpc did not complete within 1s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, Outcome{Result: OutcomeFailure, Output: tc.want}, tc.got)
		})
	}
}
