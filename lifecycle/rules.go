package lifecycle

// Rules selects the pod-level behaviours that changed between Kubernetes
// versions: the kubectl pod printer, the kubelet's getPhase and the
// kubelet-owned pod conditions. The zero value is Kubernetes 1.25.
//
// Each field names the release that introduced the behaviour. Where the
// research behind podsim could only bracket a change, the field says so;
// RulesFor uses the stated version.
type Rules struct {
	// SidecarContainers: init containers with restartPolicy Always are
	// restartable ("sidecars"). printPod counts them in READY and RESTARTS,
	// getPhase treats them as long-running, and the Initialized and
	// ContainersReady conditions judge them by Started and Ready. The kubelet
	// also passes init and regular statuses together to all three condition
	// generators, and Initialized becomes True as soon as a regular container
	// has run. Alpha in 1.28, beta and on by default in 1.29, GA in 1.33.
	SidecarContainers bool

	// PodIsTerminalPhase: getPhase has the podIsTerminal argument. A
	// non-static pod the kubelet has decided is terminal, whose containers
	// have all stopped, becomes Succeeded or Failed whatever its restart
	// policy (PR #115331, 1.27).
	PodIsTerminalPhase bool

	// PhaseInitPendingYieldsToStarted: getPhase counts pending regular init
	// containers and pending sidecars together and ignores them once any
	// regular container has started (HasAnyRegularContainerStarted). From
	// 1.31 only pending sidecars are ignored that way; a pending regular init
	// container keeps the pod Pending again. 1.29–1.30 (the research quotes
	// this form from a ≈1.29–1.30 kubelet_pods.go).
	PhaseInitPendingYieldsToStarted bool

	// PodHasInitializedArg: getPhase takes podHasInitialized from its caller,
	// who reads the runtime's records of the current sandbox
	// (HasAnyActiveRegularContainerStarted), instead of deriving it from the
	// API statuses (HasAnyRegularContainerStarted). 1.32.
	PodHasInitializedArg bool

	// ReadyToStartContainersCondition: the kubelet generates the
	// PodReadyToStartContainers condition (gate PodReadyToStartContainersCondition,
	// beta and on by default in 1.29). In 1.25–1.27 the same condition was
	// called PodHasNetwork and sat behind an alpha gate, off by default.
	ReadyToStartContainersCondition bool

	// SchedulingGated: printPod shows STATUS SchedulingGated for a pod whose
	// PodScheduled condition has reason SchedulingGated (1.26).
	SchedulingGated bool

	// PrintWhenInitialized: printPod walks the regular containers also when
	// an init container looks unfinished but the Initialized condition is
	// True, and RESTARTS then counts sidecar and regular containers only —
	// plain init containers' restarts and termination times are dropped.
	// Before, RESTARTS kept the latest init-container termination time for
	// its "(X ago)". Arrived with the printer's sidecar support, taken as
	// 1.28 (every printers.go copy seen has both or neither).
	PrintWhenInitialized bool

	// PrintRestartsAgoOnlyNonZero: RESTARTS gets its " (X ago)" suffix only
	// when the count is not zero. Before, a pod whose init container had
	// restarted showed e.g. "0 (5m ago)". Between 1.26 and 1.28; taken as
	// 1.28 (every printers.go copy seen with sidecar support has it, every
	// copy without does not).
	PrintRestartsAgoOnlyNonZero bool

	// PrintTerminatingOnlyNonTerminal: a pod with a deletionTimestamp shows
	// Terminating only while its phase is neither Succeeded nor Failed; a
	// deleted pod that has finished shows Completed, Error, … (PR #122038,
	// 1.31).
	PrintTerminatingOnlyNonTerminal bool
}

// RulesFor returns the rules of Kubernetes 1.<minor> with default feature
// gates. Minors before 25 get the 1.25 rules; minors after 33 the 1.33 rules.
func RulesFor(minor int) Rules {
	return Rules{
		SidecarContainers:               minor >= 29,
		PodIsTerminalPhase:              minor >= 27,
		PhaseInitPendingYieldsToStarted: minor >= 29 && minor <= 30,
		PodHasInitializedArg:            minor >= 32,
		ReadyToStartContainersCondition: minor >= 29,
		SchedulingGated:                 minor >= 26,
		PrintWhenInitialized:            minor >= 28,
		PrintRestartsAgoOnlyNonZero:     minor >= 28,
		PrintTerminatingOnlyNonTerminal: minor >= 31,
	}
}
