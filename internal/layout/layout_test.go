package layout

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// importGraph runs go list over the module: each package with its direct
// imports (not its tests'), and the deps go list -deps reports, so that a
// package the module builds but ./... would miss is checked too.
func importGraph(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, Module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "go list: %s", stderr.String())
	graph := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		graph[f[0]] = f[1:]
	}
	return graph
}

// readSources opens every directory and Go file of the module. go test
// caches a passing result and invalidates it only when a file the test
// process itself opened changes; go list reads the sources in another
// process, so without this a new forbidden import could pass from the cache.
func readSources(t *testing.T) {
	t.Helper()
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if d.IsDir() || strings.HasSuffix(path, ".go") || d.Name() == "go.mod" {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			if !d.IsDir() {
				_, err = f.Stat()
			} else {
				_, err = f.ReadDir(-1)
			}
			f.Close()
			return err
		}
		return nil
	})
	require.NoError(t, err)
}

func TestImportGraph(t *testing.T) {
	readSources(t)
	graph := importGraph(t)
	require.Contains(t, graph, Module+"/kubelet", "go list should have listed the module's packages")
	if v := Check(graph, Rules); len(v) > 0 {
		t.Fatalf("the import graph breaks the layout of docs/architecture.md:\n%s", strings.Join(v, "\n"))
	}
}

// The checker itself, on graphs made up to break each kind of rule.
func TestCheckFindsForbiddenEdges(t *testing.T) {
	p := func(rel string) string { return Module + "/" + rel }
	tests := []struct {
		name  string
		graph map[string][]string
		want  []string
	}{
		{"allowed edges pass", map[string][]string{
			p("kubelet"): {p("engine"), p("lifecycle"), "k8s.io/api/core/v1"},
			p("sim"):     {p("kubelet"), p("controllers/scheduler")},
		}, nil},
		{"kubelet imports a controller", map[string][]string{
			p("kubelet"): {p("controllers/scheduler")},
		}, []string{"kubelet imports controllers/scheduler: not allowed (a kubelet reaches the cluster only through its Client interface: never the API server's internals, a controller or the facade)"}},
		{"kubelet imports the API server", map[string][]string{
			p("kubelet"): {p("apiserver")},
		}, []string{"kubelet imports apiserver: not allowed (a kubelet reaches the cluster only through its Client interface: never the API server's internals, a controller or the facade)"}},
		{"one controller imports another", map[string][]string{
			p("controllers/scheduler"): {p("controllers/endpoints")},
		}, []string{"controllers/scheduler imports controllers/endpoints: not allowed (a controller reaches the cluster only through its Client interface: never the API server's internals, a kubelet or another controller)"}},
		{"a policy package imports the engine", map[string][]string{
			p("probe"): {p("engine")},
		}, []string{"probe imports engine: not allowed (a policy package, pure)"}},
		{"the engine imports Kubernetes-aware code", map[string][]string{
			p("engine"): {p("trace")},
		}, []string{"engine imports trace: not allowed (the event engine knows nothing of Kubernetes or of podsim)"}},
		{"a package without a rule", map[string][]string{
			p("newthing"): nil,
		}, []string{"newthing: no layout rule covers this package; add one to internal/layout and docs/architecture.md"}},
		{"the command line may use anything", map[string][]string{
			p("cmd/podsim"): {p("kubelet"), p("apiserver"), p("internal/record")},
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Check(tc.graph, Rules)); diff != "" {
				t.Errorf("violations (-want +got):\n%s", diff)
			}
		})
	}
}
