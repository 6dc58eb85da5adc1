package kubelet

import (
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/stochastic"
	"github.com/podsim/podsim/trace"
)

// Client is everything a kubelet asks of the API server: its own node's
// pods (a watch with fieldSelector=spec.nodeName), their status writes and
// final deletes, its node and the node's status, its Lease, and the
// ConfigMaps and Secrets its containers refer to. A *apiserver.Server satisfies it; nothing else of the cluster
// is within a kubelet's reach.
type Client interface {
	WatchPods(sel fields.Selector, fn func(op trace.Op, pod *corev1.Pod)) error
	Pod(key types.NamespacedName) *corev1.Pod
	UpdatePod(key types.NamespacedName, uid types.UID, actor, cause string, mutate func(*corev1.Pod)) bool
	// UpdatePodStatus is the pods/status write: the server keeps status.
	UpdatePodStatus(key types.NamespacedName, uid types.UID, actor, cause string, status corev1.PodStatus) bool
	DeletePod(key types.NamespacedName, uid types.UID, grace *int64, actor, cause string) bool
	CreateNode(n *corev1.Node, actor, cause string) error
	Node(name string) *corev1.Node
	// UpdateNode is the node status PATCH: mutate applies to a copy of
	// the stored node; it reports whether the node exists.
	UpdateNode(name, actor, cause string, mutate func(*corev1.Node)) bool
	UpdateNodeStatus(name, actor, cause string, status corev1.NodeStatus, labels map[string]string) bool
	// Lease, CreateLease and UpdateLease keep the node's heartbeat Lease.
	Lease(key types.NamespacedName) *coordinationv1.Lease
	CreateLease(l *coordinationv1.Lease, actor, cause string) error
	UpdateLease(l *coordinationv1.Lease, actor, cause string) error
	ConfigMap(key types.NamespacedName) *corev1.ConfigMap
	Secret(key types.NamespacedName) *corev1.Secret
	// Stamp is the API server's timestamp of a virtual time.
	Stamp(t time.Duration) metav1.Time
}

// Resolver answers the DNS lookups of processes in pods, as cluster DNS
// does.
type Resolver interface {
	Resolves(namespace, name string) bool
}

// Config is what a kubelet is built from.
type Config struct {
	// Node is the node as its manifest describes it; the kubelet registers
	// it, filling in what the manifest leaves out.
	Node *corev1.Node
	// Index is the node's position among the cluster's nodes: it picks the
	// node's pod range (the Index-th /24 after Network.PodCIDR) and address.
	Index int
	// PresentImages are on the node from the start.
	PresentImages []string
	// ClockOffset is how far the node's clock runs ahead of the control
	// plane's (negative: behind).
	ClockOffset time.Duration

	Engine  *engine.Engine
	Profile *profile.Profile
	Client  Client
	Events  *record.Broadcaster
	Trace   trace.Sink
	DNS     Resolver
	// Behaviors says what the processes of a pod's containers do, by
	// container name, for the pod being admitted.
	Behaviors func(pod *corev1.Pod) map[string]behavior.Spec

	Timing Timing
	// Images describes pulls per image, by imageref.Key's rule.
	Images map[string]ImageEnv
	// Network is the pod network (CNI plugin).
	Network Network
	// ResyncInterval is the kubelet's syncFrequency.
	ResyncInterval time.Duration
	// NoElision turns off steady-state elision (prober_elision.go): every
	// probe period is ticked even when its answer cannot have changed. The
	// output is the same either way; only the cost differs.
	NoElision bool
	// CheckInvariants makes the kubelet check its caches against what
	// they stand for (the stats summary's, stats_cache.go) and fail the
	// run where they differ.
	CheckInvariants bool
	// Resources are the kubelet's reservations and eviction settings;
	// Machine what the node's machine has and uses besides the pods.
	Resources Resources
	Machine   Machine
}

// Timing holds the durations of the container runtime's operations and
// the phases of the kubelet's loops. The loop periods themselves (1 s
// relist, 1 s sync tick, 2 s housekeeping) are constants of the kubelet.
type Timing struct {
	SandboxCreate, SandboxStop      time.Duration
	ContainerCreate, ContainerStart time.Duration
	VolumeTeardown                  time.Duration
	// DefaultPull is the pull time of an image not listed in Images.
	DefaultPull time.Duration
	// RelistPhase, SyncTickPhase and HousekeepingPhase place the loops
	// within their periods: the kubelet started long before the run.
	RelistPhase, SyncTickPhase, HousekeepingPhase time.Duration
}

// ImageEnv describes how pulling one image behaves.
type ImageEnv struct {
	// Pulls are the durations of successive pulls on a node; the last one
	// repeats. Empty means Timing.DefaultPull.
	Pulls []time.Duration
	// SizeBytes is the image size the Pulled event reports (1.30+);
	// 0 means DefaultImageSizeBytes.
	SizeBytes int64
	// PullError, when set, makes every pull fail with this message, as a
	// registry answers for a missing image or a denied request.
	PullError string
	// FailPulls makes the first FailPulls pulls fail with PullError (or a
	// default not-found message), and later ones succeed.
	FailPulls int

	// PullTime, when set, replaces Pulls: every pull's duration is drawn
	// from it (stream "image-pull/<node>/<reference>").
	PullTime stochastic.Duration
	// StartTime, when set, is how long the application in a container of
	// this image takes to start, drawn at every start (stream
	// "app-start/<namespace>/<pod>/<container>"): the container is running
	// from StartContainer on, but its entrypoint's first step comes that
	// much later.
	StartTime stochastic.Duration
	// ProbeLatency, when set, is how long each probe of a container of this
	// image waits for its answer, drawn at every probe (stream
	// "probe-latency/<namespace>/<pod>/<container>/<kind>"). A latency of
	// timeoutSeconds or more is a timeout.
	ProbeLatency stochastic.Duration
}

// Network is the behaviour of the pod network (CNI plugin).
type Network struct {
	// Plugin is "" for a plugin that only assigns addresses, or "calico",
	// whose CNI ADD annotates the pod with cni.projectcalico.org/podIP,
	// podIPs and containerID (one extra pod update, seen as an extra watch
	// line), and whose CNI DEL empties podIP and podIPs.
	Plugin string
	// PodCIDR is the range pod addresses come from on the first node
	// (default 10.244.0.0/24; node i uses the i-th /24 after it).
	PodCIDR string
}

// Known network plugins.
const (
	NetworkPlain  = ""
	NetworkCalico = "calico"
)

// apiFieldNodeName is the field a kubelet selects its pods by
// (pkg/kubelet/config/apiserver.go NewSourceApiserver).
const apiFieldNodeName = "spec.nodeName"
