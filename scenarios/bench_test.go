package scenarios_test

import (
	"io"
	"os"
	"testing"

	"github.com/podsim/podsim/scenarios"
)

// BenchmarkScenarioFile is what `podsim run scenarios/1b-liveness.yaml`
// does after reading the file: parse and check it, run 13 virtual minutes,
// print the watch.
func BenchmarkScenarioFile(b *testing.B) {
	data, err := os.ReadFile("1b-liveness.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s, err := scenarios.Parse("1b-liveness.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		c, err := s.Run(scenarios.Options{NoInvariants: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := scenarios.Render(io.Discard, c, scenarios.RenderOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse is the loader alone on the same file.
func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("1b-liveness.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scenarios.Parse("1b-liveness.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}
