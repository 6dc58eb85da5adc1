package podsimtest

import (
	"errors"
	"fmt"
	"io"
)

// TB is the part of testing.TB that podsimtest uses; *testing.T and
// *testing.B satisfy it, and so does [Printer]. It is also the
// require.TestingT of testify.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	FailNow()
}

// Printer is a TB for Example functions and small programs: it writes each
// failure to its writer, one line per message. Fatalf and FailNow also
// panic with ErrFailNow, since outside a test there is no goroutine to end.
type Printer struct {
	w      io.Writer
	failed bool
}

// ErrFailNow is what a Printer panics with on Fatalf or FailNow.
var ErrFailNow = errors.New("podsimtest: FailNow outside a test")

// NewPrinter returns a Printer writing to w.
func NewPrinter(w io.Writer) *Printer { return &Printer{w: w} }

// Helper does nothing: a Printer reports no file and line.
func (p *Printer) Helper() {}

// Errorf writes the failure and carries on.
func (p *Printer) Errorf(format string, args ...any) {
	p.failed = true
	fmt.Fprintf(p.w, "FAIL: "+format+"\n", args...)
}

// Fatalf writes the failure and stops by panicking with ErrFailNow.
func (p *Printer) Fatalf(format string, args ...any) {
	p.Errorf(format, args...)
	panic(ErrFailNow)
}

// FailNow stops by panicking with ErrFailNow.
func (p *Printer) FailNow() {
	p.failed = true
	panic(ErrFailNow)
}

// Failed reports whether anything failed.
func (p *Printer) Failed() bool { return p.failed }
