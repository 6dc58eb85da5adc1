package scenarios_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/scenarios"
	"github.com/podsim/podsim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// bundled lists the scenario files shipped in this directory.
func bundled(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

// golden is what a scenario's golden file holds: the watch lines of the
// whole run, its timeline, then kubectl describe of every pod at the end.
func golden(t *testing.T, c *sim.Cluster) string {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("# podsim run -o wide\n")
	require.NoError(t, scenarios.Render(&b, c, scenarios.RenderOptions{Format: scenarios.FormatWide}))
	b.WriteString("\n# podsim run -o timeline\n")
	require.NoError(t, scenarios.Render(&b, c, scenarios.RenderOptions{Format: scenarios.FormatTimeline}))
	b.WriteString("\n# podsim run -o describe\n")
	require.NoError(t, scenarios.Render(&b, c, scenarios.RenderOptions{Format: scenarios.FormatDescribe}))
	return b.String()
}

// Every bundled scenario loads, meets its own expectations, and prints
// what its golden file holds. go test ./scenarios -update rewrites the
// golden files; review the diff before committing it.
func TestBundledScenarios(t *testing.T) {
	for _, file := range bundled(t) {
		t.Run(strings.TrimSuffix(file, ".yaml"), func(t *testing.T) {
			s, err := scenarios.Load(file)
			require.NoError(t, err)
			require.NotZero(t, s.Expectations(), "a bundled scenario says what it shows")
			failures, c, err := s.Test(scenarios.Options{})
			require.NoError(t, err)
			for _, f := range failures {
				t.Error(f.String())
			}
			got := golden(t, c)
			path := filepath.Join("testdata", "golden", strings.TrimSuffix(file, ".yaml")+".txt")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "no golden file: run go test ./scenarios -update")
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s differs from %s (-want +got); if the change is right, run go test ./scenarios -update:\n%s", file, path, diff)
			}
		})
	}
}

// Every golden file belongs to a scenario, so a renamed scenario does not
// leave a stale one behind.
func TestNoStaleGoldenFiles(t *testing.T) {
	goldens, err := filepath.Glob(filepath.Join("testdata", "golden", "*.txt"))
	require.NoError(t, err)
	for _, g := range goldens {
		_, err := os.Stat(strings.TrimSuffix(filepath.Base(g), ".txt") + ".yaml")
		require.NoError(t, err, "golden file %s has no scenario", g)
	}
}

// The same file and seed give byte-identical traces, run after run.
func TestBundledScenariosAreDeterministic(t *testing.T) {
	for _, file := range bundled(t) {
		t.Run(strings.TrimSuffix(file, ".yaml"), func(t *testing.T) {
			s, err := scenarios.Load(file)
			require.NoError(t, err)
			var runs [2]bytes.Buffer
			for i := range runs {
				c, err := s.Run(scenarios.Options{})
				require.NoError(t, err)
				require.NoError(t, scenarios.Render(&runs[i], c, scenarios.RenderOptions{Format: scenarios.FormatJSONL}))
			}
			require.True(t, bytes.Equal(runs[0].Bytes(), runs[1].Bytes()), "two runs of %s differ", file)
		})
	}
}

// A wrong expectation fails, and the failure says where and what, as a
// -want +got diff of just the fields the expectation names.
func TestWrongExpectationFails(t *testing.T) {
	const file = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx:1.25.2
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 1m
expect:
- at: 30s
  pod: web
  phase: Running
  ready: 0/1        # wrong: nginx is ready at once
  restarts: 0
  containers:
    nginx: {state: waiting, ready: false}   # wrong twice
- watch: |
    web   0/1   Pending             0   0s
    web   0/1   Pending             0   0s
    web   0/1   ContainerCreating   0   0s
    web   1/1   Running             0   5s
`
	s, err := scenarios.Parse("wrong.yaml", []byte(file))
	require.NoError(t, err)
	failures, _, err := s.Test(scenarios.Options{})
	require.NoError(t, err)
	var got []string
	for _, f := range failures {
		got = append(got, f.String())
	}
	want := []string{`wrong.yaml:14: pod "web" at 30s (-want +got):
  phase: Running
- ready: 0/1
+ ready: 1/1
  restarts: 0
  containers:
    nginx:
-     state: waiting
-     ready: false
+     state: running
+     ready: true`, `wrong.yaml:21: watch:
line 4 (ages must match exactly):
   want  web  1/1  Running  0  5s
   got   web  1/1  Running  0  3s`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
}
