package endpoints_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/controllers/endpoints"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// Ready pods are addresses, unready ones not-ready addresses, and a pod
// being deleted is neither; the target port defaults to the port.
func TestEndpoints(t *testing.T) {
	eng := engine.New(1)
	prof, _ := profile.For("1.33")
	tr := &trace.Trace{}
	api := apiserver.New(apiserver.Config{Engine: eng, Profile: prof, Trace: tr, WatchLatency: 10 * time.Millisecond})
	_, err := endpoints.New(api)
	require.NoError(t, err)
	require.NoError(t, api.Create(&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: corev1.ServiceSpec{Selector: map[string]string{"app": "web"}, Ports: []corev1.ServicePort{{Name: "http", Port: 80, Protocol: corev1.ProtocolTCP}}}}, "user", "created"))
	ips := map[string]string{"ready": "10.244.0.2", "unready": "10.244.0.3", "leaving": "10.244.0.4", "other": "10.244.0.5"}
	for _, name := range []string{"ready", "unready", "leaving", "other"} {
		labels := map[string]string{"app": "web"}
		if name == "other" {
			labels = map[string]string{"app": "db"}
		}
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
			Spec: corev1.PodSpec{NodeName: "n", Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
		require.NoError(t, api.CreatePod(p, "user", "created"))
		key := types.NamespacedName{Namespace: "default", Name: name}
		ready := corev1.ConditionFalse
		if name == "ready" || name == "leaving" {
			ready = corev1.ConditionTrue
		}
		api.UpdatePod(key, "", "kubelet", "status", func(p *corev1.Pod) {
			p.Status.PodIP = ips[name]
			p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: ready}}
		})
		if name == "leaving" {
			api.DeletePod(key, "", nil, "user", "kubectl delete")
		}
	}
	require.NoError(t, eng.RunUntil(time.Second))
	ep := api.Endpoints(types.NamespacedName{Namespace: "default", Name: "web"})
	require.NotNil(t, ep)
	require.Len(t, ep.Subsets, 1)
	var ready, notReady []string
	for _, a := range ep.Subsets[0].Addresses {
		ready = append(ready, a.TargetRef.Name)
	}
	for _, a := range ep.Subsets[0].NotReadyAddresses {
		notReady = append(notReady, a.TargetRef.Name)
	}
	require.Equal(t, []string{"ready"}, ready)
	require.Equal(t, []string{"unready"}, notReady)
	require.Equal(t, []corev1.EndpointPort{{Name: "http", Port: 80, Protocol: corev1.ProtocolTCP}}, ep.Subsets[0].Ports)
}

// countingClient counts the pod reads the controller makes.
type countingClient struct {
	*apiserver.Server
	podReads int
}

func (c *countingClient) Pod(key types.NamespacedName) *corev1.Pod {
	c.podReads++
	return c.Server.Pod(key)
}

// Issue 9: 2,000 Services took 10 s, because every pod change re-synced
// every Service against every pod. A pod's change now syncs only the
// Services that select it, over the pods each selects: here one read per
// pod change.
func TestManyServicesCostLinearTime(t *testing.T) {
	const n = 2000
	eng := engine.New(1)
	prof, _ := profile.For("1.33")
	api := apiserver.New(apiserver.Config{Engine: eng, Profile: prof, Trace: &trace.Trace{}, WatchLatency: 10 * time.Millisecond})
	client := &countingClient{Server: api}
	_, err := endpoints.New(client)
	require.NoError(t, err)
	for i := range n {
		app := map[string]string{"app": fmt.Sprintf("app-%d", i)}
		require.NoError(t, api.Create(&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("svc-%d", i)},
			Spec: corev1.ServiceSpec{Selector: app, Ports: []corev1.ServicePort{{Port: 80}}}}, "user", "created"))
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("pod-%d", i), Labels: app},
			Spec: corev1.PodSpec{NodeName: "n", Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
		require.NoError(t, api.CreatePod(p, "user", "created"))
		api.UpdatePod(podutil.KeyOf(p), "", "kubelet", "status", func(p *corev1.Pod) {
			p.Status.PodIP = fmt.Sprintf("10.%d.%d.%d", i>>16, (i>>8)&255, i&255)
			p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
		})
	}
	require.NoError(t, eng.RunUntil(time.Second))
	ep := api.Endpoints(types.NamespacedName{Namespace: "default", Name: "svc-1999"})
	require.NotNil(t, ep)
	require.Equal(t, "pod-1999", ep.Subsets[0].Addresses[0].TargetRef.Name)
	// Two pod changes (create, status) per pod, a Service creation each;
	// the quadratic controller made n×n reads per change.
	require.LessOrEqual(t, client.podReads, 3*n)
}
