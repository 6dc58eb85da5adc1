package deployment

import (
	"slices"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
)

// rolloutRecreate scales every old set to 0, waits until none of their
// pods runs, then creates and scales up the new set
// (pkg/controller/deployment/recreate.go).
func (c *Controller) rolloutRecreate(d *appsv1.Deployment, rsList []*appsv1.ReplicaSet) error {
	// "Don't create a new RS if not already existed, so that we avoid
	// scaling up before scaling down."
	newRS, old, err := c.allReplicaSets(d, rsList, false)
	if err != nil {
		return err
	}
	scaledDown := false
	for _, rs := range filterActive(old) {
		scaled, _, err := c.scaleReplicaSetAndRecordEvent(rs, 0, d)
		if err != nil {
			return err
		}
		scaledDown = scaledDown || scaled
	}
	newRS, old, _ = c.refresh(newRS, old)
	if scaledDown {
		return c.syncRolloutStatus(append(slices.Clone(old), newRS), newRS, d)
	}
	if c.oldPodsRunning(newRS, old, c.podMap(d, rsList)) {
		return c.syncRolloutStatus(append(slices.Clone(old), newRS), newRS, d)
	}
	if newRS == nil {
		if newRS, old, err = c.allReplicaSets(d, rsList, true); err != nil {
			return err
		}
	}
	if _, _, err := c.scaleReplicaSetAndRecordEvent(newRS, *d.Spec.Replicas, d); err != nil {
		return err
	}
	newRS, old, _ = c.refresh(newRS, old)
	if deploymentComplete(d, &d.Status) {
		c.cleanupDeployment(old, d)
	}
	return c.syncRolloutStatus(append(slices.Clone(old), newRS), newRS, d)
}

// oldPodsRunning: an old set still has pods, or a pod of an old set has
// not finished (recreate.go oldPodsRunning).
func (c *Controller) oldPodsRunning(newRS *appsv1.ReplicaSet, old []*appsv1.ReplicaSet, pods map[types.UID][]*corev1.Pod) bool {
	if sumStatus(old, statusReplicas) > 0 {
		return true
	}
	for uid, list := range pods {
		if newRS != nil && newRS.UID == uid {
			continue
		}
		for _, p := range list {
			if p.Status.Phase != corev1.PodFailed && p.Status.Phase != corev1.PodSucceeded {
				return true
			}
		}
	}
	return false
}
