package trace

import (
	"reflect"
	"sort"
)

// keyframeEvery is how many versions of an object may follow one kept
// whole before the next is kept whole again: it bounds the work of
// rebuilding a version read out of order.
const keyframeEvery = 128

// history is every version of one object (one pod, one event, one lease)
// that a trace keeps: some kept whole (keyframes: the first, and then one
// in keyframeEvery), the others as deltas against the version before.
type history struct {
	last reflect.Value // the newest version, as it was added
	// stepEnd and valEnd are, for each version, where its operations end
	// in steps and vals (a keyframe's end where the version before ended).
	stepEnd, valEnd []uint32
	steps           []byte
	vals            []any
	keys            []keyframe
	sinceKey        int
	// The version rebuilt last: reading versions in order (as every
	// rendering does) applies each delta once.
	cacheVer int
	cacheObj reflect.Value
}

type keyframe struct {
	ver int
	obj reflect.Value
}

// add appends obj (of the history's type) as its newest version.
func (h *history) add(obj reflect.Value, d *differ) (ver int) {
	ver = len(h.stepEnd)
	steps, vals := len(h.steps), len(h.vals)
	whole := ver == 0 || h.sinceKey+1 >= keyframeEvery
	if !whole {
		d.path, d.steps, d.vals, d.ops, d.whole = d.path[:0], h.steps, h.vals, 0, false
		d.walk(h.last.Elem(), obj.Elem())
		if d.whole {
			whole = true
			clear(d.vals[vals:]) // drop the references the aborted delta took
		} else {
			h.steps, h.vals = d.steps, d.vals
			steps, vals = len(h.steps), len(h.vals)
		}
	}
	if whole {
		h.steps, h.vals = h.steps[:steps], h.vals[:vals]
		h.keys = append(h.keys, keyframe{ver: ver, obj: obj})
		h.sinceKey = 0
	} else {
		h.sinceKey++
	}
	h.stepEnd = append(h.stepEnd, uint32(steps))
	h.valEnd = append(h.valEnd, uint32(vals))
	h.last = obj
	return ver
}

// at rebuilds version ver. The result shares what did not change with the
// versions around it: it must not be modified.
func (h *history) at(ver int) reflect.Value {
	if h.cacheObj.IsValid() && h.cacheVer == ver {
		return h.cacheObj
	}
	k := sort.Search(len(h.keys), func(i int) bool { return h.keys[i].ver > ver }) - 1
	from, obj := h.keys[k].ver, h.keys[k].obj
	if h.cacheObj.IsValid() && h.cacheVer > from && h.cacheVer < ver {
		from, obj = h.cacheVer, h.cacheObj
	}
	for v := from + 1; v <= ver; v++ {
		s0, v0 := h.stepEnd[v-1], h.valEnd[v-1]
		if s1, v1 := h.stepEnd[v], h.valEnd[v]; v1 > v0 {
			obj = apply(obj, h.steps[s0:s1], h.vals[v0:v1])
		}
	}
	h.cacheVer, h.cacheObj = ver, obj
	return obj
}
