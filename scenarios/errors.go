package scenarios

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	yamlv3 "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
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

// typeErrorRe reads encoding/json's type error: what the JSON held, and
// the struct fields (no indices, no map keys) of where it went.
var typeErrorRe = regexp.MustCompile(`cannot unmarshal (\w+)(?: \S+)? into Go struct field \w+\.(\S+) of type \S+$`)

// yaml11Bools are the words YAML 1.1 reads as true or false, as kubectl
// (and so podsim's decoding) does; YAML 1.2 reads them as strings.
var yaml11Bools = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true, "on": true, "On": true, "ON": true,
	"n": true, "N": true, "no": true, "No": true, "NO": true, "off": true, "Off": true, "OFF": true,
}

// jsonKind is what a YAML node becomes in JSON, in encoding/json's words.
func jsonKind(n *yamlv3.Node) string {
	for n.Kind == yamlv3.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yamlv3.MappingNode:
		return "object"
	case yamlv3.SequenceNode:
		return "array"
	case yamlv3.ScalarNode:
		switch n.ShortTag() {
		case "!!int", "!!float":
			return "number"
		case "!!bool":
			return "bool"
		case "!!null":
			return "null"
		}
		if n.Style == 0 && yaml11Bools[n.Value] {
			return "bool"
		}
		return "string"
	}
	return ""
}

// wrongType says that a value is not of the type its field takes, in the
// words of field.Invalid: `Invalid value: "ten": must be a whole number`.
func wrongType(n *yamlv3.Node, t reflect.Type) string {
	for n.Kind == yamlv3.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	var want string
	switch {
	// Types that read themselves: their Go kind says nothing to a user.
	case t == reflect.TypeFor[intstr.IntOrString]():
		want = "a number or a name"
	case t == reflect.TypeFor[resource.Quantity]():
		want = "a quantity such as \"256Mi\" or \"500m\""
	case t == reflect.TypeFor[Duration]():
		want = "a duration such as \"90s\""
	case t.Kind() == reflect.String:
		want = "a string"
	case t.Kind() == reflect.Bool:
		want = "true or false"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uintptr:
		want = "a whole number"
		if jsonKind(n) == "number" {
			want = "a whole number that fits in " + t.Kind().String()
		}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		want = "a number"
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		want = "base64 data"
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		want = "a list"
	default:
		want = "a mapping"
	}
	kind := jsonKind(n)
	var got string
	switch kind {
	case "object":
		got = "a mapping"
	case "array":
		got = "a list"
	case "string":
		got = strconv.Quote(n.Value)
	default:
		got = n.Value
	}
	msg := fmt.Sprintf("Invalid value: %s: must be %s", got, want)
	if t.Kind() == reflect.String && (kind == "number" || kind == "bool" || kind == "null") {
		// 1.30 and yes are the classic YAML traps: say what YAML made of them.
		reads := map[string]string{"number": "a number", "bool": "true or false", "null": "null"}[kind]
		msg += fmt.Sprintf(" (YAML reads %s as %s; write %q)", n.Value, reads, n.Value)
	}
	return msg
}

// refusedValue is the message of a type that reads itself (Duration,
// resource.Quantity, IntOrString) for the value at p, or "" if it takes it.
func refusedValue(p *yamlPos) string {
	if p.t == nil || p.t == reflect.TypeFor[json.RawMessage]() {
		return ""
	}
	bytes := p.t.Kind() == reflect.Slice && p.t.Elem().Kind() == reflect.Uint8 // base64, as a Secret's data
	if !bytes && !reflect.PointerTo(p.t).Implements(jsonUnmarshalerType) {
		return ""
	}
	js, ok := nodeJSON(p.node)
	if !ok || p.ptr && string(js) == "null" {
		return "" // encoding/json sets a pointer to nil without asking the type
	}
	err := json.Unmarshal(js, reflect.New(p.t).Interface())
	if err == nil {
		return ""
	}
	if bytes || p.node.Kind != yamlv3.ScalarNode {
		return wrongType(p.node, p.t)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// nodeJSON is a node as JSON, read the way YAMLToJSON reads it.
func nodeJSON(n *yamlv3.Node) ([]byte, bool) {
	for n.Kind == yamlv3.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yamlv3.ScalarNode {
		out, err := yamlv3.Marshal(n)
		if err != nil {
			return nil, false
		}
		js, err := yaml.YAMLToJSON(out)
		return js, err == nil
	}
	switch jsonKind(n) {
	case "null":
		return []byte("null"), true
	case "bool":
		switch n.Value {
		case "true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON":
			return []byte("true"), true
		}
		return []byte("false"), true
	case "number":
		if json.Valid([]byte(n.Value)) {
			return []byte(n.Value), true
		}
		return nil, false
	}
	js, _ := json.Marshal(n.Value)
	return js, true
}

// unknownFieldPath turns the path of an unknown field, as sigs.k8s.io/json
// names it (map keys as fields: behaviors.web/app.steps[0].crash), into a
// field path (behaviors[web/app].steps[0].crash), and suggests the field
// meant when one is close.
func unknownFieldPath(root *yamlv3.Node, t reflect.Type, strictPath string) (path, hint string) {
	path = strictPath
	walkYAML(root, t, func(p *yamlPos) bool {
		if p.node.Kind != yamlv3.MappingNode || p.t == nil || p.t.Kind() != reflect.Struct {
			return true
		}
		for i := 0; i+1 < len(p.node.Content); i += 2 {
			k := p.node.Content[i].Value
			if joinField(p.jsonPath, k) != strictPath {
				continue
			}
			path = joinField(p.path, k)
			if near := closestField(k, jsonFields(p.t)); near != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", near)
			}
			return false
		}
		return true
	})
	return path, hint
}

// closestField is the known field a misspelt name most likely meant: the
// same but for case, or at most two edits away; "" if none.
func closestField(name string, fields map[string]jsonField) string {
	best, bestDist := "", 3
	for _, f := range sortedKeys(fields) {
		if strings.EqualFold(f, name) {
			return f
		}
		if d := editDistance(strings.ToLower(name), strings.ToLower(f)); d < bestDist && d < len(f)/2 {
			best, bestDist = f, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of two strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
