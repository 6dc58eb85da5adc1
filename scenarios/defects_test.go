package scenarios_test

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/scenarios"
)

// runWatch parses and runs a scenario file and returns its watch lines
// without the header, each as "NAME READY STATUS RESTARTS AGE" fields
// joined by single spaces.
func runWatch(t *testing.T, file string) []string {
	t.Helper()
	s, err := scenarios.Parse("defect.yaml", []byte(file))
	require.NoError(t, err)
	c, err := s.Run(scenarios.Options{})
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, scenarios.Render(&b, c, scenarios.RenderOptions{Format: scenarios.FormatWatch}))
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n")[1:] {
		out = append(out, strings.Join(strings.Fields(line), " "))
	}
	return out
}

// Issue 9: a create of "web" after a delete of "web" ran the old pod with
// the new pod's behaviour (both were kept under one name).
func TestRecreatedPodNameKeepsEachPodsBehaviour(t *testing.T) {
	lines := runWatch(t, `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: app, image: busybox:1.36, command: [sh, -c, "sleep 5; exit 1"]}]
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 2m
actions:
- at: 20s
  delete: {name: web, gracePeriodSeconds: 1}
- at: 40s
  create:
    apiVersion: v1
    kind: Pod
    metadata: {name: web}
    spec:
      containers: [{name: app, image: busybox:1.36, command: [sh, -c, "sleep 3600"]}]
`)
	// The first pod exits after 5 s, as its own command says…
	require.Contains(t, lines, "web 0/1 Error 0 8s")
	// …and the second one runs on, with no restart.
	require.Equal(t, "web 1/1 Running 0 1s", lines[len(lines)-1])
}

// A 1 MB file of 3,000 aliases of a 1 MiB string took 8.5 GB and died with
// a Go runtime out-of-memory dump: YAML aliases were expanded without
// bound. Input size, alias expansion and the number of documents are
// bounded now, each with a clear error.
func TestYAMLAliasBombAndOversizedInputsAreRefused(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	bomb := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bomb\n  annotations:\n    big: &a " + big +
		"\nspec:\n  containers:\n  - name: app\n    image: busybox\n    args: [" + strings.TrimSuffix(strings.Repeat("*a,", 3000), ",") + "]\n"
	_, err := scenarios.Parse("bomb.yaml", []byte(bomb))
	require.EqualError(t, err, "bomb.yaml:1: YAML aliases expand this document to more than 11625746 bytes (10 times its size, plus 1 MiB): podsim does not expand it")

	// Anchors used as people use them (a probe shared by two containers) pass.
	shared := `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - {name: a, image: nginx:1.25.2, readinessProbe: &probe {httpGet: {path: /, port: 80}}}
  - {name: b, image: nginx:1.25.2, readinessProbe: *probe}
`
	_, err = scenarios.Parse("shared.yaml", []byte(shared))
	require.NoError(t, err)

	_, err = scenarios.Parse("huge.yaml", make([]byte, scenarios.MaxFileBytes+1))
	require.EqualError(t, err, "huge.yaml: larger than 32 MiB: podsim reads scenario files up to that size")

	_, err = scenarios.Parse("many.yaml", []byte(strings.Repeat("a: 1\n---\n", scenarios.MaxDocuments+1)))
	require.EqualError(t, err, "many.yaml: 100001 YAML documents: podsim reads at most 100000 in one file")
}

// Reading /dev/zero or a FIFO blocked or never ended: only regular files
// are read, and never more than MaxFileBytes.
func TestDevicesAndFIFOsAreRefused(t *testing.T) {
	_, err := scenarios.Load("/dev/zero")
	require.EqualError(t, err, "/dev/zero: not a regular file but a device: give a scenario file")
	fifo := filepath.Join(t.TempDir(), "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	_, err = scenarios.Load(fifo)
	require.EqualError(t, err, fifo+": not a regular file but a named pipe: give a scenario file")
	_, err = scenarios.Load(t.TempDir())
	require.ErrorContains(t, err, "not a regular file but a directory")
	_, err = scenarios.ReadLimited("-", io.LimitReader(zeros{}, scenarios.MaxFileBytes+10))
	require.EqualError(t, err, "-: larger than 32 MiB: podsim reads scenario files up to that size")
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// Issue 9: one pod with a million containers took 3.6 GB to validate. No
// API server would take it — a request body is at most 3 MiB — and podsim
// now refuses any document larger than that before parsing it.
func TestPodWithAMillionContainersIsRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: Pod\nmetadata: {name: many}\nspec:\n  containers:\n")
	for i := range 200_000 { // 7 MB: a million would pass the file bound too
		fmt.Fprintf(&b, "  - {name: c%d, image: busybox:1.36}\n", i)
	}
	_, err := scenarios.Parse("many.yaml", []byte(b.String()))
	require.EqualError(t, err, "many.yaml:1: Request entity too large: limit is 3145728 (the API server's bound on one object; podsim holds every document to it)")
}
