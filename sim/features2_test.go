package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// Seed 1g: an init container waits for a Service; the app starts once it
// exists.
func TestInitContainerWaitsForService(t *testing.T) {
	for _, version := range sim.SupportedVersions {
		t.Run(version, func(t *testing.T) {
			c := newCluster(t, version, 1, "busybox:1.28")
			pod := podWith("myapp-pod", "", corev1.Container{Name: "myapp-container", Image: "busybox:1.28"})
			pod.Spec.InitContainers = []corev1.Container{{Name: "init-myservice", Image: "busybox:1.28"}}
			wait := behavior.Spec{Main: behavior.Script{behavior.Until(behavior.Resolve("myservice.default.svc.cluster.local"),
				behavior.Echo("waiting for myservice"), behavior.Sleep(2*sec))}}
			require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"init-myservice": wait, "myapp-container": sleepForever()}))
			require.NoError(t, c.At(60*sec, func(c *sim.Cluster) error {
				return c.Create(&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "myservice"}, Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Port: 80, TargetPort: intstr.FromInt32(9376)}}}})
			}))
			run(t, c, 59*sec)
			require.Equal(t, []string{"Pending", "Init:0/1"}, statuses(t, c, "myapp-pod"))
			run(t, c, 90*sec)
			got := statuses(t, c, "myapp-pod")
			require.Equal(t, []string{"Pending", "Init:0/1", "PodInitializing", "Running"}, got)
			p := c.Pod("default", "myapp-pod")
			require.Equal(t, corev1.PodRunning, p.Status.Phase)
			require.Equal(t, "Completed", p.Status.InitContainerStatuses[0].State.Terminated.Reason)
		})
	}
}

func TestInitContainerFailure(t *testing.T) {
	c := newCluster(t, "1.33", 1, "busybox:1.28")
	pod := podWith("p", corev1.RestartPolicyAlways, corev1.Container{Name: "app", Image: "busybox:1.28"})
	pod.Spec.InitContainers = []corev1.Container{{Name: "init", Image: "busybox:1.28"}}
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"init": {Main: behavior.Script{behavior.Exit(1)}}, "app": sleepForever()}))
	run(t, c, 60*sec)
	got := statuses(t, c, "p")
	require.Contains(t, got, "Init:Error")
	require.Contains(t, got, "Init:CrashLoopBackOff")
	require.Equal(t, corev1.PodPending, c.Pod("default", "p").Status.Phase)

	never := newCluster(t, "1.33", 1, "busybox:1.28")
	pod = podWith("q", corev1.RestartPolicyNever, corev1.Container{Name: "app", Image: "busybox:1.28"})
	pod.Spec.InitContainers = []corev1.Container{{Name: "init", Image: "busybox:1.28"}}
	require.NoError(t, never.CreatePod(pod, map[string]behavior.Spec{"init": {Main: behavior.Script{behavior.Exit(1)}}, "app": sleepForever()}))
	run(t, never, 60*sec)
	require.Equal(t, corev1.PodFailed, never.Pod("default", "q").Status.Phase)
	require.Contains(t, statuses(t, never, "q"), "Init:Error")
}

// A sidecar with a startup probe holds back the app until the probe
// succeeds; it counts in READY and is restarted whatever the pod's policy.
func TestSidecarStartupProbeGatesApp(t *testing.T) {
	c := newCluster(t, "1.33", 1, "proxy:1", "app:1")
	pod := podWith("with-sidecar", corev1.RestartPolicyNever, corev1.Container{Name: "app", Image: "app:1"})
	pod.Spec.InitContainers = []corev1.Container{{
		Name: "proxy", Image: "proxy:1", RestartPolicy: ptr.To(corev1.ContainerRestartPolicyAlways),
		StartupProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(15000)}}, PeriodSeconds: 2, FailureThreshold: 10},
	}}
	proxy := behavior.Spec{Main: behavior.Script{behavior.Sleep(7 * sec), behavior.Listen(15000), behavior.Forever(behavior.Sleep(time.Hour))}}
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"proxy": proxy, "app": sleepForever()}))
	run(t, c, 30*sec)
	var appStarted, proxyListening time.Duration
	for _, r := range c.Trace().Events() {
		if r.Event.Reason == "Started" && r.Event.InvolvedObject.FieldPath == "spec.containers{app}" {
			appStarted = r.T
		}
	}
	proxyListening = 1190*time.Millisecond + 7*sec
	require.Greater(t, appStarted, proxyListening, "the app must wait for the sidecar's startup probe")
	p := c.Pod("default", "with-sidecar")
	require.Equal(t, corev1.PodRunning, p.Status.Phase)
	lines := watchLines(t, c, "with-sidecar")
	require.Equal(t, "2/2 Running 0 30s", lines[len(lines)-1][:len("2/2 Running 0 ")]+"30s")
}

func TestStartupProbeFailureRestarts(t *testing.T) {
	c := newCluster(t, "1.33", 1, "slow:1")
	pod := podWith("slow", "", corev1.Container{Name: "app", Image: "slow:1",
		StartupProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromInt32(8080)}}, PeriodSeconds: 5, FailureThreshold: 3}})
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": sleepForever()}))
	run(t, c, 60*sec)
	var killing, unhealthy string
	for _, e := range c.Events() {
		switch e.Reason {
		case "Killing":
			killing = e.Message
		case "Unhealthy":
			unhealthy = e.Message
		}
	}
	require.Equal(t, "Container app failed startup probe, will be restarted", killing)
	require.Regexp(t, `^Startup probe failed: Get "http://10\.244\.0\.\d+:8080/healthz": dial tcp 10\.244\.0\.\d+:8080: connect: connection refused$`, unhealthy)
	require.GreaterOrEqual(t, c.Pod("default", "slow").Status.ContainerStatuses[0].RestartCount, int32(1))
}

// A readiness probe on an HTTP path follows what the server answers; the
// pod leaves and rejoins its Service's endpoints.
func TestReadinessHTTPFlips(t *testing.T) {
	c := newCluster(t, "1.33", 1, "web:1")
	pod := podWith("web", "", corev1.Container{Name: "web", Image: "web:1",
		ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/ready", Port: intstr.FromInt32(8080)}}, PeriodSeconds: 2, FailureThreshold: 1}})
	pod.Labels = map[string]string{"app": "web"}
	web := behavior.Spec{Main: behavior.Script{
		behavior.ServeHTTP(8080, "/ready", 200), behavior.Sleep(20 * sec),
		behavior.ServeHTTP(8080, "/ready", 503), behavior.Sleep(20 * sec),
		behavior.ServeHTTP(8080, "/ready", 200), behavior.Forever(behavior.Sleep(time.Hour)),
	}}
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"web": web}))
	require.NoError(t, c.Create(&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: corev1.ServiceSpec{Selector: map[string]string{"app": "web"}, Ports: []corev1.ServicePort{{Port: 80, TargetPort: intstr.FromInt32(8080)}}}}))
	run(t, c, 10*sec)
	require.Len(t, c.Endpoints("default", "web").Subsets[0].Addresses, 1)
	run(t, c, 30*sec)
	require.Empty(t, c.Endpoints("default", "web").Subsets[0].Addresses)
	var msg string
	for _, e := range c.Events() {
		if e.Reason == "Unhealthy" {
			msg = e.Message
		}
	}
	require.Equal(t, "Readiness probe failed: HTTP probe failed with statuscode: 503", msg)
	run(t, c, 50*sec)
	require.Len(t, c.Endpoints("default", "web").Subsets[0].Addresses, 1)
	lines := watchLines(t, c, "web")
	require.Equal(t, []string{"1/1", "0/1", "1/1"}, readySequence(lines))
}

func readySequence(lines []string) []string {
	var out []string
	seenRunning := false
	for _, l := range lines {
		f := splitFields(l)
		if f[1] != "Running" {
			continue
		}
		seenRunning = true
		if len(out) == 0 || out[len(out)-1] != f[0] {
			out = append(out, f[0])
		}
	}
	if !seenRunning {
		return nil
	}
	// drop the 0/1 before the first ready
	if len(out) > 0 && out[0] == "0/1" {
		out = out[1:]
	}
	return out
}

func splitFields(s string) []string {
	var out []string
	cur := ""
	for _, ch := range s {
		if ch == ' ' {
			if cur != "" {
				out = append(out, cur)
				cur = ""
			}
			continue
		}
		cur += string(ch)
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

func TestGRPCAndTCPProbes(t *testing.T) {
	c := newCluster(t, "1.33", 1, "svc:1")
	pod := podWith("svc", "", corev1.Container{Name: "svc", Image: "svc:1",
		ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 9090}}, PeriodSeconds: 3},
		LivenessProbe:  &corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(9090)}}, PeriodSeconds: 3}})
	spec := behavior.Spec{Main: behavior.Script{
		behavior.ServeGRPC(9090, "", behavior.GRPCNotServing), behavior.Sleep(10 * sec),
		behavior.ServeGRPC(9090, "", behavior.GRPCServing), behavior.Forever(behavior.Sleep(time.Hour)),
	}}
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"svc": spec}))
	run(t, c, 20*sec)
	p := c.Pod("default", "svc")
	require.True(t, p.Status.ContainerStatuses[0].Ready)
	var msg string
	for _, e := range c.Events() {
		if e.Reason == "Unhealthy" {
			msg = e.Message
		}
	}
	require.Equal(t, `Readiness probe failed: service unhealthy (responded with "NOT_SERVING")`, msg)
	require.EqualValues(t, 0, p.Status.ContainerStatuses[0].RestartCount, "tcp liveness kept passing")
}

// A pod bound straight to a node that cannot hold it is rejected by the
// kubelet's admission.
func TestAdmissionRejectsOutOfCPU(t *testing.T) {
	c := newCluster(t, "1.33", 1, "app:1")
	pod := podWith("big", "", corev1.Container{Name: "app", Image: "app:1", Resources: corev1.ResourceRequirements{
		Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("6")}}})
	pod.Spec.NodeName = "node-1"
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": sleepForever()}))
	run(t, c, 5*sec)
	p := c.Pod("default", "big")
	require.Equal(t, corev1.PodFailed, p.Status.Phase)
	require.Equal(t, "OutOfcpu", p.Status.Reason)
	require.Equal(t, "Pod was rejected: Node didn't have enough resource: cpu, requested: 6000, used: 0, capacity: 4000", p.Status.Message)
	lines := watchLines(t, c, "big")
	require.Equal(t, "0/1 OutOfcpu 0 0s", lines[len(lines)-1])
}

func TestUnschedulable(t *testing.T) {
	c := newCluster(t, "1.33", 1, "app:1")
	pod := podWith("big", "", corev1.Container{Name: "app", Image: "app:1", Resources: corev1.ResourceRequirements{
		Requests: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("64Gi")}}})
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": sleepForever()}))
	run(t, c, 5*sec)
	p := c.Pod("default", "big")
	require.Equal(t, corev1.PodPending, p.Status.Phase)
	require.Empty(t, p.Spec.NodeName)
	var failed string
	for _, e := range c.Events() {
		if e.Reason == "FailedScheduling" {
			failed = e.Message
		}
	}
	// The preemption part: no pod of lower priority to evict.
	require.Equal(t, "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.", failed)
}

// Since 1.27 a deleted pod reaches a terminal phase before its object goes:
// the container was killed, so Failed, and kubectl shows the container's
// reason rather than Terminating.
func TestDeletionTerminalPhase(t *testing.T) {
	tests := []struct {
		version  string
		stop     behavior.StopPolicy
		lastLine string
	}{
		{"1.25", behavior.IgnoreStop(), "0/1 Terminating 0 40s"},
		{"1.33", behavior.IgnoreStop(), "0/1 Error 0 40s"},
		{"1.33", behavior.ExitOnStop(0, 0), "0/1 Completed 0 10s"},
	}
	for _, tc := range tests {
		t.Run(tc.version+" "+tc.lastLine, func(t *testing.T) {
			c := newCluster(t, tc.version, 1, "app:1")
			spec := sleepForever()
			spec.Stop = tc.stop
			require.NoError(t, c.CreatePod(podWith("gone", "", corev1.Container{Name: "app", Image: "app:1"}), map[string]behavior.Spec{"app": spec}))
			require.NoError(t, c.At(10*sec, func(c *sim.Cluster) error { return c.DeletePod("", "gone", sim.DeleteOptions{}) }))
			run(t, c, 2*time.Minute)
			require.Nil(t, c.Pod("default", "gone"))
			lines := watchLines(t, c, "gone")
			require.Equal(t, tc.lastLine, lines[len(lines)-1], "%v", lines)
		})
	}
}

// kubectl delete --force --grace-period=0 removes the object at once; the
// kubelet still stops the container, with the pod's own grace period
// (issue #115819).
func TestForceDelete(t *testing.T) {
	c := newCluster(t, "1.33", 1, "app:1")
	spec := sleepForever()
	spec.Stop = behavior.IgnoreStop()
	require.NoError(t, c.CreatePod(podWith("forced", "", corev1.Container{Name: "app", Image: "app:1"}), map[string]behavior.Spec{"app": spec}))
	require.NoError(t, c.At(10*sec, func(c *sim.Cluster) error {
		return c.DeletePod("", "forced", sim.DeleteOptions{Force: true, GracePeriodSeconds: ptr.To[int64](0)})
	}))
	run(t, c, 11*sec)
	require.Nil(t, c.Pod("default", "forced"), "removed at once")
	require.NotNil(t, c.Container("default", "forced", "app"), "still running on the node")
	run(t, c, 35*sec)
	require.NotNil(t, c.Container("default", "forced", "app"), "the kubelet grants the full 30 s")
	run(t, c, 45*sec)
	require.Nil(t, c.Container("default", "forced", "app"))
}

// A liveness probe's own terminationGracePeriodSeconds replaces the pod's
// for the kill it causes (GA in 1.28).
func TestProbeTerminationGracePeriod(t *testing.T) {
	c := newCluster(t, "1.33", 1, "app:1")
	pod := podWith("p", "", corev1.Container{Name: "app", Image: "app:1",
		LivenessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(8080)}},
			PeriodSeconds: 5, FailureThreshold: 1, TerminationGracePeriodSeconds: ptr.To[int64](5)}})
	pod.Spec.TerminationGracePeriodSeconds = ptr.To[int64](60)
	spec := sleepForever()
	spec.Stop = behavior.IgnoreStop()
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"app": spec}))
	run(t, c, 30*sec)
	var killing time.Duration
	for _, r := range c.Trace().Events() {
		if r.Event.Reason == "Killing" && killing == 0 {
			killing = r.T
		}
	}
	require.NotZero(t, killing)
	var exit time.Duration
	for _, r := range c.Trace().Pods() {
		if cs := r.Pod.Status.ContainerStatuses; exit == 0 && len(cs) == 1 && cs[0].LastTerminationState.Terminated != nil {
			exit = cs[0].LastTerminationState.Terminated.FinishedAt.Sub(r.Pod.CreationTimestamp.Time)
		}
	}
	require.Equal(t, (killing + 5*sec).Truncate(sec), exit, "SIGKILL after the probe's 5 s, not the pod's 60 s")
}
