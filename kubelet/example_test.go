package kubelet_test

import (
	"os"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/kubelet"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// noDNS is a cluster without Services.
type noDNS struct{}

func (noDNS) Resolves(namespace, name string) bool { return false }

// A kubelet on its own beside an API server, with no scheduler: a pod
// created with spec.nodeName already set is the kubelet's at once. Its
// container exits after 5 s. With restartPolicy Always the kubelet restarts
// it at once (there is no back-off entry yet); the second exit starts the
// 10 s back-off, and the pod shows CrashLoopBackOff until the pod worker's
// retry after it (10–15 s after the failed sync, pod_workers.go).
func Example() {
	eng := engine.New(1)
	eng.Epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	prof, _ := profile.For("1.33")
	tr := &trace.Trace{Header: trace.Header{Epoch: eng.Epoch}} // kubectl's ages count from the epoch
	api := apiserver.New(apiserver.Config{Engine: eng, Profile: prof, Trace: tr, WatchLatency: 10 * time.Millisecond})
	job := behavior.Spec{Main: behavior.Script{behavior.Sleep(5 * time.Second), behavior.Exit(1)}}
	_, err := kubelet.New(kubelet.Config{
		Node:   &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}},
		Engine: eng, Profile: prof, Client: api, Trace: tr, DNS: noDNS{},
		Events:        record.NewBroadcaster(eng, api, tr, prof.EventReportingController),
		PresentImages: []string{"busybox:1.36"},
		Behaviors:     func(*corev1.Pod) map[string]behavior.Spec { return map[string]behavior.Spec{"app": job} },
		Timing: kubelet.Timing{
			SandboxCreate: 750 * time.Millisecond, SandboxStop: 100 * time.Millisecond,
			ContainerCreate: 100 * time.Millisecond, ContainerStart: 300 * time.Millisecond,
			VolumeTeardown: 100 * time.Millisecond, DefaultPull: 2 * time.Second,
			RelistPhase: 600 * time.Millisecond, SyncTickPhase: 300 * time.Millisecond,
		},
		Network:        kubelet.Network{PodCIDR: "10.244.0.0/24"},
		ResyncInterval: time.Minute,
	})
	if err != nil {
		panic(err)
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "crasher"},
		Spec:       corev1.PodSpec{NodeName: "node-1", Containers: []corev1.Container{{Name: "app", Image: "busybox:1.36"}}},
	}
	if err := api.CreatePod(pod, "user", "created"); err != nil {
		panic(err)
	}
	eng.RunUntil(30 * time.Second)
	trace.Watch(os.Stdout, tr, trace.WatchOptions{Rules: prof.Lifecycle})
	// Output:
	// NAME      READY   STATUS              RESTARTS      AGE
	// crasher   0/1     Pending             0             0s
	// crasher   0/1     ContainerCreating   0             0s
	// crasher   1/1     Running             0             1s
	// crasher   0/1     Error               0             6s
	// crasher   1/1     Running             1 (1s ago)    7s
	// crasher   0/1     Error               1 (6s ago)    12s
	// crasher   0/1     CrashLoopBackOff    1 (12s ago)   24s
	// crasher   1/1     Running             2 (13s ago)   25s
}
