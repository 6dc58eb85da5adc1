package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/scenarios"
	"github.com/podsim/podsim/sim"
)

// k8sDocsDir holds pod examples of the Kubernetes documentation
// (kubernetes/website content/en/examples), copied as written; its README
// names each file's source and the outcome its page documents.
const k8sDocsDir = "../../testdata/k8s-docs"

// docsExample is one example run for a while: the files as the docs apply
// them, and the outcome the docs page shows, as podsim test expectations
// (the Scenario document added after the files) and, for what they cannot
// say, a check of the cluster at the end.
type docsExample struct {
	files    []string
	scenario string // the Scenario document's fields: duration, expect
	check    func(t *testing.T, c *sim.Cluster)
	// assumed are the images podsim assumes to be healthy servers, not
	// knowing them; every other example runs on the catalogue alone.
	assumed []string
}

// docsExamples are the examples and their documented outcomes.
var docsExamples = map[string]docsExample{
	// tasks/configure-pod-container/configure-liveness-readiness-startup-probes:
	// "Within 30 seconds … After 35 seconds, view the Pod events again: …
	// Liveness probe failed: cat: can't open '/tmp/healthy': No such file or
	// directory … the container was killed and recreated" and RESTARTS 1.
	"exec-liveness": {files: []string{"exec-liveness.yaml"}, scenario: `
duration: 90s
expect:
- at: 30s
  pod: liveness-exec
  status: Running
  restarts: 0
- at: 36s
  pod: liveness-exec
  events:
  - type: Warning
    reason: Unhealthy
    message: "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"
- at: 85s
  pod: liveness-exec
  status: Running
  restarts: 1
  events:
  - reason: Killing
    message: Container liveness failed liveness probe, will be restarted
`},
	// Same page: agnhost liveness answers /healthz 200 for 10 s, then 500;
	// "After 10 seconds, view Pod events to verify that liveness probes
	// have failed and the container has been restarted".
	"http-liveness": {files: []string{"http-liveness.yaml"}, scenario: `
duration: 30s
expect:
- at: 12s
  pod: liveness-http
  status: Running
  restarts: 0
- at: 30s
  pod: liveness-http
  restarts: 1
  events:
  - type: Warning
    reason: Unhealthy
    message: "Liveness probe failed: HTTP probe failed with statuscode: 500"
  - reason: Killing
    message: Container liveness failed liveness probe, will be restarted
`},
	// Same page: "15 seconds after the container starts, the kubelet will
	// run the first liveness probe"; the readiness probe marks it ready.
	"tcp-liveness-readiness": {files: []string{"tcp-liveness-readiness.yaml"}, scenario: `
duration: 1m
expect:
- at: 15s
  pod: goproxy
  status: Running
  ready: 0/1
- at: 1m
  pod: goproxy
  status: Running
  ready: 1/1
  restarts: 0
`},
	// Same page, gRPC probe: etcd answers SERVING; no restarts.
	"grpc-liveness": {files: []string{"grpc-liveness.yaml"}, scenario: runningFor("", "etcd-with-grpc", "1/1", "2m")},
	// tasks/configure-pod-container/attach-handler-lifecycle-event: Running;
	// deleted, the preStop handler (nginx -s quit) stops nginx gracefully,
	// long before the 30 s grace period ends.
	"lifecycle-events": {files: []string{"lifecycle-events.yaml"}, scenario: `
duration: 40s
actions:
- at: 20s
  delete: {name: lifecycle-demo}
expect:
- at: 19s
  pod: lifecycle-demo
  status: Running
  ready: 1/1
- at: 25s
  pod: lifecycle-demo
  gone: true
`},
	// tasks/configure-pod-container/configure-pod-initialization: the init
	// container downloads the page with wget and exits; nginx runs.
	"init-containers": {files: []string{"init-containers.yaml"}, scenario: `
duration: 1m
expect:
- at: 1s
  pod: init-demo
  status: Init:0/1
- at: 1m
  pod: init-demo
  status: Running
  ready: 1/1
  containers:
    install: {state: terminated, reason: Completed, exitCode: 0}
`},
	// tasks/inject-data-application/define-command-argument-container:
	// printenv prints two variables and exits: Completed.
	"commands": {files: []string{"commands.yaml"}, scenario: `
duration: 1m
expect:
- at: 1m
  pod: command-demo
  status: Completed
  restarts: 0
`},
	// tasks/inject-data-application/environment-variable-expose-pod-information.
	"dapi-envars-pod": {files: []string{"dapi-envars-pod.yaml"}, scenario: running("", "dapi-envars-fieldref", "1/1")},
	// tasks/inject-data-application/define-environment-variable-container.
	"envars": {files: []string{"envars.yaml"}, scenario: running("", "envar-demo", "1/1")},
	// tasks/configure-pod-container/security-context: each pod runs.
	"security-context":   {files: []string{"security-context.yaml"}, scenario: running("", "security-context-demo", "1/1")},
	"security-context-2": {files: []string{"security-context-2.yaml"}, scenario: running("", "security-context-demo-2", "1/1")},
	"security-context-3": {files: []string{"security-context-3.yaml"}, scenario: running("", "security-context-demo-3", "1/1")},
	"security-context-4": {files: []string{"security-context-4.yaml"}, scenario: running("", "security-context-demo-4", "1/1")},
	// tasks/configure-pod-container/assign-cpu-resource: cpu-demo runs;
	// cpu-demo-2 asks for 100 CPUs: "Pending … Insufficient cpu".
	"cpu-request-limit": {files: []string{"cpu-request-limit.yaml"}, scenario: running("cpu-example", "cpu-demo", "1/1")},
	"cpu-request-limit-2": {files: []string{"cpu-request-limit-2.yaml"}, scenario: `
duration: 30s
expect:
- at: 30s
  namespace: cpu-example
  pod: cpu-demo-2
  status: Pending
  events:
  - type: Warning
    reason: FailedScheduling
`},
	// concepts/workloads/pods (multi-container patterns): the socat
	// ambassador, an image podsim does not know, is assumed to be a healthy
	// server on its port 5432; both containers run.
	"ambassador": {files: []string{"ambassador.yaml"}, scenario: running("", "ambassador-sidecar-example", "2/2"),
		assumed: []string{"docker.io/alpine/socat:1.8.0.3"}},
	// Same page: the client sidecar fetches nginx's page every 5 s
	// (wget -qO- … | head -n 4); both run.
	"localhost": {files: []string{"localhost.yaml"}, scenario: running("", "localhost-example", "2/2")},
	// concepts/workloads/pods/pod-qos: the QoS class of each pod.
	"qos-pod":   {files: []string{"qos-pod.yaml"}, scenario: running("qos-example", "qos-demo", "1/1"), check: qosClass("qos-example", "qos-demo", corev1.PodQOSGuaranteed)},
	"qos-pod-2": {files: []string{"qos-pod-2.yaml"}, scenario: running("qos-example", "qos-demo-2", "1/1"), check: qosClass("qos-example", "qos-demo-2", corev1.PodQOSBurstable)},
	"qos-pod-3": {files: []string{"qos-pod-3.yaml"}, scenario: running("qos-example", "qos-demo-3", "1/1"), check: qosClass("qos-example", "qos-demo-3", corev1.PodQOSBestEffort)},
	"qos-pod-4": {files: []string{"qos-pod-4.yaml"}, scenario: running("qos-example", "qos-demo-4", "2/2"), check: qosClass("qos-example", "qos-demo-4", corev1.PodQOSBurstable)},
	"qos-pod-5": {files: []string{"qos-pod-5.yaml"}, scenario: running("qos-example", "qos-demo-5", "1/1"), check: qosClass("qos-example", "qos-demo-5", corev1.PodQOSGuaranteed)},
	// tasks/configure-pod-container/assign-memory-resource: memory-demo runs
	// using about 150 MiB, under its 200 MiB limit.
	"memory-request-limit": {files: []string{"memory-request-limit.yaml"}, scenario: running("mem-example", "memory-demo", "1/1")},
	// "The Container in this exercise can be restarted … OOMKilled …
	// CrashLoopBackOff".
	// Pinned to 1.33: since 1.35 (PR #133066) the kubelet re-checks a
	// short back-off only when it ends, so at 2m the pod still shows
	// OOMKilled and CrashLoopBackOff comes just before each restart.
	"memory-request-limit-2": {files: []string{"memory-request-limit-2.yaml"}, scenario: `
kubernetesVersion: "1.33"
duration: 2m
expect:
- at: 2m
  namespace: mem-example
  pod: memory-demo-2
  status: CrashLoopBackOff
  containers:
    memory-demo-2-ctr: {state: waiting, lastState: terminated, lastReason: OOMKilled, lastExitCode: 137}
`},
	// "The Pod status is PENDING … 0/1 nodes are available: 1 Insufficient memory."
	"memory-request-limit-3": {files: []string{"memory-request-limit-3.yaml"}, scenario: `
duration: 30s
expect:
- at: 30s
  namespace: mem-example
  pod: memory-demo-3
  status: Pending
  events:
  - type: Warning
    reason: FailedScheduling
`},
	// concepts/scheduling-eviction/pod-scheduling-readiness: "the output
	// reveals it's in SchedulingGated state".
	"pod-with-scheduling-gates": {files: []string{"pod-with-scheduling-gates.yaml"}, scenario: `
duration: 30s
expect:
- at: 30s
  pod: test-pod
  status: SchedulingGated
  conditions:
    PodScheduled: {status: "False", reason: SchedulingGated}
`},
	// tasks/configure-pod-container/configure-liveness-readiness-startup-probes
	// (pod-with-tcp-socket-healthcheck is the concepts page's redis example):
	// the probe succeeds, the pod runs.
	"pod-with-tcp-socket-healthcheck": {files: []string{"pod-with-tcp-socket-healthcheck.yaml"}, scenario: runningFor("", "pod-with-tcp-socket-healthcheck", "1/1", "2m")},
	"pod-with-toleration":             {files: []string{"pod-with-toleration.yaml"}, scenario: running("", "nginx", "1/1")},
	"redis":                           {files: []string{"redis.yaml"}, scenario: running("", "redis", "1/1")},
	"redis-pod":                       {files: []string{"redis-pod.yaml"}, scenario: running("", "redis-master", "1/1")},
	"simple-pod":                      {files: []string{"simple-pod.yaml"}, scenario: running("", "nginx", "1/1")},
	"shell-demo":                      {files: []string{"shell-demo.yaml"}, scenario: running("", "shell-demo", "1/1")},
	"share-process-namespace":         {files: []string{"share-process-namespace.yaml"}, scenario: running("", "nginx", "2/2")},
	// concepts/workloads/pods/sidecar-containers and the multi-container
	// pages: the sidecar keeps running beside the app.
	"resources":            {files: []string{"resources.yaml"}, scenario: running("", "resources-example", "2/2")},
	"startup-coordination": {files: []string{"startup-coordination.yaml"}, scenario: running("", "startup-coordination-example", "2/2")},
	// tasks/access-application-cluster/communicate-containers-same-pod-shared-volume:
	// "the Debian container has terminated, and the nginx container is still running".
	"two-container-pod": {files: []string{"two-container-pod.yaml"}, scenario: `
duration: 1m
expect:
- at: 1m
  pod: two-containers
  ready: 1/2
  containers:
    debian-container: {state: terminated, reason: Completed, exitCode: 0}
    nginx-container: {state: running}
`},
	// concepts/workloads/pods/init-containers (shared volume example): the
	// init container writes the page, nginx serves it.
	"shared-volume": {files: []string{"shared-volume.yaml"}, scenario: `
duration: 1m
expect:
- at: 1m
  pod: shared-volume-example
  status: Running
  ready: 1/1
  containers:
    content-writer: {state: terminated, reason: Completed, exitCode: 0}
`},
	// tasks/debug/debug-application/determine-reason-pod-failure: the
	// container writes "Sleep expired" to /dev/termination-log after 10 s;
	// the message shows in its terminated state.
	"termination": {files: []string{"termination.yaml"}, scenario: `
duration: 30s
expect:
- at: 30s
  pod: termination-demo
  containers:
    termination-demo-container: {lastState: terminated, lastReason: Completed, lastExitCode: 0}
`, check: func(t *testing.T, c *sim.Cluster) {
		p := lastPod(t, c, "", "termination-demo")
		require.NotEmpty(t, p.Status.ContainerStatuses)
		term := p.Status.ContainerStatuses[0].LastTerminationState.Terminated
		require.NotNil(t, term)
		require.Equal(t, "Sleep expired\n", term.Message)
	}},
}

// running is the outcome "the pod is Running, all of its containers ready"
// a minute in.
func running(ns, pod, ready string) string { return runningFor(ns, pod, ready, "1m") }

func runningFor(ns, pod, ready, d string) string {
	nsLine := ""
	if ns != "" {
		nsLine = "\n  namespace: " + ns
	}
	return "\nduration: " + d + "\nexpect:\n- at: " + d + nsLine + "\n  pod: " + pod +
		"\n  status: Running\n  ready: " + ready + "\n  restarts: 0\n"
}

func qosClass(ns, pod string, want corev1.PodQOSClass) func(*testing.T, *sim.Cluster) {
	return func(t *testing.T, c *sim.Cluster) {
		require.Equal(t, want, lastPod(t, c, ns, pod).Status.QOSClass)
	}
}

// lastPod is the pod as the trace last recorded it.
func lastPod(t *testing.T, c *sim.Cluster, ns, name string) *corev1.Pod {
	t.Helper()
	if ns == "" {
		ns = corev1.NamespaceDefault
	}
	var last *corev1.Pod
	for _, r := range c.Trace().All() {
		if r.Kind == "Pod" && r.Namespace == ns && r.Name == name && r.Pod != nil {
			last = r.Pod
		}
	}
	require.NotNil(t, last, "no pod %s/%s in the trace", ns, name)
	return last
}

// Each example of the docs, as written, gives the outcome its page
// documents. Every file under testdata/k8s-docs is run by some case.
func TestKubernetesDocsExamples(t *testing.T) {
	used := map[string]bool{}
	for name, ex := range docsExamples {
		for _, f := range ex.files {
			used[f] = true
		}
		t.Run(name, func(t *testing.T) {
			var doc strings.Builder
			for _, f := range ex.files {
				data, err := os.ReadFile(filepath.Join(k8sDocsDir, f))
				require.NoError(t, err)
				doc.Write(data)
				doc.WriteString("\n---\n")
			}
			doc.WriteString("apiVersion: podsim.dev/v1alpha1\nkind: Scenario\n")
			doc.WriteString(strings.TrimPrefix(ex.scenario, "\n"))
			s, err := scenarios.Parse(name+".yaml", []byte(doc.String()))
			require.NoError(t, err)
			var assumed []string
			for _, a := range s.Assumptions() {
				_, img, _ := strings.Cut(a, ": image ")
				img, _, _ = strings.Cut(img, " ")
				assumed = append(assumed, img)
			}
			require.Equal(t, ex.assumed, assumed, "the images podsim assumes to be healthy servers")
			failures, c, err := s.Test(scenarios.Options{})
			require.NoError(t, err)
			for _, f := range failures {
				t.Error(f.String())
			}
			if ex.check != nil {
				ex.check(t, c)
			}
		})
	}
	files, err := filepath.Glob(filepath.Join(k8sDocsDir, "*.yaml"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(used), 30, "at least 30 examples of the docs")
	for _, f := range files {
		if !used[filepath.Base(f)] {
			t.Errorf("%s is kept but no case runs it", filepath.Base(f))
		}
	}
}
