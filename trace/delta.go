package trace

import (
	"encoding/binary"
	"maps"
	"math"
	"reflect"
	"sync"
	"time"
	"unsafe"
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

// shape is how the walk compares values of one type: precomputed once
// per type, so that comparing two versions reads their memory at known
// offsets instead of building a reflect.Value per field.
type shape struct {
	typ    reflect.Type
	how    uint8
	size   uintptr // of an integer or float
	fields []field // a struct's exported fields
	elem   *shape  // what a pointer points to, a slice's element
	esize  uintptr // a slice element's size
}

type field struct {
	off  uintptr
	step uint64
	s    *shape
}

// How a shape compares.
const (
	howDeep   uint8 = iota // reflect.DeepEqual, set whole: maps, interfaces, arrays, structs with unexported fields
	howStruct              // field by field
	howPointer
	howSlice
	howString
	howBool
	howInt
	howUint
	howFloat
	howTime
	howStringMap // map[string]string, the common map: compared without reflection
)

// Shapes are built once per type for the whole process, under shapesMu,
// and published in shapes only when every shape of the batch is complete:
// a recursive type's shape points to itself, and no goroutine may see a
// shape still being built.
var (
	shapesMu sync.Mutex
	shapes   sync.Map // reflect.Type -> *shape
)

// shapeOf is the shape of t.
func shapeOf(t reflect.Type) *shape {
	if v, ok := shapes.Load(t); ok {
		return v.(*shape)
	}
	shapesMu.Lock()
	defer shapesMu.Unlock()
	batch := map[reflect.Type]*shape{}
	s := buildShape(t, batch)
	for t, s := range batch {
		shapes.Store(t, s)
	}
	return s
}

func buildShape(t reflect.Type, batch map[reflect.Type]*shape) *shape {
	if v, ok := shapes.Load(t); ok {
		return v.(*shape)
	}
	if s := batch[t]; s != nil {
		return s
	}
	s := &shape{typ: t}
	batch[t] = s // before the fields, for a type that contains itself
	switch t.Kind() {
	case reflect.Struct:
		switch {
		case t == timeType:
			s.how = howTime
		case !structInfo(t).leaf:
			s.how = howStruct
			for _, i := range structInfo(t).fields {
				f := t.Field(i)
				s.fields = append(s.fields, field{off: f.Offset, step: uint64(i) + 1, s: buildShape(f.Type, batch)})
			}
		}
	case reflect.Pointer:
		s.how, s.elem = howPointer, buildShape(t.Elem(), batch)
	case reflect.Slice:
		s.how, s.elem, s.esize = howSlice, buildShape(t.Elem(), batch), t.Elem().Size()
	case reflect.String:
		s.how = howString
	case reflect.Bool:
		s.how = howBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s.how, s.size = howInt, t.Size()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		s.how, s.size = howUint, t.Size()
	case reflect.Float32, reflect.Float64:
		s.how, s.size = howFloat, t.Size()
	case reflect.Map:
		if t == stringMapType {
			s.how = howStringMap
		}
	}
	return s
}

func (d *differ) step(step uint64, s *shape, a, b unsafe.Pointer) {
	d.path = append(d.path, step)
	d.walk(s, a, b)
	d.path = d.path[:len(d.path)-1]
}

// plainlyEqual reports whether the values at a and b are equal in a way
// seen without walking them: the same string, number or flag, pointers or
// slices both nil or the same. Most fields of a version are, so the walk
// enters only the others.
func (s *shape) plainlyEqual(a, b unsafe.Pointer) bool {
	switch s.how {
	case howString:
		return *(*string)(a) == *(*string)(b)
	case howBool:
		return *(*bool)(a) == *(*bool)(b)
	case howInt, howUint:
		switch s.size {
		case 1:
			return *(*uint8)(a) == *(*uint8)(b)
		case 2:
			return *(*uint16)(a) == *(*uint16)(b)
		case 4:
			return *(*uint32)(a) == *(*uint32)(b)
		}
		return *(*uint64)(a) == *(*uint64)(b)
	case howPointer, howStringMap:
		return *(*unsafe.Pointer)(a) == *(*unsafe.Pointer)(b)
	case howSlice:
		ha, hb := (*sliceHeader)(a), (*sliceHeader)(b)
		return ha.data == hb.data && ha.len == hb.len
	case howTime:
		return *(*time.Time)(a) == *(*time.Time)(b)
	}
	return false
}

// value is the value of shape s at p, for an operation that keeps it whole.
func (s *shape) value(p unsafe.Pointer) reflect.Value { return reflect.NewAt(s.typ, p).Elem() }

// walk compares the values of shape s at a and b and records an operation
// for each difference.
func (d *differ) walk(s *shape, a, b unsafe.Pointer) {
	if d.whole {
		return
	}
	switch s.how {
	case howStruct:
		for _, f := range s.fields {
			fa, fb := unsafe.Add(a, f.off), unsafe.Add(b, f.off)
			if !f.s.plainlyEqual(fa, fb) {
				d.step(f.step, f.s, fa, fb)
			}
		}
	case howPointer:
		pa, pb := *(*unsafe.Pointer)(a), *(*unsafe.Pointer)(b)
		switch {
		case pa == pb:
		case pb == nil:
			d.op(tagZero)
		case pa == nil:
			if d.op(tagNew) {
				d.step(0, s.elem, reflect.New(s.elem.typ).UnsafePointer(), pb)
			}
		default:
			d.step(0, s.elem, pa, pb)
		}
	case howSlice:
		ha, hb := (*sliceHeader)(a), (*sliceHeader)(b)
		switch {
		case ha.data == nil && hb.data == nil:
		case hb.data == nil:
			d.op(tagZero)
		case ha.data == nil || ha.len != hb.len:
			d.setAny(s.value(b))
		case ha.len == 0 || ha.data == hb.data:
		default:
			for i := range ha.len {
				off := uintptr(i) * s.esize
				d.step(uint64(i)+1, s.elem, unsafe.Add(ha.data, off), unsafe.Add(hb.data, off))
			}
		}
	case howString:
		switch sa, sb := *(*string)(a), *(*string)(b); {
		case sa == sb:
		case len(sb) >= internFrom:
			if d.op(tagStrRef) {
				d.ops = binary.AppendUvarint(d.ops, uint64(d.intern(sb)))
			}
		case d.op(tagString):
			d.ops = binary.AppendUvarint(d.ops, uint64(len(sb)))
			d.ops = append(d.ops, sb...)
		}
	case howBool:
		if xb := *(*bool)(b); *(*bool)(a) != xb {
			tag := tagFalse
			if xb {
				tag = tagTrue
			}
			d.op(tag)
		}
	case howInt:
		if xb := readInt(b, s.size); readInt(a, s.size) != xb && d.op(tagInt) {
			d.ops = binary.AppendVarint(d.ops, xb)
		}
	case howUint:
		if xb := readUint(b, s.size); readUint(a, s.size) != xb && d.op(tagUint) {
			d.ops = binary.AppendUvarint(d.ops, xb)
		}
	case howFloat:
		fa, fb := float64(*(*float32)(a)), float64(*(*float32)(b))
		same := *(*uint32)(a) == *(*uint32)(b)
		if s.size == 8 {
			fa, fb = *(*float64)(a), *(*float64)(b)
			same = math.Float64bits(fa) == math.Float64bits(fb)
		}
		if !same && d.op(tagFloat) {
			d.ops = binary.LittleEndian.AppendUint64(d.ops, math.Float64bits(fb))
		}
	case howTime:
		if ta, tb := *(*time.Time)(a), *(*time.Time)(b); ta != tb {
			d.setTime(tb, s.value(b))
		}
	case howStringMap:
		ma, mb := *(*map[string]string)(a), *(*map[string]string)(b)
		switch {
		case (ma == nil) != (mb == nil) || len(ma) != len(mb):
			if mb == nil {
				d.op(tagZero)
			} else {
				d.setAny(s.value(b))
			}
		case !maps.Equal(ma, mb):
			d.setAny(s.value(b))
		}
	default: // howDeep
		va, vb := s.value(a), s.value(b)
		if reflect.DeepEqual(va.Addr().Interface(), vb.Addr().Interface()) {
			return
		}
		switch vb.Kind() {
		case reflect.Map, reflect.Interface, reflect.Func, reflect.Chan:
			if vb.IsNil() {
				d.op(tagZero)
				return
			}
		}
		d.setAny(vb)
	}
}

// sliceHeader is the layout of a slice (reflect.SliceHeader's, which is
// deprecated for making slices, not for reading one).
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

func readInt(p unsafe.Pointer, size uintptr) int64 {
	switch size {
	case 1:
		return int64(*(*int8)(p))
	case 2:
		return int64(*(*int16)(p))
	case 4:
		return int64(*(*int32)(p))
	}
	return *(*int64)(p)
}

func readUint(p unsafe.Pointer, size uintptr) uint64 {
	switch size {
	case 1:
		return uint64(*(*uint8)(p))
	case 2:
		return uint64(*(*uint16)(p))
	case 4:
		return uint64(*(*uint32)(p))
	}
	return *(*uint64)(p)
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	stringMapType = reflect.TypeFor[map[string]string]()
)

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
