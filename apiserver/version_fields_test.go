package apiserver

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/profile"
)

// Field × version: each gated field is refused where the version's API
// types lack it, dropped with a warning where its gate is off by default,
// and kept where it is on (pkg/api/pod/util.go dropDisabledFields,
// pkg/features/kube_features.go).
func TestVersionedFields(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		set    func(p *corev1.Pod)
		kept   func(p *corev1.Pod) bool
		exists int // first version whose API has the field
		on     int // first version that keeps it (0: none up to 1.37)
	}{
		{"hostUsers", "spec.hostUsers", func(p *corev1.Pod) { p.Spec.HostUsers = ptr.To(false) },
			func(p *corev1.Pod) bool { return p.Spec.HostUsers != nil }, 25, 33},
		{"supplementalGroupsPolicy", "spec.securityContext.supplementalGroupsPolicy",
			func(p *corev1.Pod) {
				p.Spec.SecurityContext = &corev1.PodSecurityContext{SupplementalGroupsPolicy: ptr.To(corev1.SupplementalGroupsPolicyStrict)}
			},
			func(p *corev1.Pod) bool { return p.Spec.SecurityContext.SupplementalGroupsPolicy != nil }, 31, 33},
		{"pod-level resources", "spec.resources",
			func(p *corev1.Pod) {
				p.Spec.Resources = &corev1.ResourceRequirements{Limits: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1")}}
			},
			func(p *corev1.Pod) bool { return p.Spec.Resources != nil }, 32, 34},
		{"resizePolicy", "spec.containers[0].resizePolicy",
			func(p *corev1.Pod) {
				p.Spec.Containers[0].ResizePolicy = []corev1.ContainerResizePolicy{{ResourceName: corev1.ResourceCPU, RestartPolicy: corev1.NotRequired}}
			},
			func(p *corev1.Pod) bool { return p.Spec.Containers[0].ResizePolicy != nil }, 27, 33},
		{"stopSignal", "spec.containers[0].lifecycle.stopSignal",
			func(p *corev1.Pod) {
				p.Spec.OS = &corev1.PodOS{Name: corev1.Linux}
				p.Spec.Containers[0].Lifecycle = &corev1.Lifecycle{StopSignal: ptr.To(corev1.SIGUSR1)}
			},
			func(p *corev1.Pod) bool { return p.Spec.Containers[0].Lifecycle != nil }, 33, 0},
		{"restartPolicyRules", "spec.containers[0].restartPolicyRules",
			func(p *corev1.Pod) {
				p.Spec.Containers[0].RestartPolicyRules = []corev1.ContainerRestartRule{{Action: corev1.ContainerRestartRuleActionRestart,
					ExitCodes: &corev1.ContainerRestartRuleOnExitCodes{Operator: corev1.ContainerRestartRuleOnExitCodesOpIn, Values: []int32{42}}}}
			},
			func(p *corev1.Pod) bool { return p.Spec.Containers[0].RestartPolicyRules != nil }, 34, 35},
		{"recursiveReadOnly", "spec.containers[0].volumeMounts[0].recursiveReadOnly",
			func(p *corev1.Pod) {
				p.Spec.Volumes = []corev1.Volume{{Name: "v", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}
				p.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "v", MountPath: "/v", ReadOnly: true, RecursiveReadOnly: ptr.To(corev1.RecursiveReadOnlyIfPossible)}}
			},
			func(p *corev1.Pod) bool { return p.Spec.Containers[0].VolumeMounts[0].RecursiveReadOnly != nil }, 30, 31},
		{"image volume", "spec.volumes[0].image",
			func(p *corev1.Pod) {
				p.Spec.Volumes = []corev1.Volume{{Name: "v", VolumeSource: corev1.VolumeSource{Image: &corev1.ImageVolumeSource{Reference: "quay.io/x/data:1"}}}}
				p.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "v", MountPath: "/v"}}
			},
			func(p *corev1.Pod) bool { return len(p.Spec.Volumes) == 1 }, 31, 35},
		{"hostnameOverride", "spec.hostnameOverride", func(p *corev1.Pod) { p.Spec.HostnameOverride = ptr.To("web-0") },
			func(p *corev1.Pod) bool { return p.Spec.HostnameOverride != nil }, 34, 35},
		{"matchLabelKeys", "spec.topologySpreadConstraints[0].matchLabelKeys",
			func(p *corev1.Pod) {
				p.Spec.TopologySpreadConstraints = []corev1.TopologySpreadConstraint{{MaxSkew: 1, TopologyKey: "zone", WhenUnsatisfiable: corev1.ScheduleAnyway,
					LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}, MatchLabelKeys: []string{"pod-template-hash"}}}
			},
			func(p *corev1.Pod) bool { return p.Spec.TopologySpreadConstraints[0].MatchLabelKeys != nil }, 25, 27},
	}
	for _, tc := range tests {
		for minor := profile.FirstMinor; minor <= profile.LastMinor; minor++ {
			version := fmt.Sprintf("1.%d", minor)
			t.Run(tc.name+"/"+version, func(t *testing.T) {
				s, _, tr := testServer(t, version)
				p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "default"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
				tc.set(p)
				err := s.CreatePod(p, "user", "")
				switch {
				case minor < tc.exists:
					require.ErrorContains(t, err, tc.path+": Forbidden: strict decoding error: unknown field \""+tc.path+"\": Kubernetes "+version+" does not have it")
				case tc.on == 0 || minor < tc.on:
					require.NoError(t, err)
					stored := s.Pod(types.NamespacedName{Namespace: "default", Name: "p"})
					require.False(t, tc.kept(stored), "the field is dropped")
					require.Contains(t, strings.Join(tr.At(tr.Len()-1).Warnings, "\n"), tc.path+": dropped: the API server of Kubernetes "+version+" drops it silently, its feature gate ")
				default:
					require.NoError(t, err)
					stored := s.Pod(types.NamespacedName{Namespace: "default", Name: "p"})
					require.True(t, tc.kept(stored), "the field is kept")
					for _, w := range tr.At(tr.Len() - 1).Warnings {
						require.NotContains(t, w, "dropped")
					}
				}
			})
		}
	}
}

// A regular container's restartPolicy: refused as the API server refuses it
// before 1.34, dropped with a warning in 1.34 (its gate off), and from 1.35,
// where the API server accepts it, refused because podsim does not
// simulate it.
func TestRegularContainerRestartPolicy(t *testing.T) {
	for _, tc := range []struct{ version, err, warning string }{
		{"1.33", "spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers", ""},
		{"1.34", "", "spec.containers[0].restartPolicy: dropped: the API server of Kubernetes 1.34 drops it silently, its feature gate ContainerRestartRules being off by default"},
		{"1.35", "spec.containers[0].restartPolicy: Forbidden: a regular container's own restart policy (ContainerRestartRules, Kubernetes 1.35) is not simulated by podsim", ""},
	} {
		t.Run(tc.version, func(t *testing.T) {
			s, _, tr := testServer(t, tc.version)
			p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "default"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "x", RestartPolicy: ptr.To(corev1.ContainerRestartPolicyNever)}}}}
			err := s.CreatePod(p, "user", "")
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Contains(t, strings.Join(tr.At(tr.Len()-1).Warnings, "\n"), tc.warning)
		})
	}
}
