package trace

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestModuleVersion(t *testing.T) {
	podsim := func(version string) *debug.Module { return &debug.Module{Path: Module, Version: version} }
	tests := []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"the podsim command, built from a tag", debug.BuildInfo{Main: *podsim("v0.4.0")}, "v0.4.0"},
		{"the podsim command, stamped from a commit",
			debug.BuildInfo{Main: *podsim("v0.4.1-0.20261121093000-0123456789ab+dirty")}, "v0.4.1-0.20261121093000-0123456789ab+dirty"},
		{"the podsim command, go run in a checkout", debug.BuildInfo{Main: *podsim("(devel)")}, "(devel)"},
		{"no version at all", debug.BuildInfo{Main: *podsim("")}, "(devel)"},
		{"a program that imports podsim", debug.BuildInfo{
			Main: debug.Module{Path: "example.com/teaching", Version: "(devel)"},
			Deps: []*debug.Module{{Path: "gonum.org/v1/gonum", Version: "v0.17.0"}, podsim("v0.3.2")},
		}, "v0.3.2"},
		{"a program that replaces podsim with a local copy", debug.BuildInfo{
			Main: debug.Module{Path: "example.com/teaching"},
			Deps: []*debug.Module{{Path: Module, Version: "v0.3.2", Replace: &debug.Module{Path: "../podsim"}}},
		}, "(devel)"},
		{"a program that replaces podsim with a fork", debug.BuildInfo{
			Main: debug.Module{Path: "example.com/teaching"},
			Deps: []*debug.Module{{Path: Module, Version: "v0.3.2", Replace: &debug.Module{Path: "example.com/fork", Version: "v0.3.3"}}},
		}, "v0.3.3"},
		{"a program without podsim", debug.BuildInfo{Main: debug.Module{Path: "example.com/other", Version: "v1.0.0"}}, "(devel)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, moduleVersion(&tc.info))
		})
	}
}

// In a test binary the version is always (devel), whatever the go command
// stamped: golden traces must not change with each commit.
func TestPodsimVersionInTests(t *testing.T) {
	require.Equal(t, Devel, PodsimVersion())
}
