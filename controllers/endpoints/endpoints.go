// Package endpoints is the endpoints controller
// (pkg/controller/endpoint/endpoints_controller.go): it keeps one Endpoints
// object per Service that has a selector. A selected pod that is not
// finished, has an IP and is not being deleted is an address when its Ready
// condition is True, else a not-ready address; a pod leaves its Services'
// endpoints the moment its deletion starts, while the kubelet is still
// stopping it.
//
// It reaches the cluster only through its [Client].
package endpoints

import (
	"fmt"

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
	WatchObjects(fn func(kind string, op trace.Op, key types.NamespacedName))
	PodKeys() []types.NamespacedName
	Pod(key types.NamespacedName) *corev1.Pod
	ServiceKeys() []types.NamespacedName
	Service(key types.NamespacedName) *corev1.Service
	Endpoints(key types.NamespacedName) *corev1.Endpoints
	PutEndpoints(ep *corev1.Endpoints, actor, cause string)
}

// Controller keeps the Endpoints objects.
type Controller struct {
	api Client
}

// New returns a controller watching pods and Services.
func New(api Client) (*Controller, error) {
	e := &Controller{api: api}
	if err := api.WatchPods(fields.Everything(), func(trace.Op, *corev1.Pod) { e.syncAll() }); err != nil {
		return nil, err
	}
	api.WatchObjects(func(kind string, _ trace.Op, _ types.NamespacedName) {
		if kind == "Service" {
			e.syncAll()
		}
	})
	return e, nil
}

func (e *Controller) syncAll() {
	for _, key := range e.api.ServiceKeys() {
		svc := e.api.Service(key)
		if svc.Spec.Selector == nil {
			continue
		}
		e.sync(svc)
	}
}

func (e *Controller) sync(svc *corev1.Service) {
	a := e.api
	sel := labels.SelectorFromSet(svc.Spec.Selector)
	var ready, notReady []corev1.EndpointAddress
	for _, k := range a.PodKeys() {
		p := a.Pod(k)
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
	if old := a.Endpoints(podutil.KeyOf(ep)); old != nil && apiequality.Semantic.DeepEqual(old.Subsets, ep.Subsets) {
		return
	}
	a.PutEndpoints(ep, Actor, fmt.Sprintf("%d ready, %d not ready", len(ready), len(notReady)))
}
