package scenarios

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	yamlv3 "go.yaml.in/yaml/v3"
)

// Bounds on what a scenario file may make podsim do before it runs. A
// scenario is the manifests of a few pods and what happens to them; these
// leave ample room for that (and for generated files of many thousand
// pods), and turn a file built to exhaust memory into an error naming it.
const (
	// MaxFileBytes is the largest scenario file podsim reads.
	MaxFileBytes = 32 << 20
	// MaxDocuments is the most YAML documents one file may hold.
	MaxDocuments = 100_000
	// maxExpansion bounds how much YAML aliases may grow a document: its
	// text with every alias replaced by what it names may be at most this
	// many times the document's size (plus minExpansionBytes). A YAML
	// "billion laughs" document expands exponentially; an ordinary use of
	// anchors, such as a shared probe, barely at all.
	// maxObjectBytes is the API server's bound on a request body
	// (apiserver's MaxRequestBodyBytes default, 3 MiB): no object larger
	// can be created, so none is read.
	maxObjectBytes    = 3 << 20
	maxExpansion      = 10
	minExpansionBytes = 1 << 20
)

// errNotRegular is the error for a path that is not a regular file: a
// FIFO or a device such as /dev/zero would make a plain read block or
// never end.
var errNotRegular = errors.New("not a regular file")

// readFile reads a scenario file of at most MaxFileBytes: only regular
// files, and never more than the bound even if the file grows meanwhile.
func readFile(path string) ([]byte, error) {
	info, err := os.Stat(path) // not Open first: opening a FIFO blocks
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			pe.Op = "open" // what a reader of the message expects
		}
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w but %s: give a scenario file", path, errNotRegular, fileKind(info.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadLimited(path, f)
}

// ReadLimited reads a scenario from r (standard input, say), refusing more
// than MaxFileBytes; name names it in the error.
func ReadLimited(name string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("%s: larger than %d MiB: podsim reads scenario files up to that size", name, MaxFileBytes>>20)
	}
	return data, nil
}

// expandedSize is the size of n's text with its aliases expanded, or
// limit+1 as soon as it passes limit, so that a document of exponential
// expansion is measured in time proportional to its own size. memo holds
// the sizes of anchored nodes already measured.
func expandedSize(n *yamlv3.Node, limit int, memo map[*yamlv3.Node]int) int {
	if n == nil {
		return 0
	}
	if v, ok := memo[n]; ok {
		return v
	}
	size := 0
	switch n.Kind {
	case yamlv3.AliasNode:
		memo[n] = limit + 1 // an alias cycle counts as unbounded
		size = expandedSize(n.Alias, limit, memo)
	case yamlv3.ScalarNode:
		size = len(n.Value) + 1
	default:
		size = 1
		for _, c := range n.Content {
			size += expandedSize(c, limit, memo)
			if size > limit {
				size = limit + 1
				break
			}
		}
	}
	memo[n] = size
	return size
}

// checkExpansion refuses a document whose aliases expand it past the bound.
func (l *loader) checkExpansion(d *document) bool {
	limit := maxExpansion*len(d.text) + minExpansionBytes
	if expandedSize(d.node, limit, map[*yamlv3.Node]int{}) <= limit {
		return true
	}
	l.add(d, "", "", "YAML aliases expand this document to more than %d bytes (%d times its size, plus 1 MiB): podsim does not expand it", limit, maxExpansion)
	return false
}

// fileKind names what a path that is not a regular file is.
func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "not a file podsim can read"
}
