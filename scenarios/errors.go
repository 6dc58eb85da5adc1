package scenarios

import (
	"fmt"
	"strings"
)

// Error is one problem in a scenario file: where it is and what is wrong,
// in the words of the Kubernetes API's validation where there are such
// words (`spec.containers[0].livenessProbe.successThreshold: Invalid value:
// 2: must be 1`).
type Error struct {
	File string
	// Line is the 1-based line of the offending field, or 0 if unknown.
	Line int
	// Object names the document, e.g. `Pod "liveness"` or `Scenario`.
	Object string
	// Msg is the message, starting with the field path when there is one.
	Msg string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Object != "" {
		b.WriteString(e.Object)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem found in one file, in file order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}
