package trace

import (
	"hash/maphash"
	"iter"
	"reflect"
	"slices"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// How a Trace keeps its records. A record is an entry of 24 bytes: its
// time and indices into tables shared by all records. The words of a
// record (kind, op, names, actor, cause) repeat from record to record and
// are kept once; so are lists of changes and warnings, the strings in
// them, and runtime actions. The object a record carries (its Pod, Event
// or Object) is a version of that object, kept as a delta against the
// version before (history.go, delta.go). At and All rebuild the record.

// entry is one kept record.
type entry struct {
	t     time.Duration
	meta  uint32 // index in tables.metas
	obj   uint32 // index in tables.objs, plus one; 0 for a record without an object
	ver   uint32 // the object's version
	extra uint32 // index in tables.extras (0: none), or in tables.whole for a record kept whole
}

// extra is what few records have: changes, warnings, a runtime action.
type extra struct {
	changes, warnings uint32 // indices in tables.lists; 0 for none
	runtime           uint32 // index in tables.runtimes; 0 for none
}

// Which field of a record holds its object.
const (
	slotNone uint8 = iota
	slotPod
	slotEvent
	slotObject
	slotWhole // kept as it came: more than one object, or an object no delta can describe
)

// meta is the words of a record.
type meta struct {
	kind, ns, name, container, actor, cause string
	op                                      Op
	dropped                                 bool
	slot                                    uint8
}

type objKey struct {
	typ      reflect.Type
	ns, name string
}

// runtimeKey is a runtime action by value, to keep equal ones once.
type runtimeKey struct {
	kind                                      RuntimeKind
	signal, hook, hookResult, path, volume    string
	duration                                  time.Duration
	grace, exitCode, bytes, processes         int64
	hasGrace, hasExit, hasBytes, hasProcesses bool
}

func keyOf(a *RuntimeAction) runtimeKey {
	k := runtimeKey{kind: a.Kind, signal: a.Signal, hook: a.Hook, hookResult: a.HookResult, path: a.Path, volume: a.Volume, duration: a.Duration}
	if a.GracePeriodSeconds != nil {
		k.grace, k.hasGrace = *a.GracePeriodSeconds, true
	}
	if a.ExitCode != nil {
		k.exitCode, k.hasExit = int64(*a.ExitCode), true
	}
	if a.Bytes != nil {
		k.bytes, k.hasBytes = *a.Bytes, true
	}
	if a.Processes != nil {
		k.processes, k.hasProcesses = *a.Processes, true
	}
	return k
}

// tables are what a trace's entries index. A Trace made by Filter shares
// them with the trace it came from.
type tables struct {
	mu         sync.Mutex // rebuilding a record updates an object's cache
	metas      []meta
	metaIdx    map[meta]uint32
	extras     []extra // extras[0] is none
	extraIdx   map[extra]uint32
	lists      [][]string // lists[0] is nil
	listIdx    map[uint64][]uint32
	seed       maphash.Seed
	objs       []object
	objIdx     map[objKey]uint32
	runtimes   []*RuntimeAction // runtimes[0] is nil
	runtimeIdx map[runtimeKey]uint32
	whole      []Record
	d          differ
}

func newTables() *tables {
	return &tables{
		metaIdx: map[meta]uint32{}, extras: []extra{{}}, extraIdx: map[extra]uint32{},
		lists: [][]string{nil}, listIdx: map[uint64][]uint32{}, seed: maphash.MakeSeed(),
		objIdx: map[objKey]uint32{}, runtimes: []*RuntimeAction{nil}, runtimeIdx: map[runtimeKey]uint32{},
	}
}

// named is what every API object is (metav1.Object), as far as keying
// its versions goes.
type named interface {
	GetNamespace() string
	GetName() string
}

// keep stores r as an entry.
func (tab *tables) keep(r Record) entry {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	e := entry{t: r.T}
	m := meta{kind: r.Kind, ns: r.Namespace, name: r.Name, container: r.Container, actor: r.Actor, cause: r.Cause, op: r.Op, dropped: r.Dropped}
	var obj any
	n := 0
	if r.Pod != nil {
		m.slot, obj, n = slotPod, r.Pod, n+1
	}
	if r.Event != nil {
		m.slot, obj, n = slotEvent, r.Event, n+1
	}
	if r.Object != nil {
		m.slot, obj, n = slotObject, r.Object, n+1
	}
	v := reflect.ValueOf(obj)
	if n > 1 || (n == 1 && !deltaable(v)) {
		e.meta = tab.metaOf(meta{slot: slotWhole})
		e.extra = uint32(len(tab.whole))
		tab.whole = append(tab.whole, r)
		return e
	}
	e.meta = tab.metaOf(m)
	x := extra{changes: tab.list(r.Changes), warnings: tab.list(r.Warnings), runtime: tab.runtime(r.Runtime)}
	if x != (extra{}) {
		i, ok := tab.extraIdx[x]
		if !ok {
			i = uint32(len(tab.extras))
			tab.extras = append(tab.extras, x)
			tab.extraIdx[x] = i
		}
		e.extra = i
	}
	if n == 1 {
		key := objKey{typ: v.Type(), ns: r.Namespace, name: r.Name}
		if o, ok := obj.(named); ok {
			key.ns, key.name = o.GetNamespace(), o.GetName()
		}
		i, ok := tab.objIdx[key]
		if !ok {
			tab.objs = append(tab.objs, object{})
			i = uint32(len(tab.objs))
			tab.objIdx[key] = i
		}
		e.obj = i
		e.ver = uint32(tab.objs[i-1].add(obj, &tab.d))
	}
	return e
}

func (tab *tables) metaOf(m meta) uint32 {
	i, ok := tab.metaIdx[m]
	if !ok {
		i = uint32(len(tab.metas))
		tab.metas = append(tab.metas, m)
		tab.metaIdx[m] = i
	}
	return i
}

// list is the index of a list equal to l, added if new with its strings
// kept once.
func (tab *tables) list(l []string) uint32 {
	if l == nil {
		return 0
	}
	var h maphash.Hash
	h.SetSeed(tab.seed)
	for _, s := range l {
		h.WriteString(s)
		h.WriteByte(0)
	}
	sum := h.Sum64()
	for _, i := range tab.listIdx[sum] {
		if slices.Equal(tab.lists[i], l) {
			return i
		}
	}
	i := uint32(len(tab.lists))
	kept := make([]string, len(l))
	for j, s := range l {
		kept[j] = tab.d.strs[tab.d.intern(s)]
	}
	tab.lists = append(tab.lists, kept)
	tab.listIdx[sum] = append(tab.listIdx[sum], i)
	return i
}

// runtime is the index of an action equal to a, added if new.
func (tab *tables) runtime(a *RuntimeAction) uint32 {
	if a == nil {
		return 0
	}
	k := keyOf(a)
	i, ok := tab.runtimeIdx[k]
	if !ok {
		i = uint32(len(tab.runtimes))
		tab.runtimes = append(tab.runtimes, a) // shared: records with equal actions share one
		tab.runtimeIdx[k] = i
	}
	return i
}

// record rebuilds the record of e.
func (tab *tables) record(e entry) Record {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	m := tab.metas[e.meta]
	if m.slot == slotWhole {
		return tab.whole[e.extra]
	}
	x := tab.extras[e.extra]
	r := Record{
		T: e.t, Kind: m.kind, Op: m.op, Namespace: m.ns, Name: m.name, Container: m.container, Actor: m.actor, Cause: m.cause,
		Dropped: m.dropped, Changes: tab.lists[x.changes], Warnings: tab.lists[x.warnings], Runtime: tab.runtimes[x.runtime],
	}
	if e.obj == 0 {
		return r
	}
	obj := tab.objs[e.obj-1].at(int(e.ver), &tab.d)
	switch m.slot {
	case slotPod:
		r.Pod = obj.(*corev1.Pod)
	case slotEvent:
		r.Event = obj.(*corev1.Event)
	default:
		r.Object = obj
	}
	return r
}

// kind is the Kind of e's record, without rebuilding it.
func (tab *tables) kind(e entry) string {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	if m := tab.metas[e.meta]; m.slot != slotWhole {
		return m.kind
	}
	return tab.whole[e.extra].Kind
}

// Len is the number of records the trace keeps.
func (t *Trace) Len() int {
	if t == nil {
		return 0
	}
	return len(t.log)
}

// At is the i-th record the trace keeps, 0 ≤ i < Len(), rebuilt in full.
// Its Pod, Event or Object shares what did not change with the versions
// before and after it, and its Changes and Warnings with other records:
// none of them may be modified. Reading records in order (as All does) is
// cheapest: each is rebuilt from the one before.
func (t *Trace) At(i int) Record { return t.tab.record(t.log[i]) }

// All yields the records the trace keeps, in order, with their indices
// (none for a nil trace). Each is rebuilt as At rebuilds it.
func (t *Trace) All() iter.Seq2[int, Record] {
	return func(yield func(int, Record) bool) {
		if t == nil {
			return
		}
		for i, e := range t.log {
			if !yield(i, t.tab.record(e)) {
				return
			}
		}
	}
}

// Records returns every record the trace keeps, rebuilt, in a new slice.
// All reads them without holding them all at once.
func (t *Trace) Records() []Record {
	out := make([]Record, 0, t.Len())
	for _, r := range t.All() {
		out = append(out, r)
	}
	return out
}

// ofKind returns the records of one kind, in order.
func (t *Trace) ofKind(kind string) []Record {
	if t == nil {
		return nil
	}
	var out []Record
	for _, e := range t.log {
		if t.tab.kind(e) == kind {
			out = append(out, t.tab.record(e))
		}
	}
	return out
}

// Filter returns a trace with the same header and only the records keep
// accepts, in order. It shares the records' storage with t, so it costs a
// few bytes per record whatever the records hold; it has no Forward sink.
func (t *Trace) Filter(keep func(Record) bool) *Trace {
	out := &Trace{Header: t.Header, tab: t.tab}
	for _, e := range t.log {
		if keep(t.tab.record(e)) {
			out.log = append(out.log, e)
		}
	}
	return out
}

// New returns a trace with header h that keeps the records given, as Add
// would have kept them.
func New(h Header, records ...Record) *Trace {
	t := &Trace{Header: h}
	for _, r := range records {
		t.Add(r)
	}
	return t
}
