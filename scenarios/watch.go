package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/podsim/podsim/internal/textdiff"
)

// WatchRow is one parsed line of `kubectl get pods -w`.
type WatchRow struct {
	Name, Ready, Status string
	Restarts            int
	// Ago is the "(Xs ago)" of RESTARTS, "" when absent.
	Ago string
	Age string
	// Wide holds the -o wide columns, when present.
	Wide []string
}

// ParseWatch reads the lines of a watch table; a header line (starting
// with NAME) is skipped.
func ParseWatch(table string) ([]WatchRow, error) {
	var rows []WatchRow
	for _, line := range strings.Split(strings.TrimSpace(table), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] == "NAME" {
			continue
		}
		if len(f) < 5 {
			return nil, fmt.Errorf("cannot read watch line %q: want NAME READY STATUS RESTARTS AGE", line)
		}
		n, err := strconv.Atoi(f[3])
		if err != nil {
			return nil, fmt.Errorf("cannot read watch line %q: RESTARTS %q is not a number", line, f[3])
		}
		r := WatchRow{Name: f[0], Ready: f[1], Status: f[2], Restarts: n}
		rest := f[4:]
		if len(rest) >= 2 && strings.HasPrefix(rest[0], "(") && rest[1] == "ago)" {
			r.Ago, rest = strings.TrimPrefix(rest[0], "("), rest[2:]
		}
		if len(rest) == 0 {
			return nil, fmt.Errorf("cannot read watch line %q: no AGE", line)
		}
		r.Age, r.Wide = rest[0], rest[1:]
		rows = append(rows, r)
	}
	return rows, nil
}

func (r WatchRow) String() string {
	restarts := strconv.Itoa(r.Restarts)
	if r.Ago != "" {
		restarts += " (" + r.Ago + " ago)"
	}
	s := strings.Join([]string{r.Name, r.Ready, r.Status, restarts, r.Age}, "  ")
	if len(r.Wide) > 0 {
		s += "  " + strings.Join(r.Wide, "  ")
	}
	return s
}

// humanInterval returns the durations a HumanDuration string stands for:
// "8m55s" is [535s, 536s), "10m" is [600s, 660s). kubectl allows its clock
// to lag by up to 2 s (apimachinery/pkg/util/duration.HumanDuration): "0s"
// is (-2s, 1s) and "<invalid>" is anything at or before -2s, a time in
// kubectl's future.
func humanInterval(s string) (lo, hi time.Duration, err error) {
	switch s {
	case "<invalid>":
		return math.MinInt64, -2*time.Second + time.Nanosecond, nil
	case "0s":
		return -2*time.Second + time.Nanosecond, time.Second, nil
	}
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
			return 0, 0, fmt.Errorf("not a kubectl age: %q", s)
		}
		n, _ := strconv.Atoi(num)
		total += time.Duration(n) * u
		last, num = u, ""
	}
	if num != "" || last == 0 {
		return 0, 0, fmt.Errorf("not a kubectl age: %q", s)
	}
	return total, total + last, nil
}

// agesClose reports whether two kubectl ages may stand for times at most
// tol apart.
func agesClose(got, want string, tol time.Duration) bool {
	if got == want {
		return true
	}
	glo, ghi, err1 := humanInterval(got)
	wlo, whi, err2 := humanInterval(want)
	if err1 != nil || err2 != nil {
		return false
	}
	// The distance between the intervals [glo, ghi) and [wlo, whi);
	// compared, not subtracted first, since "<invalid>" reaches MinInt64.
	switch {
	case ghi <= wlo:
		return wlo-(ghi-time.Nanosecond) <= tol
	case whi <= glo:
		return glo-(whi-time.Nanosecond) <= tol
	}
	return true
}

// CompareWatch checks a simulated watch against an expected one: the same
// lines in the same order with the same NAME, READY, STATUS and restart
// count (and -o wide columns, if the expected lines have them); AGE and
// "(Xs ago)" identical for the first exact lines and within tol after. It
// returns one message per difference.
//
// The lines are aligned by longest common subsequence of those columns, so
// a line that is missing (or one too many) is one message, "line 4:
// missing, want …", and the lines after it still compare with their
// partners. Where as many lines are missing as are unexpected in one place,
// they are shown as changed lines, want and got side by side.
func CompareWatch(got, want []WatchRow, exact int, tol time.Duration) []string {
	same := func(wi, gi int) bool {
		g, w := got[gi], want[wi]
		if len(w.Wide) == 0 {
			g.Wide = nil
		}
		return g.Name == w.Name && g.Ready == w.Ready && g.Status == w.Status && g.Restarts == w.Restarts &&
			(g.Ago == "") == (w.Ago == "") && strings.Join(g.Wide, " ") == strings.Join(w.Wide, " ")
	}
	edits := textdiff.Align(len(want), len(got), same)
	var diffs []string
	for k := 0; k < len(edits); {
		e := edits[k]
		if e.Op == textdiff.Keep {
			if msg := compareAges(got[e.B], want[e.A], e.A, exact, tol); msg != "" {
				diffs = append(diffs, msg)
			}
			k++
			continue
		}
		// A hunk: the deletions and insertions until the next kept line.
		var dels, ins []int
		for ; k < len(edits) && edits[k].Op != textdiff.Keep; k++ {
			if edits[k].Op == textdiff.Delete {
				dels = append(dels, edits[k].A)
			} else {
				ins = append(ins, edits[k].B)
			}
		}
		if len(dels) == len(ins) {
			for n := range dels {
				diffs = append(diffs, fmt.Sprintf("line %d:\n   want  %s\n   got   %s", dels[n]+1, want[dels[n]], got[ins[n]]))
			}
			continue
		}
		for _, wi := range dels {
			diffs = append(diffs, fmt.Sprintf("line %d: missing, want  %s", wi+1, want[wi]))
		}
		for _, gi := range ins {
			diffs = append(diffs, fmt.Sprintf("line %d: unexpected    %s", gi+1, got[gi]))
		}
	}
	return diffs
}

// compareAges checks the AGE and "(Xs ago)" of two lines that otherwise
// match; wi is the wanted line's index, which decides exact or tolerant.
func compareAges(g, w WatchRow, wi, exact int, tol time.Duration) string {
	if len(w.Wide) == 0 {
		g.Wide = nil
	}
	if wi < exact {
		if g.Age == w.Age && g.Ago == w.Ago {
			return ""
		}
		return fmt.Sprintf("line %d (ages must match exactly):\n   want  %s\n   got   %s", wi+1, w, g)
	}
	if agesClose(g.Age, w.Age, tol) && (w.Ago == "" || agesClose(g.Ago, w.Ago, tol)) {
		return ""
	}
	return fmt.Sprintf("line %d (ages must be within %v):\n   want  %s\n   got   %s", wi+1, tol, w, g)
}
