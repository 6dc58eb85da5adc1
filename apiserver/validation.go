package apiserver

import (
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/podsim/podsim/probe"
	"github.com/podsim/podsim/profile"
)

// ValidatePod checks a pod, after the API defaults (it defaults a copy), the
// way the API server of the profile's version would
// (pkg/apis/core/validation/validation.go), limited to the fields podsim
// gives meaning to. Errors carry the field path, e.g.
// spec.containers[0].livenessProbe.successThreshold.
func ValidatePod(pod *corev1.Pod, prof *profile.Profile) field.ErrorList {
	p := pod.DeepCopy()
	DefaultPod(p)
	dropDisabledFields(p, prof) // version_fields.go; CreatePod warns of each
	return validatePod(p, prof)
}

// validatePod checks a defaulted pod.
func validatePod(p *corev1.Pod, prof *profile.Profile) field.ErrorList {
	var errs field.ErrorList
	meta := field.NewPath("metadata")
	if p.Name == "" {
		errs = append(errs, field.Required(meta.Child("name"), "name or generateName is required"))
	} else {
		for _, msg := range validation.IsDNS1123Subdomain(p.Name) {
			errs = append(errs, field.Invalid(meta.Child("name"), p.Name, msg))
		}
	}
	spec := field.NewPath("spec")
	if len(p.Spec.Containers) == 0 {
		errs = append(errs, field.Required(spec.Child("containers"), ""))
	}
	switch p.Spec.RestartPolicy {
	case corev1.RestartPolicyAlways, corev1.RestartPolicyOnFailure, corev1.RestartPolicyNever:
	default:
		errs = append(errs, field.NotSupported(spec.Child("restartPolicy"), p.Spec.RestartPolicy,
			[]string{string(corev1.RestartPolicyAlways), string(corev1.RestartPolicyOnFailure), string(corev1.RestartPolicyNever)}))
	}
	// A negative terminationGracePeriodSeconds is stored as given, with a
	// warning (pkg/api/pod/warnings.go), and a delete treats it as 1
	// (strategy.go CheckGracefulDelete): see PodWarnings.
	names := map[string]bool{}
	for i := range p.Spec.InitContainers {
		errs = append(errs, validateContainer(&p.Spec.InitContainers[i], true, spec.Child("initContainers").Index(i), names, p.Spec.TerminationGracePeriodSeconds, prof)...)
	}
	for i := range p.Spec.Containers {
		errs = append(errs, validateContainer(&p.Spec.Containers[i], false, spec.Child("containers").Index(i), names, p.Spec.TerminationGracePeriodSeconds, prof)...)
	}
	errs = append(errs, validateSchedulingGates(p.Spec.SchedulingGates, spec.Child("schedulingGates"), prof)...)
	errs = append(errs, validateVersionedFields(p, prof)...)
	for i, g := range p.Spec.ReadinessGates {
		for _, msg := range validation.IsQualifiedName(string(g.ConditionType)) {
			errs = append(errs, field.Invalid(spec.Child("readinessGates").Index(i).Child("conditionType"), string(g.ConditionType), msg))
		}
	}
	return errs
}

func validateContainer(c *corev1.Container, isInit bool, path *field.Path, names map[string]bool, grace *int64, prof *profile.Profile) field.ErrorList {
	var errs field.ErrorList
	if c.Name == "" {
		errs = append(errs, field.Required(path.Child("name"), ""))
	} else {
		for _, msg := range validation.IsDNS1123Label(c.Name) {
			errs = append(errs, field.Invalid(path.Child("name"), c.Name, msg))
		}
		if names[c.Name] {
			errs = append(errs, field.Duplicate(path.Child("name"), c.Name))
		}
		names[c.Name] = true
	}
	if c.Image == "" {
		errs = append(errs, field.Required(path.Child("image"), ""))
	}
	errs = append(errs, validateContainerPorts(c.Ports, path.Child("ports"))...)
	// validatePullPolicy (pkg/apis/core/validation/validation.go), after
	// defaulting.
	switch c.ImagePullPolicy {
	case corev1.PullAlways, corev1.PullIfNotPresent, corev1.PullNever:
	default:
		errs = append(errs, field.NotSupported(path.Child("imagePullPolicy"), c.ImagePullPolicy,
			[]string{string(corev1.PullAlways), string(corev1.PullIfNotPresent), string(corev1.PullNever)}))
	}
	sidecar := false
	if c.RestartPolicy != nil {
		switch {
		case !isInit && prof.APIFields.ContainerRestartRules == profile.GateOn:
			// Kubernetes 1.35+ accepts it (ContainerRestartRules, KEP-5307);
			// podsim does not simulate a container's own restart policy.
			errs = append(errs, field.Forbidden(path.Child("restartPolicy"), "a regular container's own restart policy (ContainerRestartRules, Kubernetes "+prof.Version+") is not simulated by podsim"))
		case !isInit:
			errs = append(errs, field.Forbidden(path.Child("restartPolicy"), "may not be set for non-init containers"))
		case !prof.SidecarContainers:
			errs = append(errs, field.Forbidden(path.Child("restartPolicy"), "restartable init containers (sidecars) need Kubernetes 1.29 or later; this cluster follows "+prof.Version))
		case *c.RestartPolicy != corev1.ContainerRestartPolicyAlways:
			errs = append(errs, field.NotSupported(path.Child("restartPolicy"), *c.RestartPolicy, []string{string(corev1.ContainerRestartPolicyAlways)}))
		default:
			sidecar = true
		}
	}
	probes := []struct {
		p    *corev1.Probe
		kind probe.Kind
	}{{c.LivenessProbe, probe.Liveness}, {c.ReadinessProbe, probe.Readiness}, {c.StartupProbe, probe.Startup}}
	for _, pr := range probes {
		if pr.p == nil {
			continue
		}
		fp := path.Child(pr.kind.Field())
		if isInit && !sidecar {
			errs = append(errs, field.Forbidden(fp, "may not be set for init containers without restartPolicy=Always"))
			continue
		}
		errs = append(errs, probe.Validate(pr.p, pr.kind, fp)...)
	}
	if c.Lifecycle != nil {
		if isInit && !sidecar {
			errs = append(errs, field.Forbidden(path.Child("lifecycle"), "may not be set for init containers without restartPolicy=Always"))
		} else {
			errs = append(errs, validateHandler(c.Lifecycle.PostStart, path.Child("lifecycle", "postStart"), grace, prof)...)
			errs = append(errs, validateHandler(c.Lifecycle.PreStop, path.Child("lifecycle", "preStop"), grace, prof)...)
		}
	}
	return errs
}

// validateHandler checks a lifecycle hook: exactly one of exec, httpGet,
// tcpSocket, sleep (pkg/apis/core/validation/validation.go validateHandler).
func validateHandler(h *corev1.LifecycleHandler, path *field.Path, grace *int64, prof *profile.Profile) field.ErrorList {
	if h == nil {
		return nil
	}
	var errs field.ErrorList
	n := 0
	one := func(name string) bool {
		n++
		if n > 1 {
			errs = append(errs, field.Forbidden(path.Child(name), "may not specify more than 1 handler type"))
			return false
		}
		return true
	}
	if h.Exec != nil && one("exec") && len(h.Exec.Command) == 0 {
		errs = append(errs, field.Required(path.Child("exec", "command"), ""))
	}
	if h.HTTPGet != nil && one("httpGet") && h.HTTPGet.Port.IntValue() == 0 && h.HTTPGet.Port.StrVal == "" {
		errs = append(errs, field.Required(path.Child("httpGet", "port"), ""))
	}
	if h.TCPSocket != nil && one("tcpSocket") {
		errs = append(errs, field.Forbidden(path.Child("tcpSocket"), "tcpSocket lifecycle hooks are deprecated and not run by the kubelet"))
	}
	if h.Sleep != nil && one("sleep") {
		switch {
		case !prof.SleepAction:
			errs = append(errs, field.Forbidden(path.Child("sleep"), "the sleep action needs Kubernetes 1.30 or later; this cluster follows "+prof.Version))
		default:
			errs = append(errs, validateSleepAction(h.Sleep, grace, path.Child("sleep", "seconds"), prof)...)
		}
	}
	if n == 0 {
		errs = append(errs, field.Required(path, "must specify a handler type"))
	}
	return errs
}

// supportedPortProtocols are the protocols a container port may use
// (pkg/apis/core/validation/validation.go).
var supportedPortProtocols = []string{string(corev1.ProtocolTCP), string(corev1.ProtocolUDP), string(corev1.ProtocolSCTP)}

// validateContainerPorts follows validateContainerPorts
// (pkg/apis/core/validation/validation.go), after defaulting (protocol TCP).
func validateContainerPorts(ports []corev1.ContainerPort, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	names := map[string]bool{}
	for i, port := range ports {
		p := path.Index(i)
		if port.Name != "" {
			if msgs := validation.IsValidPortName(port.Name); len(msgs) != 0 {
				for _, msg := range msgs {
					errs = append(errs, field.Invalid(p.Child("name"), port.Name, msg))
				}
			} else if names[port.Name] {
				errs = append(errs, field.Duplicate(p.Child("name"), port.Name))
			} else {
				names[port.Name] = true
			}
		}
		if port.ContainerPort == 0 {
			errs = append(errs, field.Required(p.Child("containerPort"), ""))
		} else {
			for _, msg := range validation.IsValidPortNum(int(port.ContainerPort)) {
				errs = append(errs, field.Invalid(p.Child("containerPort"), port.ContainerPort, msg))
			}
		}
		if port.HostPort != 0 {
			for _, msg := range validation.IsValidPortNum(int(port.HostPort)) {
				errs = append(errs, field.Invalid(p.Child("hostPort"), port.HostPort, msg))
			}
		}
		if !slices.Contains(supportedPortProtocols, string(port.Protocol)) {
			errs = append(errs, field.NotSupported(p.Child("protocol"), port.Protocol, supportedPortProtocols))
		}
	}
	return errs
}

// validateSleepAction follows pkg/apis/core/validation/validation.go
// validateSleepAction: at most the grace period, and at least 1 s — or 0 s
// where the version allows it (PodLifecycleSleepActionAllowZero, KEP-4818,
// beta and on in 1.33). Like upstream, a missing grace period skips the
// check (defaults always set one here).
func validateSleepAction(sleep *corev1.SleepAction, grace *int64, path *field.Path, prof *profile.Profile) field.ErrorList {
	if grace == nil {
		return nil
	}
	if prof.SleepActionAllowZero {
		if sleep.Seconds < 0 || sleep.Seconds > *grace {
			return field.ErrorList{field.Invalid(path, sleep.Seconds, fmt.Sprintf("must be non-negative and less than terminationGracePeriodSeconds (%d)", *grace))}
		}
		return nil
	}
	if sleep.Seconds <= 0 || sleep.Seconds > *grace {
		return field.ErrorList{field.Invalid(path, sleep.Seconds, fmt.Sprintf("must be greater than 0 and less than terminationGracePeriodSeconds (%d)", *grace))}
	}
	return nil
}
