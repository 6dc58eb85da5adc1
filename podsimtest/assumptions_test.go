package podsimtest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/podsimtest"
	"github.com/podsim/podsim/sim"
)

// A manifest of an image podsim does not know runs through CreatePod as
// an assumed healthy server, recorded in the trace header; a Strict
// cluster fails the test with podsim --strict's message.
func TestCreatePodOfAnUnknownImage(t *testing.T) {
	const manifest = `
metadata: {name: api}
spec:
  containers:
  - name: api
    image: mycorp/api:1.2
    ports: [{containerPort: 8080}]
    readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 2}
`
	const assumed = `Pod "api": spec.containers[0].image: image mycorp/api:1.2 behaves as a healthy server (listening on 8080; podsim does not know the image)`
	for _, tc := range []struct {
		name    string
		opts    []podsimtest.Option
		wantErr string
	}{
		{name: "assumed healthy server"},
		{name: "strict", opts: []podsimtest.Option{podsimtest.Config(func(c *sim.Config) { c.Strict = true })},
			wantErr: `create pod "api": strict: podsim would assume: ` + assumed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c *podsimtest.Cluster
			r := run(func(tb podsimtest.TB) {
				c = podsimtest.NewCluster(tb, tc.opts...)
				c.CreatePod(podsimtest.ParsePod(tb, manifest), nil)
				c.RunUntil(time.Minute)
			})
			if tc.wantErr != "" {
				require.True(t, r.fatal)
				require.Equal(t, []string{tc.wantErr}, r.errors)
				return
			}
			require.Empty(t, r.errors)
			require.Equal(t, []string{assumed}, c.Trace().Header.Assumptions)
			_, ready := c.History().FirstTime(podsimtest.PodReady("api"))
			require.True(t, ready, "the assumed server answers its readiness probe")
		})
	}
}
