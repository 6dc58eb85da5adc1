package sim

import (
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/behavior"
)

// ownBehaviors are the behaviours given for one pod itself (CreatePod,
// ApplyPod), by container name, and the UID of the pod they were given
// for: a later pod of the same name — a StatefulSet's replacement — does
// not inherit them. A slice, not a map: a pod has a few containers, and a
// one-entry map of behavior.Spec costs a whole group of eight slots
// (1.1 KB a pod, issue 10).
type ownBehaviors struct {
	uid   types.UID
	specs []namedBehavior // by container name
}

type namedBehavior struct {
	container string
	spec      behavior.Spec
}

// newOwnBehaviors keeps specs, in container-name order.
func newOwnBehaviors(uid types.UID, specs map[string]behavior.Spec) *ownBehaviors {
	o := &ownBehaviors{uid: uid, specs: make([]namedBehavior, 0, len(specs))}
	for name, spec := range specs {
		o.specs = append(o.specs, namedBehavior{container: name, spec: spec})
	}
	slices.SortFunc(o.specs, func(a, b namedBehavior) int { return strings.Compare(a.container, b.container) })
	return o
}

// get is the behaviour given for a container; none on a nil o.
func (o *ownBehaviors) get(container string) (behavior.Spec, bool) {
	if o == nil {
		return behavior.Spec{}, false
	}
	for i := range o.specs {
		if o.specs[i].container == container {
			return o.specs[i].spec, true
		}
	}
	return behavior.Spec{}, false
}

// asMap is the behaviours as the kubelet's Config.Behaviors returns them:
// a new map, which its caller may keep or drop.
func (o *ownBehaviors) asMap() map[string]behavior.Spec {
	out := make(map[string]behavior.Spec, len(o.specs))
	for _, nb := range o.specs {
		out[nb.container] = nb.spec
	}
	return out
}
