package apiserver

import (
	"fmt"
	"reflect"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
)

// mutationCheck is client-go's cache mutation detector
// (tools/cache/mutation_detector.go) for the stored pods: with
// Config.CheckInvariants, each stored version is deep-copied when it is
// stored and compared with its copy when a write replaces it. A stored
// pod is shared (the informers' caches, the kubelet's pod and its status
// cache, the next version's spec), so a change in place would show
// everywhere at once; this makes it fail the run instead.
type mutationCheck map[*corev1.Pod]*corev1.Pod

// storedVersion keeps a copy of a version as it is stored.
func (s *Server) storedVersion(p *corev1.Pod) {
	if s.snapshots == nil {
		s.snapshots = mutationCheck{}
	}
	s.snapshots[p] = p.DeepCopy()
}

// replacedVersion checks that the version a write replaces is as it was
// stored.
func (s *Server) replacedVersion(old *corev1.Pod) {
	snap, ok := s.snapshots[old]
	if !ok {
		return
	}
	delete(s.snapshots, old)
	if fresh := newSharedDefaults(); !apiequality.Semantic.DeepEqual(fresh.securityContext, sharedDefaults.securityContext) ||
		!apiequality.Semantic.DeepEqual(fresh.tolerations, sharedDefaults.tolerations) {
		s.eng.Fail(fmt.Errorf("%w: the defaults pods share were changed in place (pod %s/%s)", ErrInvariant, old.Namespace, old.Name))
	}
	// reflect.DeepEqual is the quick answer; semantic equality the one
	// that counts (a Quantity caches its string when printed).
	if !reflect.DeepEqual(snap, old) && !apiequality.Semantic.DeepEqual(snap, old) {
		s.eng.Fail(fmt.Errorf("%w: stored pod %s/%s (resourceVersion %s) was changed in place", ErrInvariant, old.Namespace, old.Name, old.ResourceVersion))
	}
}
