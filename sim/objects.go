package sim

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/podsim/podsim/trace"
)

// createNode stores a node, filling capacity, allocatable, addresses and a
// Ready condition where the manifest leaves them out, as a kubelet does when
// it registers.
func (a *apiServer) createNode(n *corev1.Node) {
	c := a.c
	n.UID = types.UID(c.newUID())
	n.CreationTimestamp = c.stamp(c.eng.Now())
	if len(n.Status.Capacity) == 0 {
		n.Status.Capacity = defaultNodeCapacity()
	}
	if len(n.Status.Allocatable) == 0 {
		n.Status.Allocatable = n.Status.Capacity.DeepCopy()
	}
	if len(n.Status.Addresses) == 0 {
		n.Status.Addresses = []corev1.NodeAddress{
			{Type: corev1.NodeInternalIP, Address: fmt.Sprintf("192.168.49.%d", len(a.nodes)+2)},
			{Type: corev1.NodeHostName, Address: n.Name},
		}
	}
	if n.Labels == nil {
		n.Labels = map[string]string{}
	}
	if _, ok := n.Labels[corev1.LabelHostname]; !ok {
		n.Labels[corev1.LabelHostname] = n.Name
	}
	if _, ok := n.Labels[corev1.LabelOSStable]; !ok {
		n.Labels[corev1.LabelOSStable] = "linux"
	}
	if findNodeCondition(n.Status.Conditions, corev1.NodeReady) == nil {
		n.Status.Conditions = append(n.Status.Conditions, corev1.NodeCondition{
			Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady",
			Message:            "kubelet is posting ready status",
			LastHeartbeatTime:  c.stamp(c.eng.Now()),
			LastTransitionTime: c.stamp(c.eng.Now()),
		})
	}
	n.ResourceVersion = a.nextRV()
	a.nodes[n.Name] = n
	a.notifyObject("Node", trace.Added, objKey{"", n.Name}, n.DeepCopy(), "kubelet/"+n.Name, "node registered")
}

func findNodeCondition(conds []corev1.NodeCondition, t corev1.NodeConditionType) *corev1.NodeCondition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}

// nodeIP is the node's InternalIP.
func (a *apiServer) nodeIP(node string) string {
	if n, ok := a.nodes[node]; ok {
		for _, ad := range n.Status.Addresses {
			if ad.Type == corev1.NodeInternalIP {
				return ad.Address
			}
		}
	}
	return ""
}

// Create creates a Service, ConfigMap or Secret now (use CreatePod for pods
// and AddNode for nodes).
func (c *Cluster) Create(obj runtime.Object) error {
	switch o := obj.(type) {
	case *corev1.Service:
		return createObject(c, "Service", c.api.services, o.DeepCopy())
	case *corev1.ConfigMap:
		return createObject(c, "ConfigMap", c.api.configMaps, o.DeepCopy())
	case *corev1.Secret:
		return createObject(c, "Secret", c.api.secrets, o.DeepCopy())
	}
	return fmt.Errorf("cannot create a %T here: use CreatePod for pods and AddNode for nodes", obj)
}

// createObject stores a new object of kind in store as the API server
// does: namespace defaulted, refused if the name is taken, then UID,
// creationTimestamp and resourceVersion set, and watchers told.
func createObject[T interface {
	runtime.Object
	metav1.Object
}](c *Cluster, kind string, store map[objKey]T, obj T) error {
	if obj.GetNamespace() == "" {
		obj.SetNamespace(corev1.NamespaceDefault)
	}
	key := objKey{obj.GetNamespace(), obj.GetName()}
	if _, ok := store[key]; ok {
		return fmt.Errorf("%ss %q already exists", strings.ToLower(kind), obj.GetName())
	}
	obj.SetUID(types.UID(c.newUID()))
	obj.SetCreationTimestamp(c.stamp(c.eng.Now()))
	obj.SetResourceVersion(c.api.nextRV())
	store[key] = obj
	c.api.notifyObject(kind, trace.Added, key, obj.DeepCopyObject(), "user", "created")
	return nil
}

// Delete deletes a Service, ConfigMap or Secret now.
func (c *Cluster) Delete(kind, namespace, name string) error {
	defaultNamespace(&namespace)
	key := objKey{namespace, name}
	var found bool
	switch kind {
	case "Service":
		_, found = c.api.services[key]
		delete(c.api.services, key)
		if _, ok := c.api.endpoints[key]; ok {
			delete(c.api.endpoints, key)
			c.api.notifyObject("Endpoints", trace.Deleted, key, nil, "endpoint-controller", "service deleted")
		}
	case "ConfigMap":
		_, found = c.api.configMaps[key]
		delete(c.api.configMaps, key)
	case "Secret":
		_, found = c.api.secrets[key]
		delete(c.api.secrets, key)
	default:
		return fmt.Errorf("cannot delete a %s here: use DeletePod for pods", kind)
	}
	if !found {
		return fmt.Errorf("%ss %q not found", strings.ToLower(kind), name)
	}
	c.api.notifyObject(kind, trace.Deleted, key, nil, "user", "deleted")
	return nil
}

func defaultNamespace(ns *string) {
	if *ns == "" {
		*ns = corev1.NamespaceDefault
	}
}

// Service returns a copy of a service, or nil.
func (c *Cluster) Service(namespace, name string) *corev1.Service {
	defaultNamespace(&namespace)
	if s, ok := c.api.services[objKey{namespace, name}]; ok {
		return s.DeepCopy()
	}
	return nil
}

// Endpoints returns a copy of a service's endpoints, or nil.
func (c *Cluster) Endpoints(namespace, name string) *corev1.Endpoints {
	defaultNamespace(&namespace)
	if e, ok := c.api.endpoints[objKey{namespace, name}]; ok {
		return e.DeepCopy()
	}
	return nil
}

// resolves answers a DNS lookup from a pod in namespace ns, as cluster DNS
// does: a Service name resolves in the short forms svc, svc.ns, svc.ns.svc
// and the full svc.ns.svc.cluster.local.
func (a *apiServer) resolves(ns, name string) bool {
	name = strings.TrimSuffix(name, ".")
	name = strings.TrimSuffix(name, ".cluster.local")
	name = strings.TrimSuffix(name, ".svc")
	svc, svcNS, ok := strings.Cut(name, ".")
	if !ok {
		svcNS = ns
	}
	_, found := a.services[objKey{svcNS, svc}]
	return found
}

// endpointsController keeps an Endpoints object per Service with a selector
// (pkg/controller/endpoint/endpoints_controller.go): a pod that is not
// finished, has an IP and is not being deleted is an address when its Ready
// condition is True, else a not-ready address.
type endpointsController struct {
	c *Cluster
}

func newEndpointsController(c *Cluster) *endpointsController {
	e := &endpointsController{c: c}
	c.api.watchPods(func(trace.Op, *corev1.Pod) { e.syncAll() })
	c.api.objectWatchers = append(c.api.objectWatchers, func(kind string, _ trace.Op, _ objKey) {
		if kind == "Service" {
			e.syncAll()
		}
	})
	return e
}

func (e *endpointsController) syncAll() {
	a := e.c.api
	for _, key := range sortedServiceKeys(a.services) {
		svc := a.services[key]
		if svc.Spec.Selector == nil {
			continue
		}
		e.sync(svc)
	}
}

func sortedServiceKeys(m map[objKey]*corev1.Service) []objKey {
	keys := make([]objKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slicesSortKeys(keys)
	return keys
}

func (e *endpointsController) sync(svc *corev1.Service) {
	a := e.c.api
	sel := labels.SelectorFromSet(svc.Spec.Selector)
	var ready, notReady []corev1.EndpointAddress
	for _, k := range a.sortedPodKeys() {
		p := a.pods[k]
		if p.Namespace != svc.Namespace || !sel.Matches(labels.Set(p.Labels)) {
			continue
		}
		if p.Status.PodIP == "" || p.DeletionTimestamp != nil || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
			continue
		}
		addr := corev1.EndpointAddress{IP: p.Status.PodIP, TargetRef: &corev1.ObjectReference{Kind: "Pod", Namespace: p.Namespace, Name: p.Name, UID: p.UID}}
		if p.Spec.NodeName != "" {
			node := p.Spec.NodeName
			addr.NodeName = &node
		}
		if cond := findCondition(p.Status.Conditions, corev1.PodReady); cond != nil && cond.Status == corev1.ConditionTrue {
			ready = append(ready, addr)
		} else {
			notReady = append(notReady, addr)
		}
	}
	ep := &corev1.Endpoints{}
	ep.Name, ep.Namespace = svc.Name, svc.Namespace
	if len(ready)+len(notReady) > 0 {
		var ports []corev1.EndpointPort
		for _, sp := range svc.Spec.Ports {
			port := sp.TargetPort
			if port.Type == intstr.Int && port.IntVal == 0 {
				port = intstr.FromInt32(sp.Port)
			}
			ports = append(ports, corev1.EndpointPort{Name: sp.Name, Port: int32(port.IntValue()), Protocol: sp.Protocol})
		}
		ep.Subsets = []corev1.EndpointSubset{{Addresses: ready, NotReadyAddresses: notReady, Ports: ports}}
	}
	key := keyOf(ep)
	old, exists := a.endpoints[key]
	if exists && apiequality.Semantic.DeepEqual(old.Subsets, ep.Subsets) {
		return
	}
	ep.ResourceVersion = a.nextRV()
	a.endpoints[key] = ep
	op := trace.Modified
	if !exists {
		op = trace.Added
	}
	a.notifyObject("Endpoints", op, key, ep.DeepCopy(), "endpoint-controller", fmt.Sprintf("%d ready, %d not ready", len(ready), len(notReady)))
}
