package trace

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/podsim/podsim/lifecycle"
)

// CSVColumns are the columns of [WriteCSV], in order. Times are in
// seconds since the start of the run, as the unit in the name says.
var CSVColumns = []string{
	"namespace", "pod", "from_s", "to_s", "phase", "status", "ready",
	"ready_containers", "total_containers", "pod_ready", "restart_count", "deleted", "cause",
}

// WriteCSV writes the trace's [Intervals] as CSV, one row per interval of a
// pod's state, with a header row of [CSVColumns]: the table a spreadsheet
// or a Gantt chart wants. rules are the printing rules of the trace's
// Kubernetes version.
func WriteCSV(w io.Writer, t *Trace, rules lifecycle.Rules) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	for _, iv := range Intervals(t, rules) {
		row := []string{
			iv.Namespace, iv.Pod, seconds(iv.From), seconds(iv.To), iv.Phase, iv.Status, iv.Ready,
			strconv.Itoa(iv.ReadyContainers), strconv.Itoa(iv.TotalContainers), strconv.FormatBool(iv.PodReady),
			strconv.Itoa(iv.Restarts), strconv.FormatBool(iv.Deleted), iv.Cause,
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// seconds writes d in seconds with as many digits as it needs ("77.6",
// "0.03", "2.439042848").
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}
