package sim

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/controllers/endpoints"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/trace"
)

// DeleteOptions are the options of a pod delete, as kubectl delete takes them.
type DeleteOptions struct {
	// GracePeriodSeconds overrides the pod's terminationGracePeriodSeconds.
	GracePeriodSeconds *int64
	// Force with a zero grace period removes the object at once, without
	// waiting for the kubelet (kubectl delete --force --grace-period=0).
	Force bool
}

// DeletePod deletes a pod now, as `kubectl delete pod` does.
func (c *Cluster) DeletePod(namespace, name string, opts DeleteOptions) error {
	if err := c.check(); err != nil {
		return err
	}
	defaultNamespace(&namespace)
	key := types.NamespacedName{Namespace: namespace, Name: name}
	if c.api.Pod(key) == nil {
		return fmt.Errorf(`pods %q not found`, name)
	}
	grace := opts.GracePeriodSeconds
	if opts.Force && grace == nil {
		grace = ptr.To[int64](0) // kubectl: --force with no grace period means 0
	}
	if grace != nil && *grace == 0 && !opts.Force {
		return fmt.Errorf("--grace-period=0 must have either --force specified, or --wait to be set to true")
	}
	c.api.DeletePod(key, "", grace, "user", "kubectl delete")
	return nil
}

// SetPodCondition sets a pod condition that the kubelet does not own, such
// as the condition of a readiness gate, as a controller would.
func (c *Cluster) SetPodCondition(namespace, name string, cond corev1.PodCondition) error {
	if err := c.check(); err != nil {
		return err
	}
	defaultNamespace(&namespace)
	if podutil.KubeletOwnsCondition(cond.Type) {
		return fmt.Errorf("condition %s is owned by the kubelet and cannot be set", cond.Type)
	}
	now := c.api.Stamp(c.eng.Now())
	ok := c.api.UpdatePod(types.NamespacedName{Namespace: namespace, Name: name}, "", "user", "set condition "+string(cond.Type), func(p *corev1.Pod) {
		if prev := podutil.FindCondition(p.Status.Conditions, cond.Type); prev != nil {
			if prev.Status != cond.Status {
				prev.LastTransitionTime = now
			}
			prev.Status, prev.Reason, prev.Message = cond.Status, cond.Reason, cond.Message
			return
		}
		cond.LastTransitionTime = now
		p.Status.Conditions = append(p.Status.Conditions, cond)
	})
	if !ok {
		return fmt.Errorf(`pods %q not found`, name)
	}
	return nil
}

// Create creates a Service, ConfigMap, Secret, PodDisruptionBudget or PriorityClass now (use CreatePod for pods
// and AddNode for nodes).
func (c *Cluster) Create(obj runtime.Object) error {
	if err := c.check(); err != nil {
		return err
	}
	switch o := obj.(type) {
	case *corev1.Service, *corev1.ConfigMap, *corev1.Secret:
		if reflect.ValueOf(o).IsNil() {
			return fmt.Errorf("sim: Create needs an object (got a nil %T)", obj)
		}
		return c.api.Create(obj.DeepCopyObject(), "user", "created")
	case *policyv1.PodDisruptionBudget:
		if o == nil {
			return fmt.Errorf("sim: Create needs an object (got a nil %T)", obj)
		}
		return c.api.CreatePodDisruptionBudget(o.DeepCopy(), "user", "created")
	case *schedulingv1.PriorityClass:
		if o == nil {
			return fmt.Errorf("sim: Create needs an object (got a nil %T)", obj)
		}
		return c.api.CreatePriorityClass(o.DeepCopy(), "user", "created")
	case nil:
		return errors.New("sim: Create needs an object (got nil)")
	}
	return fmt.Errorf("cannot create a %T here: use CreatePod for pods and AddNode for nodes", obj)
}

// Delete deletes a Service, ConfigMap, Secret or PodDisruptionBudget now. A Service's Endpoints
// object goes with it.
func (c *Cluster) Delete(kind, namespace, name string) error {
	if err := c.check(); err != nil {
		return err
	}
	defaultNamespace(&namespace)
	key := types.NamespacedName{Namespace: namespace, Name: name}
	switch kind {
	case "Service":
		if c.api.Service(key) != nil && c.api.Endpoints(key) != nil {
			if err := c.api.Delete("Endpoints", key, endpoints.Actor, "service deleted"); err != nil {
				return err
			}
		}
	case "ConfigMap", "Secret":
	case "PodDisruptionBudget":
		return c.api.DeletePodDisruptionBudget(key, "user", "deleted")
	default:
		return fmt.Errorf("cannot delete a %s here: use DeletePod for pods", kind)
	}
	return c.api.Delete(kind, key, "user", "deleted")
}

// Service returns a copy of a service, or nil.
func (c *Cluster) Service(namespace, name string) *corev1.Service {
	if c.check() != nil {
		return nil
	}
	defaultNamespace(&namespace)
	if s := c.api.Service(types.NamespacedName{Namespace: namespace, Name: name}); s != nil {
		return s.DeepCopy()
	}
	return nil
}

// Endpoints returns a copy of a service's endpoints, or nil.
func (c *Cluster) Endpoints(namespace, name string) *corev1.Endpoints {
	if c.check() != nil {
		return nil
	}
	defaultNamespace(&namespace)
	if e := c.api.Endpoints(types.NamespacedName{Namespace: namespace, Name: name}); e != nil {
		return e.DeepCopy()
	}
	return nil
}

// Events returns the events the API server holds, oldest first.
func (c *Cluster) Events() []corev1.Event {
	if c.check() != nil {
		return nil
	}
	stored := c.api.Events()
	out := make([]corev1.Event, 0, len(stored))
	for _, e := range stored {
		out = append(out, *e.DeepCopy())
	}
	slices.SortFunc(out, func(a, b corev1.Event) int {
		if a.Name != b.Name {
			return strings.Compare(a.Name, b.Name)
		}
		return strings.Compare(a.Namespace, b.Namespace)
	})
	return out
}

// Container returns the running container of a pod, to act inside it as a
// scenario action does (create a file, open a port). It is nil when the
// container is not running.
func (c *Cluster) Container(namespace, pod, container string) *behavior.Container {
	if c.check() != nil {
		return nil
	}
	defaultNamespace(&namespace)
	return c.runningContainer(types.NamespacedName{Namespace: namespace, Name: pod}, container)
}

// InContainer does something inside a running container, as a person with
// kubectl exec would (create a file, close a port), and records it in the
// trace as done by "user", with what as its description. It fails if the
// container is not running.
func (c *Cluster) InContainer(namespace, pod, container, what string, do func(*behavior.Container)) error {
	if err := c.check(); err != nil {
		return err
	}
	defaultNamespace(&namespace)
	key := types.NamespacedName{Namespace: namespace, Name: pod}
	if do == nil {
		return errors.New("sim: InContainer needs something to do")
	}
	ct := c.runningContainer(key, container)
	if ct == nil {
		return fmt.Errorf("container %q of pod %q is not running", container, pod)
	}
	do(ct)
	c.tr.Add(trace.Record{T: c.eng.Now(), Kind: "Container", Op: trace.Runtime, Namespace: key.Namespace, Name: key.Name,
		Container: container, Actor: "user", Cause: what, Runtime: &trace.RuntimeAction{Kind: trace.RuntimeUser}})
	return nil
}

// runningContainer asks each kubelet, in the order nodes were added, for a
// running container of the newest pod of that name it knows.
func (c *Cluster) runningContainer(pod types.NamespacedName, container string) *behavior.Container {
	for _, k := range c.kubelets {
		if ct := k.RunningContainer(pod, container); ct != nil {
			return ct
		}
	}
	return nil
}
