package scenarios

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	yamlv3 "go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

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
	// Warnings are what the file does that podsim follows but a user should
	// know, each with file, line and field path: fields the chosen version
	// drops (sim.DisabledFields), fields podsim does not simulate
	// (unsimulated.go). podsim prints them on stderr, and they are in the
	// trace header; --strict makes them errors.
	Warnings []string

	nodes     []nodeDecl
	objects   []manifest // created at time zero, in file order
	behaviors map[string]map[string]behavior.Spec
	actions   []action
	expect    []expectation
	doc       document               // the Scenario document, for lines; zero if none
	podSpecs  map[string]*corev1.Pod // every pod the file or an action creates, by namespace/name
	// templates are the behaviours of the containers of the workloads'
	// pod templates, by kind/namespace/name (workloads.go).
	templates map[string]map[string]behavior.Spec
	// assumptions are what podsim says it assumes of the file, on
	// standard error and in the trace header (assumptions.go).
	assumptions []string
	strict      bool
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

// PodNames lists the names of the pods the file creates, at the start or
// by an action, sorted.
func (s *Scenario) PodNames() []string {
	return s.podField(func(p *corev1.Pod) string { return p.Name })
}

// Namespaces lists the namespaces of those pods, sorted.
func (s *Scenario) Namespaces() []string {
	return s.podField(func(p *corev1.Pod) string { return nsOrDefault(p.Namespace) })
}

func (s *Scenario) podField(of func(*corev1.Pod) string) []string {
	seen := map[string]bool{}
	for _, p := range s.podSpecs {
		seen[of(p)] = true
	}
	return sortedKeys(seen)
}

func nsOrDefault(ns string) string {
	if ns == "" {
		return corev1.NamespaceDefault
	}
	return ns
}

type nodeDecl struct {
	node *corev1.Node
	opts sim.NodeOptions
}

// manifest is an object to create: a Pod, Service, ConfigMap, Secret or
// a workload (Deployment, Job, Namespace …).
type manifest struct {
	kind string
	obj  any
	doc  *document
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
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// supportedKinds lists what a scenario file may hold.
const supportedKinds = "v1 Pod, Node, Service, ConfigMap, Secret, Namespace, apps/v1 Deployment and ReplicaSet, batch/v1 Job, policy/v1 PodDisruptionBudget, scheduling.k8s.io/v1 PriorityClass and podsim.dev/v1alpha1 Scenario"

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
	if len(data) > MaxFileBytes {
		return nil, ErrorList{{File: file, Msg: fmt.Sprintf("larger than %d MiB: podsim reads scenario files up to that size", MaxFileBytes>>20)}}
	}
	docs := splitDocuments(string(data))
	if len(docs) == 0 {
		return nil, ErrorList{{File: file, Msg: "no YAML documents in this file: a scenario is at least one Pod manifest, or a Scenario document that creates pods"}}
	}
	if len(docs) > MaxDocuments {
		return nil, ErrorList{{File: file, Msg: fmt.Sprintf("%d YAML documents: podsim reads at most %d in one file", len(docs), MaxDocuments)}}
	}
	for i := range docs {
		d := &docs[i]
		if len(d.text) > maxObjectBytes {
			// staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go
			// limitedReadBody: the API server refuses a larger request body.
			l.errs = append(l.errs, &Error{File: file, Line: d.startLine, Msg: fmt.Sprintf("Request entity too large: limit is %d (the API server's bound on one object; podsim holds every document to it)", maxObjectBytes)})
			continue
		}
		var node yamlv3.Node
		if err := yamlv3.Unmarshal([]byte(d.text), &node); err != nil {
			line, msg := syntaxError(d, err)
			l.errs = append(l.errs, &Error{File: file, Line: line, Msg: msg})
			continue
		}
		d.node = &node
		if !l.checkExpansion(d) {
			continue
		}
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
		case apiVersion != "v1" && newWorkloadObject(apiVersion, kind) == nil && newPolicyObject(apiVersion, kind) == nil:
			l.add(d, object, "apiVersion", "podsim does not simulate %s %s (it reads %s)", apiVersion, kind, supportedKinds)
			continue
		}
		obj := newObject(kind)
		if w := newWorkloadObject(apiVersion, kind); w != nil {
			obj = w
		}
		if p := newPolicyObject(apiVersion, kind); p != nil {
			obj = p
		}
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
		if ns == "" && kind != "Node" && !clusterScoped(kind) {
			ns = corev1.NamespaceDefault
		}
		l.addFieldErrors(d, object, validateMeta(obj, kind == "Node" || clusterScoped(kind)))
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
			if isWorkload(obj) || isPolicy(obj) {
				meta.SetNamespace(ns)
			}
			if isPolicy(obj) {
				l.policyObject(s, obj, d)
			}
			s.objects = append(s.objects, manifest{kind: kind, obj: obj, doc: d})
		}
	}
	if scenarioDoc == nil {
		scenarioDoc = &ScenarioDoc{}
	}
	l.resolve(s, scenarioDoc, pods, podDocs)
	s.strict = scenarioDoc.Strict
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

func lineOrMax(line int) int {
	if line == 0 {
		return math.MaxInt
	}
	return line
}
