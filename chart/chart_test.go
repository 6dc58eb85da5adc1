package chart_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot/vg"

	"github.com/podsim/podsim/chart"
	"github.com/podsim/podsim/scenarios"
	"github.com/podsim/podsim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// run runs a bundled scenario to its end.
func run(t *testing.T, name string) *sim.Cluster {
	t.Helper()
	s, err := scenarios.Load(filepath.Join("..", "scenarios", name))
	require.NoError(t, err)
	c, err := s.Run(scenarios.Options{})
	require.NoError(t, err)
	return c
}

func svg(t *testing.T, c *sim.Cluster, opts chart.Options) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, chart.Write(&b, "svg", c.Trace(), c.Profile().Lifecycle, opts))
	return b.Bytes()
}

// embeddedFont is the font data vgsvg embeds, base64 in a data URL.
var embeddedFont = regexp.MustCompile(`url\(data:font/ttf;charset=utf-8;base64,([A-Za-z0-9+/=]+)\)`)

// withoutFontData replaces each embedded font by its size and SHA-256, so
// that the golden file stays small and readable in a diff while still
// pinning every byte: the hash is of the very bytes embedded.
func withoutFontData(t *testing.T, b []byte) []byte {
	t.Helper()
	n := 0
	out := embeddedFont.ReplaceAllFunc(b, func(m []byte) []byte {
		n++
		raw, err := base64.StdEncoding.DecodeString(string(embeddedFont.FindSubmatch(m)[1]))
		require.NoError(t, err)
		return fmt.Appendf(nil, "url(data:font/ttf;charset=utf-8;base64,<%d bytes, sha256 %x>)", len(raw), sha256.Sum256(raw))
	})
	require.Equal(t, 1, n, "the chart embeds its one font, Liberation Sans")
	return out
}

// The chart of seed 1b is the golden SVG, byte for byte (the font apart,
// pinned by its hash), and the same run after run. go test ./chart -update
// rewrites it; look at the picture before committing it.
func TestGoldenSVG(t *testing.T) {
	c := run(t, "1b-liveness.yaml")
	opts := chart.Options{Title: "1b-liveness.yaml: Kubernetes 1.25, seed 87"}
	first := svg(t, c, opts)
	for range 3 {
		require.True(t, bytes.Equal(first, svg(t, c, opts)), "drawing the same trace again gave other bytes")
		require.True(t, bytes.Equal(first, svg(t, run(t, "1b-liveness.yaml"), opts)), "running the scenario again gave other bytes")
	}
	got := withoutFontData(t, first)
	path := filepath.Join("testdata", "1b-liveness.svg")
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "go test ./chart -update writes it")
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("SVG differs from %s (-want +got):\n%s", path, diff)
	}
}

// A PNG is the same bytes every time, 1500 pixels wide (10 inches at 150
// dots per inch) and as tall as its lanes need.
func TestPNG(t *testing.T) {
	c := run(t, "status-init-errors.yaml")
	var a, b bytes.Buffer
	require.NoError(t, chart.Write(&a, "png", c.Trace(), c.Profile().Lifecycle, chart.Options{}))
	require.NoError(t, chart.Write(&b, "png", c.Trace(), c.Profile().Lifecycle, chart.Options{}))
	require.True(t, bytes.Equal(a.Bytes(), b.Bytes()))
	img, err := png.Decode(&a)
	require.NoError(t, err)
	ch, err := chart.New(c.Trace(), c.Profile().Lifecycle, chart.Options{})
	require.NoError(t, err)
	_, h := ch.Size()
	require.Equal(t, 1500, img.Bounds().Dx())
	require.Equal(t, int(float64(h/vg.Inch)*150+0.5), img.Bounds().Dy())
}

func TestWriteErrors(t *testing.T) {
	c := run(t, "1a-initial-delay.yaml")
	var b bytes.Buffer
	require.EqualError(t, chart.Write(&b, "pdf", c.Trace(), c.Profile().Lifecycle, chart.Options{}),
		`chart: unknown format "pdf": use svg or png`)
	require.ErrorIs(t, chart.Write(&b, "svg", c.Trace(), c.Profile().Lifecycle, chart.Options{Pods: []string{"nope"}}), chart.ErrNoPods)
	require.Zero(t, b.Len())
}

// Options.Pods keeps the lanes asked for: one lane is shorter than two.
func TestOnlySomePods(t *testing.T) {
	c := run(t, "status-init-errors.yaml")
	both, err := chart.New(c.Trace(), c.Profile().Lifecycle, chart.Options{})
	require.NoError(t, err)
	one, err := chart.New(c.Trace(), c.Profile().Lifecycle, chart.Options{Pods: []string{"init-fails"}})
	require.NoError(t, err)
	_, h2 := both.Size()
	_, h1 := one.Size()
	require.InDelta(t, 0.5, float64((h2-h1)/vg.Inch), 1e-9, "a lane is half an inch")
	require.Contains(t, string(svg(t, c, chart.Options{})), ">init-fails-never</text>")
	require.NotContains(t, string(svg(t, c, chart.Options{Pods: []string{"init-fails"}})), ">init-fails-never</text>")
}
