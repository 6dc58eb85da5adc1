package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/sim"
)

// FuzzRun runs what it parses: every input that loads is simulated (for
// at most 15 minutes of virtual time and 200,000 events), and the run must
// neither panic nor break the model — an invariant violation or an event
// scheduled in the past is a bug in podsim, whatever the input. A run may
// fail for the input's own reasons (a busy loop, the event bound). Its
// seeds include inputs built to amplify: anchors and aliases, long
// scripts, grace periods and sleeps at the limits of their types.
//
//	go test ./scenarios/ -run '^$' -fuzz FuzzRun -fuzztime 10m -timeout 20m
func FuzzRun(f *testing.F) {
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		f.Fatalf("no bundled scenario files to seed from: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, seed := range append(fuzzSeeds, amplifyingSeeds()...) {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parse("fuzz.yaml", data)
		if err != nil {
			return // FuzzParse holds the loader's errors to their standard
		}
		until := min(s.Duration, 15*time.Minute)
		_, err = s.Run(Options{Until: until, MaxEvents: 200_000})
		switch {
		case err == nil:
		case errors.Is(err, sim.ErrInvariant), errors.Is(err, engine.ErrPastEvent):
			t.Fatalf("the model broke: %v", err)
		default:
			t.Logf("run: %v", err)
		}
	})
}

// amplifyingSeeds are inputs whose cost could grow much faster than their
// size, or whose numbers sit at the limits of their types.
func amplifyingSeeds() []string {
	pod := func(spec string) string {
		return "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n" + spec
	}
	return []string{
		// Anchors reused many times.
		"x: &a [" + strings.Repeat("1,", 100) + "1]\n" + pod("  containers:\n  - {name: app, image: busybox:1.36, command: [sh, -c, \"sleep 3600\"], args: *a}\n"),
		// A long chain and a long script.
		pod("  containers:\n  - {name: app, image: busybox:1.36, command: [sh, -c, \"" + strings.Repeat("true && ", 2000) + "sleep 3600\"]}\n"),
		pod("  containers:\n  - {name: app, image: busybox:1.36, command: [sh, -c, \"" + strings.Repeat("echo x; ", 2000) + "sleep 3600\"]}\n"),
		// Numbers at the limits.
		pod("  terminationGracePeriodSeconds: 9223372036854775807\n  containers:\n  - {name: app, image: busybox:1.36, command: [sh, -c, \"until ls 0;do sleep 187000000;done\"]}\n") +
			"---\napiVersion: podsim.dev/v1alpha1\nkind: Scenario\nactions:\n- at: 10s\n  delete: {name: web, gracePeriodSeconds: 9223372036854775807}\n",
		pod("  terminationGracePeriodSeconds: -5\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, \"sleep 3600\"]\n    resources: {requests: {memory: 9Pi, cpu: 900000}}\n"),
		// Many containers, each probed.
		pod("  containers:\n" + strings.Repeat("  - {name: c, image: busybox:1.36, command: [sh, -c, \"touch /tmp/h; sleep 3600\"], livenessProbe: {exec: {command: [cat, /tmp/h]}, periodSeconds: 1}}\n", 1)),
	}
}
