package scenarios_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/scenarios"
	"github.com/podsim/podsim/trace"
)

// podLine is what a notebook reads of a Pod record of the JSON Lines.
type podLine struct {
	Record          string  `json:"record"`
	Kind            string  `json:"kind"`
	TMs             float64 `json:"t_ms"`
	TS              float64 `json:"t_s"`
	Ready           string  `json:"ready"`
	Restarts        string  `json:"restarts"`
	RestartCount    *int    `json:"restart_count"`
	ReadyContainers *int    `json:"ready_containers"`
	TotalContainers *int    `json:"total_containers"`
	PodReady        *bool   `json:"pod_ready"`
	Containers      []struct {
		Name  string `json:"name"`
		State string `json:"state"`
	} `json:"containers"`
	Object struct {
		Spec struct {
			InitContainers []struct{ Name string } `json:"initContainers"`
			Containers     []struct{ Name string } `json:"containers"`
		} `json:"spec"`
		Status struct {
			Conditions []struct{ Type, Status string } `json:"conditions"`
		} `json:"status"`
	} `json:"object"`
}

// In every bundled scenario, the numeric columns of each Pod record say
// what its strings and its object say: READY is ready_containers/
// total_containers, RESTARTS begins with restart_count, pod_ready is the
// Ready condition, t_s is t_ms in seconds, and containers lists the spec's
// containers, init containers first.
func TestNumericColumnsAgreeWithTheStrings(t *testing.T) {
	for _, file := range bundled(t) {
		t.Run(strings.TrimSuffix(file, ".yaml"), func(t *testing.T) {
			s, err := scenarios.Load(file)
			require.NoError(t, err)
			c, err := s.Run(scenarios.Options{})
			require.NoError(t, err)
			var b bytes.Buffer
			require.NoError(t, scenarios.Render(&b, c, scenarios.RenderOptions{Format: scenarios.FormatJSONL}))
			sc := bufio.NewScanner(&b)
			sc.Buffer(nil, 1<<24)
			pods := 0
			for sc.Scan() {
				var l podLine
				require.NoError(t, json.Unmarshal(sc.Bytes(), &l))
				if l.Record == "header" {
					continue
				}
				require.InDelta(t, l.TMs/1000, l.TS, 1e-9)
				if l.Kind != "Pod" {
					require.Nil(t, l.RestartCount, "only Pod records have pod columns")
					continue
				}
				pods++
				require.NotNil(t, l.RestartCount)
				require.Equal(t, l.Ready, fmt.Sprintf("%d/%d", *l.ReadyContainers, *l.TotalContainers))
				require.Equal(t, strings.Fields(l.Restarts)[0], strconv.Itoa(*l.RestartCount))
				ready := false
				for _, cond := range l.Object.Status.Conditions {
					if cond.Type == "Ready" {
						ready = cond.Status == "True"
					}
				}
				require.Equal(t, ready, *l.PodReady)
				var want, got []string
				for _, ct := range append(l.Object.Spec.InitContainers, l.Object.Spec.Containers...) {
					want = append(want, ct.Name)
				}
				for _, ct := range l.Containers {
					got = append(got, ct.Name)
				}
				require.Equal(t, want, got)
			}
			require.NoError(t, sc.Err())
			require.NotZero(t, pods)
		})
	}
}

// In every bundled scenario, a pod's CSV intervals follow each other with
// no gap from its creation, and the last ends at its deletion or at the end
// of the run.
func TestIntervalsCoverEachPodsLife(t *testing.T) {
	for _, file := range bundled(t) {
		t.Run(strings.TrimSuffix(file, ".yaml"), func(t *testing.T) {
			s, err := scenarios.Load(file)
			require.NoError(t, err)
			c, err := s.Run(scenarios.Options{})
			require.NoError(t, err)
			var b bytes.Buffer
			require.NoError(t, scenarios.Render(&b, c, scenarios.RenderOptions{Format: scenarios.FormatCSV}))
			rows, err := csv.NewReader(&b).ReadAll()
			require.NoError(t, err)
			require.Equal(t, trace.CSVColumns, rows[0])
			end := strconv.FormatFloat(s.End(scenarios.Options{}).Seconds(), 'f', -1, 64)
			for i := 1; i < len(rows); i++ {
				row, next := rows[i], []string(nil)
				if i+1 < len(rows) {
					next = rows[i+1]
				}
				samePod := next != nil && next[0] == row[0] && next[1] == row[1]
				switch {
				case row[11] == "true": // deleted: the pod's life ends here
				case samePod:
					require.Equal(t, next[2], row[3], "row %d ends where row %d begins", i, i+1)
				default:
					require.Equal(t, end, row[3], "row %d: the pod's last interval ends with the run", i)
				}
			}
		})
	}
}
