package seeds

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Row is one parsed line of `kubectl get pods -w`.
type Row struct {
	Name, Ready, Status string
	Restarts            int
	// Ago is the "(Xs ago)" of RESTARTS, "" when absent.
	Ago string
	Age string
}

// ParseRows reads the lines of a watch table, skipping its header.
func ParseRows(table string) ([]Row, error) {
	var rows []Row
	for _, line := range strings.Split(strings.TrimSpace(table), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] == "NAME" {
			continue
		}
		if len(f) != 5 && len(f) != 7 {
			return nil, fmt.Errorf("cannot read watch line %q", line)
		}
		n, err := strconv.Atoi(f[3])
		if err != nil {
			return nil, fmt.Errorf("watch line %q: RESTARTS %q", line, f[3])
		}
		r := Row{Name: f[0], Ready: f[1], Status: f[2], Restarts: n, Age: f[len(f)-1]}
		if len(f) == 7 {
			r.Ago = strings.TrimPrefix(f[4], "(")
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// humanInterval returns the durations a HumanDuration string stands for:
// "8m55s" is [535s, 536s), "10m" is [600s, 660s), "2d1h" is a whole hour.
func humanInterval(s string) (lo, hi time.Duration, err error) {
	units := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'y': 365 * 24 * time.Hour}
	var total, last time.Duration
	num := ""
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= '0' && ch <= '9' {
			num += string(ch)
			continue
		}
		u, ok := units[ch]
		if !ok || num == "" {
			return 0, 0, fmt.Errorf("not a human duration: %q", s)
		}
		n, _ := strconv.Atoi(num)
		total += time.Duration(n) * u
		last, num = u, ""
	}
	if num != "" || last == 0 {
		return 0, 0, fmt.Errorf("not a human duration: %q", s)
	}
	return total, total + last, nil
}

// durationClose reports whether two HumanDuration strings may stand for
// times at most tol apart.
func durationClose(got, want string, tol time.Duration) (bool, error) {
	glo, ghi, err := humanInterval(got)
	if err != nil {
		return false, err
	}
	wlo, whi, err := humanInterval(want)
	if err != nil {
		return false, err
	}
	gap := max(glo-(whi-time.Nanosecond), wlo-(ghi-time.Nanosecond), 0)
	return gap <= tol, nil
}

// CompareRows checks a simulated watch against a seed's: the same lines in
// the same order with the same NAME, READY, STATUS and restart count; AGE
// and "(Xs ago)" identical for the first exact lines and within tol after.
// It returns one message per difference.
func CompareRows(got, want []Row, exact int, tol time.Duration) []string {
	var diffs []string
	if len(got) != len(want) {
		diffs = append(diffs, fmt.Sprintf("got %d lines, want %d", len(got), len(want)))
	}
	for i := 0; i < min(len(got), len(want)); i++ {
		g, w := got[i], want[i]
		where := fmt.Sprintf("line %d: got %s %s %d %q %s, want %s %s %d %q %s", i+1,
			g.Ready, g.Status, g.Restarts, g.Ago, g.Age, w.Ready, w.Status, w.Restarts, w.Ago, w.Age)
		if g.Name != w.Name || g.Ready != w.Ready || g.Status != w.Status || g.Restarts != w.Restarts || (g.Ago == "") != (w.Ago == "") {
			diffs = append(diffs, where)
			continue
		}
		if i < exact {
			if g.Age != w.Age || g.Ago != w.Ago {
				diffs = append(diffs, where+" (must be exact)")
			}
			continue
		}
		okAge, err1 := durationClose(g.Age, w.Age, tol)
		okAgo := true
		var err2 error
		if w.Ago != "" {
			okAgo, err2 = durationClose(g.Ago, w.Ago, tol)
		}
		if err1 != nil || err2 != nil || !okAge || !okAgo {
			diffs = append(diffs, fmt.Sprintf("%s (must be within %v)", where, tol))
		}
	}
	return diffs
}
