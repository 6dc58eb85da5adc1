package apiserver

import (
	"fmt"
	"strconv"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// Config is what an API server is built from.
type Config struct {
	// Engine is the run's clock, random streams and failure channel.
	Engine *engine.Engine
	// Profile is the Kubernetes version whose defaults and validation apply.
	Profile *profile.Profile
	// Trace receives a record of every write.
	Trace trace.Sink
	// WatchLatency is the time a change takes to reach a watcher.
	WatchLatency time.Duration
	// CheckInvariants makes every pod write check the lifecycle invariants
	// (see ErrInvariant) and fail the run on the first violation.
	CheckInvariants bool
	// NoElision delivers each watch event as an event of its own instead of
	// one event per write for all its watchers (see deliverPod), as
	// sim.Config.NoElision asks.
	NoElision bool
}

// Server is the cluster's object store. Every write gets a new
// resourceVersion; a write that changes nothing is dropped, as etcd3's
// GuaranteedUpdate short-circuits it, so it produces no watch event. Stored
// objects are never modified again (an update stores a modified copy), so
// what a read returns may be kept and shared — and must not be modified.
type Server struct {
	eng  *engine.Engine
	prof *profile.Profile
	tr   trace.Sink
	cfg  Config
	rv   int64

	pods       map[types.NamespacedName]*corev1.Pod
	nodes      map[string]*corev1.Node
	nodeOrder  []string // in the order nodes registered
	services   map[types.NamespacedName]*corev1.Service
	endpoints  map[types.NamespacedName]*corev1.Endpoints
	configMaps map[types.NamespacedName]*corev1.ConfigMap
	secrets    map[types.NamespacedName]*corev1.Secret
	events     eventStore
	leases     map[types.NamespacedName]*coordinationv1.Lease // kube-node-lease: the kubelets' heartbeats
	workloads  workloadStore                                  // Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, Namespaces

	pol *policyStores // PodDisruptionBudgets and PriorityClasses (policy.go)

	snapshots mutationCheck // with CheckInvariants: the stored pods as they were stored (mutation_check.go)

	podWatches
	objectWatches
	podObservers   []PodObserver
	nodeObservers  []NodeObserver
	leaseObservers []func(*coordinationv1.Lease)
}

// New returns an empty API server.
func New(cfg Config) *Server {
	return &Server{
		eng:        cfg.Engine,
		prof:       cfg.Profile,
		tr:         cfg.Trace,
		cfg:        cfg,
		pods:       map[types.NamespacedName]*corev1.Pod{},
		nodes:      map[string]*corev1.Node{},
		services:   map[types.NamespacedName]*corev1.Service{},
		endpoints:  map[types.NamespacedName]*corev1.Endpoints{},
		configMaps: map[types.NamespacedName]*corev1.ConfigMap{},
		secrets:    map[types.NamespacedName]*corev1.Secret{},
		podWatches: podWatches{byNode: map[string][]podWatcher{}},
	}
}

// Profile is the version profile the server follows.
func (s *Server) Profile() *profile.Profile { return s.prof }

func (s *Server) nextRV() string {
	s.rv++
	return strconv.FormatInt(s.rv, 10)
}

// Stamp is an API timestamp for virtual time t: the engine's wall clock,
// kept to the second as the API server keeps it (metav1.Time serializes
// seconds).
func (s *Server) Stamp(t time.Duration) metav1.Time {
	return metav1.NewTime(s.eng.Wall(t).Truncate(time.Second))
}

// NewUID returns a random-looking, seeded UUID (version 4 layout) for a new
// object.
func (s *Server) NewUID() types.UID { return s.uidFrom("uid") }

// uidFrom draws a UID from the named stream. Objects the user never
// creates (a kubelet's Lease) draw from streams of their own, so that they
// do not shift the UIDs of pods and the container IDs that follow them.
func (s *Server) uidFrom(stream string) types.UID {
	r := s.eng.Stream(stream)
	a, b := r.Uint64(), r.Uint64()
	a = (a &^ (0xf << 12)) | (4 << 12)   // version 4
	b = (b &^ (0x3 << 62)) | (0x2 << 62) // RFC 4122 variant
	return types.UID(fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff))
}

// podChanged records a change of a stored pod, with the warnings the write
// returned, and tells the watchers whose selector matches it. The trace and
// every watcher share the stored object.
func (s *Server) podChanged(op trace.Op, old, pod *corev1.Pod, actor, cause string, warnings ...string) {
	pod.ResourceVersion = s.nextRV()
	s.tr.Add(trace.Record{
		T: s.eng.Now(), Kind: "Pod", Op: op, Namespace: pod.Namespace, Name: pod.Name,
		Actor: actor, Cause: cause, Changes: podChanges(old, pod), Pod: pod, Warnings: warnings,
	})
	if s.cfg.CheckInvariants {
		s.checkInvariants(old, pod)
		if old != nil {
			s.replacedVersion(old)
		}
		if op != trace.Deleted {
			s.storedVersion(pod)
		}
	}
	s.deliverPod(op, pod)
	if op == trace.Deleted {
		s.observePod(old, nil)
	} else {
		s.observePod(old, pod)
	}
}

// notifyObject records a change of an object of another kind and tells the
// watchers of its kind.
func (s *Server) notifyObject(kind string, op trace.Op, key types.NamespacedName, obj any, actor, cause string) {
	s.tr.Add(trace.Record{T: s.eng.Now(), Kind: kind, Op: op, Namespace: key.Namespace, Name: key.Name, Actor: actor, Cause: cause, Object: obj})
	s.tellObjectWatchers(kind, op, key)
}
