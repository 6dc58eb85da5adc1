package deployment

import (
	"slices"

	appsv1 "k8s.io/api/apps/v1"
)

// rolloutRolling scales the new set up as far as maxSurge lets it, else
// the old ones down as far as maxUnavailable lets them
// (pkg/controller/deployment/rolling.go rolloutRolling).
func (c *Controller) rolloutRolling(d *appsv1.Deployment, rsList []*appsv1.ReplicaSet) error {
	newRS, old, err := c.allReplicaSets(d, rsList, true)
	if err != nil {
		return err
	}
	all := append(slices.Clone(old), newRS)
	scaledUp, err := c.reconcileNewReplicaSet(all, newRS, d)
	if err != nil {
		return err
	}
	if scaledUp {
		newRS, old, _ = c.refresh(newRS, old)
		return c.syncRolloutStatus(append(old, newRS), newRS, d)
	}
	scaledDown, err := c.reconcileOldReplicaSets(all, filterActive(old), newRS, d)
	if err != nil {
		return err
	}
	newRS, old, _ = c.refresh(newRS, old)
	if scaledDown {
		return c.syncRolloutStatus(append(old, newRS), newRS, d)
	}
	if deploymentComplete(d, &d.Status) {
		c.cleanupDeployment(old, d)
	}
	return c.syncRolloutStatus(append(old, newRS), newRS, d)
}

// reconcileNewReplicaSet (rolling.go).
func (c *Controller) reconcileNewReplicaSet(all []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet, d *appsv1.Deployment) (bool, error) {
	switch {
	case replicasOf(newRS) == *d.Spec.Replicas:
		return false, nil
	case replicasOf(newRS) > *d.Spec.Replicas:
		scaled, _, err := c.scaleReplicaSetAndRecordEvent(newRS, *d.Spec.Replicas, d)
		return scaled, err
	}
	scaled, _, err := c.scaleReplicaSetAndRecordEvent(newRS, newRSNewReplicas(d, all, newRS), d)
	return scaled, err
}

// reconcileOldReplicaSets scales the old sets down by at most
// allPods − minAvailable − the new set's unavailable pods: their
// unhealthy pods first, then, while more than minAvailable pods are
// available, the oldest sets (rolling.go reconcileOldReplicaSets).
func (c *Controller) reconcileOldReplicaSets(all, old []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet, d *appsv1.Deployment) (bool, error) {
	if specReplicas(old) == 0 {
		return false, nil
	}
	allPods := specReplicas(all)
	minAvailable := *d.Spec.Replicas - MaxUnavailable(d)
	newUnavailable := replicasOf(newRS) - newRS.Status.AvailableReplicas
	maxScaledDown := allPods - minAvailable - newUnavailable
	if maxScaledDown <= 0 {
		return false, nil
	}
	old, cleaned, err := c.cleanupUnhealthyReplicas(old, d, maxScaledDown)
	if err != nil {
		return false, nil
	}
	all = append(slices.Clone(old), newRS)
	scaledDown, err := c.scaleDownOldReplicaSetsForRollingUpdate(all, old, d)
	if err != nil {
		return false, nil
	}
	return cleaned+scaledDown > 0, nil
}

// cleanupUnhealthyReplicas removes the old sets' unavailable replicas,
// oldest set first, up to maxCleanup (rolling.go).
func (c *Controller) cleanupUnhealthyReplicas(old []*appsv1.ReplicaSet, d *appsv1.Deployment, maxCleanup int32) ([]*appsv1.ReplicaSet, int32, error) {
	old = sortedByCreation(old)
	var total int32
	for i, rs := range old {
		if total >= maxCleanup {
			break
		}
		if replicasOf(rs) == 0 || replicasOf(rs) == rs.Status.AvailableReplicas {
			continue
		}
		n := min(maxCleanup-total, replicasOf(rs)-rs.Status.AvailableReplicas)
		_, updated, err := c.scaleReplicaSetAndRecordEvent(rs, replicasOf(rs)-n, d)
		if err != nil {
			return nil, total, err
		}
		total += n
		old[i] = updated
	}
	return old, total, nil
}

// scaleDownOldReplicaSetsForRollingUpdate scales the oldest sets down by
// the available pods over minAvailable (rolling.go).
func (c *Controller) scaleDownOldReplicaSetsForRollingUpdate(all, old []*appsv1.ReplicaSet, d *appsv1.Deployment) (int32, error) {
	minAvailable := *d.Spec.Replicas - MaxUnavailable(d)
	available := sumStatus(all, statusAvailable)
	if available <= minAvailable {
		return 0, nil
	}
	old = sortedByCreation(old)
	var total int32
	want := available - minAvailable
	for _, rs := range old {
		if total >= want {
			break
		}
		if replicasOf(rs) == 0 {
			continue
		}
		n := min(replicasOf(rs), want-total)
		if _, _, err := c.scaleReplicaSetAndRecordEvent(rs, replicasOf(rs)-n, d); err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}
