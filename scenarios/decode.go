package scenarios

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	yamlv3 "go.yaml.in/yaml/v3"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

var yamlLineRe = regexp.MustCompile(`line (\d+)`)

// yamlErrorLine turns the document-relative line of a YAML syntax error
// into a file line.
func yamlErrorLine(err error, start int) int {
	m := yamlLineRe.FindStringSubmatch(err.Error())
	if m == nil {
		return start
	}
	var n int
	fmt.Sscanf(m[1], "%d", &n)
	return start + n - 1
}

// yamlParserProblems are the errors of yaml.v3's parser (not its scanner),
// with the collection each is found in. For these yaml.v3 prints the
// 0-based line of where that collection starts (or, when it starts on the
// first line, of the problem): one less than the line it means.
var yamlParserProblems = map[string]string{
	"did not find expected ',' or '}'":       "flow mapping",
	"did not find expected ',' or ']'":       "flow sequence",
	"did not find expected key":              "mapping",
	"did not find expected '-' indicator":    "list",
	"did not find expected node content":     "",
	"did not find expected <document start>": "",
}

// syntaxError places a YAML syntax error of a document: at the line of the
// problem, and for an unclosed collection also where that starts.
func syntaxError(d *document, err error) (int, string) {
	line, msg := yamlErrorLine(err, d.startLine), yamlErrorText(err)
	problem := strings.TrimPrefix(msg, "invalid YAML: ")
	in, isParser := yamlParserProblems[problem]
	if !isParser || !yamlLineRe.MatchString(err.Error()) {
		return line, msg
	}
	line++
	// yaml.v2 (under sigs.k8s.io/yaml) prints the 0-based line of the
	// problem itself for the same error.
	_, err2 := yaml.YAMLToJSON([]byte(d.text))
	if err2 == nil || yamlErrorText(err2) != msg || !yamlLineRe.MatchString(err2.Error()) {
		return line, msg
	}
	at := yamlErrorLine(err2, d.startLine) + 1
	if at > line && in != "" {
		msg += fmt.Sprintf(" (in the %s that starts at line %d)", in, line)
	}
	return max(at, line), msg
}

func yamlErrorText(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = yamlLineRe.ReplaceAllString(msg, "")
	msg = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(msg), ":"))
	return "invalid YAML: " + msg
}

var strictFieldRe = regexp.MustCompile(`(unknown|duplicate) field "([^"]*)"`)

// decode converts a document to JSON the way kubectl does (YAML 1.1
// scalars) and decodes it strictly: unknown and duplicate fields are errors
// naming their path.
func (l *loader) decode(d *document, object string, into any) bool {
	js, err := yaml.YAMLToJSON([]byte(d.text))
	if err != nil {
		l.errs = append(l.errs, &Error{File: l.file, Line: yamlErrorLine(err, d.startLine), Object: object, Msg: yamlErrorText(err)})
		return false
	}
	// YAMLToJSON keeps the last of two equal keys without a word, so the
	// strict decoder never sees them: find them in the YAML itself.
	ok := l.duplicateKeys(d, object, reflect.TypeOf(into))
	return l.decodeJSON(d, d.nodeAt(""), object, js, into) && ok
}

// decodeJSON decodes js, converted from the YAML at root, strictly into
// into, reporting each problem at its field path and line. The decoders'
// own messages name Go types and struct fields and drop list indices and
// map keys; the YAML walked next to the Go type gives them back.
func (l *loader) decodeJSON(d *document, root *yamlv3.Node, object string, js []byte, into any) bool {
	t := reflect.TypeOf(into)
	strictErrs, err := sigsjson.UnmarshalStrict(js, into, sigsjson.DisallowDuplicateFields, sigsjson.DisallowUnknownFields)
	if err != nil {
		if root == nil || !l.locateDecodeError(d, root, t, object, err) {
			l.add(d, object, "", "%s", strings.TrimPrefix(err.Error(), "json: "))
		}
		return false
	}
	for _, se := range strictErrs {
		m := strictFieldRe.FindStringSubmatch(se.Error())
		if m == nil {
			l.add(d, object, "", "%v", se)
			continue
		}
		path, hint := m[2], ""
		if root != nil {
			path, hint = unknownFieldPath(root, t, m[2])
		}
		if m[1] == "unknown" {
			l.add(d, object, path, "unknown field %q%s", lastSegment(path), hint)
		} else {
			l.add(d, object, path, "Duplicate value: the field %q is given twice", lastSegment(path))
		}
	}
	return len(strictErrs) == 0
}

// locateDecodeError reports a decoding error at the place it comes from;
// false if it cannot find it.
func (l *loader) locateDecodeError(d *document, root *yamlv3.Node, t reflect.Type, object string, err error) bool {
	if m := typeErrorRe.FindStringSubmatch(err.Error()); m != nil {
		got, goPath := m[1], m[2]
		var at *yamlPos
		walkYAML(root, t, func(p *yamlPos) bool {
			if p.goPath != goPath || p.t == nil {
				return true
			}
			if at == nil {
				at = &yamlPos{node: p.node, t: p.t, path: p.path}
			}
			if jsonKind(p.node) == got {
				at = &yamlPos{node: p.node, t: p.t, path: p.path}
				return false
			}
			return true
		})
		if at == nil {
			return false
		}
		l.add(d, object, at.path, "%s", wrongType(at.node, at.t))
		return true
	}
	// A type that reads itself (a Duration, a Quantity) says what is wrong
	// but not where: try each such value again to find the ones it refuses.
	found := false
	walkYAML(root, t, func(p *yamlPos) bool {
		if msg := refusedValue(p); msg != "" {
			l.add(d, object, p.path, "%s", msg)
			found = true
		}
		return true
	})
	return found
}

// duplicateKeys reports every key written twice in one mapping of the
// document, with the line of each.
func (l *loader) duplicateKeys(d *document, object string, t reflect.Type) bool {
	root := d.nodeAt("")
	if root == nil {
		return true
	}
	ok := true
	walkYAML(root, t, func(p *yamlPos) bool {
		if p.node.Kind != yamlv3.MappingNode {
			return true
		}
		first := map[string]int{}
		for i := 0; i+1 < len(p.node.Content); i += 2 {
			k := p.node.Content[i]
			if line, dup := first[k.Value]; dup {
				ok = false
				path := joinField(p.path, k.Value)
				if p.t != nil && p.t.Kind() == reflect.Map || !fieldNameRe.MatchString(k.Value) {
					path = p.path + "[" + k.Value + "]"
				}
				l.errs = append(l.errs, &Error{File: l.file, Line: d.startLine + k.Line - 1, Object: object,
					Msg: fmt.Sprintf("%s: Duplicate value: %q is given twice in one mapping (first at line %d)", path, k.Value, d.startLine+line-1)})
				continue
			}
			first[k.Value] = k.Line
		}
		return true
	})
	return ok
}

func lastSegment(path string) string {
	segs := parsePath(path)
	if len(segs) == 0 {
		return path
	}
	last := segs[len(segs)-1]
	if last.index >= 0 {
		return fmt.Sprintf("[%d]", last.index)
	}
	return last.key
}
