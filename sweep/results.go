package sweep

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// Schema names the version of the results format, in the header record.
const Schema = "podsim.sweep/v1"

// Header describes a sweep, enough to run it again: the first record of its
// results.
type Header struct {
	Schema string `json:"schema"`
	File   string `json:"file"`
	// SHA256 is the hash of the scenario file's content, so that shards run
	// on different machines are known to have run the same file.
	SHA256 string  `json:"sha256"`
	Seeds  Seeds   `json:"seeds"`
	Grid   []Param `json:"grid"`
	// Until is the run length when the command line replaced the
	// scenario's duration.
	Until string `json:"until,omitempty"`
	// MaxEvents is the bound on each run's events when the command line
	// replaced the default: a run past it fails, so shards must agree on it.
	MaxEvents uint64 `json:"maxEvents,omitempty"`
	// Runs is the number of runs of the whole sweep.
	Runs int `json:"runs"`
	// Shard is "i/N" in a shard's results, absent in a whole sweep's.
	Shard string `json:"shard,omitempty"`
}

// NewHeader describes a plan.
func NewHeader(p *Plan, until time.Duration) Header {
	sum := sha256.Sum256(p.Data)
	h := Header{Schema: Schema, File: p.File, SHA256: hex.EncodeToString(sum[:]), Seeds: p.Seeds, Grid: p.Grid, Runs: p.Runs()}
	if h.Grid == nil {
		h.Grid = []Param{}
	}
	if until > 0 {
		h.Until = until.String()
	}
	return h
}

// Result is one run: its number, seed and point, and what it measured, or
// the error that stopped it.
type Result struct {
	Run   int    `json:"run"`
	Seed  uint64 `json:"seed"`
	Point int    `json:"point"`
	// Params are the point's values by Param.Name.
	Params map[string]string `json:"params"`
	Pods   []PodMetrics      `json:"pods"`
	Error  string            `json:"error,omitempty"`
}

// Results are a sweep's (or a shard's) runs, in run order.
type Results struct {
	Header Header
	Runs   []Result
}

// Failed counts the runs that ended in an error.
func (r *Results) Failed() int {
	n := 0
	for _, run := range r.Runs {
		if run.Error != "" {
			n++
		}
	}
	return n
}

// WriteJSONL writes the header, then one record per run. encoding/json
// writes map keys sorted and float64s in their shortest exact form, so the
// same results give the same bytes and read back to the same values.
func (r *Results) WriteJSONL(w io.Writer) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	if err := enc.Encode(r.Header); err != nil {
		return err
	}
	for i := range r.Runs {
		if err := enc.Encode(&r.Runs[i]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadJSONL reads what WriteJSONL wrote; name names the input in errors.
func ReadJSONL(name string, rd io.Reader) (*Results, error) {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 0, 64*1024), 64<<20)
	var res Results
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		var err error
		if line == 1 {
			err = dec.Decode(&res.Header)
			if err == nil && res.Header.Schema != Schema {
				err = fmt.Errorf("schema %q, want %q", res.Header.Schema, Schema)
			}
		} else {
			var r Result
			if err = dec.Decode(&r); err == nil {
				res.Runs = append(res.Runs, r)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: not a podsim sweep record (%v); the file must hold only what podsim sweep -o jsonl wrote", name, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if line == 0 {
		return nil, fmt.Errorf("%s: empty: no podsim sweep header", name)
	}
	return &res, nil
}

// Merge joins the results of a sweep's shards into the results of the
// whole sweep, as one run on one machine would have written them. Every
// shard must be of the same sweep (the same file content, seeds, grid and
// run length), each shard of it given once, and together they must hold
// every run once.
func Merge(parts []*Results, names []string) (*Results, error) {
	if len(parts) == 0 {
		return nil, errors.New("no shards to merge")
	}
	want := parts[0].Header
	want.Shard = ""
	var shards []Shard
	for i, p := range parts {
		h := p.Header
		if h.Shard == "" {
			return nil, fmt.Errorf("%s: not the results of a shard (no \"shard\" in its header)", names[i])
		}
		s, err := ParseShard(h.Shard)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", names[i], err)
		}
		h.Shard = ""
		if !sameHeader(h, want) {
			return nil, fmt.Errorf("%s: a shard of another sweep than %s (the file's content, the seeds, the grid, the run length or the event bound differ)", names[i], names[0])
		}
		for j, o := range shards {
			if o == s {
				return nil, fmt.Errorf("%s and %s: both are shard %s", names[j], names[i], s)
			}
		}
		if len(shards) > 0 && s.Count != shards[0].Count {
			return nil, fmt.Errorf("%s: shard %s of a sweep split %d ways, %s was split %d ways", names[i], s, s.Count, names[0], shards[0].Count)
		}
		shards = append(shards, s)
	}
	if n := shards[0].Count; len(parts) != n {
		var missing []string
		for k := range n {
			if !slices.Contains(shards, Shard{Index: k, Count: n}) {
				missing = append(missing, fmt.Sprintf("%d/%d", k, n))
			}
		}
		return nil, fmt.Errorf("%d shards given, the sweep has %d: missing %v", len(parts), n, missing)
	}
	out := &Results{Header: want, Runs: make([]Result, want.Runs)}
	seen := make([]bool, want.Runs)
	for i, p := range parts {
		for _, r := range p.Runs {
			if r.Run < 0 || r.Run >= want.Runs || !shards[i].Has(r.Run) {
				return nil, fmt.Errorf("%s: run %d does not belong to shard %s", names[i], r.Run, shards[i])
			}
			if seen[r.Run] {
				return nil, fmt.Errorf("%s: run %d given twice", names[i], r.Run)
			}
			seen[r.Run] = true
			out.Runs[r.Run] = r
		}
	}
	for i, ok := range seen {
		if !ok {
			return nil, fmt.Errorf("run %d is in no shard: a shard's results are cut short", i)
		}
	}
	return out, nil
}

// sameHeader compares two headers but for the file's name: shards run on
// different machines may find the same file under different paths.
func sameHeader(a, b Header) bool {
	a.File, b.File = "", ""
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}
