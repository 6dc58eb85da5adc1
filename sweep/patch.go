package sweep

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	yamlv3 "go.yaml.in/yaml/v3"

	"github.com/podsim/podsim/scenarios"
)

// target is a parsed Param.Path: a document and a field in it.
type target struct {
	// kind, namespace and name pick a manifest; kind "" is the Scenario
	// document.
	kind, namespace, name string
	fields                []pathField
}

// pathField is one step of a field path: a key (written plainly or in
// brackets), or a list index.
type pathField struct {
	key     string
	index   int // ≥ 0 for a list index
	bracket bool
}

// manifestPrefix is "Kind/name:" or "Kind/namespace/name:".
var manifestPrefix = regexp.MustCompile(`^([A-Z][A-Za-z]*)/(?:([^/:]+)/)?([^/:]+):`)

func parseTarget(path string) (target, error) {
	var t target
	if m := manifestPrefix.FindStringSubmatch(path); m != nil {
		t.kind, t.namespace, t.name = m[1], m[2], m[3]
		path = path[len(m[0]):]
	}
	for i := 0; i < len(path); {
		switch path[i] {
		case '.':
			i++
		case '[':
			end := strings.IndexByte(path[i:], ']')
			if end < 0 {
				return target{}, fmt.Errorf("unclosed [ in %q", path)
			}
			inner := path[i+1 : i+end]
			if inner == "" {
				return target{}, fmt.Errorf("empty [] in %q", path)
			}
			f := pathField{key: inner, index: -1, bracket: true}
			if n, err := strconv.Atoi(inner); err == nil && n >= 0 {
				f = pathField{index: n}
			}
			t.fields = append(t.fields, f)
			i += end + 1
		default:
			j := i
			for j < len(path) && path[j] != '.' && path[j] != '[' {
				j++
			}
			t.fields = append(t.fields, pathField{key: path[i:j], index: -1})
			i = j
		}
	}
	if len(t.fields) == 0 {
		return target{}, errors.New("no field path")
	}
	return t, nil
}

// patch returns the scenario file with each Param's field set to its value
// at this point. The YAML is decoded into nodes and encoded again, so
// comments and key order stay; line numbers in later errors are those of
// the patched text.
func patch(data []byte, grid []Param, values []string) ([]byte, error) {
	var docs []*yamlv3.Node
	dec := yamlv3.NewDecoder(bytes.NewReader(data))
	for {
		var n yamlv3.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, &n)
	}
	for i, g := range grid {
		t, err := parseTarget(g.Path)
		if err != nil {
			return nil, err
		}
		var v yamlv3.Node
		if err := yamlv3.Unmarshal([]byte(values[i]), &v); err != nil || len(v.Content) == 0 {
			return nil, fmt.Errorf("%s: value %q is not YAML", g.Path, values[i])
		}
		doc := findDocument(&docs, t)
		if doc == nil {
			return nil, fmt.Errorf("%s: the file has no %s %q", g.Path, t.kind, t.name)
		}
		if err := setField(doc, t.fields, v.Content[0]); err != nil {
			return nil, fmt.Errorf("%s: %w", g.Path, err)
		}
	}
	var out bytes.Buffer
	enc := yamlv3.NewEncoder(&out)
	enc.SetIndent(2)
	for _, d := range docs {
		if err := enc.Encode(d); err != nil {
			return nil, err
		}
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// findDocument returns the mapping at the root of the document t names.
// A file without a Scenario document gets one.
func findDocument(docs *[]*yamlv3.Node, t target) *yamlv3.Node {
	for _, d := range *docs {
		if d.Kind != yamlv3.DocumentNode || len(d.Content) == 0 || d.Content[0].Kind != yamlv3.MappingNode {
			continue
		}
		root := d.Content[0]
		kind, api := scalar(root, "kind"), scalar(root, "apiVersion")
		meta := child(root, pathField{key: "metadata", index: -1})
		switch {
		case t.kind == "" && api == scenarios.APIVersion && kind == scenarios.ScenarioKind:
			return root
		case t.kind != "" && kind == t.kind && meta != nil && scalar(meta, "name") == t.name &&
			(t.namespace == "" || scalar(meta, "namespace") == t.namespace || (t.namespace == "default" && scalar(meta, "namespace") == "")):
			return root
		}
	}
	if t.kind != "" {
		return nil
	}
	root := &yamlv3.Node{Kind: yamlv3.MappingNode}
	root.Content = append(root.Content, str("apiVersion"), str(scenarios.APIVersion), str("kind"), str(scenarios.ScenarioKind))
	*docs = append(*docs, &yamlv3.Node{Kind: yamlv3.DocumentNode, Content: []*yamlv3.Node{root}})
	return root
}

func str(s string) *yamlv3.Node { return &yamlv3.Node{Kind: yamlv3.ScalarNode, Tag: "!!str", Value: s} }

// scalar is the value of a scalar key of a mapping, or "".
func scalar(m *yamlv3.Node, key string) string {
	if n := child(m, pathField{key: key, index: -1}); n != nil && n.Kind == yamlv3.ScalarNode {
		return n.Value
	}
	return ""
}

// child follows one step: a mapping's key, a list's index, or the element
// of a list of mappings whose name is the bracketed key.
func child(n *yamlv3.Node, f pathField) *yamlv3.Node {
	switch {
	case n.Kind == yamlv3.MappingNode && f.index < 0:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == f.key {
				return n.Content[i+1]
			}
		}
	case n.Kind == yamlv3.SequenceNode && f.index >= 0:
		if f.index < len(n.Content) {
			return n.Content[f.index]
		}
	case n.Kind == yamlv3.SequenceNode && f.bracket:
		for _, e := range n.Content {
			if e.Kind == yamlv3.MappingNode && scalar(e, "name") == f.key {
				return e
			}
		}
	}
	return nil
}

// setField walks fields from root, making the mappings that are missing,
// and sets the last one to v.
func setField(root *yamlv3.Node, fields []pathField, v *yamlv3.Node) error {
	n := root
	for i, f := range fields {
		last := i == len(fields)-1
		next := child(n, f)
		switch {
		case next != nil && last:
			*next = *v
			return nil
		case next != nil:
			n = next
		case n.Kind == yamlv3.MappingNode && f.index < 0:
			val := v
			if !last {
				val = &yamlv3.Node{Kind: yamlv3.MappingNode}
			}
			n.Content = append(n.Content, str(f.key), val)
			n = val
		default:
			return fmt.Errorf("%s has no %s", describe(fields[:i]), describe(fields[i:i+1]))
		}
	}
	return nil
}

// describe writes fields back as a path, for messages.
func describe(fields []pathField) string {
	if len(fields) == 0 {
		return "the document"
	}
	var b strings.Builder
	for i, f := range fields {
		switch {
		case f.index >= 0:
			fmt.Fprintf(&b, "[%d]", f.index)
		case f.bracket:
			fmt.Fprintf(&b, "[%s]", f.key)
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.key)
		}
	}
	return b.String()
}
