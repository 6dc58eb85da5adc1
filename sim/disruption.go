package sim

import (
	"fmt"

	policyv1 "k8s.io/api/policy/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/podsim/podsim/apiserver"
)

// EvictOptions are the options of an eviction (the Eviction's
// deleteOptions).
type EvictOptions struct {
	// GracePeriodSeconds overrides the pod's terminationGracePeriodSeconds.
	GracePeriodSeconds *int64
}

// Evict evicts a pod now through the Eviction API (POST
// pods/<name>/eviction), as `kubectl drain` does for each pod: the pod's
// PodDisruptionBudget may refuse it. A refusal is a
// k8s.io/apimachinery/pkg/api/errors.StatusError:
// apierrors.IsTooManyRequests(err) for "Cannot evict pod as it would
// violate the pod's disruption budget.", with the budget's cause in its
// details; IsNotFound for a pod that is not there.
func (c *Cluster) Evict(namespace, name string, opts EvictOptions) error {
	if err := c.check(); err != nil {
		return err
	}
	defaultNamespace(&namespace)
	if g := opts.GracePeriodSeconds; g != nil && *g < 0 {
		return fmt.Errorf("gracePeriodSeconds: Invalid value: %d: must be greater than or equal to 0", *g)
	}
	return c.api.EvictPod(types.NamespacedName{Namespace: namespace, Name: name}, opts.GracePeriodSeconds, "user", "eviction")
}

// PodDisruptionBudget returns a copy of a PodDisruptionBudget as the API
// server holds it, status included, or nil.
func (c *Cluster) PodDisruptionBudget(namespace, name string) *policyv1.PodDisruptionBudget {
	if c.check() != nil {
		return nil
	}
	defaultNamespace(&namespace)
	if pdb := c.api.PodDisruptionBudget(types.NamespacedName{Namespace: namespace, Name: name}); pdb != nil {
		return pdb.DeepCopy()
	}
	return nil
}

// ValidatePodDisruptionBudget checks a PodDisruptionBudget the way the API
// server of a Kubernetes version would (pkg/apis/policy/validation).
func ValidatePodDisruptionBudget(pdb *policyv1.PodDisruptionBudget, version string) (field.ErrorList, error) {
	prof, err := ProfileFor(version)
	if err != nil {
		return nil, err
	}
	return apiserver.ValidatePodDisruptionBudget(pdb, prof), nil
}

// ValidatePriorityClass checks a PriorityClass as the API server does
// (pkg/apis/scheduling/validation).
func ValidatePriorityClass(pc *schedulingv1.PriorityClass) field.ErrorList {
	return apiserver.ValidatePriorityClass(pc)
}
