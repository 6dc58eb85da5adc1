package scenarios

import (
	"strconv"
	"strings"

	yamlv3 "go.yaml.in/yaml/v3"
)

// document is one YAML document of a stream and where it starts.
type document struct {
	text      string
	startLine int // 1-based line of the document's first line in the file
	node      *yamlv3.Node
	// prefix is prepended to field paths: an object written inside the
	// Scenario document (an action's create) is a view of it.
	prefix string
}

// within returns a view of the document for an object written at path.
func (d *document) within(path string) *document {
	v := *d
	v.prefix = d.prefix + path + "."
	return &v
}

// splitDocuments cuts a YAML stream at its `---` separators, keeping each
// document's first line number so errors can point into the file.
func splitDocuments(data string) []document {
	var docs []document
	lines := strings.SplitAfter(data, "\n")
	var cur strings.Builder
	start := 1
	flush := func(next int) {
		if strings.TrimSpace(stripComments(cur.String())) != "" {
			docs = append(docs, document{text: cur.String(), startLine: start})
		}
		cur.Reset()
		start = next
	}
	for i, line := range lines {
		trimmed := strings.TrimRight(line, " \t\r\n")
		if trimmed == "---" || strings.HasPrefix(trimmed, "--- ") || trimmed == "..." {
			flush(i + 2)
			continue
		}
		cur.WriteString(line)
	}
	flush(len(lines) + 1)
	return docs
}

func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		b.WriteString(line)
		b.WriteString("\n")
	}
	return b.String()
}

// pathSegment is one step of a field path: a map key or a list index.
type pathSegment struct {
	key   string
	index int // -1 for a key
}

// parsePath reads a field path such as spec.containers[0].livenessProbe or
// behaviors[web/app].script. Keys in brackets that are not numbers are map
// keys (apimachinery's field.Path prints map keys that way).
func parsePath(path string) []pathSegment {
	var out []pathSegment
	for i := 0; i < len(path); {
		switch path[i] {
		case '.':
			i++
		case '[':
			end := strings.IndexByte(path[i:], ']')
			if end < 0 {
				return out
			}
			inner := path[i+1 : i+end]
			if n, err := strconv.Atoi(inner); err == nil {
				out = append(out, pathSegment{index: n})
			} else {
				out = append(out, pathSegment{key: inner, index: -1})
			}
			i += end + 1
		default:
			j := i
			for j < len(path) && path[j] != '.' && path[j] != '[' {
				j++
			}
			out = append(out, pathSegment{key: path[i:j], index: -1})
			i = j
		}
	}
	return out
}

// lineOf finds the line of a field path in a document: the deepest node
// the path reaches (a missing field points at its parent), as a 1-based
// line of the whole file.
func (d *document) lineOf(path string) int {
	if d.node == nil {
		return d.startLine
	}
	path = d.prefix + path
	n := d.node
	if n.Kind == yamlv3.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, seg := range parsePath(path) {
		next := step(n, seg)
		if next == nil {
			break
		}
		n = next
		line = n.Line
	}
	return d.startLine + line - 1
}

// step follows one path segment from a node: a key of a mapping (the key's
// value node, reported at the key's line) or an index of a sequence.
func step(n *yamlv3.Node, seg pathSegment) *yamlv3.Node {
	for n.Kind == yamlv3.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch {
	case seg.index >= 0 && n.Kind == yamlv3.SequenceNode:
		if seg.index < len(n.Content) {
			return n.Content[seg.index]
		}
	case seg.index < 0 && n.Kind == yamlv3.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == seg.key {
				v := *n.Content[i+1]
				v.Line = n.Content[i].Line
				return &v
			}
		}
	}
	return nil
}

// topString returns a top-level string field of a document, for apiVersion,
// kind and metadata.name before the document is decoded.
func (d *document) topString(path string) string {
	if d.node == nil {
		return ""
	}
	n := d.node
	if n.Kind == yamlv3.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, seg := range parsePath(path) {
		if n = step(n, seg); n == nil {
			return ""
		}
	}
	if n.Kind != yamlv3.ScalarNode {
		return ""
	}
	return n.Value
}
