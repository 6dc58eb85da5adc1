package scenarios_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/internal/textdiff"
	"github.com/podsim/podsim/scenarios"
)

// elisionFiles are the scenario files run both ways: every bundled
// scenario, and the manifests of the Kubernetes documentation that podsim
// runs as they are.
func elisionFiles(t *testing.T) []string {
	t.Helper()
	files := bundled(t)
	for _, pattern := range []string{"testdata/docs/*.yaml", "../testdata/k8s-docs/*.yaml", "../examples/*/*.yaml"} {
		more, err := filepath.Glob(pattern)
		require.NoError(t, err)
		files = append(files, more...)
	}
	return files
}

// renderAll is a run in every output format, one after the other.
func renderAll(t *testing.T, s *scenarios.Scenario) ([]byte, uint64) {
	t.Helper()
	c, err := s.Run(scenarios.Options{})
	require.NoError(t, err)
	var b bytes.Buffer
	for _, f := range scenarios.Formats {
		b.WriteString("# format " + f + "\n")
		require.NoError(t, scenarios.Render(&b, c, scenarios.RenderOptions{Format: f}))
	}
	return b.Bytes(), c.Engine().Fired()
}

// Steady-state elision changes the cost of a run, never its output: every
// scenario file, run with elision and without (sim.Config.NoElision),
// prints the same bytes in every format.
func TestElisionIsInvisible(t *testing.T) {
	ran, cheaper := 0, 0
	for _, file := range elisionFiles(t) {
		s, err := scenarios.Load(file)
		if err != nil {
			continue // a manifest that is not a scenario podsim runs as is (the k8s-docs tests say which)
		}
		t.Run(file, func(t *testing.T) {
			ran++
			elided, elidedEvents := renderAll(t, s)
			s.Config.NoElision = true
			ticked, tickedEvents := renderAll(t, s)
			if elidedEvents < tickedEvents {
				cheaper++
			}
			if !bytes.Equal(ticked, elided) {
				t.Errorf("%s: output with elision differs from ticking every period (-ticked +elided):\n%s", file,
					textdiff.Lines(string(ticked), string(elided)))
			}
		})
	}
	require.GreaterOrEqual(t, ran, len(bundled(t)), "every bundled scenario ran")
	require.GreaterOrEqual(t, cheaper, 3, "elision skipped probe runs in the files with exec probes (else this test compares a thing with itself)")
	t.Logf("%d files, %d of them cheaper with elision", ran, cheaper)
}
