package scenarios

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

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
			// "--- {apiVersion: v1, …}": the document starts on the
			// marker's line (its content was dropped, and with it the
			// object, without a word). Blanks keep its columns.
			if rest := strings.TrimSpace(trimmed[3:]); rest != "" && !strings.HasPrefix(rest, "#") {
				start = i + 1
				cur.WriteString("   " + line[3:])
			}
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
	if n.Kind != yamlv3.ScalarNode || n.ShortTag() == "!!null" {
		return "" // "name: null" or "name: ~" decodes to no name
	}
	return n.Value
}

// nodeAt returns the node a field path reaches, or nil.
func (d *document) nodeAt(path string) *yamlv3.Node {
	if d.node == nil {
		return nil
	}
	n := d.node
	if n.Kind == yamlv3.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, seg := range parsePath(d.prefix + path) {
		if n = step(n, seg); n == nil {
			return nil
		}
	}
	return n
}

// has reports whether a field path is written in the document.
func (d *document) has(path string) bool { return d.nodeAt(path) != nil }

// yamlPos is a place in a document, seen next to the Go type decoded there.
// The decoders podsim uses name a place three ways, none of them the way a
// field.Path prints it, so the walk keeps all of them.
type yamlPos struct {
	node *yamlv3.Node
	t    reflect.Type // the Go type decoded here, pointers removed; nil where unknown
	ptr  bool         // the Go type is a pointer (null leaves it nil)
	// path is the place as podsim's errors print it (apimachinery's
	// field.Path style): spec.containers[0].image, behaviors[web/app].
	path string
	// goPath is the place as encoding/json's type errors name it: struct
	// fields only, no list indices, no map keys (spec.containers.image).
	goPath string
	// jsonPath is the place as sigs.k8s.io/json's strict errors name it:
	// map keys as fields (behaviors.web/app.steps[0]).
	jsonPath string
}

var jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// walkYAML visits every node under n in document order, with the Go type
// t it decodes into (nil for unknown), until visit returns false. Aliases
// are not followed: what they name is visited where it is written, and
// following them could take exponential time.
func walkYAML(n *yamlv3.Node, t reflect.Type, visit func(p *yamlPos) bool) {
	walkAt(&yamlPos{node: n, t: t}, visit)
}

func walkAt(p *yamlPos, visit func(p *yamlPos) bool) bool {
	for p.t != nil && p.t.Kind() == reflect.Pointer {
		p.t, p.ptr = p.t.Elem(), true
	}
	if !visit(p) {
		return false
	}
	t := p.t
	if t != nil && reflect.PointerTo(t).Implements(jsonUnmarshalerType) {
		t = nil // decoded by its own rules (Duration, Quantity, RawMessage, …)
	}
	n := p.node
	switch n.Kind {
	case yamlv3.SequenceNode:
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i, c := range n.Content {
			idx := fmt.Sprintf("[%d]", i)
			if !walkAt(&yamlPos{node: c, t: elem, path: p.path + idx, goPath: p.goPath, jsonPath: p.jsonPath + idx}, visit) {
				return false
			}
		}
	case yamlv3.MappingNode:
		var fields map[string]jsonField
		var elem reflect.Type
		switch {
		case t == nil:
		case t.Kind() == reflect.Struct:
			fields = jsonFields(t)
		case t.Kind() == reflect.Map:
			elem = t.Elem()
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i].Value, n.Content[i+1]
			c := &yamlPos{node: val, jsonPath: joinField(p.jsonPath, key), goPath: p.goPath}
			switch {
			case fields != nil:
				f, ok := fields[key]
				if !ok {
					continue // an unknown field: the strict decoder reports it
				}
				c.t, c.path, c.goPath = f.t, joinField(p.path, key), joinField(p.goPath, f.goPath)
			case elem != nil:
				c.t, c.path = elem, p.path+"["+key+"]"
			default:
				c.path = joinField(p.path, key)
				if !fieldNameRe.MatchString(key) {
					c.path = p.path + "[" + key + "]"
				}
			}
			if !walkAt(c, visit) {
				return false
			}
		}
	}
	return true
}

var fieldNameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func joinField(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

type jsonField struct {
	t      reflect.Type
	goPath string // the name, after the Go names of embedded structs it comes through
}

// fieldCache holds jsonFields' answers: a pod of many containers walks the
// same types again and again. Only the loader's goroutine uses it, but
// tests parse in parallel, so it is a sync.Map.
var fieldCache sync.Map // reflect.Type → map[string]jsonField

// jsonFields lists a struct's fields by JSON name, as encoding/json sees
// them: embedded structs without a name are inlined. The map is shared:
// callers must not modify it.
func jsonFields(t reflect.Type) map[string]jsonField {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]jsonField)
	}
	m := computeJSONFields(t)
	fieldCache.Store(t, m)
	return m
}

func computeJSONFields(t reflect.Type) map[string]jsonField {
	out := map[string]jsonField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			for k, v := range jsonFields(ft) {
				if _, taken := out[k]; !taken {
					out[k] = jsonField{t: v.t, goPath: f.Name + "." + v.goPath}
				}
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = jsonField{t: f.Type, goPath: name}
	}
	return out
}
