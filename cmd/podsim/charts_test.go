package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// -o csv of seed 1b: the pod's life in intervals, the restarts and the two
// crash-loop back-offs of the seed's watch, to the tenth of a second.
func TestCSVOfTheLivenessSeed(t *testing.T) {
	code, out, errOut := podsim("run", "-o", "csv", scenario("1b-liveness.yaml"))
	require.Equal(t, 0, code, errOut)
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Split(line, ",")
		got = append(got, strings.Join(f[:12], ",")) // without the cause
	}
	require.Equal(t, []string{
		"namespace,pod,from_s,to_s,phase,status,ready,ready_containers,total_containers,pod_ready,restart_count,deleted",
		"default,liveness,0,0.04,Pending,Pending,0/1,0,1,false,0,false",
		"default,liveness,0.04,3.6,Pending,ContainerCreating,0/1,0,1,false,0,false",
		"default,liveness,3.6,77.6,Running,Running,1/1,1,1,true,0,false",
		"default,liveness,77.6,153.6,Running,Running,1/1,1,1,true,1,false",
		"default,liveness,153.6,229.6,Running,Running,1/1,1,1,true,2,false",
		"default,liveness,229.6,303.6,Running,Running,1/1,1,1,true,3,false",
		"default,liveness,303.6,377.6,Running,Running,1/1,1,1,true,4,false",
		"default,liveness,377.6,450.6,Running,Running,1/1,1,1,true,5,false",
		"default,liveness,450.6,535.6,Running,CrashLoopBackOff,0/1,0,1,false,5,false",
		"default,liveness,535.6,605.6,Running,Running,1/1,1,1,true,6,false",
		"default,liveness,605.6,776.6,Running,CrashLoopBackOff,0/1,0,1,false,6,false",
		"default,liveness,776.6,780,Running,Running,1/1,1,1,true,7,false",
	}, got)
}

// The JSON Lines header names podsim's version ((devel) in a test) and how
// long the run went.
func TestJSONLHeaderHasVersionAndDuration(t *testing.T) {
	code, out, errOut := podsim("run", "-o", "jsonl", "--until", "90s", scenario("1b-liveness.yaml"))
	require.Equal(t, 0, code, errOut)
	var header map[string]any
	require.NoError(t, json.Unmarshal([]byte(out[:strings.IndexByte(out, '\n')]), &header))
	require.Equal(t, "(devel)", header["podsim_version"])
	require.Equal(t, 90000.0, header["duration_ms"])
	require.Equal(t, 90.0, header["duration_s"])
}

func TestCharts(t *testing.T) {
	code, out, errOut := podsim("run", "-o", "svg", scenario("1h-prestop.yaml"))
	require.Equal(t, 0, code, errOut)
	require.True(t, strings.HasPrefix(out, "<?xml"), "not an SVG")
	require.Contains(t, out, ">1h-prestop.yaml: Kubernetes 1.33, seed 1</text>", "the title names the file, not its directory")
	require.Contains(t, out, ">slow-prestop</text>")

	code, out, errOut = podsim("run", "-o", "svg", "--pod", "app", scenario("1h-prestop.yaml"))
	require.Equal(t, 0, code, errOut)
	require.NotContains(t, out, ">slow-prestop</text>")

	code, out, errOut = podsim("run", "-o", "png", scenario("1b-liveness.yaml"))
	require.Equal(t, 0, code, errOut)
	require.True(t, strings.HasPrefix(out, "\x89PNG\r\n\x1a\n"), "not a PNG")
}

// The new outputs give the same bytes for the same file and seed.
func TestNewOutputsAreDeterministic(t *testing.T) {
	for _, format := range []string{"csv", "svg", "png"} {
		t.Run(format, func(t *testing.T) {
			_, first, _ := podsim("run", "-o", format, scenario("status-init-errors.yaml"))
			_, again, _ := podsim("run", "-o", format, scenario("status-init-errors.yaml"))
			require.NotEmpty(t, first)
			require.True(t, bytes.Equal([]byte(first), []byte(again)))
		})
	}
}

// A table or a picture holds one run: several files are refused.
func TestOneFileOutputs(t *testing.T) {
	for _, format := range []string{"csv", "svg", "png"} {
		code, out, errOut := podsim("run", "-o", format, scenario("1a-initial-delay.yaml"), scenario("1b-liveness.yaml"))
		require.Equal(t, exitInvalid, code)
		require.Empty(t, out)
		require.Equal(t, "error: -o "+format+" shows one scenario: give one file\n", errOut)
	}
}
