package trace

import (
	"encoding/binary"
	"reflect"
	"sync"
	"time"
)

// A delta is what changed between two versions of one object: a list of
// operations "set the value at this path to v", found by walking both
// versions field by field with reflection. A path is a run of steps, each
// a struct field's index or a slice element's; pointers are followed
// without a step. Maps, interfaces, arrays and structs with unexported
// fields (time.Time, resource.Quantity) are leaves: compared whole with
// reflect.DeepEqual and set whole. Nil and empty slices differ, as they do
// for reflect.DeepEqual, so a rebuilt version is deeply equal to the
// original in the strictest sense and renders the same bytes.

// maxDeltaOps is how many operations a delta may hold before the version
// is kept whole instead (a rewrite of most of the object).
const maxDeltaOps = 64

// maxPathSteps bounds a path's length; deeper objects are kept whole.
const maxPathSteps = 255

// typeInfo is what the walk needs to know of a struct type.
type typeInfo struct {
	leaf   bool  // some field is unexported: compared and set whole
	fields []int // the exported fields' indices
}

var typeInfos sync.Map // reflect.Type -> *typeInfo

func structInfo(t reflect.Type) *typeInfo {
	if v, ok := typeInfos.Load(t); ok {
		return v.(*typeInfo)
	}
	info := &typeInfo{}
	for i := range t.NumField() {
		if !t.Field(i).IsExported() {
			info.leaf = true
			info.fields = nil
			break
		}
		info.fields = append(info.fields, i)
	}
	v, _ := typeInfos.LoadOrStore(t, info)
	return v.(*typeInfo)
}

// differ collects the operations of one delta: their paths, each a
// uvarint count of steps and the steps as uvarints, into steps, and their
// values into vals.
type differ struct {
	path  []int
	steps []byte
	vals  []any
	ops   int
	whole bool // too many operations or too deep: keep the version whole
}

// set records that the value at the current path becomes v (addressable).
func (d *differ) set(v reflect.Value) {
	if d.ops++; d.ops > maxDeltaOps || len(d.path) > maxPathSteps || len(d.path) == 0 {
		d.whole = true
		return
	}
	d.steps = binary.AppendUvarint(d.steps, uint64(len(d.path)))
	for _, s := range d.path {
		d.steps = binary.AppendUvarint(d.steps, uint64(s))
	}
	d.vals = append(d.vals, v.Interface()) // a copy: the delta keeps no pointer into the struct holding v
}

// walk compares a and b, two addressable values of one type, and records
// an operation for each difference.
func (d *differ) walk(a, b reflect.Value) {
	if d.whole {
		return
	}
	switch a.Kind() {
	case reflect.Struct:
		info := structInfo(a.Type())
		if info.leaf {
			if a.Type() == timeType {
				if *a.Addr().Interface().(*time.Time) != *b.Addr().Interface().(*time.Time) {
					d.set(b)
				}
			} else if !reflect.DeepEqual(a.Addr().Interface(), b.Addr().Interface()) {
				d.set(b)
			}
			return
		}
		for _, i := range info.fields {
			d.path = append(d.path, i)
			d.walk(a.Field(i), b.Field(i))
			d.path = d.path[:len(d.path)-1]
		}
	case reflect.Pointer:
		switch {
		case a.IsNil() && b.IsNil(), a.Pointer() == b.Pointer():
		case a.IsNil() || b.IsNil():
			d.set(b)
		default:
			d.walk(a.Elem(), b.Elem())
		}
	case reflect.Slice:
		switch {
		case a.IsNil() && b.IsNil():
		case a.IsNil() != b.IsNil() || a.Len() != b.Len():
			d.set(b)
		case a.Len() == 0 || a.Pointer() == b.Pointer():
		default:
			for i := range a.Len() {
				d.path = append(d.path, i)
				d.walk(a.Index(i), b.Index(i))
				d.path = d.path[:len(d.path)-1]
			}
		}
	case reflect.String:
		if a.String() != b.String() {
			d.set(b)
		}
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			d.set(b)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if a.Int() != b.Int() {
			d.set(b)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if a.Uint() != b.Uint() {
			d.set(b)
		}
	default: // floats (NaN is never equal: set), maps, interfaces, arrays, funcs, channels
		if !reflect.DeepEqual(a.Addr().Interface(), b.Addr().Interface()) {
			d.set(b)
		}
	}
}

var timeType = reflect.TypeFor[time.Time]()

// deltaable reports whether versions of an object of this dynamic type can
// be kept as deltas: a non-nil pointer to a struct the walk enters.
func deltaable(v reflect.Value) bool {
	return v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct && !structInfo(v.Elem().Type()).leaf
}

// apply returns a new version: prev (a non-nil pointer to a struct) with
// the operations set. prev is not changed, nor anything it points to: every
// struct, pointer and slice on an operation's path is copied first (path
// copying), so the new version shares all that did not change with prev.
func apply(prev reflect.Value, steps []byte, vals []any) reflect.Value {
	root := reflect.New(prev.Type().Elem())
	root.Elem().Set(prev.Elem())
	for _, val := range vals {
		n, k := binary.Uvarint(steps)
		steps = steps[k:]
		v := root.Elem()
		for range n {
			s, k := binary.Uvarint(steps)
			steps = steps[k:]
			for v.Kind() == reflect.Pointer {
				v = ownPointee(v)
			}
			switch v.Kind() {
			case reflect.Struct:
				v = v.Field(int(s))
			case reflect.Slice:
				c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
				reflect.Copy(c, v)
				v.Set(c)
				v = c.Index(int(s))
			}
		}
		if val == nil { // a nil interface
			v.SetZero()
			continue
		}
		nv := reflect.ValueOf(val)
		for v.Kind() == reflect.Pointer && v.Type() != nv.Type() {
			v = ownPointee(v) // the operation is on what the pointer points to
		}
		v.Set(nv)
	}
	return root
}

// ownPointee replaces v, a non-nil pointer of the new version, by a pointer
// to a copy of what it points to, and returns the copy.
func ownPointee(v reflect.Value) reflect.Value {
	c := reflect.New(v.Type().Elem())
	c.Elem().Set(v.Elem())
	v.Set(c)
	return c.Elem()
}
