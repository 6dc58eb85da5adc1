package apiserver

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/trace"
)

// CreateNode stores a node as its kubelet registers it: UID,
// creationTimestamp and resourceVersion set, watchers told.
func (s *Server) CreateNode(n *corev1.Node, actor, cause string) error {
	if n.Name == "" {
		return fmt.Errorf("node: metadata.name: Required value")
	}
	if _, ok := s.nodes[n.Name]; ok {
		return fmt.Errorf("nodes %q already exists", n.Name)
	}
	n.UID = s.NewUID()
	n.CreationTimestamp = s.Stamp(s.eng.Now())
	n.ResourceVersion = s.nextRV()
	s.nodes[n.Name] = n
	s.nodeOrder = append(s.nodeOrder, n.Name)
	s.notifyObject("Node", trace.Added, types.NamespacedName{Name: n.Name}, n.DeepCopy(), actor, cause)
	s.observeNode(nil, n)
	return nil
}

// Node returns the stored node, or nil. It must not be modified.
func (s *Server) Node(name string) *corev1.Node { return s.nodes[name] }

// NodeNames lists the nodes in the order they registered.
func (s *Server) NodeNames() []string { return s.nodeOrder }

// Create creates a Service, ConfigMap or Secret (pods and nodes have their
// own calls).
func (s *Server) Create(obj runtime.Object, actor, cause string) error {
	switch o := obj.(type) {
	case *corev1.Service:
		return createObject(s, "Service", s.services, o, actor, cause)
	case *corev1.ConfigMap:
		return createObject(s, "ConfigMap", s.configMaps, o, actor, cause)
	case *corev1.Secret:
		return createObject(s, "Secret", s.secrets, o, actor, cause)
	}
	return fmt.Errorf("cannot create a %T here: use CreatePod for pods and CreateNode for nodes", obj)
}

// createObject stores a new object of kind in store as the API server
// does: namespace defaulted, refused if the name is taken, then UID,
// creationTimestamp and resourceVersion set, and watchers told. obj becomes
// the stored object.
func createObject[T interface {
	runtime.Object
	metav1.Object
}](s *Server, kind string, store map[types.NamespacedName]T, obj T, actor, cause string) error {
	if obj.GetNamespace() == "" {
		obj.SetNamespace(corev1.NamespaceDefault)
	}
	key := podutil.KeyOf(obj)
	if _, ok := store[key]; ok {
		return fmt.Errorf("%ss %q already exists", strings.ToLower(kind), obj.GetName())
	}
	obj.SetUID(s.NewUID())
	obj.SetCreationTimestamp(s.Stamp(s.eng.Now()))
	obj.SetResourceVersion(s.nextRV())
	store[key] = obj
	s.notifyObject(kind, trace.Added, key, obj.DeepCopyObject(), actor, cause)
	return nil
}

// Delete deletes a Service, ConfigMap, Secret or Endpoints object.
func (s *Server) Delete(kind string, key types.NamespacedName, actor, cause string) error {
	var found bool
	switch kind {
	case "Service":
		_, found = s.services[key]
		delete(s.services, key)
	case "ConfigMap":
		_, found = s.configMaps[key]
		delete(s.configMaps, key)
	case "Secret":
		_, found = s.secrets[key]
		delete(s.secrets, key)
	case "Endpoints":
		_, found = s.endpoints[key]
		delete(s.endpoints, key)
	default:
		return fmt.Errorf("cannot delete a %s here: use DeletePod for pods", kind)
	}
	if !found {
		return fmt.Errorf("%ss %q not found", strings.ToLower(kind), key.Name)
	}
	s.notifyObject(kind, trace.Deleted, key, nil, actor, cause)
	return nil
}

// Service returns the stored service, or nil. It must not be modified.
func (s *Server) Service(key types.NamespacedName) *corev1.Service { return s.services[key] }

// ServiceKeys lists the services in namespace/name order.
func (s *Server) ServiceKeys() []types.NamespacedName { return podutil.SortedObjectKeys(s.services) }

// ConfigMap returns the stored ConfigMap, or nil. It must not be modified.
func (s *Server) ConfigMap(key types.NamespacedName) *corev1.ConfigMap { return s.configMaps[key] }

// Secret returns the stored Secret, or nil. It must not be modified.
func (s *Server) Secret(key types.NamespacedName) *corev1.Secret { return s.secrets[key] }

// Endpoints returns the stored Endpoints object, or nil. It must not be
// modified.
func (s *Server) Endpoints(key types.NamespacedName) *corev1.Endpoints { return s.endpoints[key] }

// PutEndpoints creates or replaces an Endpoints object: ep becomes the
// stored object, with a new resourceVersion.
func (s *Server) PutEndpoints(ep *corev1.Endpoints, actor, cause string) {
	key := podutil.KeyOf(ep)
	_, exists := s.endpoints[key]
	ep.ResourceVersion = s.nextRV()
	s.endpoints[key] = ep
	op := trace.Modified
	if !exists {
		op = trace.Added
	}
	s.notifyObject("Endpoints", op, key, ep.DeepCopy(), actor, cause)
}

// HasEvent reports whether an event of that name is stored.
func (s *Server) HasEvent(key types.NamespacedName) bool {
	_, ok := s.events.byNamespace[key.Namespace][key.Name]
	return ok
}

// PutEvent stores an event, new or a new version of one (a repeat counted
// by its recorder). Each version is a new object, never modified again.
func (s *Server) PutEvent(ev *corev1.Event) {
	names := s.events.byNamespace[ev.Namespace]
	if names == nil {
		names = map[string]*corev1.Event{}
		if s.events.byNamespace == nil {
			s.events.byNamespace = map[string]map[string]*corev1.Event{}
		}
		s.events.byNamespace[ev.Namespace] = names
	}
	if _, ok := names[ev.Name]; !ok {
		s.events.n++
	}
	names[ev.Name] = ev
}

// Events lists the stored events, in no particular order.
func (s *Server) Events() []*corev1.Event {
	out := make([]*corev1.Event, 0, s.events.n)
	for _, names := range s.events.byNamespace {
		for _, e := range names {
			out = append(out, e)
		}
	}
	return out
}

// eventStore holds the events by namespace, then name: a name key is 16 B
// where a NamespacedName was 32, and a pod has several events (issue 10).
type eventStore struct {
	byNamespace map[string]map[string]*corev1.Event
	n           int
}
