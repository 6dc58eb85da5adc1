package explain

import (
	"fmt"
	"time"
)

// Interval is a closed range of times [Lo, Hi]: what the rules allow when
// the kubelet's jitter, its loops' phases or the probe ticker's phase
// decide the exact moment. Lo == Hi is an exact time.
type Interval struct {
	Lo, Hi time.Duration
}

// At is the exact time d.
func At(d time.Duration) Interval { return Interval{d, d} }

// Between is [lo, hi].
func Between(lo, hi time.Duration) Interval { return Interval{lo, hi} }

// Add is the interval of a sum of a time in i and a time in j.
func (i Interval) Add(j Interval) Interval { return Interval{i.Lo + j.Lo, i.Hi + j.Hi} }

// Plus shifts the interval by d.
func (i Interval) Plus(d time.Duration) Interval { return Interval{i.Lo + d, i.Hi + d} }

// Hull is the smallest interval holding both.
func (i Interval) Hull(j Interval) Interval { return Interval{min(i.Lo, j.Lo), max(i.Hi, j.Hi)} }

// Max is the interval of the later of a time in i and a time in j.
func (i Interval) Max(j Interval) Interval { return Interval{max(i.Lo, j.Lo), max(i.Hi, j.Hi)} }

// Contains reports whether t is in the interval.
func (i Interval) Contains(t time.Duration) bool { return i.Lo <= t && t <= i.Hi }

// Width is Hi − Lo.
func (i Interval) Width() time.Duration { return i.Hi - i.Lo }

// String writes "35s" for an exact time and "32.4s–38.4s" for a range,
// rounded to 100 ms.
func (i Interval) String() string {
	if i.Lo == i.Hi {
		return fmtDuration(i.Lo)
	}
	return fmt.Sprintf("%s–%s", fmtDuration(i.Lo), fmtDuration(i.Hi))
}

// fmtDuration writes a duration rounded to 100 ms, as Go writes it.
func fmtDuration(d time.Duration) string {
	return d.Round(100 * time.Millisecond).String()
}

// compare says where a time in i lies against a threshold t: -1 if it is
// surely below t, +1 if surely at or above it, 0 if either may be.
func (i Interval) compare(t time.Duration) int {
	switch {
	case i.Hi < t:
		return -1
	case i.Lo >= t:
		return 1
	}
	return 0
}
