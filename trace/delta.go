package trace

import (
	"encoding/binary"
	"math"
	"reflect"
	"sync"
	"time"
)

// A delta is what changed between two versions of one object: a list of
// operations "set the value at this path to v", found by walking both
// versions field by field with reflection. A path is a run of steps: a
// struct field's index, a slice element's, or following a pointer. Maps,
// interfaces, arrays and structs with unexported fields (resource.Quantity)
// are leaves: compared whole with reflect.DeepEqual and set whole; so is a
// slice whose length or nil-ness changed. time.Time is a leaf compared
// exactly (instant and location). Nil and empty differ, as they do for
// reflect.DeepEqual, and floats are compared by their bits, so a rebuilt
// version is deeply equal to the original in the strictest sense and
// renders the same bytes.
//
// An operation is encoded in bytes: the number of steps and the steps as
// uvarints (a field or element index plus one; 0 follows a pointer), then
// a tag and the value. Scalars, strings and times are written out in the
// bytes (a resourceVersion costs 6 bytes, a time about 10), and a pointer
// that was nil becomes a new zero value filled in by the operations after
// it; only other values (slices, maps, interfaces) are kept as they were,
// in vals.

// Value tags.
const (
	tagZero   byte = iota // the zero value: a nil pointer, slice, map or interface
	tagAny                // the next value in vals
	tagFalse              // bool
	tagTrue               // bool
	tagInt                // zigzag varint
	tagUint               // uvarint
	tagFloat              // the 8 bytes of a float64, little-endian
	tagString             // uvarint length, then the bytes
	tagTime               // zigzag varint Unix seconds, uvarint nanoseconds, uvarint location index
	tagNew                // a pointer to a new zero value, which the operations after it fill in
	tagStrRef             // uvarint index of a string kept once in the differ's strs
)

// internFrom is the length from which a string is kept once however often
// it is set (a containerID, a back-off message) rather than written out;
// a shorter one (a resourceVersion) costs less written out each time.
const internFrom = 16

// maxDeltaOps is how many operations a delta may hold before the version
// is kept whole instead (a rewrite of most of the object).
const maxDeltaOps = 64

// maxPathSteps bounds a path's length; deeper objects are kept whole.
const maxPathSteps = 64

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

// differ collects the operations of one delta into ops and vals. locs are
// the locations of the times written out, and strs the strings kept once,
// shared by every delta of a trace.
type differ struct {
	path   []uint64
	ops    []byte
	vals   []any
	locs   []*time.Location
	strs   []string
	strIdx map[string]uint32
	n      int
	whole  bool // too many operations or too deep: keep the version whole
}

// intern is the index of s in d.strs, added if new.
func (d *differ) intern(s string) uint32 {
	i, ok := d.strIdx[s]
	if !ok {
		if d.strIdx == nil {
			d.strIdx = map[string]uint32{}
		}
		i = uint32(len(d.strs))
		d.strs = append(d.strs, s)
		d.strIdx[s] = i
	}
	return i
}

// op starts an operation at the current path with its tag; the caller
// appends the value.
func (d *differ) op(tag byte) bool {
	if d.n++; d.n > maxDeltaOps || len(d.path) > maxPathSteps || len(d.path) == 0 {
		d.whole = true
		return false
	}
	d.ops = binary.AppendUvarint(d.ops, uint64(len(d.path)))
	for _, s := range d.path {
		d.ops = binary.AppendUvarint(d.ops, s)
	}
	d.ops = append(d.ops, tag)
	return true
}

// setAny records that the value at the current path becomes v, kept as it
// is (a copy of v: the delta keeps no pointer into the struct holding it).
func (d *differ) setAny(v reflect.Value) {
	if d.op(tagAny) {
		d.vals = append(d.vals, v.Interface())
	}
}

func (d *differ) setTime(t time.Time, v reflect.Value) {
	loc := t.Location()
	if t != t.Round(0) || time.Unix(t.Unix(), int64(t.Nanosecond())).In(loc) != t {
		d.setAny(v) // a monotonic reading, or a form Unix and In do not rebuild
		return
	}
	i := 0
	for i < len(d.locs) && d.locs[i] != loc {
		i++
	}
	if i == len(d.locs) {
		d.locs = append(d.locs, loc)
	}
	if d.op(tagTime) {
		d.ops = binary.AppendVarint(d.ops, t.Unix())
		d.ops = binary.AppendUvarint(d.ops, uint64(t.Nanosecond()))
		d.ops = binary.AppendUvarint(d.ops, uint64(i))
	}
}

func (d *differ) step(s uint64, a, b reflect.Value) {
	d.path = append(d.path, s)
	d.walk(a, b)
	d.path = d.path[:len(d.path)-1]
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
		switch {
		case a.Type() == timeType:
			if ta, tb := *a.Addr().Interface().(*time.Time), *b.Addr().Interface().(*time.Time); ta != tb {
				d.setTime(tb, b)
			}
		case info.leaf:
			if !reflect.DeepEqual(a.Addr().Interface(), b.Addr().Interface()) {
				d.setAny(b)
			}
		default:
			for _, i := range info.fields {
				d.step(uint64(i)+1, a.Field(i), b.Field(i))
			}
		}
	case reflect.Pointer:
		switch {
		case a.IsNil() && b.IsNil(), a.Pointer() == b.Pointer():
		case b.IsNil():
			d.op(tagZero)
		case a.IsNil():
			if d.op(tagNew) {
				d.step(0, reflect.New(b.Type().Elem()).Elem(), b.Elem())
			}
		default:
			d.step(0, a.Elem(), b.Elem())
		}
	case reflect.Slice:
		switch {
		case a.IsNil() && b.IsNil():
		case b.IsNil():
			d.op(tagZero)
		case a.IsNil() || a.Len() != b.Len():
			d.setAny(b)
		case a.Len() == 0 || a.Pointer() == b.Pointer():
		default:
			for i := range a.Len() {
				d.step(uint64(i)+1, a.Index(i), b.Index(i))
			}
		}
	case reflect.String:
		switch s := b.String(); {
		case a.String() == s:
		case len(s) >= internFrom:
			if d.op(tagStrRef) {
				d.ops = binary.AppendUvarint(d.ops, uint64(d.intern(s)))
			}
		case d.op(tagString):
			d.ops = binary.AppendUvarint(d.ops, uint64(len(s)))
			d.ops = append(d.ops, s...)
		}
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			tag := tagFalse
			if b.Bool() {
				tag = tagTrue
			}
			d.op(tag)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if a.Int() != b.Int() && d.op(tagInt) {
			d.ops = binary.AppendVarint(d.ops, b.Int())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if a.Uint() != b.Uint() && d.op(tagUint) {
			d.ops = binary.AppendUvarint(d.ops, b.Uint())
		}
	case reflect.Float32, reflect.Float64:
		if bits := math.Float64bits(b.Float()); math.Float64bits(a.Float()) != bits && d.op(tagFloat) {
			d.ops = binary.LittleEndian.AppendUint64(d.ops, bits)
		}
	default: // maps, interfaces, arrays, complex numbers, funcs, channels
		if reflect.DeepEqual(a.Addr().Interface(), b.Addr().Interface()) {
			return
		}
		switch b.Kind() {
		case reflect.Map, reflect.Interface, reflect.Func, reflect.Chan:
			if b.IsNil() {
				d.op(tagZero)
				return
			}
		}
		d.setAny(b)
	}
}

var timeType = reflect.TypeFor[time.Time]()

// deltaable reports whether versions of an object of this dynamic type can
// be kept as deltas: a non-nil pointer to a struct the walk enters.
func deltaable(v reflect.Value) bool {
	return v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct &&
		v.Elem().Type() != timeType && !structInfo(v.Elem().Type()).leaf
}

// apply returns a new version: prev (a non-nil pointer to a struct) with
// the operations of ops and vals done. prev is not changed, nor anything
// it points to: every pointer and slice on an operation's path is copied
// first (path copying), so the new version shares all that did not change
// with prev.
func apply(prev reflect.Value, ops []byte, vals []any, d *differ) reflect.Value {
	root := reflect.New(prev.Type().Elem())
	root.Elem().Set(prev.Elem())
	uvarint := func() uint64 {
		x, k := binary.Uvarint(ops)
		ops = ops[k:]
		return x
	}
	varint := func() int64 {
		x, k := binary.Varint(ops)
		ops = ops[k:]
		return x
	}
	for len(ops) > 0 {
		v := root.Elem()
		for n := uvarint(); n > 0; n-- {
			switch s := uvarint(); {
			case s == 0:
				v = ownPointee(v)
			case v.Kind() == reflect.Struct:
				v = v.Field(int(s - 1))
			default: // a slice
				c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
				reflect.Copy(c, v)
				v.Set(c)
				v = c.Index(int(s - 1))
			}
		}
		tag := ops[0]
		ops = ops[1:]
		switch tag {
		case tagZero:
			v.SetZero()
		case tagAny:
			v.Set(reflect.ValueOf(vals[0]))
			vals = vals[1:]
		case tagFalse, tagTrue:
			v.SetBool(tag == tagTrue)
		case tagInt:
			v.SetInt(varint())
		case tagUint:
			v.SetUint(uvarint())
		case tagFloat:
			v.SetFloat(math.Float64frombits(binary.LittleEndian.Uint64(ops)))
			ops = ops[8:]
		case tagString:
			n := uvarint()
			v.SetString(string(ops[:n]))
			ops = ops[n:]
		case tagTime:
			sec := varint()
			nsec := int64(uvarint())
			v.Set(reflect.ValueOf(time.Unix(sec, nsec).In(d.locs[uvarint()])))
		case tagStrRef:
			v.SetString(d.strs[uvarint()])
		case tagNew:
			v.Set(reflect.New(v.Type().Elem()))
		}
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
