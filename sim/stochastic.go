package sim

import (
	"fmt"
	"maps"
	"slices"

	"github.com/podsim/podsim/stochastic"
)

// checkDistributions refuses an image's distribution whose parameters make
// no sense before anything is drawn from it (a bad one would panic in
// gonum). Images are checked in sorted order, so the error is always the
// same one.
func (e Environment) checkDistributions() error {
	for _, ref := range slices.Sorted(maps.Keys(e.Images)) {
		img := e.Images[ref]
		for _, d := range []struct {
			field string
			dist  stochastic.Duration
		}{{"pullTime", img.PullTime}, {"startTime", img.StartTime}, {"probeLatency", img.ProbeLatency}} {
			if d.dist == nil {
				continue
			}
			if err := d.dist.Check(); err != nil {
				return fmt.Errorf("images[%s].%s: %w", ref, d.field, err)
			}
		}
	}
	return nil
}

// distributionString is a distribution as the trace header shows it, ""
// for none.
func distributionString(d stochastic.Duration) string {
	if d == nil {
		return ""
	}
	return d.String()
}
