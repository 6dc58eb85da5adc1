package trace_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/trace"
)

// jsonLines writes the trace and parses each line back, keeping the order
// of the keys of each line too.
func jsonLines(t *testing.T, tr *trace.Trace) (lines []map[string]any, keys [][]string) {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, trace.WriteJSONL(&b, tr, lifecycle.RulesFor(33)))
	for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		lines = append(lines, m)
		dec := json.NewDecoder(strings.NewReader(line))
		var order []string
		_, _ = dec.Token() // {
		for dec.More() {
			k, _ := dec.Token()
			order = append(order, k.(string))
			var skip json.RawMessage
			require.NoError(t, dec.Decode(&skip))
		}
		keys = append(keys, order)
	}
	return lines, keys
}

// The header says which podsim made the trace and how long the run was,
// in the order a reader looks for them.
func TestJSONLHeader(t *testing.T) {
	tr := &trace.Trace{Header: trace.Header{Schema: trace.Schema, PodsimVersion: trace.PodsimVersion(), Seed: 6, Version: "1.25",
		Epoch: epoch, Duration: 13*time.Minute + 500*time.Millisecond}}
	lines, keys := jsonLines(t, tr)
	require.Equal(t, []string{"record", "schema", "podsim_version", "seed", "kubernetes_version", "epoch", "duration_ms", "duration_s"}, keys[0])
	require.Equal(t, "(devel)", lines[0]["podsim_version"], "a test binary always says (devel)")
	require.Equal(t, 780500.0, lines[0]["duration_ms"])
	require.Equal(t, 780.5, lines[0]["duration_s"])
}

// A Pod record carries kubectl's columns as numbers too, and every
// container with its state and exit codes; other records have none of it.
func TestJSONLPodColumns(t *testing.T) {
	waiting := podAt("web", corev1.PodRunning, true, false, 2)
	code := int32(137)
	waiting.Status.ContainerStatuses[0].State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}}
	waiting.Status.ContainerStatuses[0].LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
		ExitCode: code, Reason: "Error", FinishedAt: waiting.CreationTimestamp}}
	waiting.Spec.InitContainers = []corev1.Container{{Name: "init"}}
	waiting.Status.InitContainerStatuses = []corev1.ContainerStatus{{Name: "init", State: corev1.ContainerState{
		Terminated: &corev1.ContainerStateTerminated{ExitCode: 0, Reason: "Completed"}}}}
	tr := trace.New(trace.Header{Epoch: epoch},
		podRecord(1500*time.Millisecond, trace.Added, podAt("web", corev1.PodPending, false, false, 0), "created"),
		podRecord(90*time.Second, trace.Modified, waiting, "PLEG: container app died"),
		trace.Record{T: 90 * time.Second, Kind: "Container", Op: trace.Runtime, Namespace: "default", Name: "web", Container: "app", Cause: "exited with code 137"},
	)
	lines, keys := jsonLines(t, tr)
	require.Equal(t, []string{"record", "t_ms", "t_s", "ts", "kind", "op", "namespace", "name", "cause",
		"phase", "ready", "status", "restarts", "restart_count", "ready_containers", "total_containers", "pod_ready", "containers", "object"}, keys[1])
	created, died, runtime := lines[1], lines[2], lines[3]
	require.Equal(t, 1500.0, created["t_ms"])
	require.Equal(t, 1.5, created["t_s"])

	pick := func(m map[string]any, keys ...string) map[string]any {
		out := map[string]any{}
		for _, k := range keys {
			if v, ok := m[k]; ok {
				out[k] = v
			}
		}
		return out
	}
	podKeys := []string{"ready", "restarts", "restart_count", "ready_containers", "total_containers", "pod_ready", "containers"}
	want := map[string]any{"ready": "0/1", "restarts": "0", "restart_count": 0.0, "ready_containers": 0.0, "total_containers": 1.0, "pod_ready": false,
		"containers": []any{map[string]any{"name": "app", "init": false, "state": "<none>", "ready": false, "restart_count": 0.0}}}
	if diff := cmp.Diff(want, pick(created, podKeys...)); diff != "" {
		t.Errorf("created (-want +got)\n%s", diff)
	}
	want = map[string]any{"ready": "0/1", "restarts": "2 (90s ago)", "restart_count": 2.0, "ready_containers": 0.0, "total_containers": 1.0, "pod_ready": false,
		"containers": []any{
			map[string]any{"name": "init", "init": true, "state": "terminated", "reason": "Completed", "exit_code": 0.0, "ready": false, "restart_count": 0.0},
			map[string]any{"name": "app", "init": false, "state": "waiting", "reason": "CrashLoopBackOff", "last_exit_code": 137.0, "ready": false, "restart_count": 2.0},
		}}
	if diff := cmp.Diff(want, pick(died, podKeys...)); diff != "" {
		t.Errorf("crash-looping (-want +got)\n%s", diff)
	}
	require.Empty(t, pick(runtime, podKeys...), "a runtime record has no pod columns")
	require.Equal(t, 90.0, runtime["t_s"])
}
