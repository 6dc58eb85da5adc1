package trace

import (
	"fmt"
	"math"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

func (d describer) describeContainers(label string, containers []corev1.Container, containerStatuses []corev1.ContainerStatus,
	pod *corev1.Pod, w *prefixWriter, space string) {
	statuses := map[string]corev1.ContainerStatus{}
	for _, s := range containerStatuses {
		statuses[s.Name] = s
	}
	none := ""
	if len(containers) == 0 {
		none = " <none>"
	}
	w.write(level0, "%s%s:%s\n", space, label, none)
	for _, c := range containers {
		status, ok := statuses[c.Name]
		describeContainerBasicInfo(c, status, ok, space, w)
		describeContainerCommand(c, w)
		if ok {
			d.describeContainerState(status, w)
		}
		describeResources(&c.Resources, w, level2)
		describeContainerProbe(c, w)
		if len(c.EnvFrom) > 0 {
			describeContainerEnvFrom(c, w)
		}
		describeContainerEnvVars(c, pod, w)
		describeContainerVolumes(c, w)
	}
}

func describeContainerBasicInfo(c corev1.Container, status corev1.ContainerStatus, ok bool, space string, w *prefixWriter) {
	nameIndent := ""
	if len(space) > 0 {
		nameIndent = " "
	}
	w.write(level1, "%s%v:\n", nameIndent, c.Name)
	if ok {
		w.write(level2, "Container ID:\t%s\n", status.ContainerID)
	}
	w.write(level2, "Image:\t%s\n", c.Image)
	if ok {
		w.write(level2, "Image ID:\t%s\n", status.ImageID)
	}
	ports := make([]string, 0, len(c.Ports))
	hostPorts := make([]string, 0, len(c.Ports))
	for _, p := range c.Ports {
		ports = append(ports, fmt.Sprintf("%d/%s", p.ContainerPort, p.Protocol))
		hostPorts = append(hostPorts, fmt.Sprintf("%d/%s", p.HostPort, p.Protocol))
	}
	portString := strings.Join(ports, ", ")
	if strings.Contains(portString, ",") {
		w.write(level2, "Ports:\t%s\n", portString)
	} else {
		w.write(level2, "Port:\t%s\n", stringOrNone(portString))
	}
	hostPortString := strings.Join(hostPorts, ", ")
	if strings.Contains(hostPortString, ",") {
		w.write(level2, "Host Ports:\t%s\n", hostPortString)
	} else {
		w.write(level2, "Host Port:\t%s\n", stringOrNone(hostPortString))
	}
	if sc := c.SecurityContext; sc != nil && sc.SeccompProfile != nil {
		w.write(level2, "SeccompProfile:\t%s\n", sc.SeccompProfile.Type)
		if sc.SeccompProfile.Type == corev1.SeccompProfileTypeLocalhost {
			w.write(level3, "LocalhostProfile:\t%s\n", stringValue(sc.SeccompProfile.LocalhostProfile))
		}
	}
}

func stringOrNone(s string) string {
	if len(s) > 0 {
		return s
	}
	return "<none>"
}

func describeContainerCommand(c corev1.Container, w *prefixWriter) {
	if len(c.Command) > 0 {
		w.write(level2, "Command:\n")
		for _, cmd := range c.Command {
			for _, s := range strings.Split(cmd, "\n") {
				w.write(level3, "%s\n", s)
			}
		}
	}
	if len(c.Args) > 0 {
		w.write(level2, "Args:\n")
		for _, arg := range c.Args {
			for _, s := range strings.Split(arg, "\n") {
				w.write(level3, "%s\n", s)
			}
		}
	}
}

func describeResources(resources *corev1.ResourceRequirements, w *prefixWriter, level int) {
	if resources == nil {
		return
	}
	if len(resources.Limits) > 0 {
		w.write(level, "Limits:\n")
	}
	for _, name := range sortedResourceNames(resources.Limits) {
		q := resources.Limits[name]
		w.write(level+1, "%s:\t%s\n", name, q.String())
	}
	if len(resources.Requests) > 0 {
		w.write(level, "Requests:\n")
	}
	for _, name := range sortedResourceNames(resources.Requests) {
		q := resources.Requests[name]
		w.write(level+1, "%s:\t%s\n", name, q.String())
	}
}

func sortedResourceNames(list corev1.ResourceList) []corev1.ResourceName {
	names := make([]corev1.ResourceName, 0, len(list))
	for n := range list {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return names[i] < names[j] })
	return names
}

func (d describer) describeContainerState(status corev1.ContainerStatus, w *prefixWriter) {
	d.describeStatus("State", status.State, w)
	if status.LastTerminationState.Terminated != nil {
		d.describeStatus("Last State", status.LastTerminationState, w)
	}
	w.write(level2, "Ready:\t%v\n", printBool(status.Ready))
	w.write(level2, "Restart Count:\t%d\n", status.RestartCount)
}

func (d describer) describeStatus(stateName string, state corev1.ContainerState, w *prefixWriter) {
	switch {
	case state.Running != nil:
		w.write(level2, "%s:\tRunning\n", stateName)
		w.write(level3, "Started:\t%v\n", d.timestamp(state.Running.StartedAt))
	case state.Waiting != nil:
		w.write(level2, "%s:\tWaiting\n", stateName)
		if state.Waiting.Reason != "" {
			w.write(level3, "Reason:\t%s\n", state.Waiting.Reason)
		}
	case state.Terminated != nil:
		w.write(level2, "%s:\tTerminated\n", stateName)
		if state.Terminated.Reason != "" {
			w.write(level3, "Reason:\t%s\n", state.Terminated.Reason)
		}
		if state.Terminated.Message != "" {
			w.write(level3, "Message:\t%s\n", state.Terminated.Message)
		}
		w.write(level3, "Exit Code:\t%d\n", state.Terminated.ExitCode)
		if state.Terminated.Signal > 0 {
			w.write(level3, "Signal:\t%d\n", state.Terminated.Signal)
		}
		w.write(level3, "Started:\t%s\n", d.timestamp(state.Terminated.StartedAt))
		w.write(level3, "Finished:\t%s\n", d.timestamp(state.Terminated.FinishedAt))
	default:
		w.write(level2, "%s:\tWaiting\n", stateName)
	}
}

func printBool(v bool) string {
	if v {
		return "True"
	}
	return "False"
}

func describeContainerProbe(c corev1.Container, w *prefixWriter) {
	if c.LivenessProbe != nil {
		w.write(level2, "Liveness:\t%s\n", describeProbe(c.LivenessProbe))
	}
	if c.ReadinessProbe != nil {
		w.write(level2, "Readiness:\t%s\n", describeProbe(c.ReadinessProbe))
	}
	if c.StartupProbe != nil {
		w.write(level2, "Startup:\t%s\n", describeProbe(c.StartupProbe))
	}
}

// describeProbe is kubectl's DescribeProbe.
func describeProbe(probe *corev1.Probe) string {
	attrs := fmt.Sprintf("delay=%ds timeout=%ds period=%ds #success=%d #failure=%d",
		probe.InitialDelaySeconds, probe.TimeoutSeconds, probe.PeriodSeconds, probe.SuccessThreshold, probe.FailureThreshold)
	switch {
	case probe.Exec != nil:
		return fmt.Sprintf("exec %v %s", probe.Exec.Command, attrs)
	case probe.HTTPGet != nil:
		u := &url.URL{}
		u.Scheme = strings.ToLower(string(probe.HTTPGet.Scheme))
		if len(probe.HTTPGet.Port.String()) > 0 {
			u.Host = net.JoinHostPort(probe.HTTPGet.Host, probe.HTTPGet.Port.String())
		} else {
			u.Host = probe.HTTPGet.Host
		}
		u.Path = probe.HTTPGet.Path
		return fmt.Sprintf("http-get %s %s", u.String(), attrs)
	case probe.TCPSocket != nil:
		return fmt.Sprintf("tcp-socket %s:%s %s", probe.TCPSocket.Host, probe.TCPSocket.Port.String(), attrs)
	case probe.GRPC != nil:
		return fmt.Sprintf("grpc <pod>:%d %s %s", probe.GRPC.Port, stringValue(probe.GRPC.Service), attrs)
	}
	return fmt.Sprintf("unknown %s", attrs)
}

func describeContainerEnvFrom(c corev1.Container, w *prefixWriter) {
	none := ""
	if len(c.EnvFrom) == 0 {
		none = "\t<none>"
	}
	w.write(level2, "Environment Variables from:%s\n", none)
	for _, e := range c.EnvFrom {
		from, name, optional := "", "", false
		if e.ConfigMapRef != nil {
			from = "ConfigMap"
			name = e.ConfigMapRef.Name
			optional = e.ConfigMapRef.Optional != nil && *e.ConfigMapRef.Optional
		} else if e.SecretRef != nil {
			from = "Secret"
			name = e.SecretRef.Name
			optional = e.SecretRef.Optional != nil && *e.SecretRef.Optional
		}
		if len(e.Prefix) == 0 {
			w.write(level3, "%s\t%s\tOptional: %t\n", name, from, optional)
		} else {
			w.write(level3, "%s\t%s with prefix '%s'\tOptional: %t\n", name, from, e.Prefix, optional)
		}
	}
}

func describeContainerEnvVars(c corev1.Container, pod *corev1.Pod, w *prefixWriter) {
	none := ""
	if len(c.Env) == 0 {
		none = "\t<none>"
	}
	w.write(level2, "Environment:%s\n", none)
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			for i, s := range strings.Split(e.Value, "\n") {
				if i == 0 {
					w.write(level3, "%s:\t%s\n", e.Name, s)
				} else {
					w.write(level3, "\t%s\n", s)
				}
			}
			continue
		}
		switch {
		case e.ValueFrom.FieldRef != nil:
			w.write(level3, "%s:\t%s (%s:%s)\n", e.Name, envFieldValue(pod, e.ValueFrom.FieldRef),
				e.ValueFrom.FieldRef.APIVersion, e.ValueFrom.FieldRef.FieldPath)
		case e.ValueFrom.ResourceFieldRef != nil:
			value := containerResourceValue(e.ValueFrom.ResourceFieldRef, &c)
			res := e.ValueFrom.ResourceFieldRef.Resource
			if value == "0" && (res == "limits.cpu" || res == "limits.memory") {
				value = "node allocatable"
			}
			w.write(level3, "%s:\t%s (%s)\n", e.Name, value, res)
		case e.ValueFrom.SecretKeyRef != nil:
			optional := e.ValueFrom.SecretKeyRef.Optional != nil && *e.ValueFrom.SecretKeyRef.Optional
			w.write(level3, "%s:\t<set to the key '%s' in secret '%s'>\tOptional: %t\n", e.Name,
				e.ValueFrom.SecretKeyRef.Key, e.ValueFrom.SecretKeyRef.Name, optional)
		case e.ValueFrom.ConfigMapKeyRef != nil:
			optional := e.ValueFrom.ConfigMapKeyRef.Optional != nil && *e.ValueFrom.ConfigMapKeyRef.Optional
			w.write(level3, "%s:\t<set to the key '%s' of config map '%s'>\tOptional: %t\n", e.Name,
				e.ValueFrom.ConfigMapKeyRef.Key, e.ValueFrom.ConfigMapKeyRef.Name, optional)
		}
	}
}

// envFieldValue is what kubectl's EnvValueRetriever resolves. kubectl
// converts the field path with its client scheme, which has no field-label
// conversions for pods, so only the default metav1 conversion applies:
// metadata.name and metadata.namespace resolve, every other path (such as
// status.podIP or spec.nodeName) prints empty. This follows the structure of
// kubectl's code; it was not checked against a real transcript.
func envFieldValue(pod *corev1.Pod, ref *corev1.ObjectFieldSelector) string {
	switch ref.FieldPath {
	case "metadata.name":
		return pod.Name
	case "metadata.namespace":
		return pod.Namespace
	}
	return ""
}

// containerResourceValue is kubectl's resourcehelper.ExtractContainerResourceValue
// for cpu, memory and ephemeral storage: the quantity divided by the divisor
// (1 when unset), rounded up; "" for other resources.
func containerResourceValue(fs *corev1.ResourceFieldSelector, c *corev1.Container) string {
	divisor := fs.Divisor
	if divisor.Cmp(resource.Quantity{}) == 0 {
		divisor = resource.MustParse("1")
	}
	var q resource.Quantity
	switch fs.Resource {
	case "limits.cpu":
		q = *c.Resources.Limits.Cpu()
	case "requests.cpu":
		q = *c.Resources.Requests.Cpu()
	case "limits.memory":
		q = *c.Resources.Limits.Memory()
	case "requests.memory":
		q = *c.Resources.Requests.Memory()
	case "limits.ephemeral-storage":
		q = *c.Resources.Limits.StorageEphemeral()
	case "requests.ephemeral-storage":
		q = *c.Resources.Requests.StorageEphemeral()
	default:
		return ""
	}
	if strings.HasSuffix(fs.Resource, ".cpu") {
		return strconv.FormatInt(int64(math.Ceil(float64(q.MilliValue())/float64(divisor.MilliValue()))), 10)
	}
	return strconv.FormatInt(int64(math.Ceil(float64(q.Value())/float64(divisor.Value()))), 10)
}

func describeContainerVolumes(c corev1.Container, w *prefixWriter) {
	none := ""
	if len(c.VolumeMounts) == 0 {
		none = "\t<none>"
	}
	w.write(level2, "Mounts:%s\n", none)
	mounts := append([]corev1.VolumeMount(nil), c.VolumeMounts...)
	sort.Sort(sortableVolumeMounts(mounts))
	for _, m := range mounts {
		flags := []string{}
		if m.ReadOnly {
			flags = append(flags, "ro")
		} else {
			flags = append(flags, "rw")
		}
		if len(m.SubPath) > 0 {
			flags = append(flags, fmt.Sprintf("path=%q", m.SubPath))
		}
		w.write(level3, "%s from %s (%s)\n", m.MountPath, m.Name, strings.Join(flags, ","))
	}
	if len(c.VolumeDevices) > 0 {
		w.write(level2, "Devices:%s\n", none)
		devices := append([]corev1.VolumeDevice(nil), c.VolumeDevices...)
		sort.Sort(sortableVolumeDevices(devices))
		for _, dev := range devices {
			w.write(level3, "%s from %s\n", dev.DevicePath, dev.Name)
		}
	}
}

type sortableVolumeMounts []corev1.VolumeMount

func (l sortableVolumeMounts) Len() int           { return len(l) }
func (l sortableVolumeMounts) Swap(i, j int)      { l[i], l[j] = l[j], l[i] }
func (l sortableVolumeMounts) Less(i, j int) bool { return l[i].MountPath < l[j].MountPath }

type sortableVolumeDevices []corev1.VolumeDevice

func (l sortableVolumeDevices) Len() int           { return len(l) }
func (l sortableVolumeDevices) Swap(i, j int)      { l[i], l[j] = l[j], l[i] }
func (l sortableVolumeDevices) Less(i, j int) bool { return l[i].DevicePath < l[j].DevicePath }
