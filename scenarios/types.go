package scenarios

import (
	"encoding/json"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// APIVersion and Kind of the podsim document in a scenario file.
const (
	APIVersion   = "podsim.dev/v1alpha1"
	ScenarioKind = "Scenario"
)

// Duration is a duration written as Go writes it: "90s", "1m30s", "250ms".
type Duration struct{ time.Duration }

// UnmarshalJSON reads a duration string; a bare number is refused, since
// seconds and milliseconds are too easy to mix up.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("must be a duration such as \"90s\" or \"13m\", not %s", string(b))
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("must be a duration such as \"90s\" or \"13m\", not %q", s)
	}
	d.Duration = v
	return nil
}

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// ScenarioDoc is the podsim document of a scenario file: what plain
// Kubernetes YAML cannot say. Every field is optional; docs/scenario-format.md
// gives each one's default.
type ScenarioDoc struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name,omitempty"`
	} `json:"metadata,omitempty"`
	// Description says what the scenario shows, for people.
	Description string `json:"description,omitempty"`
	// Duration is how long to run (default 10m).
	Duration *Duration `json:"duration,omitempty"`
	// Seed is the root of all randomness (default 1).
	Seed *uint64 `json:"seed,omitempty"`
	// KubernetesVersion is the version whose behaviour to follow (default 1.37, the newest).
	KubernetesVersion string `json:"kubernetesVersion,omitempty"`
	// Epoch is the wall-clock time of the start, RFC 3339 (default
	// 2025-01-01T00:00:00Z). Its sub-second part says where in its second the
	// first objects are created.
	Epoch string `json:"epoch,omitempty"`
	// Environment is what the cluster does that no manifest says.
	Environment EnvironmentDoc `json:"environment,omitempty"`
	// Behaviors say what containers do, keyed "pod/container", where the
	// manifest's command cannot say it.
	Behaviors map[string]BehaviorDoc `json:"behaviors,omitempty"`
	// Actions happen at given times.
	Actions []ActionDoc `json:"actions,omitempty"`
	// Expect are the checks `podsim test` makes.
	Expect []ExpectDoc `json:"expect,omitempty"`
	// Strict makes every assumption podsim would make (an unknown image
	// taken to be a healthy server) and every manifest field it does not
	// simulate an error, as podsim run --strict does.
	Strict bool `json:"strict,omitempty"`
}

// EnvironmentDoc is the cluster's environment.
type EnvironmentDoc struct {
	Timing         TimingDoc           `json:"timing,omitempty"`
	Network        NetworkDoc          `json:"network,omitempty"`
	Images         map[string]ImageDoc `json:"images,omitempty"`
	Nodes          []NodeDoc           `json:"nodes,omitempty"`
	ResyncInterval *Duration           `json:"resyncInterval,omitempty"`
	// Kubelet is every kubelet's reservations and eviction settings.
	Kubelet *KubeletDoc `json:"kubelet,omitempty"`
}

// TimingDoc holds the durations of a real cluster's steps (sim.Timing).
type TimingDoc struct {
	Scheduling        *Duration `json:"scheduling,omitempty"`
	Watch             *Duration `json:"watch,omitempty"`
	SandboxCreate     *Duration `json:"sandboxCreate,omitempty"`
	SandboxStop       *Duration `json:"sandboxStop,omitempty"`
	ContainerCreate   *Duration `json:"containerCreate,omitempty"`
	ContainerStart    *Duration `json:"containerStart,omitempty"`
	VolumeTeardown    *Duration `json:"volumeTeardown,omitempty"`
	DefaultPull       *Duration `json:"defaultPull,omitempty"`
	RelistPhase       *Duration `json:"relistPhase,omitempty"`
	SyncTickPhase     *Duration `json:"syncTickPhase,omitempty"`
	HousekeepingPhase *Duration `json:"housekeepingPhase,omitempty"`
	// EvictionPhase places the eviction manager's 10 s loop.
	EvictionPhase *Duration `json:"evictionPhase,omitempty"`
}

// NetworkDoc is the pod network.
type NetworkDoc struct {
	Plugin  string `json:"plugin,omitempty"`
	PodCIDR string `json:"podCIDR,omitempty"`
}

// ImageDoc is what pulling and running an image does.
type ImageDoc struct {
	// Pulls are the durations of successive pulls; the last repeats.
	Pulls     []Duration `json:"pulls,omitempty"`
	SizeBytes int64      `json:"sizeBytes,omitempty"`
	// PullError makes pulls fail with this message; FailPulls limits the
	// failure to the first n pulls.
	PullError string `json:"pullError,omitempty"`
	FailPulls int    `json:"failPulls,omitempty"`
	// Commands are programs in the image, by path or command line, each a
	// shell script of the idioms podsim reads (for exec probes and hooks).
	Commands map[string]string `json:"commands,omitempty"`
	// Default replaces what podsim knows the image's default command does.
	Default *BehaviorDoc `json:"default,omitempty"`
	// PullTime, StartTime and ProbeLatency are drawn from distributions:
	// the duration of each pull (instead of Pulls), how long the
	// application takes to start at each start, how long each probe waits
	// for its answer (see distributions.go).
	PullTime     *DistributionDoc `json:"pullTime,omitempty"`
	StartTime    *DistributionDoc `json:"startTime,omitempty"`
	ProbeLatency *DistributionDoc `json:"probeLatency,omitempty"`
}

// NodeDoc adds to a node, or declares one when no Node manifest does.
type NodeDoc struct {
	Name string `json:"name"`
	// Images are present on the node from the start.
	Images []string `json:"images,omitempty"`
	// Capacity of a node declared here (default 4 CPU, 8Gi, 110 pods).
	Capacity corev1.ResourceList `json:"capacity,omitempty"`
	// ClockOffset is how far the node's clock is ahead of the control
	// plane's, e.g. "90s" or "-2s" (default 0): the times the kubelet
	// stamps are off by it, as kubectl then shows (seed 004's "<invalid> ago").
	ClockOffset *Duration `json:"clockOffset,omitempty"`
	// PIDMax, Inodes and SystemUsage describe the machine: pid_max, the
	// node filesystem's inodes, and what the operating system and daemons
	// use (memory, ephemeral-storage, pids).
	PIDMax      *int64              `json:"pidMax,omitempty"`
	Inodes      *int64              `json:"inodes,omitempty"`
	SystemUsage corev1.ResourceList `json:"systemUsage,omitempty"`
}

// KubeletDoc is the kubelet's configuration that podsim follows: its
// reservations and eviction fields, as a KubeletConfiguration file spells
// them.
type KubeletDoc struct {
	KubeReserved                     corev1.ResourceList `json:"kubeReserved,omitempty"`
	SystemReserved                   corev1.ResourceList `json:"systemReserved,omitempty"`
	EvictionHard                     map[string]string   `json:"evictionHard,omitempty"`
	EvictionSoft                     map[string]string   `json:"evictionSoft,omitempty"`
	EvictionSoftGracePeriod          map[string]string   `json:"evictionSoftGracePeriod,omitempty"`
	EvictionMinimumReclaim           map[string]string   `json:"evictionMinimumReclaim,omitempty"`
	EvictionMaxPodGracePeriod        *int64              `json:"evictionMaxPodGracePeriod,omitempty"`
	EvictionPressureTransitionPeriod *Duration           `json:"evictionPressureTransitionPeriod,omitempty"`
	// FeatureGates and CrashLoopBackOff are KEP-4603's settings: the
	// ReduceDefaultCrashLoopBackOffDecay and KubeletCrashLoopBackOffMax
	// gates and crashLoopBackOff.maxContainerRestartPeriod.
	FeatureGates     map[string]bool      `json:"featureGates,omitempty"`
	CrashLoopBackOff *CrashLoopBackOffDoc `json:"crashLoopBackOff,omitempty"`
}

// CrashLoopBackOffDoc is the kubelet configuration's crashLoopBackOff.
type CrashLoopBackOffDoc struct {
	MaxContainerRestartPeriod *Duration `json:"maxContainerRestartPeriod,omitempty"`
}

// BehaviorDoc says what a container's process does: a shell script of the
// idioms podsim reads, or a list of steps; how it takes its stop signal;
// which userland its commands come from; files it has; programs in it.
type BehaviorDoc struct {
	Script   string            `json:"script,omitempty"`
	Steps    []StepDoc         `json:"steps,omitempty"`
	Stop     *StopDoc          `json:"stop,omitempty"`
	Userland string            `json:"userland,omitempty"`
	Files    []string          `json:"files,omitempty"`
	Commands map[string]string `json:"commands,omitempty"`
}

// StopDoc is how the process takes SIGTERM: ignore it (a shell as PID 1),
// die of it (exit 143), or exit with exitCode after a while.
type StopDoc struct {
	Action   string    `json:"action"`
	After    *Duration `json:"after,omitempty"`
	ExitCode int       `json:"exitCode,omitempty"`
}

// StepDoc is one step of a behaviour; exactly one field is set.
type StepDoc struct {
	Sleep     *Duration       `json:"sleep,omitempty"`
	Touch     string          `json:"touch,omitempty"`
	Remove    string          `json:"remove,omitempty"`
	Write     *WriteDoc       `json:"write,omitempty"`
	Exit      *int            `json:"exit,omitempty"`
	Listen    int             `json:"listen,omitempty"`
	ClosePort int             `json:"closePort,omitempty"`
	ServeHTTP *ServeHTTPDoc   `json:"serveHTTP,omitempty"`
	ServeGRPC *ServeGRPCDoc   `json:"serveGRPC,omitempty"`
	Memory    *resourceAmount `json:"memory,omitempty"`
	Disk      *DiskDoc        `json:"disk,omitempty"`
	Processes *int64          `json:"processes,omitempty"`
	Run       string          `json:"run,omitempty"`
	Forever   []StepDoc       `json:"forever,omitempty"`
	Until     *LoopDoc        `json:"until,omitempty"`
	While     *LoopDoc        `json:"while,omitempty"`
}

// resourceAmount is a Kubernetes quantity ("256Mi").
type resourceAmount = resource.Quantity

// WriteDoc writes a file.
type WriteDoc struct {
	Path    string `json:"path"`
	Content string `json:"content,omitempty"`
}

// ServeHTTPDoc makes the server on port answer path with status; with a
// location, a redirect (status 3xx) to it.
type ServeHTTPDoc struct {
	Port     int    `json:"port"`
	Path     string `json:"path,omitempty"`
	Status   int    `json:"status"`
	Location string `json:"location,omitempty"`
}

// ServeGRPCDoc sets the gRPC health answer of service on port.
type ServeGRPCDoc struct {
	Port    int    `json:"port"`
	Service string `json:"service,omitempty"`
	Status  string `json:"status"`
}

// DiskDoc sets what the process has written under path.
type DiskDoc struct {
	Path  string            `json:"path"`
	Bytes resource.Quantity `json:"bytes"`
}

// LoopDoc repeats steps until (or while) a command succeeds.
type LoopDoc struct {
	Run   string    `json:"run"`
	Steps []StepDoc `json:"steps"`
}

// ActionDoc is something that happens at a time; exactly one kind is set.
type ActionDoc struct {
	At Duration `json:"at"`
	// Create creates the object written here (any kind a scenario may hold).
	Create json.RawMessage `json:"create,omitempty"`
	// Apply updates an object as kubectl apply of the manifest written
	// here does: a Pod that exists (images, activeDeadlineSeconds,
	// tolerations, labels, annotations), or a workload, created if absent.
	Apply json.RawMessage `json:"apply,omitempty"`
	// Delete deletes an object, as kubectl delete does.
	Delete *DeleteDoc `json:"delete,omitempty"`
	// SetCondition sets a pod condition the kubelet does not own.
	SetCondition *SetConditionDoc `json:"setCondition,omitempty"`
	// Container acts inside a running container.
	Container *ContainerActionDoc `json:"container,omitempty"`
	// Drain runs kubectl drain on a node.
	Drain *DrainDoc `json:"drain,omitempty"`
	// Node applies a fault to a node or runs a kubectl node command
	// (node_actions.go).
	Node *NodeActionDoc `json:"node,omitempty"`
}

// DeleteDoc names what to delete and how.
type DeleteDoc struct {
	Kind               string `json:"kind,omitempty"`
	Namespace          string `json:"namespace,omitempty"`
	Name               string `json:"name"`
	GracePeriodSeconds *int64 `json:"gracePeriodSeconds,omitempty"`
	Force              bool   `json:"force,omitempty"`
}

// SetConditionDoc sets a condition of a pod.
type SetConditionDoc struct {
	Namespace string                 `json:"namespace,omitempty"`
	Pod       string                 `json:"pod"`
	Type      string                 `json:"type"`
	Status    corev1.ConditionStatus `json:"status"`
	Reason    string                 `json:"reason,omitempty"`
	Message   string                 `json:"message,omitempty"`
}

// ContainerActionDoc acts inside a running container, to show what a
// probe then sees.
type ContainerActionDoc struct {
	Namespace  string `json:"namespace,omitempty"`
	Pod        string `json:"pod"`
	Container  string `json:"container"`
	CreateFile string `json:"createFile,omitempty"`
	RemoveFile string `json:"removeFile,omitempty"`
	OpenPort   int    `json:"openPort,omitempty"`
	ClosePort  int    `json:"closePort,omitempty"`
}

// ExpectDoc is a check: the state of a pod at a time, or the whole watch.
type ExpectDoc struct {
	At        *Duration       `json:"at,omitempty"`
	Namespace string          `json:"namespace,omitempty"`
	Pod       string          `json:"pod,omitempty"`
	Gone      *bool           `json:"gone,omitempty"`
	Phase     corev1.PodPhase `json:"phase,omitempty"`
	Status    string          `json:"status,omitempty"`
	Ready     string          `json:"ready,omitempty"`
	// ReadinessGates is the -o wide column, e.g. "0/1".
	ReadinessGates string                     `json:"readinessGates,omitempty"`
	Restarts       *int32                     `json:"restarts,omitempty"`
	Conditions     map[string]ConditionExpect `json:"conditions,omitempty"`
	Containers     map[string]ContainerExpect `json:"containers,omitempty"`
	Events         []EventExpect              `json:"events,omitempty"`
	// Reason and Message are the pod's status.reason and status.message,
	// compared byte for byte (an eviction's message ends in a space).
	Reason  *string `json:"reason,omitempty"`
	Message *string `json:"message,omitempty"`
	// Node checks a node: its conditions (NodeConditions) and its taints
	// (Taints, each "key:Effect" or "key=value:Effect", in the node's order).
	Node           string                     `json:"node,omitempty"`
	NodeConditions map[string]ConditionExpect `json:"nodeConditions,omitempty"`
	Taints         []string                   `json:"taints,omitempty"`
	// Deployment, ReplicaSet, StatefulSet, DaemonSet and Job check the
	// status of a workload of that kind: the counts and conditions
	// Workload gives.
	Deployment  string          `json:"deployment,omitempty"`
	ReplicaSet  string          `json:"replicaSet,omitempty"`
	StatefulSet string          `json:"statefulSet,omitempty"`
	DaemonSet   string          `json:"daemonSet,omitempty"`
	Job         string          `json:"job,omitempty"`
	Workload    *WorkloadExpect `json:"workload,omitempty"`
	// Service checks a Service's endpoints: how many are ready and not.
	Service           string `json:"service,omitempty"`
	ReadyEndpoints    *int   `json:"readyEndpoints,omitempty"`
	NotReadyEndpoints *int   `json:"notReadyEndpoints,omitempty"`
	// PodDisruptionBudget checks a budget's status: the counts Budget gives.
	PodDisruptionBudget string        `json:"podDisruptionBudget,omitempty"`
	Budget              *BudgetExpect `json:"budget,omitempty"`
	Watch               string        `json:"watch,omitempty"`
	// From is when the watch began, as a `kubectl get pods -w` typed then:
	// its first lines list the pods as they are at From (default 0s).
	From       *Duration `json:"from,omitempty"`
	Wide       bool      `json:"wide,omitempty"`
	ExactLines *int      `json:"exactLines,omitempty"`
	Tolerance  *Duration `json:"tolerance,omitempty"`
}

// ConditionExpect is the expected state of a pod condition.
type ConditionExpect struct {
	Status  corev1.ConditionStatus `json:"status"`
	Reason  *string                `json:"reason,omitempty"`
	Message *string                `json:"message,omitempty"`
}

// ContainerExpect is the expected state of a container.
type ContainerExpect struct {
	State        string  `json:"state,omitempty"` // waiting, running or terminated
	Reason       *string `json:"reason,omitempty"`
	Message      *string `json:"message,omitempty"`
	ExitCode     *int32  `json:"exitCode,omitempty"`
	Ready        *bool   `json:"ready,omitempty"`
	Started      *bool   `json:"started,omitempty"`
	RestartCount *int32  `json:"restartCount,omitempty"`
	LastState    string  `json:"lastState,omitempty"`
	LastReason   *string `json:"lastReason,omitempty"`
	LastExitCode *int32  `json:"lastExitCode,omitempty"`
}

// EventExpect is an expected event of the pod: its reason, and its message
// and count when given.
type EventExpect struct {
	Type    string  `json:"type,omitempty"`
	Reason  string  `json:"reason"`
	Message *string `json:"message,omitempty"`
	Count   *int32  `json:"count,omitempty"`
}

// runtimeObject is what sim.Cluster.Create takes.
type runtimeObject = interface {
	GetObjectKind() schema.ObjectKind
	DeepCopyObject() runtime.Object
}
