package apiserver

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// Cases after plugin/pkg/admission/priority/admission_test.go TestPodAdmission.
func TestPriorityAdmission(t *testing.T) {
	never := corev1.PreemptNever
	tests := []struct {
		name     string
		classes  []*schedulingv1.PriorityClass
		class    string
		priority *int32
		policy   *corev1.PreemptionPolicy
		want     int32
		wantPol  corev1.PreemptionPolicy
		wantErr  string
	}{
		{"no class, no default", nil, "", nil, nil, 0, corev1.PreemptLowerPriority, ""},
		{"the default class", []*schedulingv1.PriorityClass{{ObjectMeta: metav1.ObjectMeta{Name: "dflt"}, Value: 500, GlobalDefault: true}}, "", nil, nil, 500, corev1.PreemptLowerPriority, ""},
		{"a class that never preempts", []*schedulingv1.PriorityClass{{ObjectMeta: metav1.ObjectMeta{Name: "batch"}, Value: 10, PreemptionPolicy: &never}}, "batch", nil, nil, 10, corev1.PreemptNever, ""},
		{"a system class", nil, "system-cluster-critical", nil, nil, 2000000000, corev1.PreemptLowerPriority, ""},
		{"no such class", nil, "gold", nil, nil, 0, "", `pods "p" is forbidden: no PriorityClass with name gold was found`},
		{"a priority of its own", nil, "", ptr.To[int32](7), nil, 0, "",
			`pods "p" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name`},
		{"a policy against its class", nil, "", nil, &never, 0, "",
			`pods "p" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _, _ := testServer(t, "1.33")
			for _, pc := range tc.classes {
				require.NoError(t, s.CreatePriorityClass(pc, "user", ""))
			}
			p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p"}, Spec: corev1.PodSpec{PriorityClassName: tc.class, Priority: tc.priority,
				PreemptionPolicy: tc.policy, Containers: []corev1.Container{{Name: "c", Image: "x"}}}}
			err := s.CreatePod(p, "user", "")
			if tc.wantErr != "" {
				require.EqualError(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, *p.Spec.Priority)
			require.Equal(t, tc.wantPol, *p.Spec.PreemptionPolicy)
		})
	}
}

func TestPriorityClassValidation(t *testing.T) {
	s, _, _ := testServer(t, "1.33")
	require.ErrorContains(t, s.CreatePriorityClass(&schedulingv1.PriorityClass{ObjectMeta: metav1.ObjectMeta{Name: "huge"}, Value: 2000000000}, "user", ""),
		"value: Forbidden: maximum allowed value of a user defined priority is 1000000000")
	require.ErrorContains(t, s.CreatePriorityClass(&schedulingv1.PriorityClass{ObjectMeta: metav1.ObjectMeta{Name: "system-mine"}}, "user", ""),
		"reserved for system use only")
	require.NoError(t, s.CreatePriorityClass(&schedulingv1.PriorityClass{ObjectMeta: metav1.ObjectMeta{Name: "a"}, GlobalDefault: true}, "user", ""))
	require.EqualError(t, s.CreatePriorityClass(&schedulingv1.PriorityClass{ObjectMeta: metav1.ObjectMeta{Name: "b"}, GlobalDefault: true}, "user", ""),
		`priorityclasses.scheduling.k8s.io "b" is forbidden: PriorityClass a is already marked as default. Only one default can exist`)
}
