package trace

import (
	"runtime/debug"
	"sync"
	"testing"
)

// Module is podsim's module path, the one whose version a trace header
// names.
const Module = "github.com/podsim/podsim"

// Devel is the version of a podsim built from a source tree the go command
// could not name a version for (go build without VCS stamping, go run in a
// checkout), and of every podsim inside a test binary.
const Devel = "(devel)"

// PodsimVersion is the version of podsim that runs: the module version the
// go command stamped into the binary (runtime/debug.ReadBuildInfo), whether
// podsim is the main module (the podsim command) or a dependency of the
// program (a Go program that imports podsim). It is [Devel] when the binary
// carries no version, and always in a test binary: since Go 1.24 the go
// command stamps test binaries with a version made from the commit
// ("v0.0.0-20261121093000-0123456789ab+dirty"), which would change every
// golden trace with every commit.
func PodsimVersion() string { return podsimVersion() }

var podsimVersion = sync.OnceValue(func() string {
	if testing.Testing() {
		return Devel
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Devel
	}
	return moduleVersion(info)
})

// moduleVersion finds podsim's version in a binary's build information.
func moduleVersion(info *debug.BuildInfo) string {
	m := &info.Main
	if m.Path != Module {
		m = nil
		for _, d := range info.Deps {
			if d.Path == Module {
				m = d
				break
			}
		}
	}
	if m == nil {
		return Devel
	}
	if m.Replace != nil {
		// A replaced dependency runs the replacement's code: a local
		// directory (no version) or another module version.
		m = m.Replace
	}
	if m.Version == "" {
		return Devel
	}
	return m.Version
}
