package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/podsim/podsim/sim"
)

// CreatePod with no behaviour for a container of an image podsim does not
// know takes it to be a healthy server on its ports and records that in
// the trace header, as a scenario file does; Config.Strict refuses it
// with podsim run --strict's message; a known image assumes nothing.
func TestCreatePodAssumesUnknownImageIsAHealthyServer(t *testing.T) {
	const assumed = `Pod "api": spec.containers[0].image: image mycorp/api:1.2 behaves as a healthy server (listening on 8080, 9090; podsim does not know the image)`
	apiPod := func(image string, command ...string) *corev1.Pod {
		p := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: "api"},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{
				Name: "api", Image: image, Command: command,
				Ports: []corev1.ContainerPort{{ContainerPort: 8080}},
				ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{
					HTTPGet: &corev1.HTTPGetAction{Path: "/ready", Port: intstr.FromInt32(8080)}}},
				LivenessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{
					GRPC: &corev1.GRPCAction{Port: 9090}}},
			}}},
		}
		if len(command) > 0 {
			// busybox httpd answers /ready with 404 and serves no gRPC:
			// the known image is Ready without probes.
			p.Spec.Containers[0].ReadinessProbe, p.Spec.Containers[0].LivenessProbe = nil, nil
		}
		return p
	}
	for _, tc := range []struct {
		name            string
		strict          bool
		pod             *corev1.Pod
		wantErr         string // "" means created
		wantAssumptions []string
	}{
		{name: "unknown image is assumed", pod: apiPod("mycorp/api:1.2"), wantAssumptions: []string{assumed}},
		{name: "strict refuses the assumption", strict: true, pod: apiPod("mycorp/api:1.2"), wantErr: "strict: podsim would assume: " + assumed},
		{name: "known image assumes nothing", pod: apiPod("busybox:1.36", "httpd", "-f", "-p", "8080")},
		{name: "known image under strict", strict: true, pod: apiPod("busybox:1.36", "httpd", "-f", "-p", "8080")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := sim.New(sim.Config{Seed: 1, CheckInvariants: true, Strict: tc.strict})
			require.NoError(t, err)
			require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{}))
			err = c.CreatePod(tc.pod, nil)
			if tc.wantErr != "" {
				require.EqualError(t, err, tc.wantErr)
				require.Nil(t, c.Pod("default", "api"))
				require.Empty(t, c.Trace().Header.Assumptions)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.wantAssumptions, c.Trace().Header.Assumptions)
			require.NoError(t, c.RunUntil(time.Minute))
			p := c.Pod("default", "api")
			require.Equal(t, corev1.PodRunning, p.Status.Phase)
			require.Equal(t, corev1.ConditionTrue, conditionStatus(p, corev1.PodReady), "conditions: %v", p.Status.Conditions)
			require.Zero(t, p.Status.ContainerStatuses[0].RestartCount)
		})
	}
}

// Re-creating the pod assumes the same and records it once.
func TestCreatePodRecordsAnAssumptionOnce(t *testing.T) {
	c, err := sim.New(sim.Config{Seed: 1})
	require.NoError(t, err)
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{}))
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "api"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "api", Image: "mycorp/api:1.2"}}}}
	require.NoError(t, c.CreatePod(pod, nil))
	require.NoError(t, c.DeletePod("default", "api", sim.DeleteOptions{}))
	require.NoError(t, c.RunUntil(time.Minute))
	require.NoError(t, c.CreatePod(pod, nil))
	require.Equal(t, []string{`Pod "api": spec.containers[0].image: image mycorp/api:1.2 behaves as a healthy server (listening on no port; podsim does not know the image)`},
		c.Trace().Header.Assumptions)
}

func conditionStatus(p *corev1.Pod, t corev1.PodConditionType) corev1.ConditionStatus {
	for _, c := range p.Status.Conditions {
		if c.Type == t {
			return c.Status
		}
	}
	return ""
}

// A workload's template is assumed as a pod's is, at its template path,
// once for all its pods.
func TestCreateWorkloadAssumesUnknownImage(t *testing.T) {
	c, err := sim.New(sim.Config{Seed: 1, CheckInvariants: true})
	require.NoError(t, err)
	require.NoError(t, c.AddNode(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}, sim.NodeOptions{}))
	replicas := int32(2)
	labels := map[string]string{"app": "api"}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "api"},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "api", Image: "mycorp/api:1.2"}}},
			},
		},
	}
	require.NoError(t, c.CreateWorkload(d, nil))
	require.NoError(t, c.RunUntil(time.Minute))
	require.Equal(t, []string{`Deployment "api": spec.template.spec.containers[0].image: image mycorp/api:1.2 behaves as a healthy server (listening on no port; podsim does not know the image)`},
		c.Trace().Header.Assumptions)
	pods := c.Pods()
	require.Len(t, pods, 2)
	for _, p := range pods {
		require.Equal(t, corev1.PodRunning, p.Status.Phase, p.Name)
	}

	strict, err := sim.New(sim.Config{Seed: 1, Strict: true})
	require.NoError(t, err)
	require.EqualError(t, strict.CreateWorkload(d, nil), `strict: podsim would assume: Deployment "api": spec.template.spec.containers[0].image: image mycorp/api:1.2 behaves as a healthy server (listening on no port; podsim does not know the image)`)
}
