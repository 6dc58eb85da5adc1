package trace

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/api/resource"
)

// sample has a field of every kind the delta walk meets.
type sample struct {
	Name string
	F    float64
	B    bool
	U    uint8
	T    time.Time
	M    map[string]string
	I    any
	A    [2]int
	In   inner
	PI   *inner
	Ls   []inner
	PP   **int
	Q    resource.Quantity
	PQ   *resource.Quantity
}

type inner struct {
	N int32
	S string
	P *int64
	L []string
}

func (in inner) clone() inner {
	if in.P != nil {
		p := *in.P
		in.P = &p
	}
	if in.L != nil {
		in.L = slices.Clone(in.L)
	}
	return in
}

func (s *sample) clone() *sample {
	c := *s
	if s.M != nil {
		c.M = map[string]string{}
		for k, v := range s.M {
			c.M[k] = v
		}
	}
	c.In = s.In.clone()
	if s.PI != nil {
		pi := s.PI.clone()
		c.PI = &pi
	}
	if s.Ls != nil {
		c.Ls = make([]inner, len(s.Ls))
		for i, in := range s.Ls {
			c.Ls[i] = in.clone()
		}
	}
	if s.PP != nil {
		p := new(int)
		if *s.PP != nil {
			*p = **s.PP
		} else {
			p = nil
		}
		c.PP = &p
	}
	c.Q = s.Q.DeepCopy()
	if s.PQ != nil {
		q := s.PQ.DeepCopy()
		c.PQ = &q
	}
	return &c
}

// exact compares everything, unexported fields too, NaN equal to NaN,
// times by instant, monotonic reading and location.
var exact = []cmp.Option{
	cmp.Exporter(func(reflect.Type) bool { return true }),
	cmpopts.EquateNaNs(),
	cmp.Comparer(func(a, b time.Time) bool { return a == b }),
}

var elsewhere = time.FixedZone("elsewhere", 3600)

// mutations change one thing each, including the changes a lax
// comparison misses: nil against empty, the same instant in another
// location, NaN.
var mutations = []func(s *sample, r *rand.Rand){
	func(s *sample, r *rand.Rand) { s.Name = string(rune('a' + r.IntN(26))) },
	func(s *sample, r *rand.Rand) { s.F = r.Float64() },
	func(s *sample, _ *rand.Rand) { s.F = math.NaN() },
	func(s *sample, _ *rand.Rand) { s.F = math.Copysign(0, -1) },
	func(s *sample, _ *rand.Rand) { s.F = 0 },
	func(s *sample, _ *rand.Rand) { s.B = !s.B },
	func(s *sample, _ *rand.Rand) { s.U++ },
	func(s *sample, _ *rand.Rand) { s.T = s.T.Add(time.Second) },
	func(s *sample, _ *rand.Rand) { s.T = s.T.In(elsewhere) },
	func(s *sample, _ *rand.Rand) { s.T = s.T.UTC() },
	func(s *sample, r *rand.Rand) {
		if s.M == nil {
			s.M = map[string]string{}
		}
		s.M[string(rune('a'+r.IntN(3)))] = "v"
	},
	func(s *sample, _ *rand.Rand) { s.M = nil },
	func(s *sample, _ *rand.Rand) { s.M = map[string]string{} },
	func(s *sample, r *rand.Rand) { s.I = r.IntN(3) },
	func(s *sample, _ *rand.Rand) { s.I = "x" },
	func(s *sample, _ *rand.Rand) { s.I = nil },
	func(s *sample, _ *rand.Rand) { s.I = &inner{N: 1} },
	func(s *sample, _ *rand.Rand) { s.A[1]++ },
	func(s *sample, _ *rand.Rand) { s.In.N++ },
	func(s *sample, r *rand.Rand) { s.In.S = string(rune('a' + r.IntN(26))) },
	func(s *sample, r *rand.Rand) {
		s.In.S = "a string long enough to be kept once " + string(rune('a'+r.IntN(3)))
	},
	func(s *sample, _ *rand.Rand) { s.In.P = nil },
	func(s *sample, r *rand.Rand) { v := r.Int64N(3); s.In.P = &v },
	func(s *sample, _ *rand.Rand) { s.In.L = nil },
	func(s *sample, _ *rand.Rand) { s.In.L = []string{} },
	func(s *sample, r *rand.Rand) { s.In.L = append(s.In.L, string(rune('a'+r.IntN(26)))) },
	func(s *sample, r *rand.Rand) {
		if len(s.In.L) > 0 {
			s.In.L[r.IntN(len(s.In.L))] = "changed"
		}
	},
	func(s *sample, _ *rand.Rand) { s.PI = nil },
	func(s *sample, _ *rand.Rand) { s.PI = &inner{} },
	func(s *sample, _ *rand.Rand) {
		if s.PI != nil {
			s.PI.N++
		}
	},
	func(s *sample, r *rand.Rand) {
		if s.PI != nil {
			v := r.Int64N(3)
			s.PI.P = &v
		}
	},
	func(s *sample, _ *rand.Rand) { s.Ls = append(s.Ls, inner{S: "new"}) },
	func(s *sample, _ *rand.Rand) { s.Ls = nil },
	func(s *sample, r *rand.Rand) {
		if len(s.Ls) > 0 {
			s.Ls[r.IntN(len(s.Ls))].N++
		}
	},
	func(s *sample, r *rand.Rand) {
		if len(s.Ls) > 0 {
			s.Ls[r.IntN(len(s.Ls))].L = []string{"x"}
		}
	},
	func(s *sample, _ *rand.Rand) { s.PP = nil },
	func(s *sample, r *rand.Rand) { v := r.IntN(3); p := &v; s.PP = &p },
	func(s *sample, _ *rand.Rand) {
		if s.PP != nil && *s.PP != nil {
			**s.PP++
		}
	},
	func(s *sample, _ *rand.Rand) { s.Q = resource.MustParse("100m") },
	func(s *sample, r *rand.Rand) { s.Q = *resource.NewQuantity(r.Int64N(5), resource.BinarySI) },
	func(s *sample, _ *rand.Rand) { q := resource.MustParse("1Gi"); s.PQ = &q },
	func(s *sample, _ *rand.Rand) { s.PQ = nil },
}

// versions makes n versions of a sample, each a changed copy of the one
// before (some changed in several ways, some not at all).
func versions(seed uint64, n int) []*sample {
	r := rand.New(rand.NewPCG(seed, 1))
	cur := &sample{T: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	out := []*sample{cur}
	for len(out) < n {
		next := cur.clone()
		for range r.IntN(4) {
			mutations[r.IntN(len(mutations))](next, r)
		}
		out = append(out, next)
		cur = next
	}
	return out
}

// Every version of an object kept in a history is rebuilt deeply equal to
// what was added, read in order, backwards or at random; rebuilding one
// version changes no other.
func TestHistoryRebuildsEveryVersion(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		vs := versions(seed, 3*keyframeEvery+7)
		o := &object{}
		var d differ
		for i, v := range vs {
			require.Equal(t, i, o.add(v, &d))
		}
		require.Greater(t, len(o.h.ops), len(vs), "versions were kept as deltas")
		require.Len(t, o.h.keys, len(vs)/keyframeEvery+1, "one version in keyframeEvery kept whole")
		order := map[string][]int{"in order": {}, "backwards": {}, "at random": {}}
		for i := range vs {
			order["in order"] = append(order["in order"], i)
			order["backwards"] = append(order["backwards"], len(vs)-1-i)
		}
		order["at random"] = rand.New(rand.NewPCG(seed, 2)).Perm(len(vs))
		for name, idx := range order {
			t.Run(name, func(t *testing.T) {
				var held []*sample
				var copies []*sample
				for _, i := range idx {
					got := o.at(i, &d).(*sample)
					require.Empty(t, cmp.Diff(vs[i], got, exact...), "seed %d version %d", seed, i)
					if len(held) < 40 {
						held, copies = append(held, got), append(copies, got.clone())
					}
				}
				for i := range held {
					require.Empty(t, cmp.Diff(copies[i], held[i], exact...), "a rebuilt version changed when others were rebuilt")
				}
			})
		}
	}
}

// What the walk records: one operation per change, at the innermost
// field that changed; whole values where nil-ness or length changed; no
// operation for equal values, even at different addresses.
func TestDifferRecordsOneOperationPerChange(t *testing.T) {
	base := &sample{T: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), In: inner{L: []string{"a"}}, Ls: []inner{{N: 1}, {N: 2}}}
	tests := []struct {
		name   string
		change func(s *sample)
		ops    int
		kept   []any // the values kept as they are, not written out
	}{
		{"nothing", func(*sample) {}, 0, nil},
		{"a string", func(s *sample) { s.Name = "x" }, 1, nil},
		{"a long string", func(s *sample) { s.Name = "containerd://0bd5bb0982583e4a" }, 1, nil},
		{"a slice element's field", func(s *sample) { s.Ls[1].N = 5 }, 1, nil},
		{"a slice's length", func(s *sample) { s.In.L = append(s.In.L, "b") }, 1, []any{[]string{"a", "b"}}},
		{"empty for nil", func(s *sample) { s.Ls = []inner{} }, 1, []any{[]inner{}}},
		{"nil for empty", func(s *sample) { s.In.L = nil }, 1, nil},
		{"the same instant elsewhere", func(s *sample) { s.T = s.T.In(elsewhere) }, 1, nil},
		{"minus zero", func(s *sample) { s.F = math.Copysign(0, -1) }, 1, nil},
		{"a pointer set: a new struct, filled in", func(s *sample) { s.PI = &inner{N: 3, S: "x"} }, 3, nil},
		{"a pointer to a new pointer", func(s *sample) { v := 5; p := &v; s.PP = &p }, 3, nil},
		{"a map", func(s *sample) { s.M = map[string]string{} }, 1, []any{map[string]string{}}},
		{"an interface", func(s *sample) { s.I = 3 }, 1, []any{3}},
		{"a quantity", func(s *sample) { s.Q = resource.MustParse("1") }, 1, []any{resource.MustParse("1")}},
		{"two fields", func(s *sample) { s.B = true; s.In.N = 7 }, 2, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			next := base.clone()
			tc.change(next)
			var d differ
			d.walk(shapeOf(reflect.TypeFor[sample]()), reflect.ValueOf(base).UnsafePointer(), reflect.ValueOf(next).UnsafePointer())
			require.False(t, d.whole)
			require.Equal(t, tc.ops, d.n)
			require.Equal(t, tc.kept, d.vals)
			got := apply(reflect.ValueOf(base), d.ops, d.vals, &d).Interface().(*sample)
			require.Empty(t, cmp.Diff(next, got, exact...))
		})
	}
}

// A version that changes more than maxDeltaOps fields is kept whole.
func TestHistoryKeepsARewriteWhole(t *testing.T) {
	a := &sample{Ls: make([]inner, maxDeltaOps+1)}
	b := a.clone()
	for i := range b.Ls {
		b.Ls[i].N = 1
	}
	o := &object{}
	var d differ
	o.add(a, &d)
	o.add(b, &d)
	require.Len(t, o.h.keys, 2)
	require.Empty(t, o.h.ops)
	require.Same(t, b, o.at(1, &d))
}
