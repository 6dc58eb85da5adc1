// Package profile holds what differs between the Kubernetes versions podsim
// follows. A [Profile] is a set of switches and settings, each naming the
// Kubernetes change that introduced it; every component of a simulated
// cluster (the API server's defaults and validation, the kubelet, the
// controllers, kubectl's printers through package lifecycle) reads the one
// profile of its run, so a run follows one version throughout.
//
// The versions are 1.25 to 1.37. What differs between them is one table,
// [Changes]: a row per behaviour, naming its switch (a field of Profile or
// of one of its parts), the release that changed it and its value from
// each release on. [For] builds a version's profile by giving every switch
// its row's value at that version, so adding a version, or a behaviour,
// is one row, not a struct per version; [ChangesIn] lists what a version
// changes, and [Markdown] writes the tables of docs/versions.md.
//
// A new switch needs a row: TestEveryFieldHasARow fails until it has one,
// and TestDocsVersionsUpToDate until docs/versions.md shows it
// (go test ./profile -update).
package profile

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/podsim/podsim/eviction"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/probe"
)

// Supported are the Kubernetes minor versions podsim can follow, 1.25 to
// 1.37 (the newest the module's k8s.io/api has). 1.25 is the version the
// seed observations were recorded on.
var Supported = supported()

func supported() []string {
	var out []string
	for m := FirstMinor; m <= LastMinor; m++ {
		out = append(out, fmt.Sprintf("1.%d", m))
	}
	return out
}

// Default is the version a simulation follows unless told otherwise.
const Default = "1.37"

// Profile is the set of kubelet and control-plane behaviours that differ
// between the supported Kubernetes versions. Every field says which version
// changed it and where; see docs/versions.md for the whole table.
type Profile struct {
	// Version is "1.<Minor>".
	Version string
	Minor   int

	// Lifecycle, Probe and Eviction are the rules of the pure policy
	// packages.
	Lifecycle lifecycle.Rules
	Probe     probe.Rules
	Eviction  eviction.Rules

	// CreatedEventColon: the Created event reads "Created container: c"
	// (1.33, PR #130471; kuberuntime_container.go) instead of
	// "Created container c".
	CreatedEventColon bool
	// BackOffEventNamesContainer: the crash-loop BackOff event reads
	// "Back-off restarting failed container c in pod p_ns(uid)" (PR #113216,
	// 1.26) instead of "Back-off restarting failed container".
	BackOffEventNamesContainer bool
	// PulledIncludingWaiting: the Pulled event adds " (%v including
	// waiting)" (PR #111772, 1.26).
	PulledIncludingWaiting bool
	// PulledImageSize: the Pulled event adds ". Image size: %v bytes."
	// (1.30, with the image-size pull metric).
	PulledImageSize bool
	// GenericHookFailureEvents: FailedPostStartHook and FailedPreStopHook
	// events read "PostStartHook failed" / "PreStopHook failed" (1.26, issue
	// #119541) instead of the handler's own error text.
	GenericHookFailureEvents bool
	// GraceOverrideBeforePreStop: killContainer applies a grace-period
	// override before running preStop and deducts the hook's time from it
	// (fix for issue #117798, about 1.28). Before, the override replaced the
	// remaining grace after preStop, so a deleted pod's containers got
	// preStop time plus the full grace period.
	GraceOverrideBeforePreStop bool
	// TerminalPhaseOnTermination: the kubelet writes a terminal phase
	// (Succeeded/Failed) for a deleted pod before the API object is removed
	// (1.27; kubelet.go SyncTerminatingPod, status_manager.go TerminatePod).
	TerminalPhaseOnTermination bool
	// CrashLoopResetAfter replaces the back-off expiry rule "2 × max" with a
	// fixed duration (1.32, kubelet.go HasExpiredFunc = 600 s).
	CrashLoopResetAfter time.Duration
	// SidecarContainers: init containers with restartPolicy Always run as
	// sidecars (beta and on in 1.29, GA 1.33).
	SidecarContainers bool
	// SleepAction: lifecycle hooks may use sleep (PodLifecycleSleepAction,
	// beta and on in 1.30).
	SleepAction bool
	// SleepActionAllowZero: a sleep hook may sleep 0 s
	// (PodLifecycleSleepActionAllowZero, KEP-4818: alpha 1.32, beta and on
	// in 1.33).
	SleepActionAllowZero bool
	// ProbeInitContainers: restartable init containers get probe workers
	// (1.28).
	ProbeInitContainers bool
	// EventReportingController: events carry reportingController and
	// reportingInstance (PR #116506, 1.28).
	EventReportingController bool
	// DeletionTimestampNotInPast: shortening a deletion's grace period never
	// moves deletionTimestamp into the past (PR #122646, 1.33).
	DeletionTimestampNotInPast bool
	// OOMKillsWholeContainer: the kubelet sets memory.oom.group on a
	// container's cgroup (cgroup v2, PR #117793, 1.28), so an OOM kill takes
	// every process of the container; before, the kernel killed the one
	// process using the most memory. podsim's nodes run cgroup v2.
	OOMKillsWholeContainer bool
	// ContainerEventsWithoutName: the Created and Started events read
	// "Container created" and "Container started", the container being
	// named by the event's involvedObject.fieldPath (PR #134043, 1.35).
	ContainerEventsWithoutName bool
	// PulledPresentAccessible: the Pulled event of an image already on the
	// node reads "… already present on machine and can be accessed by the
	// pod" (KubeletEnsureSecretPulledImages, beta and on in 1.35).
	PulledPresentAccessible bool
	// ObservedGeneration: the kubelet writes status.observedGeneration and
	// the observedGeneration of the conditions it owns, the pod's
	// metadata.generation (PodObservedGenerationTracking, beta and on in
	// 1.34, GA 1.35).
	ObservedGeneration bool
	// CrashLoopRetryAtExpiry: a start refused by the crash-loop back-off
	// carries the back-off's expiry, and the pod worker retries the pod
	// then (capped at the resync interval, with its 0.5 jitter) instead of
	// after its 10–15 s error back-off (PR #133066, 1.35; pod_workers.go
	// completeWork, container/sync_result.go BackoffError).
	CrashLoopRetryAtExpiry bool
	// Gates are the kubelet feature gates a scenario may set
	// (environment.kubelet.featureGates), with their defaults per version.
	Gates Gates
	// APIFields say which pod fields the version's API server has, drops or
	// keeps (api_fields.go).
	APIFields APIFields
	// NodeMonitorGracePeriod is kube-controller-manager's
	// --node-monitor-grace-period default (50 s since 1.32, PR #126287).
	NodeMonitorGracePeriod time.Duration
	// Workloads are the workload controllers' differences (workloads.go).
	Workloads Workloads
	// Disruption is what differs in scheduling, preemption, the Eviction
	// API and PodDisruptionBudgets.
	Disruption Disruption
}

// For returns the profile of a supported version such as "1.25" or "v1.33";
// "" means Default.
func For(version string) (*Profile, error) {
	p, err := fromFunctions(version)
	if err != nil {
		return nil, err
	}
	if err := apply(p, p.Minor); err != nil {
		return nil, err
	}
	return p, nil
}

// fromFunctions is the profile the package functions (lifecycle.RulesFor,
// workloadsFor, …) give, before the rows of Changes are applied; a test
// checks that the two agree, so neither can drift.
func fromFunctions(version string) (*Profile, error) {
	v := strings.TrimPrefix(version, "v")
	if v == "" {
		v = Default
	}
	major, minorText, ok := strings.Cut(v, ".")
	minor, err := strconv.Atoi(minorText)
	if !ok || major != "1" || err != nil {
		return nil, fmt.Errorf("kubernetes version %q: want 1.<minor>, one of %s", version, strings.Join(Supported, ", "))
	}
	supported := false
	for _, s := range Supported {
		supported = supported || s == v
	}
	if !supported {
		return nil, fmt.Errorf("kubernetes version %q is not supported: podsim follows %s", version, strings.Join(Supported, ", "))
	}
	p := &Profile{
		Version:                    v,
		Minor:                      minor,
		Lifecycle:                  lifecycle.RulesFor(minor),
		Probe:                      probe.RulesFor(minor),
		Eviction:                   eviction.RulesFor(minor),
		CreatedEventColon:          minor >= 33,
		BackOffEventNamesContainer: minor >= 26,
		PulledIncludingWaiting:     minor >= 26,
		PulledImageSize:            minor >= 30,
		GenericHookFailureEvents:   minor >= 26,
		GraceOverrideBeforePreStop: minor >= 28,
		TerminalPhaseOnTermination: minor >= 27,
		SidecarContainers:          minor >= 29,
		SleepAction:                minor >= 30,
		SleepActionAllowZero:       minor >= 33,
		ProbeInitContainers:        minor >= 28,
		EventReportingController:   minor >= 28,
		DeletionTimestampNotInPast: minor >= 33,
		OOMKillsWholeContainer:     minor >= 28,
		NodeMonitorGracePeriod:     40 * time.Second,
		Workloads:                  workloadsFor(minor),
		Disruption:                 disruptionFor(minor),
	}
	if minor >= 32 {
		p.CrashLoopResetAfter = 600 * time.Second
		p.NodeMonitorGracePeriod = 50 * time.Second
	}
	return p, nil
}
