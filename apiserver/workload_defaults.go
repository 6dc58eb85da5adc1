package apiserver

import (
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/profile"
)

// Job labels and finalizer (k8s.io/api/batch/v1 types.go).
const (
	JobControllerUIDLabel       = "batch.kubernetes.io/controller-uid"
	JobNameLabel                = "batch.kubernetes.io/job-name"
	LegacyJobControllerUIDLabel = "controller-uid"
	LegacyJobNameLabel          = "job-name"
)

// defaultWorkload applies the API defaults of a workload kind
// (pkg/apis/apps/v1/defaults.go, pkg/apis/batch/v1/defaults.go) and of its
// pod template (pkg/apis/core/v1/defaults.go: what SetDefaults_PodSpec and
// SetDefaults_Container give; the admission plugins that default a pod —
// DefaultTolerationSeconds, ServiceAccount, Priority — act on pods, not on
// templates).
func defaultWorkload(o workloadObject, prof *profile.Profile) {
	switch v := o.(type) {
	case *appsv1.ReplicaSet:
		if v.Spec.Replicas == nil {
			v.Spec.Replicas = ptr.To[int32](1)
		}
		defaultTemplate(&v.Spec.Template)
	case *appsv1.Deployment:
		s := &v.Spec
		if s.Replicas == nil {
			s.Replicas = ptr.To[int32](1)
		}
		if s.Strategy.Type == "" {
			s.Strategy.Type = appsv1.RollingUpdateDeploymentStrategyType
		}
		if s.Strategy.Type == appsv1.RollingUpdateDeploymentStrategyType {
			if s.Strategy.RollingUpdate == nil {
				s.Strategy.RollingUpdate = &appsv1.RollingUpdateDeployment{}
			}
			if s.Strategy.RollingUpdate.MaxUnavailable == nil {
				s.Strategy.RollingUpdate.MaxUnavailable = ptr.To(intstr.FromString("25%"))
			}
			if s.Strategy.RollingUpdate.MaxSurge == nil {
				s.Strategy.RollingUpdate.MaxSurge = ptr.To(intstr.FromString("25%"))
			}
		}
		if s.RevisionHistoryLimit == nil {
			s.RevisionHistoryLimit = ptr.To[int32](10)
		}
		if s.ProgressDeadlineSeconds == nil {
			s.ProgressDeadlineSeconds = ptr.To[int32](600)
		}
		defaultTemplate(&s.Template)
	case *appsv1.StatefulSet:
		s := &v.Spec
		if s.Replicas == nil {
			s.Replicas = ptr.To[int32](1)
		}
		if s.PodManagementPolicy == "" {
			s.PodManagementPolicy = appsv1.OrderedReadyPodManagement
		}
		if s.UpdateStrategy.Type == "" {
			s.UpdateStrategy.Type = appsv1.RollingUpdateStatefulSetStrategyType
		}
		if s.UpdateStrategy.Type == appsv1.RollingUpdateStatefulSetStrategyType {
			if s.UpdateStrategy.RollingUpdate == nil {
				s.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateStatefulSetStrategy{}
			}
			if s.UpdateStrategy.RollingUpdate.Partition == nil {
				s.UpdateStrategy.RollingUpdate.Partition = ptr.To[int32](0)
			}
		}
		if s.RevisionHistoryLimit == nil {
			s.RevisionHistoryLimit = ptr.To[int32](10)
		}
		if prof.Workloads.DefaultPVCRetentionPolicy && s.PersistentVolumeClaimRetentionPolicy == nil {
			s.PersistentVolumeClaimRetentionPolicy = &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{
				WhenDeleted: appsv1.RetainPersistentVolumeClaimRetentionPolicyType,
				WhenScaled:  appsv1.RetainPersistentVolumeClaimRetentionPolicyType,
			}
		}
		defaultTemplate(&s.Template)
	case *appsv1.DaemonSet:
		s := &v.Spec
		if s.UpdateStrategy.Type == "" {
			s.UpdateStrategy.Type = appsv1.RollingUpdateDaemonSetStrategyType
		}
		if s.UpdateStrategy.Type == appsv1.RollingUpdateDaemonSetStrategyType {
			if s.UpdateStrategy.RollingUpdate == nil {
				s.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateDaemonSet{}
			}
			if s.UpdateStrategy.RollingUpdate.MaxUnavailable == nil {
				s.UpdateStrategy.RollingUpdate.MaxUnavailable = ptr.To(intstr.FromInt32(1))
			}
			if s.UpdateStrategy.RollingUpdate.MaxSurge == nil {
				s.UpdateStrategy.RollingUpdate.MaxSurge = ptr.To(intstr.FromInt32(0))
			}
		}
		if s.RevisionHistoryLimit == nil {
			s.RevisionHistoryLimit = ptr.To[int32](10)
		}
		defaultTemplate(&s.Template)
	case *batchv1.Job:
		s := &v.Spec
		// SetDefaults_Job: both unset means 1 and 1; parallelism alone 1.
		if s.Completions == nil && s.Parallelism == nil {
			s.Completions = ptr.To[int32](1)
		}
		if s.Parallelism == nil {
			s.Parallelism = ptr.To[int32](1)
		}
		if s.BackoffLimit == nil {
			s.BackoffLimit = ptr.To[int32](6)
		}
		if s.CompletionMode == nil {
			s.CompletionMode = ptr.To(batchv1.NonIndexedCompletion)
		}
		if s.Suspend == nil {
			s.Suspend = ptr.To(false)
		}
		if prof.Workloads.DefaultPodReplacementPolicy && s.PodReplacementPolicy == nil {
			// JobPodReplacementPolicy (beta 1.29): Failed with a pod failure
			// policy, else TerminatingOrFailed.
			policy := batchv1.TerminatingOrFailed
			if s.PodFailurePolicy != nil {
				policy = batchv1.Failed
			}
			s.PodReplacementPolicy = &policy
		}
		defaultTemplate(&s.Template)
	}
}

// defaultTemplate applies SetDefaults_PodSpec and SetDefaults_Container to
// a pod template.
func defaultTemplate(t *corev1.PodTemplateSpec) {
	s := &t.Spec
	if s.RestartPolicy == "" {
		s.RestartPolicy = corev1.RestartPolicyAlways
	}
	if s.TerminationGracePeriodSeconds == nil {
		s.TerminationGracePeriodSeconds = ptr.To[int64](lifecycle.DefaultTerminationGracePeriodSeconds)
	}
	if s.DNSPolicy == "" {
		s.DNSPolicy = corev1.DNSClusterFirst
	}
	if s.SchedulerName == "" {
		s.SchedulerName = corev1.DefaultSchedulerName
	}
	if s.SecurityContext == nil {
		s.SecurityContext = &corev1.PodSecurityContext{}
	}
	for _, c := range podutil.AllContainers(s) {
		defaultContainer(c)
	}
}

// generateJobSelector gives a Job whose selector is not manual the
// selector and template labels the API server generates
// (pkg/registry/batch/job/strategy.go generateSelector): the controller-uid
// and job-name labels, prefixed with batch.kubernetes.io/ since 1.27 beside
// the legacy ones, and a selector on the controller UID.
func generateJobSelector(j *batchv1.Job, prof *profile.Profile) {
	if j.Spec.ManualSelector != nil && *j.Spec.ManualSelector {
		return
	}
	if j.Spec.Template.Labels == nil {
		j.Spec.Template.Labels = map[string]string{}
	}
	uid := string(j.UID)
	l := j.Spec.Template.Labels
	l[LegacyJobControllerUIDLabel] = uid
	l[LegacyJobNameLabel] = j.Name
	selectorKey := LegacyJobControllerUIDLabel
	if prof.Workloads.JobPrefixedLabels {
		l[JobControllerUIDLabel] = uid
		l[JobNameLabel] = j.Name
		selectorKey = JobControllerUIDLabel
	}
	j.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{selectorKey: uid}}
}
