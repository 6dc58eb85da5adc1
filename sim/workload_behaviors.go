package sim

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/internal/podutil"
)

// workloadBehaviors says what the containers of controllers' pods do. A
// controller's pods are made from its pod template, whose containers the
// Go program or the scenario described when it created or applied the
// workload; each version of the template is kept, so that the pods of an
// old ReplicaSet keep doing what its template said while the new ones do
// what the new template says.
type workloadBehaviors struct {
	// templates are by top-level owner ("Deployment/ns/name"), oldest first.
	templates map[string][]templateBehavior
}

// templateBehavior is the behaviour of one container of one template.
type templateBehavior struct {
	fingerprint string
	container   string
	spec        behavior.Spec
}

// containerFingerprint identifies what a container runs: a pod's container
// gets the behaviour of the template container it was made from.
func containerFingerprint(c *corev1.Container) string {
	return strings.Join([]string{c.Name, c.Image, strings.Join(c.Command, "\x00"), strings.Join(c.Args, "\x00")}, "\x01")
}

func ownerKey(kind, ns, name string) string { return kind + "/" + ns + "/" + name }

// registerTemplate records the behaviours of a template's containers for
// the workload's pods: those given by container name, else what the
// container's command and image say (behavior.FromContainer).
func (c *Cluster) registerTemplate(kind, ns, name string, spec *corev1.PodSpec, given map[string]behavior.Spec) error {
	var list []templateBehavior
	var assumed []string
	for _, ctr := range podutil.AllContainers(spec) {
		b, ok := given[ctr.Name]
		if !ok {
			var err error
			var a string
			// The path is the template's, as the scenario loader writes it.
			if b, a, err = c.manifestBehavior(fmt.Sprintf("%s %q", kind, name), spec, ctr, "spec.template."); err != nil {
				return wrapBehaviorErr(err, "%s %s/%s: container %q: %w; say what its process does with a behavior.Spec", kind, ns, name, ctr.Name)
			}
			assumed = append(assumed, a)
		}
		list = append(list, templateBehavior{fingerprint: containerFingerprint(ctr), container: ctr.Name, spec: b})
	}
	c.recordAssumptions(assumed...)
	if c.wb.templates == nil {
		c.wb.templates = map[string][]templateBehavior{}
	}
	k := ownerKey(kind, ns, name)
	c.wb.templates[k] = append(c.wb.templates[k], list...)
	return nil
}

// podBehaviors is the kubelet's Config.Behaviors: the pod's own behaviours
// when they were given for this pod (CreatePod, ApplyPod), and for the
// containers they do not cover its top-level owner's template's.
func (c *Cluster) podBehaviors(p *corev1.Pod) map[string]behavior.Spec {
	key := podutil.KeyOf(p)
	own := c.behaviors[key]
	mine := own != nil && own.uid == p.UID
	kind, name := c.topOwner(p)
	if mine && (kind == "" || !c.needsTemplate(p, own)) {
		return own.asMap()
	}
	out := map[string]behavior.Spec{}
	for _, ctr := range podutil.AllContainers(&p.Spec) {
		if b, ok := own.get(ctr.Name); ok && mine {
			out[ctr.Name] = b
			continue
		}
		b, err := c.templateBehavior(kind, p.Namespace, name, &p.Spec, ctr)
		if err != nil {
			c.eng.Fail(fmt.Errorf("pod %s: %w", key, err))
			return out
		}
		out[ctr.Name] = b
	}
	return out
}

// needsTemplate reports whether a pod with its own behaviours lacks one
// for some container (a controller's pod given behaviours for the
// containers an update changed).
func (c *Cluster) needsTemplate(p *corev1.Pod, own *ownBehaviors) bool {
	for _, ctr := range podutil.AllContainers(&p.Spec) {
		if _, ok := own.get(ctr.Name); !ok {
			return true
		}
	}
	return false
}

// templateBehavior finds the behaviour of the newest template container
// the pod's container matches.
func (c *Cluster) templateBehavior(kind, ns, name string, spec *corev1.PodSpec, ctr *corev1.Container) (behavior.Spec, error) {
	list := c.wb.templates[ownerKey(kind, ns, name)]
	fp := containerFingerprint(ctr)
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].fingerprint == fp {
			return list[i].spec, nil
		}
	}
	if kind == "" {
		return behavior.Spec{}, fmt.Errorf("container %q has no behaviour", ctr.Name)
	}
	// A template podsim was not told of: read the container as a file's.
	b, a, err := c.manifestBehavior(fmt.Sprintf("%s %q", kind, name), spec, ctr, "spec.template.")
	if err != nil {
		return behavior.Spec{}, wrapBehaviorErr(err, "container %q of %s %s: %w", ctr.Name, kind, name)
	}
	c.recordAssumptions(a)
	return b, nil
}

// topOwner follows a pod's controller references to the object a user
// created: a Deployment for a ReplicaSet it owns.
func (c *Cluster) topOwner(p *corev1.Pod) (kind, name string) {
	ref := metav1.GetControllerOf(p)
	if ref == nil {
		return "", ""
	}
	kind, name = ref.Kind, ref.Name
	if kind == apiserver.KindReplicaSet {
		if rs, ok := c.api.Workload(kind, types.NamespacedName{Namespace: p.Namespace, Name: name}).(*appsv1.ReplicaSet); ok {
			if o := metav1.GetControllerOf(rs); o != nil && o.Kind == apiserver.KindDeployment {
				return o.Kind, o.Name
			}
		} else if _, known := c.wb.templates[ownerKey(kind, p.Namespace, name)]; !known {
			// The ReplicaSet is gone (its pods are being deleted): its name
			// says its Deployment, "<deployment>-<hash>".
			if i := strings.LastIndexByte(name, '-'); i > 0 {
				if _, ok := c.wb.templates[ownerKey(apiserver.KindDeployment, p.Namespace, name[:i])]; ok {
					return apiserver.KindDeployment, name[:i]
				}
			}
		}
	}
	return kind, name
}
