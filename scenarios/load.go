package scenarios

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	yamlv3 "go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"
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

// loader gathers a file's problems while it reads it.
type loader struct {
	file string
	errs ErrorList
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
			l.errs = append(l.errs, &Error{File: file, Line: yamlErrorLine(err, d.startLine), Msg: yamlErrorText(err)})
			continue
		}
		d.node = &node
		if node.Kind == yamlv3.DocumentNode && len(node.Content) > 0 && node.Content[0].Kind != yamlv3.MappingNode {
			l.add(d, "", "", "a document must be a mapping (a Kubernetes object or a Scenario), not %s", kindName(node.Content[0]))
			continue
		}
		apiVersion, kind, name := d.topString("apiVersion"), d.topString("kind"), d.topString("metadata.name")
		if apiVersion == "" || kind == "" {
			l.add(d, "", "", "every document needs apiVersion and kind (podsim reads %s)", supportedKinds)
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
				continue
			}
			scenarioDoc, s.doc = &sd, *d
			continue
		case apiVersion != "v1":
			l.add(d, object, "apiVersion", "podsim does not simulate %s %s (it reads %s)", apiVersion, kind, supportedKinds)
			continue
		}
		var obj any
		switch kind {
		case "Pod":
			obj = &corev1.Pod{}
		case "Node":
			obj = &corev1.Node{}
		case "Service":
			obj = &corev1.Service{}
		case "ConfigMap":
			obj = &corev1.ConfigMap{}
		case "Secret":
			obj = &corev1.Secret{}
		default:
			l.add(d, object, "kind", "podsim does not simulate %s %s (it reads %s)", apiVersion, kind, supportedKinds)
			continue
		}
		if !l.decode(d, object, obj) {
			continue
		}
		if name == "" {
			l.add(d, object, "metadata.name", "Required value: name or generateName is required")
			continue
		}
		ns := d.topString("metadata.namespace")
		if ns == "" && kind != "Node" {
			ns = corev1.NamespaceDefault
		}
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

func yamlErrorText(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = yamlLineRe.ReplaceAllString(msg, "")
	msg = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(msg), ":"))
	return "invalid YAML: " + msg
}

var (
	strictFieldRe = regexp.MustCompile(`(unknown|duplicate) field "([^"]*)"`)
	typeFieldRe   = regexp.MustCompile(`Go struct field [A-Za-z0-9_]+\.([A-Za-z0-9_.]+) of type (\S+)`)
	typeValueRe   = regexp.MustCompile(`cannot unmarshal (\w+) into`)
)

// decode converts a document to JSON the way kubectl does (YAML 1.1
// scalars) and decodes it strictly: unknown and duplicate fields are errors
// naming their path.
func (l *loader) decode(d *document, object string, into any) bool {
	js, err := yaml.YAMLToJSON([]byte(d.text))
	if err != nil {
		l.errs = append(l.errs, &Error{File: l.file, Line: yamlErrorLine(err, d.startLine), Object: object, Msg: yamlErrorText(err)})
		return false
	}
	strictErrs, err := sigsjson.UnmarshalStrict(js, into, sigsjson.DisallowDuplicateFields, sigsjson.DisallowUnknownFields)
	ok := true
	if err != nil {
		ok = false
		msg := err.Error()
		path := ""
		if m := typeFieldRe.FindStringSubmatch(msg); m != nil {
			path = m[1]
			got := "a value"
			if v := typeValueRe.FindStringSubmatch(msg); v != nil {
				got = "a " + v[1]
			}
			msg = fmt.Sprintf("Invalid value: %s where %s is expected", got, goTypeName(m[2]))
		} else if i := strings.Index(msg, ": "); i > 0 && strings.Contains(msg[:i], ".") {
			path, msg = msg[:i], msg[i+2:]
		}
		l.add(d, object, path, "%s", strings.TrimPrefix(msg, "json: "))
	}
	for _, se := range strictErrs {
		ok = false
		m := strictFieldRe.FindStringSubmatch(se.Error())
		if m == nil {
			l.add(d, object, "", "%v", se)
			continue
		}
		if m[1] == "unknown" {
			l.add(d, object, m[2], "unknown field %q", lastSegment(m[2]))
		} else {
			l.add(d, object, m[2], "Duplicate value: the field %q is given twice", lastSegment(m[2]))
		}
	}
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

// goTypeName says a Go type the way a manifest writer thinks of it.
func goTypeName(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["):
		return "a mapping"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"), strings.HasPrefix(t, "float"):
		return "a number"
	case t == "string":
		return "a string"
	case t == "bool":
		return "true or false"
	}
	return "a mapping"
}

func lineOrMax(line int) int {
	if line == 0 {
		return math.MaxInt
	}
	return line
}
