// Package stochastic describes durations that differ from one time to the
// next — how long an image pull takes, how long an application needs before
// its entrypoint gets to work, how long a probe waits for its answer — as
// probability distributions, and draws them with gonum's
// [gonum.org/v1/gonum/stat/distuv].
//
// It is pure, like podsim's policy packages: it holds no generator of its
// own and never reads a clock. Whoever draws passes the random source, and
// in a simulation that source is one of the engine's named streams
// (engine.Engine.Stream), so one seed gives one history:
//
//	d := stochastic.LogNormal{Median: 2 * time.Second, Sigma: 0.4}
//	pull := d.Draw(eng.Stream("image-pull/node-1/docker.io/library/centos:latest"))
//
// # Sources are explicit
//
// Every distuv value built here gets its Src from the caller. A distuv
// value whose Src is nil draws from math/rand/v2's global generator, which
// is seeded at random when the process starts: the run would differ every
// time. [Duration.Draw] therefore takes its source as an argument, and a nil
// source is a programming error that panics rather than silently using the
// global generator.
//
// # Units and bounds
//
// Parameters are written as people write durations ("2s", "250ms"); shape
// parameters such as LogNormal's Sigma are plain numbers. gonum works in
// float64 seconds; a draw is rounded to the nanosecond. A duration cannot be
// negative, so a draw below zero (a Normal far in its left tail) counts as
// 0, and a draw above [MaxDraw] (a heavy tail's outlier) counts as MaxDraw.
// Check reports parameters that make no sense (a Uniform whose Max is not
// above its Min, a Sigma that is not positive) before anything is drawn;
// Draw on a Duration that fails Check panics, as gonum does.
//
// # The distributions
//
//   - [Constant]: always the same value, for sweeping a fixed setting.
//   - [Uniform]: equally likely anywhere in [Min, Max).
//   - [Triangle]: from Min to Max, most likely near Mode.
//   - [Normal]: Mean ± StdDev.
//   - [LogNormal]: a positive, right-skewed duration given by its Median
//     and the Sigma of its logarithm — the usual model of service and
//     network latencies.
//   - [Exponential]: memoryless, with the given Mean.
//   - [Gamma]: Shape and Mean; Shape 1 is the Exponential.
//   - [Weibull]: Shape and Scale.
package stochastic
