package chart

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Sizes of the legend, a row of entries under the time axis.
const (
	thumbWidth  = 16  // points
	thumbHeight = 10  // points
	entryGap    = 14  // points between two entries
	legendRow   = 16  // points from one row to the next
	legendPad   = 6   // points above and below the rows
	legendSize  = 9.5 // font size
)

var legendStyle = text.Style{Color: black, Font: sans(legendSize), Handler: plot.DefaultTextHandler, YAlign: draw.YCenter}

// legendEntry is one thumbnail and what it means.
type legendEntry struct {
	label string
	thumb plot.Thumbnailer
}

// legend explains what the lanes show: the phases that occur, the Ready
// strip, and the marks that occur.
func (ls *lanes) legend() []legendEntry {
	var l []legendEntry
	for _, phase := range ls.phases {
		l = append(l, legendEntry{phase, band{phaseColor(phase), 0, 1}})
	}
	l = append(l, legendEntry{"Ready", band{readyColor, 0.3, 0.7}}, legendEntry{"not Ready", band{notReadyColor, 0.3, 0.7}})
	var restarts, warnings, normals, deleted bool
	for _, ln := range ls.lanes {
		restarts = restarts || len(ln.restarts) > 0
		warnings = warnings || len(ln.warnings) > 0
		normals = normals || len(ln.normals) > 0
		deleted = deleted || ln.intervals[len(ln.intervals)-1].Deleted
	}
	if restarts {
		l = append(l, legendEntry{"restart", restartMark{}})
	}
	if warnings {
		l = append(l, legendEntry{"Warning event", glyph{warningGlyph}})
	}
	if normals {
		l = append(l, legendEntry{"Normal event", glyph{normalGlyph}})
	}
	if deleted {
		l = append(l, legendEntry{"deleted", glyph{deletedGlyph}})
	}
	return l
}

// legendRows is how many rows the entries take on a line of width w.
func legendRows(entries []legendEntry, w vg.Length) int {
	rows, x := 1, vg.Length(0)
	for _, e := range entries {
		ew := entryWidth(e)
		if x > 0 && x+ew > w {
			rows, x = rows+1, 0
		}
		x += ew + vg.Points(entryGap)
	}
	return rows
}

func legendHeight(entries []legendEntry, w vg.Length) vg.Length {
	return vg.Points(float64(legendRows(entries, w))*legendRow + 2*legendPad)
}

func entryWidth(e legendEntry) vg.Length {
	return vg.Points(thumbWidth+4) + legendStyle.Width(e.label)
}

// drawLegend draws the entries in rows across c, centred, from its top.
func drawLegend(c draw.Canvas, entries []legendEntry) {
	w := c.Max.X - c.Min.X
	y := c.Max.Y - vg.Points(legendPad+legendRow/2)
	for len(entries) > 0 {
		n, rowWidth := 0, vg.Length(0)
		for n < len(entries) {
			ew := entryWidth(entries[n])
			if n > 0 && rowWidth+vg.Points(entryGap)+ew > w {
				break
			}
			if n > 0 {
				rowWidth += vg.Points(entryGap)
			}
			rowWidth += ew
			n++
		}
		x := c.Min.X + (w-rowWidth)/2
		for _, e := range entries[:n] {
			thumb := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: x, Y: y - vg.Points(thumbHeight/2)},
				Max: vg.Point{X: x + vg.Points(thumbWidth), Y: y + vg.Points(thumbHeight/2)},
			}}
			e.thumb.Thumbnail(&thumb)
			c.FillText(legendStyle, vg.Point{X: x + vg.Points(thumbWidth+4), Y: y}, e.label)
			x += entryWidth(e) + vg.Points(entryGap)
		}
		entries = entries[n:]
		y -= vg.Points(legendRow)
	}
}

// band is a legend thumbnail: a filled rectangle from low to high, in
// fractions of the thumbnail's height.
type band struct {
	color     color.Color
	low, high float64
}

func (b band) Thumbnail(c *draw.Canvas) {
	h := c.Max.Y - c.Min.Y
	fillRect(c, c.Min.X, c.Max.X, c.Min.Y+h*vg.Length(b.low), c.Min.Y+h*vg.Length(b.high), b.color)
}

// restartMark is the restart line, as a thumbnail.
type restartMark struct{}

func (restartMark) Thumbnail(c *draw.Canvas) {
	mid := (c.Min.X + c.Max.X) / 2
	c.StrokeLine2(restartStyle, mid, c.Min.Y, mid, c.Max.Y)
}

// glyph is a marker, as a thumbnail.
type glyph struct{ style draw.GlyphStyle }

func (g glyph) Thumbnail(c *draw.Canvas) { c.DrawGlyph(g.style, c.Center()) }
