package scenarios

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	yamlv3 "go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// DefaultDuration is how long a scenario runs unless it says otherwise.
const DefaultDuration = 10 * time.Minute

// DefaultNode is the node a scenario without nodes gets.
const DefaultNode = "node-1"

// Scenario is a loaded, checked scenario file, ready to run.
type Scenario struct {
	File        string
	Name        string
	Description string
	Duration    time.Duration
	Config      sim.Config

	nodes     []nodeDecl
	objects   []manifest // created at time zero, in file order
	behaviors map[string]map[string]behavior.Spec
	actions   []action
	expect    []expectation
	doc       document               // the Scenario document, for lines; zero if none
	podSpecs  map[string]*corev1.Pod // every pod the file or an action creates, by namespace/name
}

// HasPod reports whether the scenario creates a pod of this name, in the
// file or by an action, in any namespace.
func (s *Scenario) HasPod(name string) bool {
	for _, p := range s.podSpecs {
		if p.Name == name {
			return true
		}
	}
	return false
}

type nodeDecl struct {
	node *corev1.Node
	opts sim.NodeOptions
}

// manifest is an object to create: a Pod, Service, ConfigMap or Secret.
type manifest struct {
	kind string
	obj  any
}

type action struct {
	at   time.Duration
	line int
	what string
	do   func(*sim.Cluster) error
}

type expectation struct {
	ExpectDoc
	at    time.Duration
	line  int
	index int
}

// Load reads and checks a scenario file.
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// supportedKinds lists what a scenario file may hold.
const supportedKinds = "v1 Pod, Node, Service, ConfigMap, Secret and podsim.dev/v1alpha1 Scenario"

// newObject is an empty object of a v1 kind a scenario may hold, or nil.
func newObject(kind string) any {
	switch kind {
	case "Pod":
		return &corev1.Pod{}
	case "Node":
		return &corev1.Node{}
	case "Service":
		return &corev1.Service{}
	case "ConfigMap":
		return &corev1.ConfigMap{}
	case "Secret":
		return &corev1.Secret{}
	}
	return nil
}

// loader gathers a file's problems while it reads it.
type loader struct {
	file string
	errs ErrorList
	// scenarioFailed is set when the Scenario document could not be read:
	// checks that depend on it (behaviours, actions, expectations) would
	// only report what it may well say.
	scenarioFailed bool
	// usedImages are the environment.images keys some container matched;
	// podUnread says a pod could not be decoded, so its images are unknown.
	usedImages map[string]bool
	podUnread  bool
	// commands are the programs of the behaviour being read, which its
	// script and steps may run.
	commands map[string]behavior.Script
}

func (l *loader) add(d *document, object, path, format string, args ...any) {
	line := 0
	if d != nil {
		line = d.lineOf(path)
	}
	msg := fmt.Sprintf(format, args...)
	if path != "" {
		msg = path + ": " + msg
	}
	l.errs = append(l.errs, &Error{File: l.file, Line: line, Object: object, Msg: msg})
}

func (l *loader) addFieldErrors(d *document, object string, errs field.ErrorList) {
	for _, e := range errs {
		l.errs = append(l.errs, &Error{File: l.file, Line: d.lineOf(e.Field), Object: object, Msg: e.Error()})
	}
}

// Parse reads and checks a scenario from data; file names it in errors.
// Every problem found is returned together, as an ErrorList.
func Parse(file string, data []byte) (s *Scenario, err error) {
	// The loader is written not to panic, and FuzzParse (which calls parse
	// directly) holds it to that; this is the last line of defence, so a
	// bug shows as an error naming the file rather than a crash.
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, ErrorList{{File: file, Msg: fmt.Sprintf("podsim could not read this file (a bug in podsim; please report it): %v", r)}}
		}
	}()
	return parse(file, data)
}

func parse(file string, data []byte) (*Scenario, error) {
	l := &loader{file: file}
	s := &Scenario{File: file, behaviors: map[string]map[string]behavior.Spec{}}
	var scenarioDoc *ScenarioDoc
	var pods []*corev1.Pod
	podDocs := map[string]*document{}
	seen := map[string]int{} // kind/namespace/name → line
	docs := splitDocuments(string(data))
	for i := range docs {
		d := &docs[i]
		var node yamlv3.Node
		if err := yamlv3.Unmarshal([]byte(d.text), &node); err != nil {
			line, msg := syntaxError(d, err)
			l.errs = append(l.errs, &Error{File: file, Line: line, Msg: msg})
			continue
		}
		d.node = &node
		if node.Kind == yamlv3.DocumentNode && len(node.Content) > 0 && node.Content[0].Kind != yamlv3.MappingNode {
			l.add(d, "", "", "a document must be a mapping (a Kubernetes object or a Scenario), not %s", kindName(node.Content[0]))
			continue
		}
		apiVersion, kind, name := d.topString("apiVersion"), d.topString("kind"), d.topString("metadata.name")
		if apiVersion == "" || kind == "" {
			// Name the field that is missing, as the API server does.
			missing := "kind"
			if apiVersion == "" {
				missing = "apiVersion"
			}
			l.add(d, "", missing, "Required value: every document needs apiVersion and kind (podsim reads %s)", supportedKinds)
			continue
		}
		object := fmt.Sprintf("%s %q", kind, name)
		switch {
		case apiVersion == APIVersion && kind == ScenarioKind:
			object = ScenarioKind
			if scenarioDoc != nil {
				l.add(d, object, "", "a file may hold only one Scenario document (the first is at line %d)", s.doc.startLine)
				continue
			}
			var sd ScenarioDoc
			if !l.decode(d, object, &sd) {
				l.scenarioFailed = true
				continue
			}
			scenarioDoc, s.doc = &sd, *d
			continue
		case apiVersion != "v1":
			l.add(d, object, "apiVersion", "podsim does not simulate %s %s (it reads %s)", apiVersion, kind, supportedKinds)
			continue
		}
		obj := newObject(kind)
		if obj == nil {
			l.add(d, object, "kind", "podsim does not simulate %s %s (it reads %s)", apiVersion, kind, supportedKinds)
			continue
		}
		if !l.decode(d, object, obj) {
			l.podUnread = l.podUnread || kind == "Pod"
			continue
		}
		// The name and namespace as decoded, not as written: "name: null"
		// is written "null" but decodes to "" (and the pod was then filed
		// under a name it does not have).
		meta := obj.(metav1.Object)
		name = meta.GetName()
		if name == "" {
			l.add(d, object, "metadata.name", "Required value: name or generateName is required")
			continue
		}
		ns := meta.GetNamespace()
		if ns == "" && kind != "Node" {
			ns = corev1.NamespaceDefault
		}
		l.addFieldErrors(d, object, validateMeta(obj, kind == "Node"))
		key := kind + "/" + ns + "/" + name
		if first, dup := seen[key]; dup {
			l.add(d, object, "metadata.name", "Duplicate value: %q (already defined at line %d)", name, first)
			continue
		}
		seen[key] = d.lineOf("metadata.name")
		switch o := obj.(type) {
		case *corev1.Pod:
			o.Namespace = ns
			pods = append(pods, o)
			podDocs[ns+"/"+name] = d
			s.objects = append(s.objects, manifest{kind: kind, obj: o})
		case *corev1.Node:
			s.nodes = append(s.nodes, nodeDecl{node: o})
		default:
			s.objects = append(s.objects, manifest{kind: kind, obj: obj})
		}
	}
	if scenarioDoc == nil {
		scenarioDoc = &ScenarioDoc{}
	}
	l.resolve(s, scenarioDoc, pods, podDocs)
	if len(l.errs) > 0 {
		// File order; errors without a line (rare) keep their place at the end.
		slices.SortStableFunc(l.errs, func(a, b *Error) int {
			return cmp.Compare(lineOrMax(a.Line), lineOrMax(b.Line))
		})
		return nil, l.errs
	}
	return s, nil
}

// validateMeta checks what the API server checks of an object that is not
// a Pod (sim.ValidatePod checks pods): its name, its namespace and, for a
// Service, its ports. Without it a Service on port 0 or a namespace
// "Bad_NS" loaded silently. The rules and words are those of
// pkg/apis/core/validation.
func validateMeta(obj any, cluster bool) field.ErrorList {
	var errs field.ErrorList
	meta := obj.(metav1.Object)
	if ns := meta.GetNamespace(); ns != "" && !cluster {
		for _, msg := range validation.IsDNS1123Label(ns) {
			errs = append(errs, field.Invalid(field.NewPath("metadata", "namespace"), ns, msg))
		}
	}
	nameRule := validation.IsDNS1123Subdomain
	switch o := obj.(type) {
	case *corev1.Pod:
		return errs // its name is sim.ValidatePod's
	case *corev1.Service:
		nameRule = validation.IsDNS1035Label
		for i, p := range o.Spec.Ports {
			path := field.NewPath("spec", "ports").Index(i)
			for _, msg := range validation.IsValidPortNum(int(p.Port)) {
				errs = append(errs, field.Invalid(path.Child("port"), p.Port, msg))
			}
			switch {
			case p.TargetPort.Type == intstr.String:
				for _, msg := range validation.IsValidPortName(p.TargetPort.StrVal) {
					errs = append(errs, field.Invalid(path.Child("targetPort"), p.TargetPort.StrVal, msg))
				}
			case p.TargetPort.IntVal != 0: // 0 means the same as port
				for _, msg := range validation.IsValidPortNum(int(p.TargetPort.IntVal)) {
					errs = append(errs, field.Invalid(path.Child("targetPort"), p.TargetPort.IntVal, msg))
				}
			}
		}
	}
	for _, msg := range nameRule(meta.GetName()) {
		errs = append(errs, field.Invalid(field.NewPath("metadata", "name"), meta.GetName(), msg))
	}
	return errs
}

func kindName(n *yamlv3.Node) string {
	switch n.Kind {
	case yamlv3.SequenceNode:
		return "a list"
	case yamlv3.ScalarNode:
		return fmt.Sprintf("the value %q", n.Value)
	}
	return "that"
}

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

func lineOrMax(line int) int {
	if line == 0 {
		return math.MaxInt
	}
	return line
}
