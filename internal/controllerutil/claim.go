package controllerutil

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// ClaimDecision is what a controller does with one pod when it claims its
// pods (controller/controller_ref_manager.go ClaimPods).
type ClaimDecision int

// The outcomes of ClaimPod.
const (
	// Ignore: the pod is another controller's, or an orphan the controller
	// does not select.
	Ignore ClaimDecision = iota
	// Keep: the pod is the controller's and selected.
	Keep
	// Adopt: an orphan the controller selects; it adds its controller
	// reference (and keeps the pod).
	Adopt
	// Release: the controller's pod no longer selected; it removes its
	// reference.
	Release
)

// ClaimPod decides, for a controller with owner UID uid and selector sel
// (being deleted when ownerDeleting), what to do with a pod
// (PodControllerRefManager.ClaimPods → ClaimObject).
func ClaimPod(p *corev1.Pod, ownerUID string, sel labels.Selector, ownerDeleting bool) ClaimDecision {
	ref := metav1.GetControllerOf(p)
	match := sel.Matches(labels.Set(p.Labels))
	switch {
	case ref != nil && string(ref.UID) != ownerUID:
		return Ignore
	case ref != nil:
		if match {
			return Keep
		}
		if ownerDeleting {
			return Ignore
		}
		return Release
	case ownerDeleting || !match || p.DeletionTimestamp != nil:
		return Ignore
	}
	return Adopt
}

// RemoveOwner drops the owner reference to uid from a pod's references
// (the release patch of controller_ref_manager.go).
func RemoveOwner(refs []metav1.OwnerReference, uid string) []metav1.OwnerReference {
	var out []metav1.OwnerReference
	for _, r := range refs {
		if string(r.UID) != uid {
			out = append(out, r)
		}
	}
	return out
}
