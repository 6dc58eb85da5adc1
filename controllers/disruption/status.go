package disruption

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
)

// updateStatus writes the status unless it is already right
// (updatePdbStatus).
func (c *Controller) updateStatus(pdb *policyv1.PodDisruptionBudget, healthy, desired, expected int32, disrupted map[string]metav1.Time) {
	allowed := healthy - desired
	if expected <= 0 || allowed <= 0 {
		allowed = 0
	}
	now := c.api.Stamp(c.eng.Now())
	st := pdb.Status
	if st.CurrentHealthy == healthy && st.DesiredHealthy == desired && st.ExpectedPods == expected &&
		st.DisruptionsAllowed == allowed && disruptedEqual(st.DisruptedPods, disrupted) &&
		st.ObservedGeneration == pdb.Generation && conditionsUpToDate(pdb) {
		return
	}
	cause := fmt.Sprintf("%d healthy of %d desired, %d allowed", healthy, desired, allowed)
	c.api.UpdatePodDisruptionBudgetStatus(podutil.KeyOf(pdb), Actor, cause, func(s *policyv1.PodDisruptionBudgetStatus) {
		*s = policyv1.PodDisruptionBudgetStatus{
			CurrentHealthy: healthy, DesiredHealthy: desired, ExpectedPods: expected, DisruptionsAllowed: allowed,
			DisruptedPods: disrupted, ObservedGeneration: pdb.Generation, Conditions: s.Conditions,
		}
		setDisruptionAllowed(s, now)
	})
}

// disruptedEqual is semantic equality of two disruptedPods maps, where nil
// and empty are the same.
func disruptedEqual(a, b map[string]metav1.Time) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !v.Equal(&w) {
			return false
		}
	}
	return true
}

// conditionsUpToDate is pdbhelper.ConditionsAreUpToDate.
func conditionsUpToDate(pdb *policyv1.PodDisruptionBudget) bool {
	cond := apimeta.FindStatusCondition(pdb.Status.Conditions, policyv1.DisruptionAllowedCondition)
	if cond == nil || pdb.Status.ObservedGeneration != pdb.Generation {
		return false
	}
	if pdb.Status.DisruptionsAllowed > 0 {
		return cond.Status == metav1.ConditionTrue && cond.Reason == policyv1.SufficientPodsReason
	}
	return cond.Status == metav1.ConditionFalse && cond.Reason == policyv1.InsufficientPodsReason
}

// setDisruptionAllowed is pdbhelper.UpdateDisruptionAllowedCondition.
func setDisruptionAllowed(st *policyv1.PodDisruptionBudgetStatus, now metav1.Time) {
	cond := metav1.Condition{Type: policyv1.DisruptionAllowedCondition, Reason: policyv1.SufficientPodsReason,
		Status: metav1.ConditionTrue, ObservedGeneration: st.ObservedGeneration, LastTransitionTime: now}
	if st.DisruptionsAllowed <= 0 {
		cond.Reason, cond.Status = policyv1.InsufficientPodsReason, metav1.ConditionFalse
	}
	if st.Conditions == nil {
		st.Conditions = []metav1.Condition{}
	}
	apimeta.SetStatusCondition(&st.Conditions, cond)
}

// failSafe sets disruptionsAllowed to 0 with DisruptionAllowed False,
// reason SyncFailed, when the status cannot be computed.
func (c *Controller) failSafe(pdb *policyv1.PodDisruptionBudget, err error) {
	now := c.api.Stamp(c.eng.Now())
	c.api.UpdatePodDisruptionBudgetStatus(podutil.KeyOf(pdb), Actor, "sync failed", func(s *policyv1.PodDisruptionBudgetStatus) {
		s.DisruptionsAllowed = 0
		if s.Conditions == nil {
			s.Conditions = []metav1.Condition{}
		}
		apimeta.SetStatusCondition(&s.Conditions, metav1.Condition{Type: policyv1.DisruptionAllowedCondition, Status: metav1.ConditionFalse,
			Reason: policyv1.SyncFailedReason, Message: err.Error(), ObservedGeneration: s.ObservedGeneration, LastTransitionTime: now})
	})
}

// armStaleReset schedules the reset of a DisruptionTarget condition left
// on a pod that is not being deleted (nonTerminatingPodHasStaleDisruptionCondition).
func (c *Controller) armStaleReset(p *corev1.Pod) {
	if !c.prof.Disruption.PodDisruptionConditions {
		return
	}
	wait, ok := staleFor(p, c.eng.Wall(c.eng.Now()))
	key := podutil.KeyOf(p)
	if !ok || c.stale[key] {
		return
	}
	c.stale[key] = true
	c.eng.After(wait, engine.PriorityNormal, func() {
		delete(c.stale, key)
		cur := c.api.Pod(key)
		if cur == nil {
			return
		}
		if left, ok := staleFor(cur, c.eng.Wall(c.eng.Now())); !ok || left > 0 {
			if ok {
				c.armStaleReset(cur)
			}
			return
		}
		now := c.api.Stamp(c.eng.Now())
		c.api.UpdatePod(key, cur.UID, Actor, "stale DisruptionTarget condition", func(p *corev1.Pod) {
			if cond := podutil.FindCondition(p.Status.Conditions, corev1.DisruptionTarget); cond != nil {
				// apipod.UpdatePodCondition with a condition of status False
				// and nothing else.
				*cond = corev1.PodCondition{Type: corev1.DisruptionTarget, Status: corev1.ConditionFalse, LastTransitionTime: now}
			}
		})
	})
}

// staleFor reports whether the pod has a DisruptionTarget condition that
// will be stale, and in how long.
func staleFor(p *corev1.Pod, now time.Time) (time.Duration, bool) {
	if p.DeletionTimestamp != nil || podutil.IsTerminal(p.Status.Phase) {
		return 0, false
	}
	cond := podutil.FindCondition(p.Status.Conditions, corev1.DisruptionTarget)
	if cond == nil || cond.Status != corev1.ConditionTrue || cond.Reason == corev1.PodReasonTerminationByKubelet {
		return 0, false
	}
	return max(stalePodDisruptionTimeout-now.Sub(cond.LastTransitionTime.Time), 0), true
}
