// Package layout states who may import whom inside podsim, and checks it.
// The rules are those of docs/architecture.md: pure policy packages at the
// bottom, the engine beside them, the components (API server, kubelet,
// controllers) above, each reaching another only through the API server's
// interfaces, and sim assembling them. TestImportGraph reads the real
// import graph with `go list -deps` and fails on any edge the rules do not
// allow.
package layout

import (
	"fmt"
	"slices"
	"strings"
)

// Module is podsim's module path.
const Module = "github.com/podsim/podsim"

// Rule says what one package (or, for a path ending in "/", every package
// under it) may import of podsim's own packages.
type Rule struct {
	Package string
	May     []string
	// Why is the reason, shown with a violation.
	Why string
}

// policy are the pure packages: rules a table can test, no engine, no clock.
var policy = []string{"lifecycle", "probe", "qos", "behavior", "eviction"}

// helpers are the pure helpers every component may use: small functions
// about Kubernetes objects and image references, the workload
// controllers' shared helpers, and distributions of durations
// (stochastic), which draw only from a source the caller gives.
var helpers = []string{"internal/podutil", "internal/imageref", "internal/controllerutil", "stochastic"}

func join(lists ...[]string) []string { return slices.Concat(lists...) }

// Rules is the layout, lowest layer first.
var Rules = []Rule{
	{"engine", nil, "the event engine knows nothing of Kubernetes or of podsim"},
	{"behavior", nil, "a policy package: what a process does, pure"},
	{"qos", nil, "a policy package, pure"},
	{"probe", nil, "a policy package, pure"},
	{"lifecycle", []string{"probe", "qos"}, "a policy package: it may use the types of probe and qos only"},
	{"eviction", []string{"qos", "internal/podutil"}, "a policy package: the kubelet's eviction rules, which read a pod's QoS class and tolerations"},
	{"internal/podutil", nil, "pure helpers about Kubernetes objects"},
	{"internal/imageref", nil, "pure image-reference parsing"},
	{"internal/textdiff", nil, "pure: longest-common-subsequence diffs of lines and rows"},
	{"internal/controllerutil", []string{"internal/podutil"}, "pure helpers the workload controllers share (pkg/controller/controller_utils.go)"},
	{"internal/workqueue", []string{"engine"}, "client-go's work queue on the engine, for controllers"},
	{"stochastic", nil, "pure distributions of durations: no engine, no generator of its own"},
	{"profile", []string{"lifecycle", "probe", "eviction"}, "the version switches: data, and the policy packages' rules"},
	{"trace", []string{"lifecycle", "probe", "qos"}, "the recorded history and its renderings use policy packages only"},
	{"internal/record", []string{"engine", "trace"}, "client-go's event recording writes through a small sink interface"},
	{"apiserver", join([]string{"engine", "profile", "trace"}, helpers, policy), "the object store: no component above it"},
	{"kubelet", join([]string{"engine", "profile", "trace", "internal/record"}, helpers, policy),
		"a kubelet reaches the cluster only through its Client interface: never the API server's internals, a controller or the facade"},
	{"controllers/", join([]string{"engine", "profile", "trace", "internal/record", "internal/workqueue"}, helpers, policy),
		"a controller reaches the cluster only through its Client interface: never the API server's internals, a kubelet or another controller"},
	{"sim", join([]string{"engine", "profile", "trace", "internal/record", "apiserver", "kubelet", "controllers/"}, helpers, policy),
		"the facade assembles the components; nothing below it may import it"},
	{"scenarios", join([]string{"sim", "profile", "trace", "internal/textdiff"}, helpers, policy), "scenario files drive the cluster through the sim facade"},
	{"podsimtest", join([]string{"sim", "scenarios", "profile", "trace"}, helpers, policy),
		"the test helpers drive the cluster through the sim facade and check through scenarios"},
	{"explain", join([]string{"scenarios", "sim", "profile"}, helpers, policy),
		"explain computes from the policy packages' rules; it reads scenario files (and sim's image-key rule) but never builds a cluster"},
	{"internal/seeds", join([]string{"sim", "scenarios", "profile", "trace"}, helpers, policy), "the seed timelines, built through the sim facade"},
	{"chart", []string{"trace", "lifecycle"}, "charts of a trace: gonum/plot stays out of the simulation and the scenario runner"},
	{"sweep", join([]string{"scenarios", "sim", "profile", "trace"}, helpers, policy), "many runs of a scenario file, through the scenarios loader"},
	{"scale", join([]string{"sim", "profile", "trace"}, helpers, policy), "the generator of the scale benchmarks builds clusters through the sim facade"},
	{"playback", []string{"trace"}, "plays a recorded watch back in real time: the only package besides cmd that waits on a clock"},
	{"internal/layout", nil, "this package"},
	{"cmd/", []string{"*"}, "the command line may use everything"},
	{"examples/", []string{"*"}, "examples may use everything"},
}

// rel is a package path relative to the module, or "" for one outside it.
func rel(path string) (string, bool) {
	if path == Module {
		return "", true
	}
	r, ok := strings.CutPrefix(path, Module+"/")
	return r, ok
}

// matches reports whether pattern (a path, or a prefix ending in "/")
// names pkg.
func matches(pattern, pkg string) bool {
	if pattern == "*" {
		return true
	}
	if strings.HasSuffix(pattern, "/") {
		return strings.HasPrefix(pkg, pattern)
	}
	return pattern == pkg
}

func ruleFor(rules []Rule, pkg string) (Rule, bool) {
	for _, r := range rules {
		if matches(r.Package, pkg) {
			return r, true
		}
	}
	return Rule{}, false
}

// Check returns a line for every import in graph (package → its direct
// imports, full import paths) that rules do not allow, and for every podsim
// package no rule covers. Packages under one "dir/" rule may not import
// each other: one controller never imports another.
func Check(graph map[string][]string, rules []Rule) []string {
	var out []string
	pkgs := make([]string, 0, len(graph))
	for p := range graph {
		pkgs = append(pkgs, p)
	}
	slices.Sort(pkgs)
	for _, full := range pkgs {
		pkg, ours := rel(full)
		if !ours {
			continue
		}
		rule, ok := ruleFor(rules, pkg)
		if !ok {
			out = append(out, fmt.Sprintf("%s: no layout rule covers this package; add one to internal/layout and docs/architecture.md", pkg))
			continue
		}
		for _, imp := range graph[full] {
			dep, ours := rel(imp)
			if !ours {
				continue
			}
			allowed := slices.ContainsFunc(rule.May, func(m string) bool { return matches(m, dep) })
			if allowed && strings.HasSuffix(rule.Package, "/") && matches(rule.Package, dep) && rule.May[0] != "*" {
				allowed = false // siblings under one directory rule
			}
			if !allowed {
				out = append(out, fmt.Sprintf("%s imports %s: not allowed (%s)", pkg, dep, rule.Why))
			}
		}
	}
	return out
}
