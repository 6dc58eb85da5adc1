package sweep

import (
	"encoding/csv"
	"io"
	"strconv"
)

// WriteCSV writes one row per run and pod, for pandas.read_csv: the run,
// its seed and point, the point's values (a column per grid dimension),
// the pod and its metrics (times in seconds, empty when the thing never
// happened), and the run's error. A run that failed has one row with its
// error and no pod.
func WriteCSV(w io.Writer, r *Results) error {
	cw := csv.NewWriter(w)
	header := []string{"run", "seed", "point"}
	for _, g := range r.Header.Grid {
		header = append(header, g.Name)
	}
	header = append(header, "namespace", "pod", "ready_s", "first_restart_s", "restarts", "liveness_detection_s", "readiness_detection_s", "error")
	if err := cw.Write(header); err != nil {
		return err
	}
	secs := func(s *Seconds) string {
		if s == nil {
			return ""
		}
		return strconv.FormatFloat(float64(*s), 'g', -1, 64)
	}
	for _, run := range r.Runs {
		lead := []string{strconv.Itoa(run.Run), strconv.FormatUint(run.Seed, 10), strconv.Itoa(run.Point)}
		for _, g := range r.Header.Grid {
			lead = append(lead, run.Params[g.Name])
		}
		if run.Error != "" || len(run.Pods) == 0 {
			if err := cw.Write(append(lead, "", "", "", "", "", "", "", run.Error)); err != nil {
				return err
			}
			continue
		}
		for _, m := range run.Pods {
			row := append(append([]string{}, lead...), m.Namespace, m.Pod, secs(m.Ready), secs(m.FirstRestart),
				strconv.Itoa(int(m.Restarts)), secs(m.LivenessDetection), secs(m.ReadinessDetection), "")
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
