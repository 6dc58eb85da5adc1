// Package endpoints is the endpoints controller
// (pkg/controller/endpoint/endpoints_controller.go): it keeps one Endpoints
// object per Service that has a selector. A selected pod that is not
// finished, has an IP and is not being deleted is an address when its Ready
// condition is True, else a not-ready address; a pod leaves its Services'
// endpoints the moment its deletion starts, while the kubelet is still
// stopping it.
//
// As upstream, a pod's change syncs only the Services that select it (or
// selected it before: getPodServiceMemberships), and a Service's change
// syncs that Service; the controller keeps each Service's selected pods, so
// a sync costs what that Service selects, not what the cluster holds.
//
// It reaches the cluster only through its [Client].
package endpoints

import (
	"fmt"
	"maps"
	"slices"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/trace"
)

// Actor is the name the controller writes under.
const Actor = "endpoint-controller"

// Client is what the endpoints controller asks of the API server.
type Client interface {
	WatchPods(sel fields.Selector, fn func(op trace.Op, pod *corev1.Pod)) error
	WatchKinds(fn func(kind string, op trace.Op, key types.NamespacedName), kinds ...string)
	PodKeys() []types.NamespacedName
	Pod(key types.NamespacedName) *corev1.Pod
	Service(key types.NamespacedName) *corev1.Service
	Endpoints(key types.NamespacedName) *corev1.Endpoints
	PutEndpoints(ep *corev1.Endpoints, actor, cause string)
}

// Controller keeps the Endpoints objects.
type Controller struct {
	api Client
	// services are the Services with a selector, by namespace, each with
	// the pods its selector matches.
	services map[string]map[types.NamespacedName]*service
	// pods are the labels of the pods the controller has seen (the pod's
	// own map: a stored pod is never modified), by namespace, then name
	// (a Service selects in its namespace only). The Services that selected
	// a pod are those whose members hold it: kept once, on the Service.
	pods map[string]map[string]map[string]string
}

type service struct {
	sel     labels.Selector
	members map[types.NamespacedName]bool
}

// New returns a controller watching pods and Services.
func New(api Client) (*Controller, error) {
	e := &Controller{api: api, services: map[string]map[types.NamespacedName]*service{}, pods: map[string]map[string]map[string]string{}}
	if err := api.WatchPods(fields.Everything(), e.onPod); err != nil {
		return nil, err
	}
	api.WatchKinds(func(kind string, _ trace.Op, key types.NamespacedName) {
		if kind == "Service" {
			e.onService(key)
		}
	}, "Service")
	return e, nil
}

// onPod updates the pod's memberships and syncs the Services it is, or
// was, selected by, in namespace/name order.
func (e *Controller) onPod(op trace.Op, p *corev1.Pod) {
	key := podutil.KeyOf(p)
	seen, had := e.pods[key.Namespace][key.Name]
	affected := map[types.NamespacedName]bool{}
	if had {
		for svcKey, s := range e.services[key.Namespace] {
			if s.members[key] {
				affected[svcKey] = true
			}
		}
	}
	switch {
	case op == trace.Deleted:
		for svc := range affected {
			delete(e.services[key.Namespace][svc].members, key)
		}
		if inNS := e.pods[key.Namespace]; inNS != nil {
			delete(inNS, key.Name)
			if len(inNS) == 0 {
				delete(e.pods, key.Namespace)
			}
		}
	case !had || !maps.Equal(seen, p.Labels):
		inNS := e.pods[key.Namespace]
		if inNS == nil {
			inNS = map[string]map[string]string{}
			e.pods[key.Namespace] = inNS
		}
		inNS[key.Name] = p.Labels
		for svcKey, s := range e.services[key.Namespace] {
			if s.sel.Matches(labels.Set(p.Labels)) {
				s.members[key] = true
				affected[svcKey] = true
			} else {
				delete(s.members, key)
			}
		}
	}
	for _, svc := range slices.SortedFunc(maps.Keys(affected), podutil.CompareKeys) {
		if s := e.services[svc.Namespace][svc]; s != nil {
			e.sync(svc, s)
		}
	}
}

// onService records a Service's selected pods and syncs it.
func (e *Controller) onService(key types.NamespacedName) {
	svc := e.api.Service(key)
	if old := e.services[key.Namespace][key]; old != nil {
		delete(e.services[key.Namespace], key)
	}
	if svc == nil || svc.Spec.Selector == nil {
		return
	}
	s := &service{sel: labels.SelectorFromSet(svc.Spec.Selector), members: map[types.NamespacedName]bool{}}
	if e.services[key.Namespace] == nil {
		e.services[key.Namespace] = map[types.NamespacedName]*service{}
	}
	e.services[key.Namespace][key] = s
	for name, podLabels := range e.pods[key.Namespace] {
		if s.sel.Matches(labels.Set(podLabels)) {
			s.members[types.NamespacedName{Namespace: key.Namespace, Name: name}] = true
		}
	}
	e.sync(key, s)
}

func (e *Controller) sync(key types.NamespacedName, s *service) {
	a := e.api
	svc := a.Service(key)
	if svc == nil {
		return
	}
	var ready, notReady []corev1.EndpointAddress
	for _, k := range slices.SortedFunc(maps.Keys(s.members), podutil.CompareKeys) {
		p := a.Pod(k)
		if p == nil || p.Status.PodIP == "" || p.DeletionTimestamp != nil || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
			continue
		}
		addr := corev1.EndpointAddress{IP: p.Status.PodIP, TargetRef: &corev1.ObjectReference{Kind: "Pod", Namespace: p.Namespace, Name: p.Name, UID: p.UID}}
		if p.Spec.NodeName != "" {
			node := p.Spec.NodeName
			addr.NodeName = &node
		}
		if cond := podutil.FindCondition(p.Status.Conditions, corev1.PodReady); cond != nil && cond.Status == corev1.ConditionTrue {
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
	if old := a.Endpoints(key); old != nil && apiequality.Semantic.DeepEqual(old.Subsets, ep.Subsets) {
		return
	}
	a.PutEndpoints(ep, Actor, fmt.Sprintf("%d ready, %d not ready", len(ready), len(notReady)))
}
