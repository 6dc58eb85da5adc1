package sweep

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/podsim/podsim/scenarios"
)

// Options say how to run a plan.
type Options struct {
	// Parallel is how many simulations run at once, each on its own
	// goroutine (default runtime.GOMAXPROCS(0): every core).
	Parallel int
	// Shard, when set, runs only the runs of one shard.
	Shard Shard
	// Until replaces the scenario's duration when set.
	Until time.Duration
	// NoInvariants turns off the lifecycle invariant checks, which are on
	// by default as in podsim run.
	NoInvariants bool
	// MaxEvents replaces the bound on each run's events when set.
	MaxEvents uint64
	// Progress, when set, is called after each run ends, from the goroutine
	// that called Execute, with the runs done and the runs to do.
	Progress func(done, total int)
}

// PointError is a point of the grid whose scenario file cannot be read.
type PointError struct {
	Point  int
	Params string // "periodSeconds=0"
	Err    error
}

func (e *PointError) Error() string {
	if e.Params == "" {
		return e.Err.Error()
	}
	return fmt.Sprintf("with %s: %v", e.Params, e.Err)
}

func (e *PointError) Unwrap() error { return e.Err }

// Execute runs the plan's runs (or one shard's), Parallel at a time, and
// returns their results in run order whatever order they finished in. Each
// simulation runs on one goroutine from start to end and shares nothing
// with the others but the loaded scenario, which runs only read, so the
// results are the same on one core or sixty-four. A run that fails is a
// Result with its Error; an error is returned only when a point's file
// cannot be read or ctx is done.
func Execute(ctx context.Context, p *Plan, o Options) (*Results, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	NameParams(p.Grid)
	loaded := make([]*scenarios.Scenario, p.Points())
	for i := range loaded {
		s, err := p.load(i)
		if err != nil {
			return nil, err
		}
		loaded[i] = s
	}
	h := NewHeader(p, o.Until)
	h.MaxEvents = o.MaxEvents
	h.Shard = o.Shard.String()
	var todo []int
	for i := range p.Runs() {
		if o.Shard.Has(i) {
			todo = append(todo, i)
		}
	}
	res := &Results{Header: h, Runs: make([]Result, len(todo))}
	parallel := o.Parallel
	if parallel <= 0 {
		parallel = runtime.GOMAXPROCS(0)
	}
	parallel = min(parallel, max(len(todo), 1))

	jobs := make(chan int)
	done := make(chan struct{}, len(todo))
	for range parallel {
		go func() {
			for j := range jobs {
				point, seed := p.Run(todo[j])
				res.Runs[j] = runOne(loaded[point], todo[j], point, seed, p.params(point), o)
				done <- struct{}{}
			}
		}()
	}
	sent, finished := 0, 0
	for finished < len(todo) {
		var feed chan int
		if sent < len(todo) && ctx.Err() == nil {
			feed = jobs
		}
		select {
		case feed <- sent:
			sent++
		case <-done:
			finished++
			if o.Progress != nil {
				o.Progress(finished, len(todo))
			}
		case <-ctx.Done():
			if finished == sent {
				close(jobs)
				return nil, ctx.Err()
			}
			// Let the running simulations end; start no more.
			<-done
			finished++
		}
	}
	close(jobs)
	return res, nil
}

// runOne runs one seed of one point to its end and measures it. A panic in
// the simulation (a podsim bug) becomes the run's error, with what it takes
// to reproduce it, instead of ending the whole sweep.
func runOne(s *scenarios.Scenario, run, point int, seed uint64, params map[string]string, o Options) (r Result) {
	r = Result{Run: run, Seed: seed, Point: point, Params: params, Pods: []PodMetrics{}}
	defer func() {
		if v := recover(); v != nil {
			r.Pods = []PodMetrics{}
			r.Error = fmt.Sprintf("podsim panicked (a bug in podsim; please report it with this seed and point): %v", v)
		}
	}()
	c, err := s.Run(scenarios.Options{Seed: &seed, Until: o.Until, NoInvariants: o.NoInvariants, MaxEvents: o.MaxEvents})
	if err != nil {
		r.Error = err.Error()
		return r
	}
	r.Pods = Measure(c.Trace())
	return r
}

// params are a point's values by name.
func (p *Plan) params(point int) map[string]string {
	vals := p.Point(point)
	m := make(map[string]string, len(vals))
	for i, g := range p.Grid {
		m[g.Name] = vals[i]
	}
	return m
}

// describePoint writes a point as "periodSeconds=5 failureThreshold=3".
func (p *Plan) describePoint(point int) string {
	vals := p.Point(point)
	parts := make([]string, len(vals))
	for i, g := range p.Grid {
		parts[i] = g.Name + "=" + vals[i]
	}
	return strings.Join(parts, " ")
}

// load reads the scenario of one point: the file as it is without a grid,
// else the file with the point's values set.
func (p *Plan) load(point int) (*scenarios.Scenario, error) {
	data := p.Data
	if len(p.Grid) > 0 {
		var err error
		if data, err = patch(p.Data, p.Grid, p.Point(point)); err != nil {
			return nil, &PointError{Point: point, Params: p.describePoint(point), Err: err}
		}
	}
	s, err := scenarios.Parse(p.File, data)
	if err != nil {
		return nil, &PointError{Point: point, Params: p.describePoint(point), Err: err}
	}
	return s, nil
}
