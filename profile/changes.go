package profile

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"
)

// A Change is one row of docs/versions.md: a behaviour that changed in some
// release, the profile switch that follows it, and the switch's value in
// every supported version. The profile of a version is made by applying
// every row of Changes at that version (For), so a version gets the right
// value of every row from this one table, never from a hand-copied struct.
type Change struct {
	// Field is the path of the switch in Profile: "CreatedEventColon",
	// "Lifecycle.SidecarContainers", "Disruption.SchedulingGates".
	Field string
	// Behaviour says in a few words what the switch changes.
	Behaviour string
	// Steps are the switch's values over the versions, oldest first: the
	// first step starts at the oldest supported minor (25), each later one
	// at its Since and holds until the next.
	Steps []Step
	// Where names the Kubernetes change: release, PR, KEP, feature gate.
	Where string
	// NotSimulated says the row is documented and switched but nothing in
	// a run depends on it yet; docs/versions.md marks it so.
	NotSimulated bool
}

// A Step is the value a switch has from the minor version Since on.
type Step struct {
	Since int
	Value any
}

// ValueAt is the row's value in Kubernetes 1.minor.
func (c Change) ValueAt(minor int) any {
	v := c.Steps[0].Value
	for _, s := range c.Steps {
		if minor >= s.Since {
			v = s.Value
		}
	}
	return v
}

// FirstMinor and LastMinor bound the supported versions.
const (
	FirstMinor = 25
	LastMinor  = 37
)

// since is a boolean switch off before minor and on from it.
func since(minor int, field, behaviour, where string) Change {
	return Change{Field: field, Behaviour: behaviour, Where: where,
		Steps: []Step{{FirstMinor, false}, {minor, true}}}
}

// between is a boolean switch on from first to last inclusive.
func between(first, last int, field, behaviour, where string) Change {
	steps := []Step{{FirstMinor, false}, {first, true}, {last + 1, false}}
	if first <= FirstMinor {
		steps = steps[1:]
		steps[0].Since = FirstMinor
	}
	return Change{Field: field, Behaviour: behaviour, Where: where, Steps: steps}
}

// values is a switch that takes each value from its minor on.
func values(field, behaviour, where string, steps ...Step) Change {
	return Change{Field: field, Behaviour: behaviour, Where: where, Steps: steps}
}

// Changes are every behaviour that differs between the supported versions,
// in the order docs/versions.md lists them. Rows of other files
// (changes_*.go) are appended by their init functions.
var Changes = []Change{
	// Kubelet and control plane.
	since(33, "CreatedEventColon", "`Created` event reads `Created container: c` (before: `Created container c`)", "PR #130471"),
	since(26, "BackOffEventNamesContainer", "crash-loop `BackOff` event reads `Back-off restarting failed container c in pod p_ns(uid)` (before: `Back-off restarting failed container`)", "PR #113216"),
	since(26, "PulledIncludingWaiting", "`Pulled` event adds ` (1.3s including waiting)`", "PR #111772"),
	since(30, "PulledImageSize", "`Pulled` event adds `. Image size: N bytes.`", "1.30, the image-size pull metric"),
	since(26, "GenericHookFailureEvents", "postStart/preStop failure events read `PostStartHook failed` / `PreStopHook failed` (before: the handler's error text)", "issue #119541"),
	since(28, "GraceOverrideBeforePreStop", "a grace-period override is applied before preStop and the hook's time deducted (before: preStop time plus the full grace period)", "≈1.28, issue #117798"),
	since(27, "TerminalPhaseOnTermination", "a deleted pod gets Succeeded/Failed before removal (kubectl shows `Error`/`Completed`)", "1.27, kubelet.go SyncTerminatingPod"),
	values("CrashLoopResetAfter", "crash-loop back-off reset: 0 = after 2 × max (600 s); else a fixed duration (`HasExpiredFunc`)", "1.32, kubelet.go",
		Step{FirstMinor, time.Duration(0)}, Step{32, 600 * time.Second}),
	since(29, "SidecarContainers", "init containers with `restartPolicy: Always` run as sidecars (before: refused by validation)", "SidecarContainers beta 1.29, GA 1.33"),
	since(30, "SleepAction", "lifecycle hooks may `sleep` (before: refused by validation)", "PodLifecycleSleepAction beta 1.30"),
	since(33, "SleepActionAllowZero", "a `sleep` hook may sleep 0 s", "PodLifecycleSleepActionAllowZero beta 1.33, KEP-4818"),
	since(28, "ProbeInitContainers", "sidecars get probe workers", "1.28"),
	since(28, "EventReportingController", "events carry `reportingController` and `reportingInstance`", "PR #116506"),
	since(33, "DeletionTimestampNotInPast", "shortening a deletion never moves `deletionTimestamp` into the past", "PR #122646"),
	since(28, "OOMKillsWholeContainer", "an OOM kill takes every process of the container (cgroup v2 `memory.oom.group`)", "PR #117793"),
	since(34, "ObservedGeneration", "the kubelet writes `status.observedGeneration` and its conditions' `observedGeneration` (the scheduler's and API server's conditions: not simulated)", "PodObservedGenerationTracking: alpha 1.33, beta 1.34, GA 1.35"),
	since(35, "ContainerEventsWithoutName", "`Created` and `Started` events read `Container created` and `Container started` (the container is named by the event's fieldPath)", "PR #134043"),
	since(35, "PulledPresentAccessible", "`Pulled` event of an image already on the node reads `Container image \"x\" already present on machine and can be accessed by the pod`", "KubeletEnsureSecretPulledImages: alpha 1.33, beta 1.35"),
	since(35, "CrashLoopRetryAtExpiry", "a pod whose start is refused by crash-loop back-off is retried when the back-off ends (before: after the pod worker's 10–15 s error back-off, so a restart came up to 15 s late)", "PR #133066"),
	values("Gates.KubeletCrashLoopBackOffMax", "kubelet gate: `crashLoopBackOff.maxContainerRestartPeriod` (1 s–300 s) caps the crash-loop back-off", "KEP-4603/KEP-5593: alpha 1.32, beta 1.35 (PR #135044)",
		Step{FirstMinor, GateAbsent}, Step{32, GateOff}, Step{35, GateOn}),
	values("Gates.ReduceDefaultCrashLoopBackOffDecay", "kubelet gate: crash-loop back-off 1 s doubling to 60 s (default: 10 s to 300 s)", "KEP-4603, PR #130711: alpha 1.33",
		Step{FirstMinor, GateAbsent}, Step{33, GateOff}),
	values("NodeMonitorGracePeriod", "kube-controller-manager's `--node-monitor-grace-period` default", "PR #126287",
		Step{FirstMinor, 40 * time.Second}, Step{32, 50 * time.Second}),

	// Workload controllers.
	since(26, "Workloads.ScalingEventFrom", "ScalingReplicaSet event of a resize says the old size, `… to 3 from 1`", "1.26, deployment/sync.go"),
	values("Workloads.JobMaxPodFailureBackOff", "cap of the Job controller's back-off before it replaces a failed pod", "1.28, job/backoff_utils.go",
		Step{FirstMinor, 6 * time.Minute}, Step{28, 10 * time.Minute}),
	since(26, "Workloads.JobTrackingFinalizer", "Job pods get the `batch.kubernetes.io/job-tracking` finalizer", "JobTrackingWithFinalizers, 1.26"),
	since(29, "Workloads.JobDelayTerminalCondition", "a finishing Job gets SuccessCriteriaMet/FailureTarget first, Complete/Failed once no pod terminates", "JobPodReplacementPolicy beta 1.29"),
	since(31, "Workloads.JobCompletionReason", "the Complete condition has reason `CompletionsReached`", "JobSuccessPolicy, 1.31"),
	since(28, "Workloads.PodIndexLabel", "StatefulSet pods get `apps.kubernetes.io/pod-index`", "PodIndexLabel beta 1.28"),
	since(27, "Workloads.DefaultPVCRetentionPolicy", "a StatefulSet's `persistentVolumeClaimRetentionPolicy` is defaulted (Retain, Retain)", "StatefulSetAutoDeletePVC beta 1.27"),
	since(29, "Workloads.DefaultPodReplacementPolicy", "a Job's `podReplacementPolicy` is defaulted (Failed with a pod failure policy, else TerminatingOrFailed)", "JobPodReplacementPolicy beta 1.29"),
	since(27, "Workloads.JobPrefixedLabels", "Job pods carry the `batch.kubernetes.io/` job-name and controller-uid labels", "1.27"),

	// Scheduling, preemption, the Eviction API, PodDisruptionBudgets.
	between(FirstMinor, 29, "Disruption.FitErrorDoublePeriod", "FailedScheduling message ends the preemption part with `..`", "fixed in 1.30, framework/types.go"),
	since(33, "Disruption.PopFromBackoffQ", "an idle scheduler pops a pod from the backoff queue at once", "SchedulerPopFromBackoffQ beta 1.33, KEP-5142"),
	since(29, "Disruption.PreemptedEventUID", "victim's `Preempted` event reads `Preempted by pod <uid> on node n`", "PR #119971"),
	since(26, "Disruption.PodDisruptionConditions", "the `DisruptionTarget` condition on a pod evicted by the Eviction API or preempted", "PodDisruptionConditions beta 1.26, GA 1.31"),
	since(29, "Disruption.TerminatingByPreemption", "a preemptor waits only for pods preempted by the scheduler on its nominated node", "1.29, default_preemption.go"),
	since(29, "Disruption.SeparateTaintEvictionController", "the taint eviction controller runs on its own, its events from `taint-eviction-controller` (before: the node lifecycle controller's taint manager, `taint-controller`)", "SeparateTaintEvictionController beta 1.29"),
	since(26, "Disruption.PodGCOutOfService", "pod GC force-deletes terminating pods on a not-Ready node with the `node.kubernetes.io/out-of-service` taint", "NodeOutOfServiceVolumeDetach beta 1.26, GA 1.28"),
	since(27, "Disruption.UnhealthyPodEvictionPolicy", "PDB `spec.unhealthyPodEvictionPolicy` (before: refused)", "PDBUnhealthyPodEvictionPolicy beta 1.27, GA 1.31"),
	since(28, "Disruption.EmptySelectorMatchesAll", "eviction: a PDB with an empty selector selects every pod of its namespace", "PR #119732 (1.29, cherry-picked to 1.28)"),
	since(27, "Disruption.SchedulingGates", "`spec.schedulingGates` (before: refused)", "PodSchedulingReadiness beta 1.27, GA 1.30"),

	// Pod rules (package lifecycle).
	since(29, "Lifecycle.SidecarContainers", "sidecars in READY, RESTARTS, phase and conditions", "1.29"),
	since(27, "Lifecycle.PodIsTerminalPhase", "getPhase: terminal phase for a terminating pod", "PR #115331"),
	between(29, 30, "Lifecycle.PhaseInitPendingYieldsToStarted", "getPhase ignores pending regular init containers once a regular container started", "1.29–1.30 kubelet_pods.go"),
	since(32, "Lifecycle.PodHasInitializedArg", "getPhase takes `podHasInitialized` from the runtime", "1.32"),
	since(29, "Lifecycle.ReadyToStartContainersCondition", "the `PodReadyToStartContainers` condition (before: the alpha `PodHasNetwork`, off)", "PodReadyToStartContainersCondition beta 1.29"),
	since(26, "Lifecycle.SchedulingGated", "kubectl shows STATUS `SchedulingGated`", "1.26"),
	since(28, "Lifecycle.PrintWhenInitialized", "kubectl walks regular containers once Initialized is True", "≈1.28, printers.go"),
	since(28, "Lifecycle.PrintRestartsAgoOnlyNonZero", "kubectl `(X ago)` only when restarts > 0", "≈1.28, printers.go"),
	since(31, "Lifecycle.PrintTerminatingOnlyNonTerminal", "kubectl `Terminating` only for non-terminal pods", "PR #122038"),

	// Probe workers (package probe).
	since(29, "Probe.TickerResetOnManualRun", "a manual readiness run restarts the period", "PR #119089"),
	since(29, "Probe.HoldOnAnyStartupResult", "a startup probe holds after reaching its success threshold", "≈1.29, issue #117153"),
	since(28, "Probe.ProbeInitContainers", "probe workers find sidecars among init container statuses", "1.28"),
	since(33, "Probe.ErroredEventWithState", "errored-probe event reads `… probe errored and resulted in unknown state: …`", "PR #125901"),

	// Node-pressure eviction (package eviction).
	since(26, "Eviction.ContainerMessageRequestIs", "eviction message: `request is r, has larger consumption of memory`", "PR #111597"),
	since(27, "Eviction.ThresholdInMessage", "eviction message says `Threshold quantity: q, available: a.`", "after 1.26, issue #130439; podsim takes 1.27"),
	since(31, "Eviction.InitContainersInMessage", "init containers and sidecars named in the eviction message", "PR #124947"),
	values("Eviction.ImmediateGracePeriodSeconds", "grace period of a hard or local-storage eviction (0 reads as unset: the pod's own)", "PR #124063",
		Step{FirstMinor, int64(0)}, Step{31, int64(1)}),
	since(31, "Eviction.SoftGraceCappedByPod", "soft eviction grace period capped by the pod's `terminationGracePeriodSeconds`", "≈1.31, eviction_manager.go"),
	since(26, "Eviction.DisruptionTarget", "`DisruptionTarget` condition on a node-pressure eviction", "PodDisruptionConditions beta 1.26"),
}

// apply sets every row's value at minor in p.
func apply(p *Profile, minor int) error {
	for _, c := range Changes {
		f, err := fieldOf(reflect.ValueOf(p).Elem(), c.Field)
		if err != nil {
			return err
		}
		v := reflect.ValueOf(c.ValueAt(minor))
		if !v.Type().AssignableTo(f.Type()) {
			return fmt.Errorf("profile row %s: value %v is a %s, the field a %s", c.Field, v, v.Type(), f.Type())
		}
		f.Set(v)
	}
	return nil
}

// fieldOf finds the field at a dotted path such as "Lifecycle.SidecarContainers".
func fieldOf(v reflect.Value, path string) (reflect.Value, error) {
	for _, name := range strings.Split(path, ".") {
		if v.Kind() != reflect.Struct {
			return reflect.Value{}, fmt.Errorf("profile row %s: %s is not a struct", path, v.Type())
		}
		f := v.FieldByName(name)
		if !f.IsValid() {
			return reflect.Value{}, fmt.Errorf("profile row %s: no field %s in %s", path, name, v.Type())
		}
		v = f
	}
	return v, nil
}

// LeafFields are the paths of every switch of Profile (every field that is
// not a struct of switches, Version and Minor aside), sorted. Every one
// needs a row in Changes.
func LeafFields() []string {
	var out []string
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || prefix == "" && (f.Name == "Version" || f.Name == "Minor") {
				continue
			}
			if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeFor[time.Duration]() {
				walk(f.Type, prefix+f.Name+".")
				continue
			}
			out = append(out, prefix+f.Name)
		}
	}
	walk(reflect.TypeFor[Profile](), "")
	sort.Strings(out)
	return out
}
