package profile

// APIFields are the API server's feature gates that decide whether a pod
// field exists in a version (GateAbsent: the version's API types do not
// have it, so a manifest with it is refused as a strict decoding error),
// is dropped on create because its gate is off by default (GateOff: the
// API server's dropDisabledFields, pkg/api/pod/util.go, removes it
// silently; podsim drops it too and says so), or is kept (GateOn). Each
// field is named after its gate (pkg/features/kube_features.go); the rows
// of Changes give the versions, and apiserver/version_fields.go the field
// paths.
type APIFields struct {
	// UserNamespacesSupport: spec.hostUsers (alpha 1.25, beta 1.30 off,
	// on 1.33).
	UserNamespacesSupport Gate
	// NodeInclusionPolicyInPodTopologySpread: topologySpreadConstraints'
	// nodeAffinityPolicy and nodeTaintsPolicy (alpha 1.25, beta 1.26).
	NodeInclusionPolicyInPodTopologySpread Gate
	// MatchLabelKeysInPodTopologySpread: topologySpreadConstraints'
	// matchLabelKeys (alpha 1.25, beta 1.27).
	MatchLabelKeysInPodTopologySpread Gate
	// InPlacePodVerticalScaling: containers' resizePolicy (alpha 1.27,
	// beta 1.33, GA 1.35).
	InPlacePodVerticalScaling Gate
	// RecursiveReadOnlyMounts: volumeMounts' recursiveReadOnly (alpha
	// 1.30, beta 1.31, GA 1.33).
	RecursiveReadOnlyMounts Gate
	// SupplementalGroupsPolicy: spec.securityContext.supplementalGroupsPolicy
	// (alpha 1.31, beta 1.33).
	SupplementalGroupsPolicy Gate
	// ImageVolume: volumes' image source (alpha 1.31, beta off 1.33, on
	// 1.35).
	ImageVolume Gate
	// PodLevelResources: spec.resources (alpha 1.32, beta 1.34).
	PodLevelResources Gate
	// ContainerStopSignals: containers' lifecycle.stopSignal (KEP-4960,
	// alpha 1.33; still alpha in 1.36).
	ContainerStopSignals Gate
	// ContainerRestartRules: a regular container's restartPolicy and
	// restartPolicyRules (KEP-5307, alpha 1.34, beta 1.35).
	ContainerRestartRules Gate
	// HostnameOverride: spec.hostnameOverride (alpha 1.34, beta 1.35).
	HostnameOverride Gate
	// EnvFiles: env[].valueFrom.fileKeyRef (alpha 1.34, beta 1.35).
	EnvFiles Gate
}

// gate is a row for a feature gate: absent before exists, off from it, on
// from on (0: never on within the supported versions).
func gate(exists, on int, field, behaviour, where string) Change {
	steps := []Step{{FirstMinor, GateAbsent}, {exists, GateOff}}
	if exists <= FirstMinor {
		steps = []Step{{FirstMinor, GateOff}}
	}
	if on > 0 {
		steps = append(steps, Step{on, GateOn})
	}
	return Change{Field: field, Behaviour: behaviour, Where: where, Steps: steps}
}

// apiFieldChanges are the rows of APIFields.
var apiFieldChanges = []Change{
	gate(25, 33, "APIFields.UserNamespacesSupport", "`spec.hostUsers`", "UserNamespacesSupport: alpha 1.25, beta (off) 1.30, on 1.33"),
	gate(25, 26, "APIFields.NodeInclusionPolicyInPodTopologySpread", "`topologySpreadConstraints[].nodeAffinityPolicy`, `nodeTaintsPolicy`", "NodeInclusionPolicyInPodTopologySpread: alpha 1.25, beta 1.26"),
	gate(25, 27, "APIFields.MatchLabelKeysInPodTopologySpread", "`topologySpreadConstraints[].matchLabelKeys`", "MatchLabelKeysInPodTopologySpread: alpha 1.25, beta 1.27"),
	gate(27, 33, "APIFields.InPlacePodVerticalScaling", "containers' `resizePolicy`", "InPlacePodVerticalScaling: alpha 1.27, beta 1.33, GA 1.35"),
	gate(30, 31, "APIFields.RecursiveReadOnlyMounts", "`volumeMounts[].recursiveReadOnly`", "RecursiveReadOnlyMounts: alpha 1.30, beta 1.31, GA 1.33"),
	gate(31, 33, "APIFields.SupplementalGroupsPolicy", "`spec.securityContext.supplementalGroupsPolicy`", "SupplementalGroupsPolicy: alpha 1.31, beta 1.33"),
	gate(31, 35, "APIFields.ImageVolume", "`volumes[].image`", "ImageVolume: alpha 1.31, beta (off) 1.33, on 1.35"),
	gate(32, 34, "APIFields.PodLevelResources", "pod-level `spec.resources`", "PodLevelResources: alpha 1.32, beta 1.34"),
	gate(33, 0, "APIFields.ContainerStopSignals", "containers' `lifecycle.stopSignal`", "ContainerStopSignals (KEP-4960): alpha 1.33, alpha again in 1.36"),
	gate(34, 35, "APIFields.ContainerRestartRules", "a regular container's `restartPolicy` and `restartPolicyRules`", "ContainerRestartRules (KEP-5307): alpha 1.34, beta 1.35"),
	gate(34, 35, "APIFields.HostnameOverride", "`spec.hostnameOverride`", "HostnameOverride: alpha 1.34, beta 1.35"),
	gate(34, 35, "APIFields.EnvFiles", "`env[].valueFrom.fileKeyRef`", "EnvFiles: alpha 1.34, beta 1.35"),
}

func init() { Changes = append(Changes, apiFieldChanges...) }
