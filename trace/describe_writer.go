package trace

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// tabbed is kubectl's tabbedString: a tabwriter with minwidth 0, tabwidth
// 8, padding 2, padchar ' ' and no flags.
func tabbed(w io.Writer, f func(pw *prefixWriter)) error {
	out := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	pw := &prefixWriter{out: out}
	f(pw)
	if pw.err != nil {
		return pw.err
	}
	return out.Flush()
}

// Indentation levels of kubectl's PrefixWriter: LEVEL_n is 2n spaces.
const (
	level0 = iota
	level1
	level2
	level3
)

// terminalEscaper is kubectl's printers.WriteEscaped replacer (issue
// #101695): ESC and CR are made visible so they cannot drive the terminal.
var terminalEscaper = strings.NewReplacer("\x1b", "^[", "\r", "\\r")

// prefixWriter is kubectl's prefixWriter: Write prepends 2 spaces per level
// and escapes terminal control characters.
type prefixWriter struct {
	out *tabwriter.Writer
	err error
}

func (pw *prefixWriter) write(level int, format string, a ...any) {
	pw.writeEscaped(fmt.Sprintf(strings.Repeat("  ", level)+format, a...))
}

func (pw *prefixWriter) writeLine(a ...any) {
	pw.writeEscaped(fmt.Sprintln(a...))
}

func (pw *prefixWriter) flush() {
	if pw.err == nil {
		pw.err = pw.out.Flush()
	}
}

func (pw *prefixWriter) writeEscaped(s string) {
	if pw.err == nil {
		_, pw.err = terminalEscaper.WriteString(pw.out, s)
	}
}
