package sim

import (
	"fmt"
	"slices"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/controllers/daemonset"
	"github.com/podsim/podsim/controllers/deployment"
	"github.com/podsim/podsim/controllers/garbagecollector"
	"github.com/podsim/podsim/controllers/job"
	"github.com/podsim/podsim/controllers/replicaset"
	"github.com/podsim/podsim/controllers/statefulset"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/internal/record"
)

// workloadControllers are kube-controller-manager's workload controllers
// and the garbage collector.
type workloadControllers struct {
	replicaSets *replicaset.Controller
	deployments *deployment.Controller
	jobs        *job.Controller
	sets        *statefulset.Controller
	daemons     *daemonset.Controller
	gc          *garbagecollector.Collector
}

func (c *Cluster) startWorkloadControllers() error {
	var err error
	rec := func(component string) *record.Recorder {
		return c.events.NewRecorder(record.Source{Component: component})
	}
	if c.wc.replicaSets, err = replicaset.New(replicaset.Config{Engine: c.eng, Client: c.api, Events: rec(replicaset.Actor)}); err != nil {
		return err
	}
	if c.wc.deployments, err = deployment.New(deployment.Config{Engine: c.eng, Client: c.api, Profile: c.profile, Events: rec(deployment.Actor)}); err != nil {
		return err
	}
	if c.wc.jobs, err = job.New(job.Config{Engine: c.eng, Client: c.api, Profile: c.profile, Events: rec(job.Actor)}); err != nil {
		return err
	}
	if c.wc.sets, err = statefulset.New(statefulset.Config{Engine: c.eng, Client: c.api, Profile: c.profile, Events: rec(statefulset.Actor)}); err != nil {
		return err
	}
	if c.wc.daemons, err = daemonset.New(daemonset.Config{Engine: c.eng, Client: c.api, Events: rec(daemonset.Actor)}); err != nil {
		return err
	}
	if c.wc.gc, err = garbagecollector.New(c.api); err != nil {
		return err
	}
	return nil
}

// WorkloadKinds are the kinds CreateWorkload takes: those whose
// controller podsim runs.
var WorkloadKinds = []string{apiserver.KindNamespace, apiserver.KindDeployment, apiserver.KindReplicaSet, apiserver.KindStatefulSet, apiserver.KindDaemonSet, apiserver.KindJob}

// templateOf is the pod template of a workload object, or nil.
func templateOf(obj runtime.Object) *corev1.PodTemplateSpec {
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

// CreateWorkload creates a Deployment, ReplicaSet, StatefulSet, DaemonSet,
// Job or Namespace now, as `kubectl create` does. behaviors says what the
// containers of its pod template do, by container name; a container it does
// not name does what its manifest says (behavior.FromContainer). The pods
// its controller makes from the template do that.
func (c *Cluster) CreateWorkload(obj runtime.Object, behaviors map[string]behavior.Spec) error {
	kind := apiserver.KindOf(obj)
	if !slices.Contains(WorkloadKinds, kind) {
		return fmt.Errorf("cannot create a %T as a workload: podsim takes %v", obj, WorkloadKinds)
	}
	o := obj.DeepCopyObject()
	m := o.(metav1.Object)
	if kind != apiserver.KindNamespace {
		if m.GetNamespace() == "" {
			m.SetNamespace(corev1.NamespaceDefault)
		}
	}
	if errs := apiserver.ValidateWorkload(o.(interface {
		runtime.Object
		metav1.Object
	}), c.profile); len(errs) > 0 {
		return fmt.Errorf("%s %q is invalid: %w", kind, m.GetName(), errs.ToAggregate())
	}
	if t := templateOf(o); t != nil && m.GetName() != "" {
		if err := c.registerTemplate(kind, m.GetNamespace(), m.GetName(), &t.Spec, behaviors); err != nil {
			return err
		}
	}
	if err := c.api.CreateWorkload(o, "user", "created"); err != nil {
		return err
	}
	if t := templateOf(o); t != nil && obj.(metav1.Object).GetName() == "" {
		return c.registerTemplate(kind, m.GetNamespace(), m.GetName(), &t.Spec, behaviors)
	}
	return nil
}

// ApplyWorkload applies a workload manifest now, as `kubectl apply` does:
// it creates the object if it does not exist, else replaces its labels,
// annotations and spec with the manifest's (a replicas the manifest leaves
// out keeps the live value; a Job keeps the selector and labels the API
// server generated). A changed template starts a rollout; behaviors says
// what its containers do, as for CreateWorkload.
func (c *Cluster) ApplyWorkload(obj runtime.Object, behaviors map[string]behavior.Spec) error {
	kind := apiserver.KindOf(obj)
	if !slices.Contains(WorkloadKinds, kind) {
		return fmt.Errorf("cannot apply a %T as a workload: podsim takes %v", obj, WorkloadKinds)
	}
	want := obj.DeepCopyObject()
	wm := want.(metav1.Object)
	if kind != apiserver.KindNamespace && wm.GetNamespace() == "" {
		wm.SetNamespace(corev1.NamespaceDefault)
	}
	key := types.NamespacedName{Namespace: wm.GetNamespace(), Name: wm.GetName()}
	if c.api.Workload(kind, key) == nil {
		return c.CreateWorkload(want, behaviors)
	}
	if t := templateOf(want); t != nil {
		if err := c.registerTemplate(kind, key.Namespace, key.Name, &t.Spec, behaviors); err != nil {
			return err
		}
	}
	_, err := c.api.UpdateWorkload(kind, key, "", "user", "kubectl apply", func(cur runtime.Object) {
		applySpec(cur, want)
	})
	return err
}

// applySpec copies the manifest's labels, annotations and spec over the
// live object.
func applySpec(cur, want runtime.Object) {
	cm, wm := cur.(metav1.Object), want.(metav1.Object)
	cm.SetLabels(wm.GetLabels())
	ann := cm.GetAnnotations()
	for k, v := range wm.GetAnnotations() {
		if ann == nil {
			ann = map[string]string{}
		}
		ann[k] = v
	}
	cm.SetAnnotations(ann)
	switch o := cur.(type) {
	case *appsv1.Deployment:
		w := want.(*appsv1.Deployment)
		replicas := o.Spec.Replicas
		o.Spec = *w.Spec.DeepCopy()
		if o.Spec.Replicas == nil {
			o.Spec.Replicas = replicas
		}
	case *appsv1.ReplicaSet:
		w := want.(*appsv1.ReplicaSet)
		replicas := o.Spec.Replicas
		o.Spec = *w.Spec.DeepCopy()
		if o.Spec.Replicas == nil {
			o.Spec.Replicas = replicas
		}
	case *appsv1.StatefulSet:
		w := want.(*appsv1.StatefulSet)
		replicas := o.Spec.Replicas
		o.Spec = *w.Spec.DeepCopy()
		if o.Spec.Replicas == nil {
			o.Spec.Replicas = replicas
		}
	case *appsv1.DaemonSet:
		o.Spec = *want.(*appsv1.DaemonSet).Spec.DeepCopy()
	case *batchv1.Job:
		w := want.(*batchv1.Job)
		sel, tl := o.Spec.Selector, o.Spec.Template.Labels
		o.Spec = *w.Spec.DeepCopy()
		if o.Spec.Selector == nil {
			o.Spec.Selector = sel
		}
		labels := o.Spec.Template.Labels
		if labels == nil {
			labels = map[string]string{}
		}
		for _, k := range []string{apiserver.JobControllerUIDLabel, apiserver.JobNameLabel, apiserver.LegacyJobControllerUIDLabel, apiserver.LegacyJobNameLabel} {
			if v, ok := tl[k]; ok {
				labels[k] = v
			}
		}
		o.Spec.Template.Labels = labels
	case *corev1.Namespace:
	}
}

// DeleteWorkload deletes a workload object now, as `kubectl delete` does
// with its default --cascade=background: the object goes at once and the
// garbage collector deletes what it owned.
func (c *Cluster) DeleteWorkload(kind, namespace, name string) error {
	if !slices.Contains(WorkloadKinds, kind) {
		return fmt.Errorf("cannot delete a %s as a workload: podsim takes %v", kind, WorkloadKinds)
	}
	if kind != apiserver.KindNamespace {
		defaultNamespace(&namespace)
	} else {
		namespace = ""
	}
	if !c.api.DeleteWorkload(kind, types.NamespacedName{Namespace: namespace, Name: name}, "", "user", "kubectl delete") {
		return fmt.Errorf("%s %q not found", kind, name)
	}
	return nil
}

// ApplyPod updates a pod now as `kubectl apply` of its manifest does
// (apiserver.ApplyPod says what may change: images, activeDeadlineSeconds,
// tolerations, labels, annotations). behaviors says what the containers
// whose image changes do when they restart; one it does not name does what
// its manifest says.
func (c *Cluster) ApplyPod(pod *corev1.Pod, behaviors map[string]behavior.Spec) error {
	p := pod.DeepCopy()
	defaultNamespace(&p.Namespace)
	key := podutil.KeyOf(p)
	cur := c.api.Pod(key)
	if cur == nil {
		return fmt.Errorf("pods %q not found", p.Name)
	}
	// What the containers did before, so that the unchanged keep it.
	before := c.podBehaviors(cur)
	specs := map[string]behavior.Spec{}
	for k, v := range before {
		specs[k] = v
	}
	var assumed []string
	for _, ctr := range podutil.AllContainers(&p.Spec) {
		old := findContainer(&cur.Spec, ctr.Name)
		if old == nil || old.Image == ctr.Image {
			continue
		}
		b, ok := behaviors[ctr.Name]
		if !ok {
			var err error
			var a string
			if b, a, err = c.manifestBehavior(fmt.Sprintf("Pod %q", p.Name), &p.Spec, ctr, ""); err != nil {
				return wrapBehaviorErr(err, "pod %s: container %q: %w; say what its process does with a behavior.Spec", key, ctr.Name)
			}
			assumed = append(assumed, a)
		}
		specs[ctr.Name] = b
	}
	prev, hadPrev := c.behaviors[key]
	c.behaviors[key] = newOwnBehaviors(cur.UID, specs)
	if _, err := c.api.ApplyPod(p, "user", "kubectl apply"); err != nil {
		if hadPrev {
			c.behaviors[key] = prev
		} else {
			delete(c.behaviors, key)
		}
		return err
	}
	c.recordAssumptions(assumed...)
	return nil
}

func findContainer(spec *corev1.PodSpec, name string) *corev1.Container {
	for _, c := range podutil.AllContainers(spec) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Workload returns a copy of a workload object (kind as WorkloadKinds
// names it), or nil.
func (c *Cluster) Workload(kind, namespace, name string) runtime.Object {
	if kind != apiserver.KindNamespace {
		defaultNamespace(&namespace)
	} else {
		namespace = ""
	}
	if o := c.api.Workload(kind, types.NamespacedName{Namespace: namespace, Name: name}); o != nil {
		return o.DeepCopyObject()
	}
	return nil
}

// Workloads returns copies of every object of a kind, sorted by namespace
// and name.
func (c *Cluster) Workloads(kind string) []runtime.Object {
	var out []runtime.Object
	for _, k := range c.api.WorkloadKeys(kind) {
		out = append(out, c.api.Workload(kind, k).DeepCopyObject())
	}
	return out
}

// Deployment returns a copy of a Deployment, or nil.
func (c *Cluster) Deployment(namespace, name string) *appsv1.Deployment {
	d, _ := c.Workload(apiserver.KindDeployment, namespace, name).(*appsv1.Deployment)
	return d
}

// ReplicaSet returns a copy of a ReplicaSet, or nil.
func (c *Cluster) ReplicaSet(namespace, name string) *appsv1.ReplicaSet {
	rs, _ := c.Workload(apiserver.KindReplicaSet, namespace, name).(*appsv1.ReplicaSet)
	return rs
}

// Job returns a copy of a Job, or nil.
func (c *Cluster) Job(namespace, name string) *batchv1.Job {
	j, _ := c.Workload(apiserver.KindJob, namespace, name).(*batchv1.Job)
	return j
}

// StatefulSet returns a copy of a StatefulSet, or nil.
func (c *Cluster) StatefulSet(namespace, name string) *appsv1.StatefulSet {
	s, _ := c.Workload(apiserver.KindStatefulSet, namespace, name).(*appsv1.StatefulSet)
	return s
}

// DaemonSet returns a copy of a DaemonSet, or nil.
func (c *Cluster) DaemonSet(namespace, name string) *appsv1.DaemonSet {
	d, _ := c.Workload(apiserver.KindDaemonSet, namespace, name).(*appsv1.DaemonSet)
	return d
}

// ValidateWorkload checks a workload object (after the API defaults of its
// kind) the way the API server of a Kubernetes version would
// (pkg/apis/apps/validation, pkg/apis/batch/validation), its pod template as
// ValidatePod checks a pod, with paths under spec.template.
func ValidateWorkload(obj runtime.Object, version string) (field.ErrorList, error) {
	prof, err := ProfileFor(version)
	if err != nil {
		return nil, err
	}
	o, ok := obj.(interface {
		runtime.Object
		metav1.Object
	})
	if !ok || apiserver.KindOf(obj) == "" {
		return nil, fmt.Errorf("cannot validate a %T as a workload", obj)
	}
	return apiserver.ValidateWorkload(o, prof), nil
}
