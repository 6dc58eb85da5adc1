package apiserver

import (
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/internal/podutil"
)

// ErrInvariant is wrapped by every invariant violation.
var ErrInvariant = errors.New("invariant violated")

// checkInvariants checks the rules every pod update must keep
// (Config.CheckInvariants): a terminal phase is never left; Ready implies
// ContainersReady, and turns True only with every readiness gate True;
// ContainersReady implies
// every container ready; restart counts never fall. The engine itself
// refuses events in the past.
func (s *Server) checkInvariants(old, cur *corev1.Pod) {
	fail := func(format string, args ...any) {
		s.eng.Fail(fmt.Errorf("%w: pod %s/%s at %v: %s (reproduce with seed=%d, version %s)",
			ErrInvariant, cur.Namespace, cur.Name, s.eng.Now(), fmt.Sprintf(format, args...), s.eng.Seed(), s.prof.Version))
	}
	if old != nil && podutil.IsTerminal(old.Status.Phase) && cur.Status.Phase != old.Status.Phase {
		fail("phase left %s for %s", old.Status.Phase, cur.Status.Phase)
	}
	ready := podutil.FindCondition(cur.Status.Conditions, corev1.PodReady)
	containersReady := podutil.FindCondition(cur.Status.Conditions, corev1.ContainersReady)
	if ready != nil && ready.Status == corev1.ConditionTrue {
		if containersReady == nil || containersReady.Status != corev1.ConditionTrue {
			fail("Ready is True but ContainersReady is not")
		}
		// Whoever makes Ready True must have every readiness gate True. A
		// gate set back to False leaves Ready True until the kubelet
		// reconciles it (NeedToReconcilePodReadiness), so the gates are
		// checked only on the write that turns Ready True.
		var was *corev1.PodCondition
		if old != nil {
			was = podutil.FindCondition(old.Status.Conditions, corev1.PodReady)
		}
		if was == nil || was.Status != corev1.ConditionTrue {
			for _, g := range cur.Spec.ReadinessGates {
				if cond := podutil.FindCondition(cur.Status.Conditions, g.ConditionType); cond == nil || cond.Status != corev1.ConditionTrue {
					fail("Ready is True but readiness gate %q is not", g.ConditionType)
				}
			}
		}
	}
	if containersReady != nil && containersReady.Status == corev1.ConditionTrue {
		for _, cs := range cur.Status.ContainerStatuses {
			if !cs.Ready {
				fail("ContainersReady is True but container %q is not ready", cs.Name)
			}
		}
	}
	if old == nil {
		return
	}
	for _, list := range [][2][]corev1.ContainerStatus{
		{old.Status.ContainerStatuses, cur.Status.ContainerStatuses},
		{old.Status.InitContainerStatuses, cur.Status.InitContainerStatuses},
	} {
		for _, cs := range list[1] {
			if prev := podutil.FindContainerStatus(list[0], cs.Name); prev != nil && cs.RestartCount < prev.RestartCount {
				fail("container %q restartCount fell from %d to %d", cs.Name, prev.RestartCount, cs.RestartCount)
			}
		}
	}
}
