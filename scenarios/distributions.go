package scenarios

import (
	"errors"
	"strings"
	"time"

	"github.com/podsim/podsim/sim"
	"github.com/podsim/podsim/stochastic"
)

// DistributionDoc is a distribution of durations: exactly one of its
// fields is set, and its parameters are required. docs/scenario-format.md
// describes each; stochastic describes how they are drawn.
//
//	startTime:
//	  logNormal: {median: 2s, sigma: 0.5}
type DistributionDoc struct {
	Constant    *Duration       `json:"constant,omitempty"`
	Uniform     *UniformDoc     `json:"uniform,omitempty"`
	Triangle    *TriangleDoc    `json:"triangle,omitempty"`
	Normal      *NormalDoc      `json:"normal,omitempty"`
	LogNormal   *LogNormalDoc   `json:"logNormal,omitempty"`
	Exponential *ExponentialDoc `json:"exponential,omitempty"`
	Gamma       *GammaDoc       `json:"gamma,omitempty"`
	Weibull     *WeibullDoc     `json:"weibull,omitempty"`
}

// UniformDoc is stochastic.Uniform.
type UniformDoc struct {
	Min *Duration `json:"min,omitempty"`
	Max *Duration `json:"max,omitempty"`
}

// TriangleDoc is stochastic.Triangle.
type TriangleDoc struct {
	Min  *Duration `json:"min,omitempty"`
	Mode *Duration `json:"mode,omitempty"`
	Max  *Duration `json:"max,omitempty"`
}

// NormalDoc is stochastic.Normal.
type NormalDoc struct {
	Mean   *Duration `json:"mean,omitempty"`
	StdDev *Duration `json:"stddev,omitempty"`
}

// LogNormalDoc is stochastic.LogNormal.
type LogNormalDoc struct {
	Median *Duration `json:"median,omitempty"`
	Sigma  *float64  `json:"sigma,omitempty"`
}

// ExponentialDoc is stochastic.Exponential.
type ExponentialDoc struct {
	Mean *Duration `json:"mean,omitempty"`
}

// GammaDoc is stochastic.Gamma.
type GammaDoc struct {
	Shape *float64  `json:"shape,omitempty"`
	Mean  *Duration `json:"mean,omitempty"`
}

// WeibullDoc is stochastic.Weibull.
type WeibullDoc struct {
	Shape *float64  `json:"shape,omitempty"`
	Scale *Duration `json:"scale,omitempty"`
}

// distributionKinds are the keys of a DistributionDoc, for messages.
const distributionKinds = "constant, uniform, triangle, normal, logNormal, exponential, gamma or weibull"

// param is one parameter of a distribution as written: its name, and
// whether it was given.
type param struct {
	name  string
	given bool
}

func dur(d *Duration) time.Duration {
	if d == nil {
		return 0
	}
	return d.Duration
}

func num(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}

// distribution reads the one distribution of dd, reporting at path (such
// as "environment.images[centos].startTime") what is missing or wrong. It
// returns nil when there is a problem.
func (l *loader) distribution(d *document, path string, dd *DistributionDoc) stochastic.Duration {
	type choice struct {
		kind   string
		dist   stochastic.Duration
		params []param
	}
	var set []choice
	if c := dd.Constant; c != nil {
		set = append(set, choice{"constant", stochastic.Constant{Value: c.Duration}, nil})
	}
	if u := dd.Uniform; u != nil {
		set = append(set, choice{"uniform", stochastic.Uniform{Min: dur(u.Min), Max: dur(u.Max)},
			[]param{{"min", u.Min != nil}, {"max", u.Max != nil}}})
	}
	if t := dd.Triangle; t != nil {
		set = append(set, choice{"triangle", stochastic.Triangle{Min: dur(t.Min), Mode: dur(t.Mode), Max: dur(t.Max)},
			[]param{{"min", t.Min != nil}, {"mode", t.Mode != nil}, {"max", t.Max != nil}}})
	}
	if n := dd.Normal; n != nil {
		set = append(set, choice{"normal", stochastic.Normal{Mean: dur(n.Mean), StdDev: dur(n.StdDev)},
			[]param{{"mean", n.Mean != nil}, {"stddev", n.StdDev != nil}}})
	}
	if ln := dd.LogNormal; ln != nil {
		set = append(set, choice{"logNormal", stochastic.LogNormal{Median: dur(ln.Median), Sigma: num(ln.Sigma)},
			[]param{{"median", ln.Median != nil}, {"sigma", ln.Sigma != nil}}})
	}
	if e := dd.Exponential; e != nil {
		set = append(set, choice{"exponential", stochastic.Exponential{Mean: dur(e.Mean)}, []param{{"mean", e.Mean != nil}}})
	}
	if g := dd.Gamma; g != nil {
		set = append(set, choice{"gamma", stochastic.Gamma{Shape: num(g.Shape), Mean: dur(g.Mean)},
			[]param{{"shape", g.Shape != nil}, {"mean", g.Mean != nil}}})
	}
	if w := dd.Weibull; w != nil {
		set = append(set, choice{"weibull", stochastic.Weibull{Shape: num(w.Shape), Scale: dur(w.Scale)},
			[]param{{"shape", w.Shape != nil}, {"scale", w.Scale != nil}}})
	}
	const obj = ScenarioKind
	switch len(set) {
	case 0:
		l.add(d, obj, path, "Required value: one of %s", distributionKinds)
		return nil
	case 1:
	default:
		kinds := make([]string, len(set))
		for i, c := range set {
			kinds[i] = c.kind
		}
		l.add(d, obj, path, "Forbidden: give one distribution, not %s", strings.Join(kinds, " and "))
		return nil
	}
	c := set[0]
	ok := true
	for _, p := range c.params {
		if !p.given {
			l.add(d, obj, path+"."+c.kind+"."+p.name, "Required value")
			ok = false
		}
	}
	if !ok {
		return nil
	}
	if err := c.dist.Check(); err != nil {
		field := path + "." + c.kind
		var pe *stochastic.ParamError
		if !errors.As(err, &pe) {
			l.add(d, obj, field, "%v", err)
			return nil
		}
		if c.kind != "constant" { // a constant's one parameter is the field itself
			field += "." + pe.Param
		}
		l.add(d, obj, field, "Invalid value: %q: %s", pe.Value, pe.Reason)
		return nil
	}
	return c.dist
}

// withDistributions returns ie with the image's pullTime, startTime and
// probeLatency. pulls and pullTime say the same thing, so only one may be
// given.
func (l *loader) withDistributions(d *document, path string, img ImageDoc, ie sim.ImageEnv) sim.ImageEnv {
	if img.PullTime != nil {
		if len(img.Pulls) > 0 {
			l.add(d, ScenarioKind, path+".pullTime", "Forbidden: give pulls or pullTime, not both")
		} else {
			ie.PullTime = l.distribution(d, path+".pullTime", img.PullTime)
		}
	}
	if img.StartTime != nil {
		ie.StartTime = l.distribution(d, path+".startTime", img.StartTime)
	}
	if img.ProbeLatency != nil {
		ie.ProbeLatency = l.distribution(d, path+".probeLatency", img.ProbeLatency)
	}
	return ie
}
