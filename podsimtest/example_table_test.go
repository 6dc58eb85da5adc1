package podsimtest_test

import (
	"fmt"
	"os"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/podsimtest"
)

// The three-probe table test: three probe settings for one container,
// and for each the first time the pod is Ready and its restarts after
// five minutes. In a test function, t is the *testing.T.
func Example_tableTest() {
	t := podsimtest.NewPrinter(os.Stdout)
	for _, tc := range []struct {
		name, probe string
		ready       time.Duration
		restarts    int32
	}{
		{"readiness", "readinessProbe: {exec: {command: [cat, /tmp/ok]}, periodSeconds: 5}", 3 * time.Second, 0},
		{"readiness, delayed", "readinessProbe: {exec: {command: [cat, /tmp/ok]}, initialDelaySeconds: 30}", 35 * time.Second, 0},
		{"liveness", "livenessProbe: {exec: {command: [cat, /tmp/ok]}, periodSeconds: 5}", 3 * time.Second, 2},
	} {
		c := podsimtest.NewCluster(t)
		c.CreatePod(podsimtest.ParsePod(t, `
metadata: {name: web}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, "touch /tmp/ok; sleep 60; rm /tmp/ok; sleep 3600"]
    `+tc.probe), nil)
		c.RunUntil(5 * time.Minute)
		ready := c.FirstTime(podsimtest.PodReady("web")).Truncate(time.Second)
		require.Equal(t, tc.ready, ready, tc.name)
		require.Equal(t, tc.restarts, c.RestartCount("web"), tc.name)
		fmt.Printf("%-18s Ready at %v, %d restarts\n", tc.name, ready, tc.restarts)
	}
	// Output:
	// readiness          Ready at 3s, 0 restarts
	// readiness, delayed Ready at 35s, 0 restarts
	// liveness           Ready at 3s, 2 restarts
}
