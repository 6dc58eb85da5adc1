// Package playback plays a recorded `kubectl get pods -w` table back in
// real time, or N times faster: each row appears at its moment, as it would
// in the terminal of someone watching the cluster. It is what
// `podsim run --follow --speed 10` does, for a live demo or a classroom.
//
// The simulation itself never waits: podsim runs the whole scenario in
// virtual time first (a 13-minute story takes about a millisecond), then
// hands the rows with their virtual times to [Play], which waits on a
// [Clock] between them. Real time appears only here.
//
// # What a watching kubectl prints
//
// kubectl get -w writes each watch event through a tab writer and flushes
// it at once (staging/src/k8s.io/kubectl/pkg/cmd/get/get.go, watch), and
// that tab writer remembers column widths across flushes
// (k8s.io/cli-runtime/pkg/printers/tabwriter.go: github.com/liggitt/tabwriter
// with RememberWidths). So a live watch does not look like the table
// `podsim run` prints, which is aligned as a whole: a row can only be as
// wide as the widest cell seen so far, and when a wider one comes
// (ContainerCreating after Pending) the columns move right from that row
// on. Play writes with the same tab writer, the same settings and the same
// flushes: the list a watch starts with (the header and the pods that
// exist when it starts) in one flush, then one flush per event. The header
// comes with the first row: kubectl prints it with the first object.
//
// # Time
//
// A row due at virtual time t is written at start + (t − From)/Speed,
// where start is the clock's time when Play began; rows are scheduled
// against that one start, so waits do not add up errors. After the last
// row Play waits until the run's end, as a watch left open would show
// nothing more until then. benbjohnson/clock's Clock satisfies [Clock]:
// the command line passes the real clock, tests a *clock.Mock (or the real
// clock inside a testing/synctest bubble), so no test sleeps for real.
package playback
