package main

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// Issue 9: negative times, an empty file, negative counts in expectations
// and a write to no path ran (or failed later with an obscure error); a
// runaway run did not say what produced its events. Each is now a clear
// error, exit code 2 (or 3 for the run that hit its bound).
func TestBadFlagsAndInputsAreClearErrors(t *testing.T) {
	a := scenario("1a-initial-delay.yaml")
	pod := "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: app, image: busybox:1.36, command: [sh, -c, \"sleep 3600\"]}]\n"
	scenarioDoc := "---\napiVersion: podsim.dev/v1alpha1\nkind: Scenario\nduration: 1m\n"
	empty := writeFile(t, "empty.yaml", "# nothing here\n")
	negative := writeFile(t, "negative.yaml", pod+scenarioDoc+"expect:\n- at: 30s\n  pod: web\n  events: [{reason: Started, count: 0}]\n  containers: {app: {restartCount: -1}}\n- at: 30s\n  service: web\n  readyEndpoints: -1\n")
	noPath := writeFile(t, "nopath.yaml", pod+scenarioDoc+"behaviors:\n  web/app:\n    steps:\n    - write: {path: \"\", content: hi}\n    - sleep: 1h\n")
	busy := writeFile(t, "busy.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: app, image: busybox:1.36, command: [sh, -c, \"while true; do sleep 0.001; done\"]}]\n")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"--until -5m", []string{"run", "--until", "-5m", a}, 2, "error: --until -5m0s: must not be negative (times count from the start of the scenario)\n"},
		{"--at -1m", []string{"run", "-o", "describe", "--at", "-1m", a}, 2, "error: --at -1m0s: must not be negative (times count from the start of the scenario)\n"},
		{"--from -1m", []string{"run", "--from", "-1m", a}, 2, "error: --from -1m0s: must not be negative (times count from the start of the scenario)\n"},
		{"an empty file", []string{"run", empty}, 2, "error: " + empty + ": no YAML documents in this file: a scenario is at least one Pod manifest, or a Scenario document that creates pods\n"},
		{"negative counts in expect", []string{"validate", negative}, 2, "error: " + negative + ":13: Scenario: expect[0].events[0].count: Invalid value: 0: must be at least 1 (an event that happened counts 1)\n" +
			negative + ":14: Scenario: expect[0].containers[app].restartCount: Invalid value: -1: must be greater than or equal to 0\n" +
			negative + ":17: Scenario: expect[1].readyEndpoints: Invalid value: -1: must be greater than or equal to 0\n"},
		{"write to no path", []string{"validate", noPath}, 2, "error: " + noPath + ":13: Scenario: behaviors[web/app].steps[0].write.path: Required value: the file to write, such as /tmp/ready\n"},
		{"a runaway run names what is busy", []string{"run", "--max-events", "20000", busy}, 3, "error: " + busy + ": at T: sim: event limit reached: 20000 events by T; of the last 1000 events: 1000 container app of pod default/web; if the run is meant to be this long, raise the bound with --max-events\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := podsim(tc.args...)
			require.Equal(t, tc.code, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
			// When the bound is reached, and the odd event of other work
			// among the last thousand, depend on the whole kubelet model.
			errOut = times.ReplaceAllString(errOut, "T")
			errOut = others.ReplaceAllString(errOut, "…;")
			require.Equal(t, tc.stderr, errOut)
		})
	}
}

var (
	times  = regexp.MustCompile(`\b\d+(\.\d+)?s\b`)
	others = regexp.MustCompile(`1 the kubelet's [^;]*;`)
)
