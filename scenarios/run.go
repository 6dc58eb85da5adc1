package scenarios

import (
	"errors"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/sim"
)

// Options change how a scenario runs, as the CLI's flags do.
type Options struct {
	// Seed replaces the scenario's seed when set.
	Seed *uint64
	// Until stops the run early (or runs it longer) when set.
	Until time.Duration
	// NoInvariants turns off the invariant checks (on by default).
	NoInvariants bool
	// MaxEvents replaces the bound on the events of a run when set
	// (default sim.DefaultMaxEvents).
	MaxEvents uint64
}

// End is when a run with these options stops.
func (s *Scenario) End(opts Options) time.Duration {
	if opts.Until > 0 {
		return opts.Until
	}
	return s.Duration
}

// Build creates the scenario's cluster: its nodes, the objects of the file
// (created at time zero, in file order) and its timed actions. Nothing has
// run yet.
func (s *Scenario) Build(opts Options) (*sim.Cluster, error) {
	cfg := s.Config
	if opts.Seed != nil {
		cfg.Seed = *opts.Seed
	}
	cfg.CheckInvariants = !opts.NoInvariants
	if opts.MaxEvents > 0 {
		cfg.MaxEvents = opts.MaxEvents
	}
	c, err := sim.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.File, err)
	}
	s.stampHeader(c)
	for _, n := range s.nodes {
		if err := c.AddNode(n.node, n.opts); err != nil {
			return nil, fmt.Errorf("%s: %w", s.File, err)
		}
	}
	for _, m := range s.objects {
		var err error
		if p, ok := m.obj.(*corev1.Pod); ok {
			err = c.CreatePod(p, s.behaviors[p.Namespace+"/"+p.Name])
		} else if isWorkload(m.obj) {
			err = c.CreateWorkload(m.obj.(runtimeObject).DeepCopyObject(), s.templates[workloadKey(m.obj)])
		} else {
			err = c.Create(m.obj.(runtimeObject))
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.File, err)
		}
	}
	for _, a := range s.actions {
		a := a
		if err := c.At(a.at, func(c *sim.Cluster) error {
			if err := a.do(c); err != nil {
				return &actionError{line: a.line, what: a.what, err: err}
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// actionError is an action that could not be done when its time came.
type actionError struct {
	line int
	what string
	err  error
}

func (e *actionError) Error() string { return e.what + ": " + e.err.Error() }
func (e *actionError) Unwrap() error { return e.err }

// runUntil runs c to t; an error names the file, and the line of the
// action that failed if one did.
func (s *Scenario) runUntil(c *sim.Cluster, t time.Duration) error {
	err := c.RunUntil(t)
	if err == nil {
		return nil
	}
	if ae := (*actionError)(nil); errors.As(err, &ae) {
		return fmt.Errorf("%s:%d: %w", s.File, ae.line, err)
	}
	return fmt.Errorf("%s: %w", s.File, err)
}

// Run builds the cluster and runs it to the end.
func (s *Scenario) Run(opts Options) (*sim.Cluster, error) {
	return s.RunTo(s.End(opts), opts)
}

// RunTo builds the cluster and runs it to time t (a point-in-time view).
func (s *Scenario) RunTo(t time.Duration, opts Options) (*sim.Cluster, error) {
	c, err := s.Build(opts)
	if err != nil {
		return nil, err
	}
	return c, s.runUntil(c, t)
}

// Expectations is the number of checks the scenario makes.
func (s *Scenario) Expectations() int { return len(s.expect) }

// Test runs the scenario and checks its expectations, in time order; the
// watch expectations are checked at the end. It returns the failures (none
// when everything holds) and the cluster at the end.
func (s *Scenario) Test(opts Options) ([]Failure, *sim.Cluster, error) {
	c, err := s.Build(opts)
	if err != nil {
		return nil, nil, err
	}
	var failures []Failure
	var watches []expectation
	for _, x := range s.expect {
		if x.Watch != "" {
			watches = append(watches, x)
			continue
		}
		if err := s.runUntil(c, x.at); err != nil {
			return failures, c, err
		}
		if x.Node != "" {
			if diff := checkNode(c, x); diff != "" {
				failures = append(failures, Failure{File: s.File, Line: x.line,
					What: fmt.Sprintf("node %q at %v (-want +got)", x.Node, x.at), Diff: diff})
			}
			continue
		}
		if kind, name := expectedWorkload(x.ExpectDoc); kind != "" {
			if diff := checkWorkload(c, x); diff != "" {
				failures = append(failures, Failure{File: s.File, Line: x.line,
					What: fmt.Sprintf("status of %s %q at %v (-want +got)", strings.ToLower(kind), name, x.at), Diff: diff})
			}
			continue
		}
		if x.PodDisruptionBudget != "" {
			if diff := checkBudget(c, x); diff != "" {
				failures = append(failures, Failure{File: s.File, Line: x.line,
					What: fmt.Sprintf("status of poddisruptionbudget %q at %v (-want +got)", x.PodDisruptionBudget, x.at), Diff: diff})
			}
			continue
		}
		if x.Service != "" {
			if diff := checkEndpoints(c, x); diff != "" {
				failures = append(failures, Failure{File: s.File, Line: x.line,
					What: fmt.Sprintf("endpoints of service %q at %v (-want +got)", x.Service, x.at), Diff: diff})
			}
			continue
		}
		if diff := checkPod(c, x); diff != "" {
			failures = append(failures, Failure{File: s.File, Line: x.line,
				What: fmt.Sprintf("pod %q at %v (-want +got)", x.Pod, x.at), Diff: diff})
		}
	}
	if err := s.runUntil(c, s.End(opts)); err != nil {
		return failures, c, err
	}
	for _, x := range watches {
		if diff := checkWatch(c, x); diff != "" {
			failures = append(failures, Failure{File: s.File, Line: x.line, What: "watch", Diff: diff})
		}
	}
	return failures, c, nil
}
