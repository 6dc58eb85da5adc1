// Command chart runs a scenario file and draws its pods, one lane each, as
// an SVG and a PNG: what `podsim run -o svg` and `-o png` write, from a Go
// program that may change the picture first.
//
//	go run ./examples/chart scenarios/1b-liveness.yaml liveness
//
// writes liveness.svg and liveness.png.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/podsim/podsim/chart"
	"github.com/podsim/podsim/scenarios"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: chart SCENARIO.yaml OUTPUT-PREFIX")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run(file, prefix string) error {
	s, err := scenarios.Load(file)
	if err != nil {
		return err
	}
	c, err := s.Run(scenarios.Options{})
	if err != nil {
		return err
	}
	title := fmt.Sprintf("%s, Kubernetes %s", filepath.Base(file), c.Profile().Version)
	ch, err := chart.New(c.Trace(), c.Profile().Lifecycle, chart.Options{Title: title})
	if err != nil {
		return err
	}
	// The chart is a gonum plot: change what you like before drawing.
	ch.Plot().X.Label.Text = "virtual time"
	return errors.Join(write(prefix+".svg", ch.WriteSVG), write(prefix+".png", ch.WritePNG))
}

func write(path string, draw func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := draw(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
