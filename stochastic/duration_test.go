package stochastic

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    Duration
		want string // "" for valid
	}{
		{"constant", Constant{2 * time.Second}, ""},
		{"constant zero", Constant{0}, ""},
		{"constant negative", Constant{-time.Second}, `value: Invalid value: "-1s": must not be negative`},
		{"uniform", Uniform{Min: time.Second, Max: 3 * time.Second}, ""},
		{"uniform from zero", Uniform{Max: time.Second}, ""},
		{"uniform empty", Uniform{Min: 2 * time.Second, Max: 2 * time.Second}, `max: Invalid value: "2s": must be greater than min (2s)`},
		{"uniform negative min", Uniform{Min: -time.Second, Max: time.Second}, `min: Invalid value: "-1s": must not be negative`},
		{"triangle", Triangle{Min: 0, Mode: time.Second, Max: 4 * time.Second}, ""},
		{"triangle mode at max", Triangle{Min: 0, Mode: time.Second, Max: time.Second}, ""},
		{"triangle mode outside", Triangle{Min: time.Second, Mode: 0, Max: 4 * time.Second}, `mode: Invalid value: "0s": must be between min and max (1s to 4s)`},
		{"triangle reversed", Triangle{Min: 4 * time.Second, Mode: 4 * time.Second, Max: time.Second}, `max: Invalid value: "1s": must be greater than min (4s)`},
		{"normal", Normal{Mean: time.Second, StdDev: 100 * time.Millisecond}, ""},
		{"normal no spread", Normal{Mean: time.Second}, `stddev: Invalid value: "0s": must be greater than 0`},
		{"normal negative mean", Normal{Mean: -time.Second, StdDev: time.Second}, `mean: Invalid value: "-1s": must not be negative`},
		{"lognormal", LogNormal{Median: 2 * time.Second, Sigma: 0.5}, ""},
		{"lognormal zero median", LogNormal{Sigma: 0.5}, `median: Invalid value: "0s": must be greater than 0`},
		{"lognormal zero sigma", LogNormal{Median: time.Second}, `sigma: Invalid value: "0": must be a number greater than 0`},
		{"lognormal NaN sigma", LogNormal{Median: time.Second, Sigma: math.NaN()}, `sigma: Invalid value: "NaN": must be a number greater than 0`},
		{"lognormal infinite sigma", LogNormal{Median: time.Second, Sigma: math.Inf(1)}, `sigma: Invalid value: "+Inf": must be a number greater than 0`},
		{"exponential", Exponential{Mean: time.Second}, ""},
		{"exponential zero", Exponential{}, `mean: Invalid value: "0s": must be greater than 0`},
		{"gamma", Gamma{Shape: 2, Mean: time.Second}, ""},
		{"gamma bad shape", Gamma{Shape: -1, Mean: time.Second}, `shape: Invalid value: "-1": must be a number greater than 0`},
		{"gamma zero mean", Gamma{Shape: 2}, `mean: Invalid value: "0s": must be greater than 0`},
		{"weibull", Weibull{Shape: 1.5, Scale: time.Second}, ""},
		{"weibull zero scale", Weibull{Shape: 1.5}, `scale: Invalid value: "0s": must be greater than 0`},
		{"weibull zero shape", Weibull{Scale: time.Second}, `shape: Invalid value: "0": must be a number greater than 0`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.d.Check()
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, tc.want)
			require.PanicsWithValue(t, "stochastic: "+tc.d.String()+": "+tc.want, func() { tc.d.Draw(rand.NewPCG(1, 2)) })
		})
	}
}

// draws returns n draws of d from one seeded source, sorted.
func draws(d Duration, seed uint64, n int) []float64 {
	src := rand.NewPCG(seed, 99)
	out := make([]float64, n)
	for i := range out {
		out[i] = d.Draw(src).Seconds()
	}
	slices.Sort(out)
	return out
}

// Each distribution has the location and spread its parameters say, within
// what 20,000 draws allow. The source is seeded, so the test cannot flake:
// it either always passes or always fails.
func TestDrawsFollowTheDistribution(t *testing.T) {
	const n = 20_000
	for _, tc := range []struct {
		name           string
		d              Duration
		mean, median   float64 // in seconds; NaN skips
		lo, hi         float64 // every draw within [lo, hi]
		meanTolerance  float64
		medianTolerace float64
	}{
		{"constant", Constant{1500 * time.Millisecond}, 1.5, 1.5, 1.5, 1.5, 0, 0},
		{"uniform", Uniform{Min: time.Second, Max: 3 * time.Second}, 2, 2, 1, 3, 0.02, 0.03},
		{"triangle", Triangle{Min: 0, Mode: time.Second, Max: 2 * time.Second}, 1, 1, 0, 2, 0.02, 0.02},
		{"normal", Normal{Mean: 10 * time.Second, StdDev: time.Second}, 10, 10, 5, 15, 0.03, 0.03},
		{"lognormal", LogNormal{Median: 2 * time.Second, Sigma: 0.5}, 2 * math.Exp(0.125), 2, 0, 30, 0.03, 0.03},
		{"exponential", Exponential{Mean: time.Second}, 1, math.Ln2, 0, 20, 0.03, 0.03},
		{"gamma", Gamma{Shape: 4, Mean: 2 * time.Second}, 2, math.NaN(), 0, 20, 0.03, 0},
		{"weibull", Weibull{Shape: 1, Scale: time.Second}, 1, math.Ln2, 0, 20, 0.03, 0.03},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := draws(tc.d, 1, n)
			require.InDelta(t, tc.mean, stat.Mean(x, nil), tc.meanTolerance)
			if !math.IsNaN(tc.median) {
				require.InDelta(t, tc.median, stat.Quantile(0.5, stat.Empirical, x, nil), tc.medianTolerace)
			}
			require.GreaterOrEqual(t, x[0], tc.lo)
			require.LessOrEqual(t, x[n-1], tc.hi)
		})
	}
}

// The same source gives the same draws; another seed gives others.
func TestDrawsAreDeterministic(t *testing.T) {
	d := LogNormal{Median: time.Second, Sigma: 1}
	require.Equal(t, draws(d, 7, 100), draws(d, 7, 100))
	require.NotEqual(t, draws(d, 7, 100), draws(d, 8, 100))
}

// A draw is never negative and never beyond MaxDraw, and it is rounded to
// the nanosecond.
func TestDrawBounds(t *testing.T) {
	src := rand.NewPCG(3, 4)
	for range 1000 {
		d := Normal{Mean: 0, StdDev: time.Second}.Draw(src)
		require.GreaterOrEqual(t, d, time.Duration(0))
	}
	require.Equal(t, MaxDraw, Constant{48 * time.Hour}.Draw(src))
	require.Equal(t, MaxDraw, LogNormal{Median: 23 * time.Hour, Sigma: 40}.Draw(rand.NewPCG(1, 1)))
	require.Equal(t, time.Duration(0), fromSeconds(math.NaN()))
	require.Equal(t, 1500*time.Millisecond, fromSeconds(1.5))
	require.Equal(t, time.Duration(1), fromSeconds(0.6e-9))
}

// A nil source would fall back to math/rand's global generator, seeded
// at random: that is refused.
func TestDrawRefusesANilSource(t *testing.T) {
	require.PanicsWithValue(t, "stochastic: Draw with a nil source would use math/rand's global generator; pass a seeded source",
		func() { Exponential{Mean: time.Second}.Draw(nil) })
}

func TestString(t *testing.T) {
	for _, tc := range []struct {
		d    Duration
		want string
	}{
		{Constant{2 * time.Second}, "constant 2s"},
		{Uniform{Min: time.Second, Max: 3 * time.Second}, "uniform{min: 1s, max: 3s}"},
		{Triangle{Min: 0, Mode: time.Second, Max: 2 * time.Second}, "triangle{min: 0s, mode: 1s, max: 2s}"},
		{Normal{Mean: time.Second, StdDev: 250 * time.Millisecond}, "normal{mean: 1s, stddev: 250ms}"},
		{LogNormal{Median: 2 * time.Second, Sigma: 0.4}, "logNormal{median: 2s, sigma: 0.4}"},
		{Exponential{Mean: 50 * time.Millisecond}, "exponential{mean: 50ms}"},
		{Gamma{Shape: 2, Mean: time.Second}, "gamma{shape: 2, mean: 1s}"},
		{Weibull{Shape: 1.5, Scale: time.Second}, "weibull{shape: 1.5, scale: 1s}"},
	} {
		require.Equal(t, tc.want, tc.d.String())
	}
}
