package stochastic

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// Duration is a distribution of durations.
type Duration interface {
	// Draw returns one duration drawn with src, rounded to the nanosecond
	// and bounded to [0, MaxDraw]. It panics if src is nil (see the package
	// doc) or if the parameters fail Check.
	Draw(src rand.Source) time.Duration
	// Check reports the first parameter that makes no sense, as a
	// *ParamError, or nil.
	Check() error
	// String describes the distribution as a scenario file's flow YAML
	// writes it: "logNormal{median: 2s, sigma: 0.4}".
	String() string
}

// MaxDraw bounds every draw: a day is longer than anything a pod's
// lifecycle waits for, and far from time.Duration's limit.
const MaxDraw = 24 * time.Hour

// ParamError is a parameter that makes no sense.
type ParamError struct {
	// Param is the parameter's name as a scenario file writes it ("max").
	Param string
	// Value is the value as written ("1s").
	Value string
	// Reason says what the value must be.
	Reason string
}

// Error reads as a Kubernetes field error does:
// `max: Invalid value: "1s": must be greater than min (2s)`.
func (e *ParamError) Error() string {
	return fmt.Sprintf("%s: Invalid value: %q: %s", e.Param, e.Value, e.Reason)
}

func durationParam(name string, d time.Duration, reason string) error {
	return &ParamError{Param: name, Value: d.String(), Reason: reason}
}

func numberParam(name string, v float64, reason string) error {
	return &ParamError{Param: name, Value: strconv.FormatFloat(v, 'g', -1, 64), Reason: reason}
}

// positiveNumber checks a shape parameter: finite and above 0.
func positiveNumber(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return numberParam(name, v, "must be a number greater than 0")
	}
	return nil
}

func nonNegative(name string, d time.Duration) error {
	if d < 0 {
		return durationParam(name, d, "must not be negative")
	}
	return nil
}

func positive(name string, d time.Duration) error {
	if d <= 0 {
		return durationParam(name, d, "must be greater than 0")
	}
	return nil
}

// fromSeconds turns a draw in seconds into a duration within [0, MaxDraw].
func fromSeconds(s float64) time.Duration {
	switch {
	case math.IsNaN(s) || s <= 0:
		return 0
	case s >= MaxDraw.Seconds():
		return MaxDraw
	}
	return time.Duration(math.Round(s * float64(time.Second)))
}

// mustDraw refuses a nil source and bad parameters before gonum sees them.
func mustDraw(d Duration, src rand.Source) {
	if src == nil {
		panic("stochastic: Draw with a nil source would use math/rand's global generator; pass a seeded source")
	}
	if err := d.Check(); err != nil {
		panic(fmt.Sprintf("stochastic: %s: %v", d, err))
	}
}

// Constant is always Value.
type Constant struct {
	Value time.Duration
}

// Draw returns Value; it draws nothing from src.
func (c Constant) Draw(src rand.Source) time.Duration {
	mustDraw(c, src)
	return min(c.Value, MaxDraw)
}

// Check requires a Value of at least 0.
func (c Constant) Check() error { return nonNegative("value", c.Value) }

func (c Constant) String() string { return "constant " + c.Value.String() }

// Uniform is equally likely anywhere in [Min, Max).
type Uniform struct {
	Min, Max time.Duration
}

// Draw draws from distuv.Uniform.
func (u Uniform) Draw(src rand.Source) time.Duration {
	mustDraw(u, src)
	return fromSeconds(distuv.Uniform{Min: u.Min.Seconds(), Max: u.Max.Seconds(), Src: src}.Rand())
}

// Check requires 0 ≤ Min < Max.
func (u Uniform) Check() error {
	if err := nonNegative("min", u.Min); err != nil {
		return err
	}
	if u.Max <= u.Min {
		return durationParam("max", u.Max, fmt.Sprintf("must be greater than min (%v)", u.Min))
	}
	return nil
}

func (u Uniform) String() string { return fmt.Sprintf("uniform{min: %v, max: %v}", u.Min, u.Max) }

// Triangle ranges from Min to Max and is most likely at Mode.
type Triangle struct {
	Min, Mode, Max time.Duration
}

// Draw draws from distuv.Triangle.
func (t Triangle) Draw(src rand.Source) time.Duration {
	mustDraw(t, src)
	return fromSeconds(distuv.NewTriangle(t.Min.Seconds(), t.Max.Seconds(), t.Mode.Seconds(), src).Rand())
}

// Check requires 0 ≤ Min ≤ Mode ≤ Max and Min < Max.
func (t Triangle) Check() error {
	if err := nonNegative("min", t.Min); err != nil {
		return err
	}
	if t.Max <= t.Min {
		return durationParam("max", t.Max, fmt.Sprintf("must be greater than min (%v)", t.Min))
	}
	if t.Mode < t.Min || t.Mode > t.Max {
		return durationParam("mode", t.Mode, fmt.Sprintf("must be between min and max (%v to %v)", t.Min, t.Max))
	}
	return nil
}

func (t Triangle) String() string {
	return fmt.Sprintf("triangle{min: %v, mode: %v, max: %v}", t.Min, t.Mode, t.Max)
}

// Normal is Mean ± StdDev. A draw below 0 counts as 0, so keep Mean a few
// StdDevs above it.
type Normal struct {
	Mean, StdDev time.Duration
}

// Draw draws from distuv.Normal.
func (n Normal) Draw(src rand.Source) time.Duration {
	mustDraw(n, src)
	return fromSeconds(distuv.Normal{Mu: n.Mean.Seconds(), Sigma: n.StdDev.Seconds(), Src: src}.Rand())
}

// Check requires Mean ≥ 0 and StdDev > 0.
func (n Normal) Check() error {
	if err := nonNegative("mean", n.Mean); err != nil {
		return err
	}
	return positive("stddev", n.StdDev)
}

func (n Normal) String() string { return fmt.Sprintf("normal{mean: %v, stddev: %v}", n.Mean, n.StdDev) }

// LogNormal is a duration whose logarithm is normal: half the draws fall
// below Median, and Sigma (of the logarithm of the duration in seconds)
// sets how far the long right tail reaches — Sigma 0.5 puts the 95th
// percentile near 2.3 × Median.
type LogNormal struct {
	Median time.Duration
	Sigma  float64
}

// Draw draws from distuv.LogNormal with Mu = ln(Median in seconds).
func (l LogNormal) Draw(src rand.Source) time.Duration {
	mustDraw(l, src)
	return fromSeconds(distuv.LogNormal{Mu: math.Log(l.Median.Seconds()), Sigma: l.Sigma, Src: src}.Rand())
}

// Check requires Median > 0 and Sigma > 0.
func (l LogNormal) Check() error {
	if err := positive("median", l.Median); err != nil {
		return err
	}
	return positiveNumber("sigma", l.Sigma)
}

func (l LogNormal) String() string {
	return fmt.Sprintf("logNormal{median: %v, sigma: %s}", l.Median, strconv.FormatFloat(l.Sigma, 'g', -1, 64))
}

// Exponential is memoryless, with the given Mean.
type Exponential struct {
	Mean time.Duration
}

// Draw draws from distuv.Exponential with Rate = 1/Mean.
func (e Exponential) Draw(src rand.Source) time.Duration {
	mustDraw(e, src)
	return fromSeconds(distuv.Exponential{Rate: 1 / e.Mean.Seconds(), Src: src}.Rand())
}

// Check requires Mean > 0.
func (e Exponential) Check() error { return positive("mean", e.Mean) }

func (e Exponential) String() string { return fmt.Sprintf("exponential{mean: %v}", e.Mean) }

// Gamma has the given Shape and Mean; Shape 1 is the Exponential, and a
// larger Shape gathers the draws closer around the Mean.
type Gamma struct {
	Shape float64
	Mean  time.Duration
}

// Draw draws from distuv.Gamma with Alpha = Shape and rate Beta =
// Shape/Mean.
func (g Gamma) Draw(src rand.Source) time.Duration {
	mustDraw(g, src)
	return fromSeconds(distuv.Gamma{Alpha: g.Shape, Beta: g.Shape / g.Mean.Seconds(), Src: src}.Rand())
}

// Check requires Shape > 0 and Mean > 0.
func (g Gamma) Check() error {
	if err := positiveNumber("shape", g.Shape); err != nil {
		return err
	}
	return positive("mean", g.Mean)
}

func (g Gamma) String() string {
	return fmt.Sprintf("gamma{shape: %s, mean: %v}", strconv.FormatFloat(g.Shape, 'g', -1, 64), g.Mean)
}

// Weibull has the given Shape (k) and Scale (λ): Shape below 1 gives many
// short durations and a few very long ones, above 1 a peak near Scale.
type Weibull struct {
	Shape float64
	Scale time.Duration
}

// Draw draws from distuv.Weibull with K = Shape and Lambda = Scale.
func (w Weibull) Draw(src rand.Source) time.Duration {
	mustDraw(w, src)
	return fromSeconds(distuv.Weibull{K: w.Shape, Lambda: w.Scale.Seconds(), Src: src}.Rand())
}

// Check requires Shape > 0 and Scale > 0.
func (w Weibull) Check() error {
	if err := positiveNumber("shape", w.Shape); err != nil {
		return err
	}
	return positive("scale", w.Scale)
}

func (w Weibull) String() string {
	return fmt.Sprintf("weibull{shape: %s, scale: %v}", strconv.FormatFloat(w.Shape, 'g', -1, 64), w.Scale)
}
