package apiserver_test

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// A pod's life as the API server sees it: created, bound by the scheduler,
// deleted gracefully, and removed by its kubelet's final delete. A watch on
// node-1's pods (as that node's kubelet has) hears of the pod only once it
// is bound there; every write is in the trace.
func Example() {
	eng := engine.New(1)
	prof, _ := profile.For("1.33")
	tr := &trace.Trace{}
	api := apiserver.New(apiserver.Config{Engine: eng, Profile: prof, Trace: tr, WatchLatency: 10 * time.Millisecond})
	api.WatchPods(fields.OneTermEqualSelector(apiserver.FieldNodeName, "node-1"), func(op trace.Op, p *corev1.Pod) {
		fmt.Printf("%v node-1's watch: %s %s\n", eng.Now(), op, p.Name)
	})

	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "nginx:1.25.2"}}}}
	if err := api.CreatePod(pod, "user", "kubectl apply"); err != nil {
		fmt.Println(err)
	}
	key := types.NamespacedName{Namespace: "default", Name: "web"}
	eng.At(time.Second, engine.PriorityNormal, func() { api.BindPod(key, "", "node-1", "default-scheduler") })
	eng.At(5*time.Second, engine.PriorityNormal, func() { api.DeletePod(key, "", nil, "user", "kubectl delete") })
	eng.At(9*time.Second, engine.PriorityNormal, func() {
		api.DeletePod(key, api.Pod(key).UID, new(int64), "kubelet/node-1", "pod terminated: final delete")
	})
	eng.RunUntil(10 * time.Second)

	for _, r := range tr.All() {
		fmt.Printf("%v %s %s by %s (%s): %v\n", r.T, r.Op, r.Name, r.Actor, r.Cause, r.Changes)
	}
	// Output:
	// 1.01s node-1's watch: MODIFIED web
	// 5.01s node-1's watch: MODIFIED web
	// 9.01s node-1's watch: MODIFIED web
	// 9.01s node-1's watch: DELETED web
	// 0s ADDED web by user (kubectl apply): [created]
	// 1s MODIFIED web by default-scheduler (bound to node node-1): [spec.nodeName: <none> → node-1 condition PodScheduled: absent → True]
	// 5s MODIFIED web by user (kubectl delete): [metadata.deletionGracePeriodSeconds: <none> → 30]
	// 9s MODIFIED web by kubelet/node-1 (pod terminated: final delete): [metadata.deletionGracePeriodSeconds: 30 → 0]
	// 9s DELETED web by kubelet/node-1 (pod terminated: final delete): []
}
