package main

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// podsimIn runs the CLI in-process with stdin as its standard input.
func podsimIn(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = runIO(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// kubectl's conventions: - and -f - read standard input, -f names files,
// -n and -l select pods, podsim version names the build, and completion
// knows the output formats and the pods of the files given.
func TestKubectlConventions(t *testing.T) {
	file := scenario("1a-initial-delay.yaml")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	_, want, _ := podsim("run", file)

	t.Run("- reads standard input", func(t *testing.T) {
		code, out, errOut := podsimIn(string(data), "run", "-")
		require.Equal(t, 0, code, errOut)
		require.Equal(t, want, out)
	})
	t.Run("-f - reads standard input", func(t *testing.T) {
		code, out, errOut := podsimIn(string(data), "run", "-f", "-")
		require.Equal(t, 0, code, errOut)
		require.Equal(t, want, out)
	})
	t.Run("-f names a file", func(t *testing.T) {
		code, out, _ := podsim("validate", "-f", file)
		require.Equal(t, 0, code)
		require.Equal(t, "ok      "+file+"\n", out)
	})
	t.Run("errors on standard input name STDIN", func(t *testing.T) {
		code, _, errOut := podsimIn("apiVersion: v1\nkind: Pod\nmetadata: {name: Bad}\n", "validate", "-")
		require.Equal(t, 2, code)
		require.True(t, strings.HasPrefix(errOut, "error: STDIN:1: Pod \"Bad\": spec.containers: Required value\nSTDIN:3: Pod \"Bad\": metadata.name: Invalid value: \"Bad\""), errOut)
	})
	t.Run("standard input once", func(t *testing.T) {
		code, _, errOut := podsimIn("", "run", "-", "-f", "-")
		require.Equal(t, 2, code)
		require.Equal(t, "error: standard input (-) given 2 times: it can be read once\n", errOut)
	})
	t.Run("-n and -l select pods", func(t *testing.T) {
		two := writeFile(t, "two.yaml", `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers: [{name: app, image: nginx:1.25.2}]
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: data, labels: {app: db}}
spec:
  containers: [{name: app, image: nginx:1.25.2}]
`)
		names := func(out string) []string {
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
				got = append(got, strings.Fields(l)[0])
			}
			return got
		}
		_, all, _ := podsim("run", two)
		require.Equal(t, []string{"db", "web"}, sorted(names(all)))
		_, out, _ := podsim("run", "-l", "app=web", two)
		require.Equal(t, []string{"web"}, uniq(names(out)))
		_, out, _ = podsim("run", "-n", "data", two)
		require.Equal(t, []string{"db"}, uniq(names(out)))
		_, out, _ = podsim("run", "-o", "describe", "-n", "shop", two)
		require.Equal(t, "No resources found in shop namespace.\n", out)
		code, _, errOut := podsim("run", "-l", "app in (", two)
		require.Equal(t, 2, code)
		require.Contains(t, errOut, `error: -l "app in (": `)
	})
	t.Run("version", func(t *testing.T) {
		code, out, _ := podsim("version")
		require.Equal(t, 0, code)
		require.True(t, strings.HasPrefix(out, "podsim (devel)\nbuilt with go"), out)
		require.Contains(t, out, "follows Kubernetes ")
	})
	t.Run("completion of -o and --pod", func(t *testing.T) {
		_, out, _ := podsim("__complete", "run", "-o", "")
		require.Contains(t, out, "describe\n")
		require.Contains(t, out, "timeline\n")
		_, out, _ = podsim("__complete", "run", file, "--pod", "")
		require.True(t, strings.HasPrefix(out, "initial-delay\n"), out)
		code, out, _ := podsim("completion", "bash")
		require.Equal(t, 0, code)
		require.Contains(t, out, "bash completion")
	})
}

// sorted lists the distinct names, in order.
func sorted(list []string) []string {
	slices.Sort(list)
	return slices.Compact(list)
}

func uniq(list []string) []string {
	var out []string
	for _, s := range list {
		if len(out) == 0 || out[len(out)-1] != s {
			out = append(out, s)
		}
	}
	return out
}
