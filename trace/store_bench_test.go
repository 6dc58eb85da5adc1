package trace_test

import (
	"strconv"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/podsim/podsim/trace"
)

// benchPod is a pod as a scenario's: one container with probes,
// resources, environment and a volume, bound and running.
func benchPod() *corev1.Pod {
	epoch := metav1.NewTime(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	probe := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromInt32(8080)}},
		PeriodSeconds: 10, TimeoutSeconds: 1, SuccessThreshold: 1, FailureThreshold: 3}
	res := corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("128Mi")}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "web", UID: "34f5d120-2a97-44b8-8b5f-f83a0a13475f", ResourceVersion: "1",
			CreationTimestamp: epoch, Labels: map[string]string{"app": "web"}},
		Spec: corev1.PodSpec{NodeName: "node-1", Containers: []corev1.Container{{
			Name: "app", Image: "nginx:1.27", Ports: []corev1.ContainerPort{{ContainerPort: 8080, Protocol: corev1.ProtocolTCP}},
			Env:            []corev1.EnvVar{{Name: "MODE", Value: "prod"}},
			Resources:      corev1.ResourceRequirements{Requests: res, Limits: res},
			VolumeMounts:   []corev1.VolumeMount{{Name: "data", MountPath: "/data"}},
			LivenessProbe:  probe,
			ReadinessProbe: probe,
		}}, Volumes: []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.0.0.5", StartTime: &epoch,
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: epoch},
				{Type: corev1.ContainersReady, Status: corev1.ConditionTrue, LastTransitionTime: epoch},
				{Type: corev1.PodScheduled, Status: corev1.ConditionTrue, LastTransitionTime: epoch}},
			ContainerStatuses: []corev1.ContainerStatus{{Name: "app", Ready: true, Image: "nginx:1.27", ContainerID: "containerd://0bd5bb0982583e4a27fd",
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: epoch}}}}},
	}
}

// BenchmarkAddPodVersion is what keeping a pod record costs: each
// version a new copy (as the API server stores one) with its restart count,
// resourceVersion and a condition changed.
func BenchmarkAddPodVersion(b *testing.B) {
	t := trace.New(trace.Header{})
	pod := benchPod()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		next := pod.DeepCopy()
		next.ResourceVersion = strconv.Itoa(i)
		next.Status.ContainerStatuses[0].RestartCount = int32(i)
		next.Status.Conditions[0].LastTransitionTime = metav1.NewTime(next.Status.Conditions[0].LastTransitionTime.Add(time.Second))
		t.Add(trace.Record{T: time.Duration(i), Kind: "Pod", Op: trace.Modified, Namespace: "default", Name: "web", Pod: next})
		pod = next
	}
}
