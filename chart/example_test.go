package chart_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/podsim/podsim/chart"
	"github.com/podsim/podsim/scenarios"
)

// Draw the two pods of seed 1h, deleted with their preStop hooks, as an SVG
// file: 10 inches (720 points) wide, half an inch (36 points) per lane.
func Example() {
	s, err := scenarios.Load(filepath.Join("..", "scenarios", "1h-prestop.yaml"))
	if err != nil {
		panic(err)
	}
	c, err := s.Run(scenarios.Options{})
	if err != nil {
		panic(err)
	}
	ch, err := chart.New(c.Trace(), c.Profile().Lifecycle, chart.Options{Title: "preStop hooks"})
	if err != nil {
		panic(err)
	}
	f, err := os.CreateTemp("", "prestop-*.svg")
	if err != nil {
		panic(err)
	}
	defer os.Remove(f.Name())
	if err := ch.WriteSVG(f); err != nil {
		panic(err)
	}
	f.Close()
	w, h := ch.Size()
	fmt.Printf("%.0f × %.1f points\n", w.Points(), h.Points())
	// Output:
	// 720 × 175.6 points
}
