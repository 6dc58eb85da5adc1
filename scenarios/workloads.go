package scenarios

import (
	"fmt"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/sim"
)

// newWorkloadObject is an empty object of a workload kind a scenario may
// hold — apps/v1 Deployment, ReplicaSet, StatefulSet, DaemonSet, batch/v1
// Job, v1 Namespace — or nil.
func newWorkloadObject(apiVersion, kind string) any {
	if !slices.Contains(sim.WorkloadKinds, kind) {
		return nil
	}
	switch apiVersion + " " + kind {
	case "apps/v1 Deployment":
		return &appsv1.Deployment{}
	case "apps/v1 ReplicaSet":
		return &appsv1.ReplicaSet{}
	case "apps/v1 StatefulSet":
		return &appsv1.StatefulSet{}
	case "apps/v1 DaemonSet":
		return &appsv1.DaemonSet{}
	case "batch/v1 Job":
		return &batchv1.Job{}
	case "v1 Namespace":
		return &corev1.Namespace{}
	}
	return nil
}

// isWorkload reports whether obj is of a workload kind.
func isWorkload(obj any) bool {
	switch obj.(type) {
	case *appsv1.Deployment, *appsv1.ReplicaSet, *appsv1.StatefulSet, *appsv1.DaemonSet, *batchv1.Job, *corev1.Namespace:
		return true
	}
	return false
}

// kindOfWorkload is the kind of a workload object.
func kindOfWorkload(obj any) string {
	switch obj.(type) {
	case *appsv1.Deployment:
		return "Deployment"
	case *appsv1.ReplicaSet:
		return "ReplicaSet"
	case *appsv1.StatefulSet:
		return "StatefulSet"
	case *appsv1.DaemonSet:
		return "DaemonSet"
	case *batchv1.Job:
		return "Job"
	case *corev1.Namespace:
		return "Namespace"
	}
	return ""
}

// workloadKey is kind/namespace/name.
func workloadKey(obj any) string {
	m := obj.(metav1.Object)
	return kindOfWorkload(obj) + "/" + m.GetNamespace() + "/" + m.GetName()
}

// podTemplateOf is the template of a workload, or nil (a Namespace).
func podTemplateOf(obj any) *corev1.PodTemplateSpec {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		return &o.Spec.Template
	case *appsv1.ReplicaSet:
		return &o.Spec.Template
	case *appsv1.StatefulSet:
		return &o.Spec.Template
	case *appsv1.DaemonSet:
		return &o.Spec.Template
	case *batchv1.Job:
		return &o.Spec.Template
	}
	return nil
}

// templatePod is a workload's template as the pod the scenario's
// behaviours and checks see: named after the workload, so that
// behaviors["web/nginx"] describes container nginx of Deployment web.
func templatePod(obj any) *corev1.Pod {
	t := podTemplateOf(obj)
	if t == nil {
		return nil
	}
	m := obj.(metav1.Object)
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: m.GetName(), Namespace: m.GetNamespace(), Labels: t.Labels}, Spec: *t.Spec.DeepCopy()}
}

// workloadTemplates checks the file's workloads as the API server would
// and decides what their templates' containers do; the template pods join
// known, so that behaviours keyed by the workload's name are accepted.
func (l *loader) workloadTemplates(s *Scenario, sd *ScenarioDoc, known map[string]*corev1.Pod) {
	for _, m := range s.objects {
		if !isWorkload(m.obj) {
			continue
		}
		l.workload(s, sd, m.obj, m.doc, known)
	}
}

// workload checks one workload (of the file or an action) and resolves its
// template's behaviours.
func (l *loader) workload(s *Scenario, sd *ScenarioDoc, obj any, d *document, known map[string]*corev1.Pod) {
	meta := obj.(metav1.Object)
	object := fmt.Sprintf("%s %q", kindOfWorkload(obj), meta.GetName())
	errs, _ := sim.ValidateWorkload(obj.(runtimeObject).DeepCopyObject(), s.Config.Version)
	var keep field.ErrorList
	for _, e := range errs {
		if e.Field != "metadata.name" { // validateMeta checked it
			keep = append(keep, e)
		}
	}
	l.addFieldErrors(d, object, keep)
	p := templatePod(obj)
	if p == nil {
		return
	}
	if s.templates == nil {
		s.templates = map[string]map[string]behavior.Spec{}
	}
	s.templates[workloadKey(obj)] = l.containerBehaviors(s, sd, p, d.within("spec.template"), object)
	s.Warnings = append(s.Warnings, l.templateUnsimulatedWarnings(d, p, object)...)
	if known != nil {
		known[p.Namespace+"/"+p.Name] = p
	}
}

// workloadPodTemplate finds the template whose controller may have made a
// pod of this name — Deployment web makes web-<hash>-<suffix>, Job pi makes
// pi-<suffix>, StatefulSet db makes db-0 — for an expectation about it.
func workloadPodTemplate(s *Scenario, ns, pod string) *corev1.Pod {
	var best *corev1.Pod
	for _, m := range s.objects {
		p := templatePod(m.obj)
		if p == nil || p.Namespace != ns || !strings.HasPrefix(pod, p.Name+"-") {
			continue
		}
		if best == nil || len(p.Name) > len(best.Name) {
			best = p
		}
	}
	return best
}

// apiVersionOfKind is the apiVersion a workload kind is written with.
func apiVersionOfKind(kind string) string {
	switch kind {
	case "Job":
		return "batch/v1"
	case "Namespace":
		return "v1"
	}
	return "apps/v1"
}
