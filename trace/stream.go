package trace

import (
	"encoding/json"
	"io"

	"github.com/podsim/podsim/lifecycle"
)

// JSONLStream writes records as JSON Lines as they are added, the same
// lines WriteJSONL writes for a whole trace: set it as a Trace's Forward,
// with Discard, and a run of any length keeps no history in memory.
type JSONLStream struct {
	enc   *json.Encoder
	h     Header
	rules lifecycle.Rules
	n     int
	err   error
}

// NewJSONLStream writes the header record (its duration is the run's
// planned one, h.Duration) and returns the stream.
func NewJSONLStream(w io.Writer, h Header, rules lifecycle.Rules) (*JSONLStream, error) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(newHeaderRecord(h)); err != nil {
		return nil, err
	}
	return &JSONLStream{enc: enc, h: h, rules: rules}, nil
}

// Add writes the record. After a write error it writes nothing more; Err
// says what went wrong.
func (s *JSONLStream) Add(r Record) {
	if s.err != nil {
		return
	}
	if s.err = encodeRecord(s.enc, s.h.Epoch, r, s.rules); s.err == nil {
		s.n++
	}
}

// Written is the number of records written.
func (s *JSONLStream) Written() int { return s.n }

// Err is the first write error, or nil.
func (s *JSONLStream) Err() error { return s.err }

// StreamTo hands the records kept so far, then every later one, to s, and
// keeps none from now on: what a caller does after building a cluster (which
// records its nodes) and before running it.
func (t *Trace) StreamTo(s Sink) {
	for _, r := range t.All() {
		s.Add(r)
	}
	t.Discarded += t.Len()
	t.log, t.tab = nil, nil
	t.Forward, t.Discard = s, true
}
