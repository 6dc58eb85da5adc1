package trace

import (
	"reflect"
	"sort"
)

// keyframeEvery is how many versions of an object may follow one kept
// whole before the next is kept whole again: it bounds the work of
// rebuilding a version read out of order.
const keyframeEvery = 128

// object is one object (one pod, one event, one lease) that a trace has
// seen: its first version, and once there are more, their history.
type object struct {
	first any
	h     *history
}

// history is every version of an object after the first: some kept
// whole (keyframes: one in keyframeEvery), the others as deltas against
// the version before.
type history struct {
	last any // the newest version, as it was added
	// ends are, for each version, where its operations end in ops (high
	// 32 bits) and in vals (low 32 bits); a keyframe's where the version
	// before ended.
	ends     []uint64
	ops      []byte
	vals     []any
	keys     []keyframe // keys[0] is the first version
	sinceKey int32
	// The version rebuilt last: reading versions in order (as every
	// rendering does) applies each delta once.
	cacheVer int32
	cacheObj any
}

type keyframe struct {
	ver uint32
	obj any
}

// add appends obj, of the type of the object's versions, as its newest
// version, and returns the version's number.
func (o *object) add(obj any, d *differ) int {
	if o.first == nil {
		o.first = obj
		return 0
	}
	h := o.h
	if h == nil {
		h = &history{last: o.first, ends: []uint64{0}, keys: []keyframe{{0, o.first}}, cacheVer: -1}
		o.h = h
	}
	ver := len(h.ends)
	nops, nvals := len(h.ops), len(h.vals)
	whole := h.sinceKey+1 >= keyframeEvery
	if !whole {
		d.path, d.ops, d.vals, d.n, d.whole = d.path[:0], h.ops, h.vals, 0, false
		va, vb := reflect.ValueOf(h.last), reflect.ValueOf(obj)
		d.walk(shapeOf(vb.Type().Elem()), va.UnsafePointer(), vb.UnsafePointer())
		if whole = d.whole; whole {
			if len(d.vals) > nvals {
				clear(d.vals[nvals:]) // drop what the abandoned delta held
			}
		} else {
			h.ops, h.vals = d.ops, d.vals
			nops, nvals = len(h.ops), len(h.vals)
		}
	}
	if whole {
		h.ops, h.vals = h.ops[:nops], h.vals[:nvals]
		h.keys = append(h.keys, keyframe{uint32(ver), obj})
		h.sinceKey = 0
	} else {
		h.sinceKey++
	}
	h.ends = append(h.ends, uint64(nops)<<32|uint64(nvals))
	h.last = obj
	return ver
}

// at rebuilds version ver. The result shares what did not change with the
// versions around it: it must not be modified.
func (o *object) at(ver int, d *differ) any {
	if ver == 0 {
		return o.first
	}
	h := o.h
	if h.cacheObj != nil && int(h.cacheVer) == ver {
		return h.cacheObj
	}
	k := sort.Search(len(h.keys), func(i int) bool { return int(h.keys[i].ver) > ver }) - 1
	from, obj := int(h.keys[k].ver), reflect.ValueOf(h.keys[k].obj)
	if h.cacheObj != nil && int(h.cacheVer) > from && int(h.cacheVer) < ver {
		from, obj = int(h.cacheVer), reflect.ValueOf(h.cacheObj)
	}
	for v := from + 1; v <= ver; v++ {
		o0, v0 := h.ends[v-1]>>32, uint32(h.ends[v-1])
		if o1, v1 := h.ends[v]>>32, uint32(h.ends[v]); o1 > o0 {
			obj = apply(obj, h.ops[o0:o1], h.vals[v0:v1], d)
		}
	}
	h.cacheVer, h.cacheObj = int32(ver), obj.Interface()
	return h.cacheObj
}
