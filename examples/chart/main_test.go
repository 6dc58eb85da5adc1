package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// The program writes an SVG and a PNG of the scenario, with the axis label
// it changed.
func TestWritesBothPictures(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "prestop")
	require.NoError(t, run(filepath.Join("..", "..", "scenarios", "1h-prestop.yaml"), prefix))

	svg, err := os.ReadFile(prefix + ".svg")
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(svg, []byte("<?xml")), "not an SVG")
	require.Contains(t, string(svg), ">virtual time</text>")
	require.Contains(t, string(svg), ">slow-prestop</text>")

	f, err := os.Open(prefix + ".png")
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	require.Equal(t, 1500, img.Bounds().Dx())
}

func TestBadFile(t *testing.T) {
	require.ErrorContains(t, run("no-such.yaml", filepath.Join(t.TempDir(), "x")), "no-such.yaml")
}
