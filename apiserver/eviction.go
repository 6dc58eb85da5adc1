package apiserver

import (
	"fmt"
	"net/http"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/internal/podutil"
)

// maxDisruptedPodSize is the most pods a PDB's status.disruptedPods may
// hold before evictions are refused (eviction.go MaxDisruptedPodSize).
const maxDisruptedPodSize = 2000

// Condition reasons of a pod disrupted by an eviction
// (pkg/registry/core/pod/storage/eviction.go conditionAppender).
const (
	ReasonEvictionByEvictionAPI = "EvictionByEvictionAPI"
	messageEvictionByAPI        = "Eviction API: evicting"
)

// msgDisruptionBudget is the message of the 429 an eviction gets when it
// would violate a disruption budget.
const msgDisruptionBudget = "Cannot evict pod as it would violate the pod's disruption budget."

// EvictPod is the pods/eviction subresource (POST
// pods/<name>/eviction, pkg/registry/core/pod/storage/eviction.go). A pod
// that is Pending, finished or already being deleted is deleted without
// looking at budgets. Otherwise the one PodDisruptionBudget that selects it
// decides: more than one is an error (500); an unready pod is let go while
// the budget is healthy (or always, with unhealthyPodEvictionPolicy
// AlwaysAllow); else the eviction takes one of the budget's
// disruptionsAllowed and records the pod in status.disruptedPods, or is
// refused with 429 TooManyRequests ("Cannot evict pod as it would violate
// the pod's disruption budget.") while there are none, or while the
// disruption controller has not yet seen the budget's latest spec. Where
// the version sets it (1.26), the pod gets DisruptionTarget=True
// (EvictionByEvictionAPI) before it is deleted with the request's grace
// period (nil: the pod's own).
//
// The error is a *k8s.io/apimachinery/pkg/api/errors.StatusError, so
// apierrors.IsTooManyRequests and IsNotFound tell the cases apart as a
// client's do.
func (s *Server) EvictPod(key types.NamespacedName, grace *int64, actor, cause string) error {
	pod, ok := s.pods[key]
	if !ok {
		return apierrors.NewNotFound(schema.GroupResource{Resource: "pods"}, key.Name)
	}
	if canIgnorePDB(pod) {
		s.addConditionAndDeletePod(key, grace, actor, cause)
		return nil
	}
	pdbs := s.podDisruptionBudgetsFor(pod)
	switch {
	case len(pdbs) > 1:
		return &apierrors.StatusError{ErrStatus: metav1.Status{Status: metav1.StatusFailure, Code: http.StatusInternalServerError,
			Message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."}}
	case len(pdbs) == 1:
		pdb := pdbs[0]
		if !isPodReady(pod) {
			if p := pdb.Spec.UnhealthyPodEvictionPolicy; s.prof.Disruption.UnhealthyPodEvictionPolicy && p != nil && *p == policyv1.AlwaysAllow {
				s.addConditionAndDeletePod(key, grace, actor, cause)
				return nil
			}
			// The default policy (IfHealthyBudget), and the only rule before it.
			if pdb.Status.CurrentHealthy >= pdb.Status.DesiredHealthy && pdb.Status.DesiredHealthy > 0 {
				s.addConditionAndDeletePod(key, grace, actor, cause)
				return nil
			}
		}
		if err := s.checkAndDecrement(pod, pdb, actor); err != nil {
			return err
		}
	}
	s.addConditionAndDeletePod(key, grace, actor, cause)
	return nil
}

// canIgnorePDB: a finished or Pending pod, or one being deleted, is
// deleted without a budget check (eviction.go canIgnorePDB).
func canIgnorePDB(p *corev1.Pod) bool {
	switch p.Status.Phase {
	case corev1.PodSucceeded, corev1.PodFailed, corev1.PodPending:
		return true
	}
	return p.DeletionTimestamp != nil
}

func isPodReady(p *corev1.Pod) bool {
	c := podutil.FindCondition(p.Status.Conditions, corev1.PodReady)
	return c != nil && c.Status == corev1.ConditionTrue
}

// podDisruptionBudgetsFor lists the PDBs of the pod's namespace whose
// selector matches it (eviction.go getPodDisruptionBudgets). Before 1.28
// a PDB with an empty selector matched nothing here.
func (s *Server) podDisruptionBudgetsFor(p *corev1.Pod) []*policyv1.PodDisruptionBudget {
	var out []*policyv1.PodDisruptionBudget
	for _, pdb := range s.PodDisruptionBudgets() {
		if pdb.Namespace != p.Namespace {
			continue
		}
		sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
		if err != nil {
			continue
		}
		if sel.Empty() && !s.prof.Disruption.EmptySelectorMatchesAll {
			continue
		}
		if sel.Matches(labels.Set(p.Labels)) {
			out = append(out, pdb)
		}
	}
	return out
}

// checkAndDecrement takes one disruption from the budget for the pod, or
// says why it cannot (eviction.go checkAndDecrement).
func (s *Server) checkAndDecrement(pod *corev1.Pod, pdb *policyv1.PodDisruptionBudget, actor string) error {
	gr := schema.GroupResource{Group: "policy", Resource: "poddisruptionbudget"}
	if pdb.Status.ObservedGeneration < pdb.Generation {
		return tooManyRequests(fmt.Sprintf("The disruption budget %s is still being processed by the server.", pdb.Name), 10)
	}
	if pdb.Status.DisruptionsAllowed < 0 {
		return apierrors.NewForbidden(gr, pdb.Name, fmt.Errorf("pdb disruptions allowed is negative"))
	}
	if len(pdb.Status.DisruptedPods) > maxDisruptedPodSize {
		return apierrors.NewForbidden(gr, pdb.Name, fmt.Errorf("DisruptedPods map too big - too many evictions not confirmed by PDB controller"))
	}
	if pdb.Status.DisruptionsAllowed == 0 {
		return tooManyRequests(fmt.Sprintf("The disruption budget %s needs %d healthy pods and has %d currently",
			pdb.Name, pdb.Status.DesiredHealthy, pdb.Status.CurrentHealthy), 0)
	}
	now := s.Stamp(s.eng.Now())
	s.UpdatePodDisruptionBudgetStatus(podutil.KeyOf(pdb), actor, "eviction of pod "+pod.Name, func(st *policyv1.PodDisruptionBudgetStatus) {
		st.DisruptionsAllowed--
		if st.DisruptionsAllowed == 0 {
			UpdateDisruptionAllowedCondition(st, now)
		}
		if st.DisruptedPods == nil {
			st.DisruptedPods = map[string]metav1.Time{}
		}
		st.DisruptedPods[pod.Name] = now
	})
	return nil
}

// tooManyRequests is the 429 with the budget's cause (eviction.go
// createTooManyRequestsError and checkAndDecrement).
func tooManyRequests(cause string, retryAfter int) error {
	err := apierrors.NewTooManyRequests(msgDisruptionBudget, retryAfter)
	err.ErrStatus.Details.Causes = append(err.ErrStatus.Details.Causes, metav1.StatusCause{Type: policyv1.DisruptionBudgetCause, Message: cause})
	return err
}

// addConditionAndDeletePod adds DisruptionTarget where the version does,
// then deletes the pod (eviction.go addConditionAndDeletePod).
func (s *Server) addConditionAndDeletePod(key types.NamespacedName, grace *int64, actor, cause string) {
	if s.prof.Disruption.PodDisruptionConditions {
		now := s.Stamp(s.eng.Now())
		s.UpdatePod(key, "", actor, cause, func(p *corev1.Pod) {
			cond := corev1.PodCondition{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue,
				Reason: ReasonEvictionByEvictionAPI, Message: messageEvictionByAPI, LastTransitionTime: now}
			if prev := podutil.FindCondition(p.Status.Conditions, corev1.DisruptionTarget); prev != nil {
				if prev.Status == cond.Status {
					cond.LastTransitionTime = prev.LastTransitionTime
				}
				*prev = cond
				return
			}
			p.Status.Conditions = append(p.Status.Conditions, cond)
		})
	}
	s.DeletePod(key, "", grace, actor, cause)
}

// UpdateDisruptionAllowedCondition sets a PDB's DisruptionAllowed condition
// from its disruptionsAllowed
// (k8s.io/component-helpers/apps/poddisruptionbudget): True with reason
// SufficientPods while disruptions are allowed, else False with
// InsufficientPods. The transition time moves only when the status does
// (apimeta.SetStatusCondition).
func UpdateDisruptionAllowedCondition(st *policyv1.PodDisruptionBudgetStatus, now metav1.Time) {
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
