package trace

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// The pods below are not from the seed transcripts: a terminating pod and a
// pod in its init containers, both on 1.33, and what they and the seed pods
// show of labels, tolerations, annotations, mirror pods and unsupported
// volumes. The helpers they share with describe_test.go are there.

// terminatingPod is a Running 1.33 pod deleted with a 30 s grace period:
// the API server set deletionTimestamp to the deletion time plus 30 s.
func terminatingPod() (*corev1.Pod, time.Time) {
	start := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	deleted := start.Add(2 * time.Minute)
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: "web-7d4b9c8f5-x2x9q", Namespace: "shop", UID: "11111111-2222-3333-4444-555555555555",
			Labels: map[string]string{"app": "web", "pod-template-hash": "7d4b9c8f5"},
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-7d4b9c8f5", UID: "rs-uid", Controller: ptr.To(true),
			}},
			DeletionTimestamp:          mtp(deleted.Add(30 * time.Second)),
			DeletionGracePeriodSeconds: ptr.To[int64](30),
		},
		Spec: corev1.PodSpec{
			NodeName:           "node-1",
			ServiceAccountName: "web",
			Priority:           ptr.To[int32](0),
			Containers: []corev1.Container{{
				Name: "web", Image: "nginx:1.27",
				Ports: []corev1.ContainerPort{{ContainerPort: 80, Protocol: corev1.ProtocolTCP}, {ContainerPort: 443, Protocol: corev1.ProtocolTCP}},
				Resources: corev1.ResourceRequirements{
					Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("128Mi"), corev1.ResourceCPU: resource.MustParse("500m")},
					Requests: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("64Mi"), corev1.ResourceCPU: resource.MustParse("250m")},
				},
				LivenessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
					Path: "/healthz", Port: intstr.FromInt32(8080), Scheme: corev1.URISchemeHTTP,
				}}, InitialDelaySeconds: 3, TimeoutSeconds: 1, PeriodSeconds: 3, SuccessThreshold: 1, FailureThreshold: 3},
				ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{
					Port: intstr.FromInt32(80),
				}}, TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3},
				Env: []corev1.EnvVar{
					{Name: "MODE", Value: "production"},
					{Name: "POD_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.name"}}},
					{Name: "POD_IP", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "status.podIP"}}},
					{Name: "MEM", ValueFrom: &corev1.EnvVarSource{ResourceFieldRef: &corev1.ResourceFieldSelector{Resource: "limits.memory", Divisor: resource.MustParse("1Mi")}}},
					{Name: "TOKEN", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
						LocalObjectReference: corev1.LocalObjectReference{Name: "web-secrets"}, Key: "token"}}},
				},
				VolumeMounts: []corev1.VolumeMount{
					{Name: "cache", MountPath: "/var/cache/nginx"},
					{Name: "config", MountPath: "/etc/nginx/conf.d", ReadOnly: true, SubPath: "conf.d"},
				},
			}},
			Volumes: []corev1.Volume{
				{Name: "cache", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
				{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
					LocalObjectReference: corev1.LocalObjectReference{Name: "web-config"}}}},
			},
			NodeSelector: map[string]string{"kubernetes.io/os": "linux", "disktype": "ssd"},
			Tolerations: []corev1.Toleration{
				{Key: "node.kubernetes.io/unreachable", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr.To[int64](300)},
				{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "web", Effect: corev1.TaintEffectNoSchedule},
				{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr.To[int64](300)},
			},
		},
		Status: corev1.PodStatus{
			Phase: corev1.PodRunning, HostIP: "10.0.0.11", PodIP: "10.244.1.7",
			PodIPs:    []corev1.PodIP{{IP: "10.244.1.7"}, {IP: "fd00::7"}},
			StartTime: mtp(start),
			Conditions: conditions("PodReadyToStartContainers", "True", "Initialized", "True", "Ready", "False",
				"ContainersReady", "False", "PodScheduled", "True"),
			ContainerStatuses: []corev1.ContainerStatus{{
				Name: "web", Image: "docker.io/library/nginx:1.27", ImageID: "docker.io/library/nginx@sha256:abc",
				ContainerID: "containerd://f00d", Ready: false, RestartCount: 0,
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: mt(start.Add(2 * time.Second))}},
			}},
		},
	}
	return pod, deleted.Add(5 * time.Second)
}

func TestDescribePodTerminating(t *testing.T) {
	pod, now := terminatingPod()
	ev := corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: eventName(pod.Name, now.Add(-5*time.Second)), Namespace: "shop"},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "shop", Name: pod.Name, UID: pod.UID},
		Reason:         "Killing", Message: "Stopping container web", Type: corev1.EventTypeNormal,
		Source:              corev1.EventSource{Component: "kubelet", Host: "node-1"},
		ReportingController: "kubelet", ReportingInstance: "node-1",
		FirstTimestamp: mt(now.Add(-5 * time.Second)), LastTimestamp: mt(now.Add(-5 * time.Second)), Count: 1,
	}
	got := describe(t, pod, []corev1.Event{ev}, now, DescribeOptions{})
	golden(t, "terminating", got)

	tests := []struct {
		name  string
		phase corev1.PodPhase
		minor int
		since time.Duration // now minus deletionTimestamp
		want  []string
	}{
		// The deadline is 25 s ahead: kubectl prints the negative age as <invalid>.
		{"running, deadline ahead", corev1.PodRunning, 33, -25 * time.Second,
			[]string{"Status:                    Terminating (lasts <invalid>)", "Termination Grace Period:  30s"}},
		{"running, just before the deadline", corev1.PodRunning, 33, -500 * time.Millisecond,
			[]string{"Status:                    Terminating (lasts 0s)"}},
		{"running, past the deadline", corev1.PodRunning, 33, 2*time.Minute + 5*time.Second,
			[]string{"Status:                    Terminating (lasts 2m5s)"}},
		{"succeeded, 1.33", corev1.PodSucceeded, 33, -25 * time.Second, []string{"Status:           Succeeded"}},
		{"failed, 1.31", corev1.PodFailed, 31, -25 * time.Second, []string{"Status:           Failed"}},
		// Before 1.31 kubectl shows Terminating whatever the phase.
		{"succeeded, 1.30", corev1.PodSucceeded, 30, -25 * time.Second,
			[]string{"Status:                    Terminating (lasts <invalid>)"}},
		{"succeeded, 1.24", corev1.PodSucceeded, 24, 10 * time.Second,
			[]string{"Status:                    Terminating (lasts 10s)", "Termination Grace Period:  30s"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := pod.DeepCopy()
			p.Status.Phase = tc.phase
			got := describe(t, p, nil, p.DeletionTimestamp.Add(tc.since), DescribeOptions{KubectlMinor: tc.minor})
			lines := strings.Split(got, "\n")
			for _, w := range tc.want {
				require.Contains(t, lines, w)
			}
			require.Equal(t, strings.Contains(got, "Termination Grace Period"), strings.Contains(got, "Terminating"))
		})
	}

	p := pod.DeepCopy()
	p.DeletionGracePeriodSeconds = nil
	var buf bytes.Buffer
	require.Error(t, DescribePod(&buf, p, nil, now, DescribeOptions{}))
	require.Empty(t, buf.String())
}

// initPod is a pod whose first init container has completed and whose
// second is running, on 1.33, with no events yet.
func initPod() (*corev1.Pod, time.Time) {
	start := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "myapp", Namespace: "default", UID: "init-uid",
			Labels: map[string]string{"app.kubernetes.io/name": "MyApp"},
			Annotations: map[string]string{
				"note":        "line one\nline two\n",
				"description": strings.Repeat("x", 150),
			},
		},
		Spec: corev1.PodSpec{
			NodeName: "node-1", Priority: ptr.To[int32](0), ServiceAccountName: "default",
			InitContainers: []corev1.Container{
				{Name: "init-myservice", Image: "busybox:1.28",
					Command: []string{"sh", "-c", "until nslookup myservice; do echo waiting; sleep 2; done"}},
				{Name: "init-mydb", Image: "busybox:1.28",
					Command: []string{"sh", "-c", "until nslookup mydb; do echo waiting; sleep 2; done"}},
			},
			Containers: []corev1.Container{{
				Name: "myapp-container", Image: "busybox:1.28",
				Command: []string{"sh", "-c", "echo The app is running! && sleep 3600"},
				Ports:   []corev1.ContainerPort{{ContainerPort: 8080, HostPort: 80, Protocol: corev1.ProtocolTCP}},
				StartupProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
					Host: "10.0.0.1", Path: "/ready", Port: intstr.FromString("http"), Scheme: corev1.URISchemeHTTPS,
				}}, TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 30},
				Resources: corev1.ResourceRequirements{Limits: corev1.ResourceList{
					corev1.ResourceCPU: resource.MustParse("1"), corev1.ResourceMemory: resource.MustParse("1Gi")}},
			}},
		},
		Status: corev1.PodStatus{
			Phase: corev1.PodPending, HostIP: "10.0.0.11", PodIP: "10.244.1.9", PodIPs: []corev1.PodIP{{IP: "10.244.1.9"}},
			StartTime: mtp(start), QOSClass: corev1.PodQOSGuaranteed,
			Conditions: conditions("PodReadyToStartContainers", "True", "Initialized", "False", "Ready", "False",
				"ContainersReady", "False", "PodScheduled", "True"),
			InitContainerStatuses: []corev1.ContainerStatus{
				{Name: "init-myservice", Image: "busybox:1.28", ImageID: "docker.io/library/busybox@sha256:1", ContainerID: "containerd://i1",
					State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
						ExitCode: 0, Reason: "Completed", StartedAt: mt(start.Add(time.Second)), FinishedAt: mt(start.Add(9 * time.Second)),
					}}, Ready: true},
				{Name: "init-mydb", Image: "busybox:1.28", ImageID: "docker.io/library/busybox@sha256:1", ContainerID: "containerd://i2",
					State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: mt(start.Add(10 * time.Second))}}},
			},
			ContainerStatuses: []corev1.ContainerStatus{{
				Name: "myapp-container", Image: "busybox:1.28",
				State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "PodInitializing"}},
			}},
		},
	}, start.Add(time.Minute)
}

func TestDescribePodInitContainers(t *testing.T) {
	pod, now := initPod()
	got := describe(t, pod, []corev1.Event{}, now, DescribeOptions{})
	golden(t, "init-containers", got)
	// With no volumes, Volumes: <none> and, with no events, Events: <none>
	// join the block that the condition rows start (the widest cell is
	// "  PodReadyToStartContainers ").
	lines := strings.Split(got, "\n")
	require.Contains(t, lines, "Volumes:                      <none>")
	require.Contains(t, lines, "Events:                       <none>")
	require.Contains(t, lines, "    Startup:      http-get https://10.0.0.1:http/ready delay=0s timeout=1s period=10s #success=1 #failure=30")
}

func TestDescribePodLabelsTolerationsAnnotations(t *testing.T) {
	pod, now := terminatingPod()
	got := describe(t, pod, nil, now, DescribeOptions{})
	lines := strings.Split(got, "\n")
	for _, want := range []string{
		"Labels:                    app=web",
		"                           pod-template-hash=7d4b9c8f5",
		"Annotations:               <none>",
		// "IPs:" ends the header block; the pod IPs and Controlled By form the next.
		"IPs:",
		"  IP:           10.244.1.7",
		"  IP:           fd00::7",
		"Controlled By:  ReplicaSet/web-7d4b9c8f5",
		// The last volume's lines, QoS Class, Node-Selectors, Tolerations and
		// Events: <none> form one block; "Node-Selectors:" is the widest.
		"    Optional:    false",
		"QoS Class:       Burstable",
		"Node-Selectors:  disktype=ssd",
		"                 kubernetes.io/os=linux",
		"Tolerations:     dedicated=web:NoSchedule",
		"                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
		"                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s",
		"Events:          <none>",
		// The environment: only metadata.name and metadata.namespace resolve.
		"      POD_NAME:  web-7d4b9c8f5-x2x9q (v1:metadata.name)",
		"      POD_IP:     (v1:status.podIP)",
		"      MEM:       128 (limits.memory)",
		"      TOKEN:     <set to the key 'token' in secret 'web-secrets'>  Optional: false",
		// Mounts sorted by path.
		"      /etc/nginx/conf.d from config (ro,path=\"conf.d\")",
		"      /var/cache/nginx from cache (rw)",
	} {
		require.Contains(t, lines, want)
	}
	require.Equal(t, "node.kubernetes.io/unreachable", pod.Spec.Tolerations[0].Key, "the pod's tolerations must not be sorted in place")

	// Tolerate everything.
	pod.Spec.Tolerations = []corev1.Toleration{{Operator: corev1.TolerationOpExists}}
	got = describe(t, pod, nil, now, DescribeOptions{})
	require.Contains(t, strings.Split(got, "\n"), "Tolerations:     op=Exists")

	// A long annotation and a multi-line one are printed under their key.
	init, now := initPod()
	got = describe(t, init, nil, now, DescribeOptions{})
	lines = strings.Split(got, "\n")
	// The header block is 18 wide ("Service Account:" + 2); the value lines
	// are indented 2 more and cut at 138 characters.
	pad := strings.Repeat(" ", 18)
	require.Contains(t, lines, "Annotations:      description:")
	require.Contains(t, lines, pad+"  "+strings.Repeat("x", 138)+"...")
	require.Contains(t, lines, pad+"note:")
	require.Contains(t, lines, pad+"  line one")
	require.Contains(t, lines, pad+"  line two")
}

func TestDescribePodMirrorAndUnsupported(t *testing.T) {
	pod, events, now := readinessGateSeed()
	// A mirror pod's events carry the UID of the static pod, which its
	// mirror annotation records.
	mirror := pod.DeepCopy()
	mirror.UID = "mirror-uid"
	mirror.Annotations[corev1.MirrorPodAnnotationKey] = string(pod.UID)
	got := describe(t, mirror, events, now, DescribeOptions{KubectlMinor: 24})
	require.Contains(t, got, "Successfully assigned default/readiness-gate to mac-k8s")

	bad := pod.DeepCopy()
	bad.Spec.Volumes = append(bad.Spec.Volumes, corev1.Volume{Name: "ebs", VolumeSource: corev1.VolumeSource{
		AWSElasticBlockStore: &corev1.AWSElasticBlockStoreVolumeSource{VolumeID: "vol-1"}}})
	var buf bytes.Buffer
	require.ErrorContains(t, DescribePod(&buf, bad, events, now, DescribeOptions{}), `volume "ebs"`)
	require.Empty(t, buf.String())
}
