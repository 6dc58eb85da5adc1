package engine

import (
	"hash/fnv"
	"math/rand/v2"
)

// Source is the generator of the named stream, as a value the caller keeps:
// the same draws as Stream(name) would give, but not remembered by the
// engine. A stream per short-lived object (a pod's resync jitter) kept in
// the object itself costs 16 bytes and goes away with it, where Stream's
// map would keep one entry per name for the whole run.
func (e *Engine) Source(name string) rand.PCG {
	h := fnv.New64a()
	h.Write([]byte(name))
	return *rand.NewPCG(e.seed, h.Sum64())
}

// Float64 is rand.Rand.Float64 drawn from src: a float64 in [0, 1).
func Float64(src *rand.PCG) float64 {
	// math/rand/v2 rand.go (*Rand).Float64.
	return float64(src.Uint64()<<11>>11) / (1 << 53)
}
