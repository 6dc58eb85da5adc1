package chart

import (
	"math"
	"strings"
	"time"

	"gonum.org/v1/plot"
)

// tickSteps are the steps the time axis may use: the ones a person counts
// in, from a tenth of a second to a day.
var tickSteps = []time.Duration{
	100 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond,
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// maxTicks is the most labelled ticks on the time axis.
const maxTicks = 10

// durationTicks labels the time axis (in seconds) with durations as Go and
// kubectl write them: 30s, 1m30s, 2m, 1h.
type durationTicks struct{}

// Ticks implements plot.Ticker.
func (durationTicks) Ticks(min, max float64) []plot.Tick {
	step := tickStep(max - min)
	s := step.Seconds()
	var ticks []plot.Tick
	for i := math.Ceil(min / s); i*s <= max+s*1e-9; i++ {
		ticks = append(ticks, plot.Tick{Value: i * s, Label: formatDuration(time.Duration(i) * step)})
	}
	return ticks
}

// tickStep is the smallest step that gives at most maxTicks ticks over a
// span of seconds.
func tickStep(span float64) time.Duration {
	for _, step := range tickSteps {
		if span/step.Seconds() < maxTicks {
			return step
		}
	}
	last := tickSteps[len(tickSteps)-1]
	return last * time.Duration(math.Ceil(span/last.Seconds()/maxTicks))
}

// formatDuration writes d as Go does, without the zero units Go keeps
// after a larger one: "2m" for 2m0s, "1h" for 1h0m0s, "1h30m" for 1h30m0s.
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
