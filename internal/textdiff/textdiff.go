// Package textdiff aligns two sequences by their longest common subsequence
// and reports the difference as a short edit script, so that one missing
// line is one line of a diff rather than a shift that makes every later
// line differ. It is what podsim's expectation diffs are built on: the
// YAML of a pod expectation, and the rows of a watch.
package textdiff

import "strings"

// Op is one step of an edit script.
type Op uint8

const (
	// Keep: the element is in both sequences.
	Keep Op = iota
	// Delete: the element is only in the first (wanted) sequence.
	Delete
	// Insert: the element is only in the second (got) sequence.
	Insert
)

// Edit is one step: for Keep both indexes are set, for Delete only A, for
// Insert only B (the other is -1).
type Edit struct {
	Op   Op
	A, B int
}

// Align returns the edit script that turns a sequence of length n into one
// of length m, where same(i, j) says whether a[i] and b[j] match. It keeps a
// longest common subsequence; among equally long ones it prefers deletions
// before insertions, so a changed element reads "-old" then "+new". It is
// O(n·m) in time and space, which is plenty for expectations and watches of
// a few hundred lines.
func Align(n, m int, same func(i, j int) bool) []Edit {
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case same(i, j):
				lcs[i][j] = lcs[i+1][j+1] + 1
			case lcs[i+1][j] >= lcs[i][j+1]:
				lcs[i][j] = lcs[i+1][j]
			default:
				lcs[i][j] = lcs[i][j+1]
			}
		}
	}
	var out []Edit
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && same(i, j) && lcs[i][j] == lcs[i+1][j+1]+1:
			out = append(out, Edit{Keep, i, j})
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, Edit{Delete, i, -1})
			i++
		default:
			out = append(out, Edit{Insert, -1, j})
			j++
		}
	}
	return out
}

// Lines diffs two texts line by line, "-want +got": kept lines are
// indented by two spaces, missing ones start "- " and unexpected ones "+ ".
// It returns "" when the texts are equal.
func Lines(want, got string) string {
	a := splitLines(want)
	b := splitLines(got)
	edits := Align(len(a), len(b), func(i, j int) bool { return a[i] == b[j] })
	changed := false
	var sb strings.Builder
	for _, e := range edits {
		switch e.Op {
		case Keep:
			sb.WriteString("  " + a[e.A] + "\n")
		case Delete:
			changed = true
			sb.WriteString("- " + a[e.A] + "\n")
		case Insert:
			changed = true
			sb.WriteString("+ " + b[e.B] + "\n")
		}
	}
	if !changed {
		return ""
	}
	return sb.String()
}

func splitLines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
