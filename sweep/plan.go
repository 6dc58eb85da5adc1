package sweep

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Seeds are the seeds each point of the grid runs with: First, First+1, …,
// First+Count−1.
type Seeds struct {
	First uint64 `json:"first"`
	Count int    `json:"count"`
}

// Last is the last seed.
func (s Seeds) Last() uint64 { return s.First + uint64(s.Count) - 1 }

// Param is one dimension of the grid: a field of the scenario file and the
// values it takes, as YAML ("5", "2s", "{min: 0s, max: 5s}").
type Param struct {
	// Name is how tables and results call the dimension: the last key of
	// Path ("periodSeconds"), or Path itself when two dimensions would
	// share a name.
	Name string `json:"name"`
	// Path says which field (see ParseSet).
	Path   string   `json:"path"`
	Values []string `json:"values"`
}

// Plan is a sweep: a scenario file, run once for every seed at every point
// of a grid. Runs are numbered point by point, seed by seed: run i is point
// i / Seeds.Count with seed Seeds.First + i % Seeds.Count. Every point runs
// the same seeds, so two points differ only in their parameters (common
// random numbers).
type Plan struct {
	// File names the scenario file in results and errors.
	File string
	// Data is the file's content.
	Data  []byte
	Seeds Seeds
	// Grid is the cartesian product of its Params, the first varying
	// slowest; an empty Grid is one point, the file as it is.
	Grid []Param
}

// Points is the number of points of the grid.
func (p *Plan) Points() int {
	n := 1
	for _, g := range p.Grid {
		n *= len(g.Values)
	}
	return n
}

// Runs is the number of runs of the whole sweep.
func (p *Plan) Runs() int { return p.Points() * p.Seeds.Count }

// Point returns the values of point i, one per Param.
func (p *Plan) Point(i int) []string {
	vals := make([]string, len(p.Grid))
	for d := len(p.Grid) - 1; d >= 0; d-- {
		n := len(p.Grid[d].Values)
		vals[d] = p.Grid[d].Values[i%n]
		i /= n
	}
	return vals
}

// Run returns the point and the seed of run i.
func (p *Plan) Run(i int) (point int, seed uint64) {
	return i / p.Seeds.Count, p.Seeds.First + uint64(i%p.Seeds.Count)
}

// Check reports a plan that cannot run.
func (p *Plan) Check() error {
	if p.Seeds.Count < 1 {
		return fmt.Errorf("seeds: %d: must be at least 1", p.Seeds.Count)
	}
	if p.Seeds.Last() < p.Seeds.First {
		return fmt.Errorf("seeds: %d from %d go past the largest seed", p.Seeds.Count, p.Seeds.First)
	}
	for _, g := range p.Grid {
		if len(g.Values) == 0 {
			return fmt.Errorf("%s: no values", g.Path)
		}
	}
	if p.Runs() > MaxRuns {
		return fmt.Errorf("%d runs: a sweep runs at most %d", p.Runs(), MaxRuns)
	}
	return nil
}

// MaxRuns bounds a sweep, so that a mistyped grid is an error, not a week
// of work.
const MaxRuns = 10_000_000

// ParseSet reads a grid dimension as the command line writes it,
// PATH=V1,V2,…: a field of the Scenario document (environment.images[centos].startTime.uniform.max),
// or of a manifest, after its kind and name
// (Pod/liveness:spec.containers[0].livenessProbe.periodSeconds; a list
// element may be chosen by name: spec.containers[liveness]). Values are
// YAML, separated by commas outside brackets, braces and quotes, so
// "{min: 0s, max: 5s},{min: 0s, max: 10s}" is two values.
func ParseSet(s string) (Param, error) {
	path, values, ok := strings.Cut(s, "=")
	if !ok || path == "" {
		return Param{}, fmt.Errorf("--set %q: want PATH=VALUE[,VALUE…]", s)
	}
	if _, err := parseTarget(path); err != nil {
		return Param{}, fmt.Errorf("--set %q: %w", s, err)
	}
	vals, err := splitValues(values)
	if err != nil {
		return Param{}, fmt.Errorf("--set %q: %w", s, err)
	}
	return Param{Path: path, Values: vals}, nil
}

// splitValues splits at the commas that are not inside brackets, braces or
// quotes.
func splitValues(s string) ([]string, error) {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		case c == ',' && depth == 0:
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	if quote != 0 || depth != 0 {
		return nil, errors.New("unbalanced quotes or brackets in the values")
	}
	out = append(out, strings.TrimSpace(s[start:]))
	for i, v := range out {
		if v == "" {
			return nil, fmt.Errorf("value %d is empty", i+1)
		}
	}
	return out, nil
}

// NameParams gives each Param its Name: the last key of its path, unless
// another Param has the same one.
func NameParams(grid []Param) {
	short := func(path string) string {
		t, _ := parseTarget(path)
		for i := len(t.fields) - 1; i >= 0; i-- {
			if f := t.fields[i]; f.key != "" && !f.bracket {
				return f.key
			}
		}
		return path
	}
	count := map[string]int{}
	for _, g := range grid {
		count[short(g.Path)]++
	}
	for i := range grid {
		if n := short(grid[i].Path); count[n] == 1 {
			grid[i].Name = n
		} else {
			grid[i].Name = grid[i].Path
		}
	}
}

// ParseShard reads "i/N": the i-th of N shards, counted from 0 as a
// Kubernetes Indexed Job's JOB_COMPLETION_INDEX is.
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("--shard %q: want i/N with 0 ≤ i < N, such as 0/4", s)
	}
	return Shard{Index: i, Count: n}, nil
}

// Shard is one part of a sweep for one machine: the runs whose number
// modulo Count is Index. The zero Shard is the whole sweep.
type Shard struct {
	Index, Count int
}

// Has reports whether run i belongs to the shard.
func (s Shard) Has(i int) bool { return s.Count <= 1 || i%s.Count == s.Index }

func (s Shard) String() string {
	if s.Count <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}
