package chart

import (
	"image/color"
	"time"

	corev1 "k8s.io/api/core/v1"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Where things sit in a lane, in lane units around its centre (lanes are
// one unit apart).
const (
	bandLow, bandHigh   = -0.24, 0.22
	readyLow, readyHigh = 0.27, 0.37
	eventsAt            = -0.36
)

// Colours: the Okabe–Ito palette, which colour-blind readers can tell
// apart, for the phases; black and greys for the rest.
var (
	phaseColors = map[corev1.PodPhase]color.Color{
		corev1.PodPending:   rgb(0xf0, 0xe4, 0x42), // yellow
		corev1.PodRunning:   rgb(0x56, 0xb4, 0xe9), // sky blue
		corev1.PodSucceeded: rgb(0x00, 0x9e, 0x73), // bluish green
		corev1.PodFailed:    rgb(0xd5, 0x5e, 0x00), // vermilion
	}
	unknownColor  = rgb(0x99, 0x99, 0x99)
	readyColor    = rgb(0x22, 0x22, 0x22)
	notReadyColor = rgb(0xe4, 0xe4, 0xe4)
	warningColor  = rgb(0xe6, 0x9f, 0x00) // orange
	normalColor   = rgb(0x80, 0x80, 0x80)
	black         = color.Black
)

func rgb(r, g, b uint8) color.Color { return color.RGBA{R: r, G: g, B: b, A: 0xff} }

func phaseColor(phase string) color.Color {
	if c, ok := phaseColors[corev1.PodPhase(phase)]; ok {
		return c
	}
	return unknownColor
}

var (
	restartStyle = draw.LineStyle{Color: black, Width: vg.Points(1.5)}
	warningGlyph = draw.GlyphStyle{Color: warningColor, Radius: vg.Points(3.4), Shape: draw.PyramidGlyph{}}
	normalGlyph  = draw.GlyphStyle{Color: normalColor, Radius: vg.Points(1.6), Shape: draw.CircleGlyph{}}
	deletedGlyph = draw.GlyphStyle{Color: black, Radius: vg.Points(3), Shape: draw.BoxGlyph{}}
	statusStyle  = text.Style{Color: black, Font: sans(8), Handler: plot.DefaultTextHandler, YAlign: draw.YCenter}
)

// DataRange implements plot.DataRanger: all of time, all lanes.
func (ls *lanes) DataRange() (xmin, xmax, ymin, ymax float64) {
	end := seconds(ls.end)
	if end <= 0 {
		end = 1
	}
	return 0, end, -0.5, float64(len(ls.lanes)) - 0.5
}

// ticks name the lanes on the Y axis.
func (ls *lanes) ticks() plot.ConstantTicks {
	ticks := make(plot.ConstantTicks, len(ls.lanes))
	for i, ln := range ls.lanes {
		ticks[i] = plot.Tick{Value: ls.y(i), Label: ln.label}
	}
	return ticks
}

// Plot implements plot.Plotter.
func (ls *lanes) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x := func(d time.Duration) vg.Length { return trX(seconds(d)) }
	for i, ln := range ls.lanes {
		y := func(offset float64) vg.Length { return trY(ls.y(i) + offset) }
		for _, iv := range ln.intervals {
			fillRect(&c, x(iv.From), x(iv.To), y(bandLow), y(bandHigh), phaseColor(iv.Phase))
			ready := notReadyColor
			if iv.PodReady {
				ready = readyColor
			}
			fillRect(&c, x(iv.From), x(iv.To), y(readyLow), y(readyHigh), ready)
		}
		ls.statusLabels(&c, ln, x, y(0))
		for _, t := range ln.restarts {
			c.StrokeLine2(restartStyle, x(t), y(bandLow), x(t), y(bandHigh))
		}
		for _, t := range ln.normals {
			c.DrawGlyph(normalGlyph, vg.Point{X: x(t), Y: y(eventsAt)})
		}
		for _, t := range ln.warnings {
			c.DrawGlyph(warningGlyph, vg.Point{X: x(t), Y: y(eventsAt)})
		}
		if last := ln.intervals[len(ln.intervals)-1]; last.Deleted {
			c.DrawGlyph(deletedGlyph, vg.Point{X: x(last.To), Y: y(0)})
		}
	}
}

// statusLabels writes STATUS in the band where it changes, when the text
// fits before the next change.
func (ls *lanes) statusLabels(c *draw.Canvas, ln lane, x func(time.Duration) vg.Length, mid vg.Length) {
	pad := vg.Points(3)
	for i := 0; i < len(ln.intervals); {
		j := i + 1
		for j < len(ln.intervals) && ln.intervals[j].Status == ln.intervals[i].Status {
			j++
		}
		from, to := x(ln.intervals[i].From), x(ln.intervals[j-1].To)
		label := ln.intervals[i].Status
		if to-from >= statusStyle.Width(label)+2*pad {
			c.FillText(statusStyle, vg.Point{X: from + pad, Y: mid}, label)
		}
		i = j
	}
}

func fillRect(c *draw.Canvas, x0, x1, y0, y1 vg.Length, col color.Color) {
	if x1 <= x0 {
		return
	}
	c.FillPolygon(col, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
}
