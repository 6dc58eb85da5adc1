package endpoints_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/controllers/endpoints"
	"github.com/podsim/podsim/engine"
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
