package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// podsim runs the CLI in-process and returns its exit code and output.
func podsim(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func scenario(name string) string { return filepath.Join("..", "..", "scenarios", name) }

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

// The README's first command prints the seed's watch lines.
func TestRunPrintsTheSeedsWatchLines(t *testing.T) {
	code, out, errOut := podsim("run", scenario("1a-initial-delay.yaml"))
	require.Equal(t, 0, code, errOut)
	require.Empty(t, errOut)
	require.Equal(t, `NAME            READY   STATUS              RESTARTS   AGE
initial-delay   0/1     Pending             0          0s
initial-delay   0/1     Pending             0          0s
initial-delay   0/1     ContainerCreating   0          0s
initial-delay   0/1     ContainerCreating   0          1s
initial-delay   0/1     Running             0          2s
initial-delay   1/1     Running             0          35s
initial-delay   0/1     Running             0          55s
`, out)
}

// Every output format gives the same bytes for the same file and seed.
func TestRunIsDeterministic(t *testing.T) {
	for _, args := range [][]string{
		{"run", scenario("1b-liveness.yaml")},
		{"run", "-o", "wide", scenario("1e-readiness-gate.yaml")},
		{"run", "-o", "describe", "--at", "87s", scenario("1b-liveness.yaml")},
		{"run", "-o", "yaml", scenario("1h-prestop.yaml"), "--at", "2m"},
		{"run", "-o", "json", scenario("status-init-errors.yaml")},
		{"run", "-o", "jsonl", scenario("1b-liveness.yaml")},
		{"run", "-o", "timeline", scenario("1h-prestop.yaml")},
		{"run", "--seed", "7", scenario("status-crashloopbackoff.yaml")},
		{"test", scenario("1b-liveness.yaml")},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code1, out1, err1 := podsim(args...)
			code2, out2, err2 := podsim(args...)
			require.Equal(t, 0, code1, err1)
			require.NotEmpty(t, out1)
			require.Equal(t, code1, code2)
			require.Equal(t, out1, out2)
			require.Equal(t, err1, err2)
		})
	}
}

func TestRunOutputs(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string // lines or fragments the output holds
	}{
		{"1e wide shows the readiness gate", []string{"run", "-o", "wide", scenario("1e-readiness-gate.yaml")},
			[]string{"readiness-gate   1/1     Running             0          1s    10.244.0.2   mac-k8s   <none>           0/1"}},
		{"1e describe shows Ready False and the gate", []string{"run", "-o", "describe", scenario("1e-readiness-gate.yaml")},
			[]string{"  www.example.com/feature-1   <none> \n", "  Ready             False \n"}},
		{"1e yaml shows the reason and message", []string{"run", "-o", "yaml", "--pod", "readiness-gate", scenario("1e-readiness-gate.yaml")},
			[]string{"reason: ReadinessGatesNotReady", `message: corresponding condition of pod readiness gate "www.example.com/feature-1"`}},
		{"1b describe at 87s", []string{"run", "-o", "describe", "--at", "87s", scenario("1b-liveness.yaml")},
			[]string{"Restart Count:  1", "Exit Code:    137",
				"Warning  Unhealthy  42s (x3 over 52s)  kubelet            Liveness probe failed: cat: /tmp/healthy: No such file or directory",
				"Normal   Killing    42s                kubelet            Container liveness failed liveness probe, will be restarted"}},
		{"1g waits in Init:0/1 until the Service exists", []string{"run", scenario("1g-init-service.yaml")},
			[]string{"myapp-pod   0/1     Init:0/1          0          3s", "myapp-pod   0/1     PodInitializing   0          91s", "myapp-pod   1/1     Running           0          94s"}},
		{"1h splits the grace period: preStop 40 s, then SIGTERM with 20 s left", []string{"run", "-o", "timeline", "--pod", "app", scenario("1h-prestop.yaml")},
			[]string{"1m30.01s   app   app         runtime/node-1      preStop hook started (grace period 60s)",
				"2m10.01s   app   app         runtime/node-1      preStop hook finished after 40s",
				"2m10.01s   app   app         runtime/node-1      SIGTERM, then SIGKILL in 20s if it is still running",
				"2m30.01s   app   app         runtime/node-1      SIGKILL: still running after 20s"}},
		{"1i is not Running before its postStart ends", []string{"run", scenario("1i-poststart.yaml")},
			[]string{"poststart-slow   0/1     ContainerCreating   0          0s", "poststart-slow   1/1     Running             0          11s"}},
		{"a late watch starts with the current state", []string{"run", "--from", "35m46s", scenario("1c-liveness-later.yaml")},
			[]string{"NAME                 READY   STATUS             RESTARTS             AGE\ntest-liveness-exec   0/1     CrashLoopBackOff   13 (75s ago)         35m\n"}},
		{"versions", []string{"versions"}, []string{"1.25\n1.26\n1.27\n1.28\n1.29\n1.30\n1.31\n1.32\n1.33\n1.34\n1.35\n1.36\n1.37 (default)\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := podsim(tc.args...)
			require.Equal(t, 0, code, errOut)
			for _, w := range tc.want {
				require.Contains(t, out, w)
			}
		})
	}
}

const wrongExpectation = `apiVersion: v1
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
  status: CrashLoopBackOff
`

func TestExitCodesAndErrors(t *testing.T) {
	wrong := writeFile(t, "wrong.yaml", wrongExpectation)
	invalid := writeFile(t, "invalid.yaml", strings.Replace(wrongExpectation, "  status: CrashLoopBackOff", "  stauts: CrashLoopBackOff", 1))
	tests := []struct {
		name      string
		args      []string
		code      int
		stdout    string
		stderr    string
		stdoutHas string
	}{
		{name: "test passes", args: []string{"test", scenario("1a-initial-delay.yaml"), scenario("1d-no-sigterm.yaml")}, code: 0,
			stdout: "ok      ../../scenarios/1a-initial-delay.yaml (2 checks)\nok      ../../scenarios/1d-no-sigterm.yaml (3 checks)\n"},
		{name: "test fails with a diff", args: []string{"test", wrong}, code: 1,
			stdoutHas: "    - status: CrashLoopBackOff\n    + status: Running\n",
			stderr:    "error: 1 of 1 scenarios failed\n"},
		{name: "validate names file, line and field", args: []string{"validate", invalid}, code: 2,
			stderr: "error: " + invalid + ":16: Scenario: expect[0].stauts: unknown field \"stauts\" (did you mean \"status\"?)\n"},
		{name: "test of an invalid file, on stderr", args: []string{"test", invalid}, code: 2,
			stderr: "INVALID " + invalid + "\n    " + invalid + ":16: Scenario: expect[0].stauts: unknown field \"stauts\" (did you mean \"status\"?)\nerror: 1 of 1 scenarios are invalid\n"},
		{name: "missing file", args: []string{"run", "no-such.yaml"}, code: 2,
			stderr: "error: open no-such.yaml: no such file or directory\n"},
		{name: "unknown output", args: []string{"run", "-o", "table", scenario("1a-initial-delay.yaml")}, code: 2,
			stderr: "error: unknown output format \"table\": use wide, describe, yaml, json, jsonl, timeline, csv, svg or png\n"},
		{name: "--at with a watch", args: []string{"run", "--at", "10s", scenario("1a-initial-delay.yaml")}, code: 2,
			stderr: "error: --at is for the point-in-time outputs (-o describe, yaml, json); use --until to stop a watch early\n"},
		{name: "unknown pod", args: []string{"run", "--pod", "nope", scenario("1a-initial-delay.yaml")}, code: 2,
			stderr: "error: ../../scenarios/1a-initial-delay.yaml: no pod \"nope\" in this scenario\n"},
		{name: "unknown flag", args: []string{"run", "--frobnicate", scenario("1a-initial-delay.yaml")}, code: 2,
			stderr: "error: unknown flag: --frobnicate\n"},
		{name: "no file", args: []string{"run"}, code: 2,
			stderr: "error: no scenario file: give FILE, or -f FILE (- reads standard input)\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := podsim(tc.args...)
			require.Equal(t, tc.code, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
			if tc.stdout != "" {
				require.Equal(t, tc.stdout, out)
			}
			if tc.stdoutHas != "" {
				require.Contains(t, out, tc.stdoutHas)
			}
			require.Equal(t, tc.stderr, errOut)
		})
	}
}

// Several files in one run: a comment line names each, except in JSON
// Lines, where each run begins with its header record.
func TestRunSeveralFiles(t *testing.T) {
	code, out, _ := podsim("run", scenario("1f-nginx.yaml"), scenario("status-error.yaml"))
	require.Equal(t, 0, code)
	require.True(t, strings.HasPrefix(out, "# ../../scenarios/1f-nginx.yaml\nNAME"), out)
	require.Contains(t, out, "\n\n# ../../scenarios/status-error.yaml\nNAME")

	code, out, _ = podsim("run", "-o", "jsonl", scenario("1f-nginx.yaml"), scenario("status-error.yaml"))
	require.Equal(t, 0, code)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		require.True(t, strings.HasPrefix(line, `{"record":`), "not a JSON record: %s", line)
	}
	require.Equal(t, 2, strings.Count(out, `{"record":"header"`))
}

// --pod keeps what is about the pod: not the Service of the same name.
func TestJSONLForOnePod(t *testing.T) {
	code, out, errOut := podsim("run", "-o", "jsonl", "--pod", "app", scenario("1h-prestop.yaml"))
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Greater(t, len(lines), 10)
	for _, line := range lines[1:] {
		require.Regexp(t, `"kind":"(Pod|Container|Event)"`, line)
		require.Contains(t, line, `"name":"app"`)
		require.NotContains(t, line, `"kind":"Service"`)
		require.NotContains(t, line, `"kind":"Endpoints"`)
	}
}
