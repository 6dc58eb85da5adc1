package chart

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/trace"
)

// MaxPods is the most lanes a chart draws. Past it a chart is no longer
// read at a glance; choose pods with Options.Pods.
const MaxPods = 100

// Sizes of the picture.
const (
	width       = 10 * vg.Inch
	laneHeight  = 0.5 * vg.Inch
	frameHeight = 1.05 * vg.Inch // title, time axis and its label, margins
	pngDPI      = 150
)

// Options choose what a chart shows.
type Options struct {
	// Title is written above the lanes; "" for none.
	Title string
	// Pods keeps only the pods of these names; empty keeps all.
	Pods []string
}

// ErrNoPods is returned for a trace with no pod records to draw.
var ErrNoPods = errors.New("chart: the trace has no pods to draw")

// Chart is a trace laid out as lanes, ready to draw.
type Chart struct {
	plot   *plot.Plot
	legend []legendEntry
	height vg.Length
}

// sans is the Liberation Sans font that gonum carries, at a size in
// points: easier to read at small sizes than gonum's default serif.
func sans(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
}

// New lays out a chart of the trace. rules are the printing rules of the
// trace's Kubernetes version: STATUS, READY and RESTARTS follow them.
func New(t *trace.Trace, rules lifecycle.Rules, opts Options) (*Chart, error) {
	ls := buildLanes(t, rules, opts.Pods)
	switch {
	case len(ls.lanes) == 0:
		return nil, ErrNoPods
	case len(ls.lanes) > MaxPods:
		return nil, fmt.Errorf("chart: %d pods are too many to read at a glance (at most %d): choose some", len(ls.lanes), MaxPods)
	}
	p := plot.New()
	p.Title.Text = opts.Title
	p.Title.Padding = vg.Points(6)
	p.Title.TextStyle.Font = sans(12)
	p.X.Label.Text = "time since the start of the run"
	p.X.Label.TextStyle.Font = sans(10)
	p.X.Tick.Label.Font = sans(9)
	p.X.Tick.Marker = durationTicks{}
	p.Y.Tick.Marker = ls.ticks()
	p.Y.Tick.Label.Font = sans(10)
	p.Y.Tick.Length = 0
	p.Y.LineStyle.Width = 0
	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil
	grid.Vertical.Color = color.Gray{Y: 0xd8}
	p.Add(grid, ls)

	c := &Chart{plot: p, legend: ls.legend()}
	c.height = frameHeight + vg.Length(len(ls.lanes))*laneHeight + legendHeight(c.legend, width)
	return c, nil
}

// Plot is the gonum plot of the lanes, without the legend, for a program
// that wants to change it before drawing (axis labels, title style).
func (c *Chart) Plot() *plot.Plot { return c.plot }

// Size is the size of the picture: 10 inches wide, half an inch per lane
// and room for the title, the time axis and the legend.
func (c *Chart) Size() (w, h vg.Length) { return width, c.height }

// Draw draws the chart on a canvas of Size: the lanes, and the legend under
// them.
func (c *Chart) Draw(dc draw.Canvas) {
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	lh := legendHeight(c.legend, dc.Max.X-dc.Min.X)
	c.plot.Draw(draw.Crop(dc, 0, 0, lh, 0))
	drawLegend(draw.Crop(dc, 0, 0, 0, -(dc.Max.Y-dc.Min.Y-lh)), c.legend)
}

// WriteSVG writes the chart as SVG with its font embedded.
func (c *Chart) WriteSVG(w io.Writer) error {
	w0, h0 := c.Size()
	canvas := vgsvg.NewWith(vgsvg.UseWH(w0, h0), vgsvg.EmbedFonts(true))
	c.Draw(draw.New(canvas))
	_, err := canvas.WriteTo(w)
	return err
}

// WritePNG writes the chart as PNG, at 150 dots per inch.
func (c *Chart) WritePNG(w io.Writer) error {
	w0, h0 := c.Size()
	canvas := vgimg.NewWith(vgimg.UseWH(w0, h0), vgimg.UseDPI(pngDPI))
	c.Draw(draw.New(canvas))
	_, err := vgimg.PngCanvas{Canvas: canvas}.WriteTo(w)
	return err
}

// Formats are the picture formats of Write.
var Formats = []string{"svg", "png"}

// Write draws the trace in format ("svg" or "png").
func Write(w io.Writer, format string, t *trace.Trace, rules lifecycle.Rules, opts Options) error {
	if !slices.Contains(Formats, format) {
		return fmt.Errorf("chart: unknown format %q: use svg or png", format)
	}
	c, err := New(t, rules, opts)
	if err != nil {
		return err
	}
	if format == "png" {
		return c.WritePNG(w)
	}
	return c.WriteSVG(w)
}
