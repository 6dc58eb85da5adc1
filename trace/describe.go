package trace

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/duration"

	"github.com/podsim/podsim/qos"
)

// This file ports `kubectl describe pod` (describePod, describeContainers,
// DescribeEvents and their helpers in
// staging/src/k8s.io/kubectl/pkg/describe/describe.go). Function names and
// format strings follow kubectl's so the two can be read side by side; see
// /work/research/events-describe-api.md, section 2.

// DescribeOptions control describe output.
type DescribeOptions struct {
	// Location is the time zone kubectl prints timestamps in (kubectl uses
	// the local zone); nil means UTC.
	Location *time.Location

	// KubectlMinor is the minor version of the kubectl (1.KubectlMinor)
	// whose layout is reproduced; 0 means 33, podsim's default version.
	// kubectl is a client: its version need not be the cluster's. The seed
	// transcripts were printed by a kubectl of 1.24 or earlier (no
	// `Service Account:` line, `ConfigMapOptional: <nil>`), so they are
	// reproduced with 24. What changes with the version:
	//
	//   - 25 and later print `Service Account:` (PR #111192);
	//   - 31 and later print `Status: Terminating` only for a pod that is
	//     not Succeeded or Failed (PR #122038); earlier ones for any pod
	//     with a deletionTimestamp;
	//   - 33 and later print a projected volume's ConfigMap and Secret
	//     sources with `Optional: true|false` (PR #129457); earlier ones
	//     print `ConfigMapOptional:` / `SecretOptionalName:` with the
	//     pointer formatted by %v.
	//
	// Releases before 1.24 differ in ways that are not modelled.
	KubectlMinor int
}

// defaultKubectlMinor is the kubectl release DescribeOptions{} follows.
const defaultKubectlMinor = 33

func (o DescribeOptions) minor() int {
	if o.KubectlMinor == 0 {
		return defaultKubectlMinor
	}
	return o.KubectlMinor
}

// DescribePod writes what `kubectl describe pod` prints for pod at time now,
// with its events (all events given are filtered to those whose
// involvedObject UID matches the pod's, as kubectl's field selector does).
//
// kubectl asks the API server for the events in the pod's namespace whose
// involvedObject has the pod's name, namespace and UID (for a mirror pod, the
// UID in its kubernetes.io/config.mirror annotation); DescribePod keeps the
// same ones. The API server lists them in the order of their names, and
// kubectl's sort by lastTimestamp keeps that order among equal timestamps, so
// DescribePod orders them by name first. An event given more than once (the
// same namespace and name, as in successive records of a trace) counts once,
// in the last form given, as the API server keeps only the latest. Ages are
// counted from now; timestamps are printed in opts.Location.
//
// DescribePod returns an error, before writing anything, for what kubectl
// would print but podsim does not model (a volume type other than hostPath,
// emptyDir, gitRepo, secret, configMap, nfs, persistentVolumeClaim,
// downwardAPI, projected, csi and image) or where kubectl would crash (a
// deletionTimestamp without deletionGracePeriodSeconds).
func DescribePod(w io.Writer, pod *corev1.Pod, events []corev1.Event, now time.Time, opts DescribeOptions) error {
	if pod == nil {
		return errors.New("trace: DescribePod: nil pod")
	}
	if pod.DeletionTimestamp != nil && pod.DeletionGracePeriodSeconds == nil {
		return fmt.Errorf("trace: DescribePod: pod %s/%s has a deletionTimestamp but no deletionGracePeriodSeconds", pod.Namespace, pod.Name)
	}
	for _, v := range pod.Spec.Volumes {
		if !supportedVolume(v.VolumeSource) {
			return fmt.Errorf("trace: DescribePod: volume %q of pod %s/%s: volume type not modelled", v.Name, pod.Namespace, pod.Name)
		}
	}
	d := describer{now: now, loc: opts.Location, minor: opts.minor()}
	if d.loc == nil {
		d.loc = time.UTC
	}
	return tabbed(w, func(pw *prefixWriter) {
		d.describePod(pw, pod, searchEvents(pod, events))
	})
}

// DescribeEvents writes the Events table alone (as kubectl's DescribeEvents),
// sorted as kubectl sorts them.
//
// kubectl sorts by lastTimestamp with sort.Sort, which is not stable; podsim
// runs the same sort on a copy, so events with equal lastTimestamps (to the
// second) come out as kubectl would print them given the same list: for small
// lists, in the order given. The API server lists events by name.
func DescribeEvents(w io.Writer, events []corev1.Event, now time.Time) error {
	d := describer{now: now, loc: time.UTC, minor: defaultKubectlMinor}
	list := make([]corev1.Event, len(events))
	copy(list, events)
	return tabbed(w, func(pw *prefixWriter) {
		d.describeEvents(pw, list)
	})
}

// tabbed is kubectl's tabbedString: a tabwriter with minwidth 0, tabwidth
// 8, padding 2, padchar ' ' and no flags.
func tabbed(w io.Writer, f func(pw *prefixWriter)) error {
	out := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	pw := &prefixWriter{out: out}
	f(pw)
	if pw.err != nil {
		return pw.err
	}
	return out.Flush()
}

// Indentation levels of kubectl's PrefixWriter: LEVEL_n is 2n spaces.
const (
	level0 = iota
	level1
	level2
	level3
)

// terminalEscaper is kubectl's printers.WriteEscaped replacer (issue
// #101695): ESC and CR are made visible so they cannot drive the terminal.
var terminalEscaper = strings.NewReplacer("\x1b", "^[", "\r", "\\r")

// prefixWriter is kubectl's prefixWriter: Write prepends 2 spaces per level
// and escapes terminal control characters.
type prefixWriter struct {
	out *tabwriter.Writer
	err error
}

func (pw *prefixWriter) write(level int, format string, a ...any) {
	pw.writeEscaped(fmt.Sprintf(strings.Repeat("  ", level)+format, a...))
}

func (pw *prefixWriter) writeLine(a ...any) {
	pw.writeEscaped(fmt.Sprintln(a...))
}

func (pw *prefixWriter) flush() {
	if pw.err == nil {
		pw.err = pw.out.Flush()
	}
}

func (pw *prefixWriter) writeEscaped(s string) {
	if pw.err == nil {
		_, pw.err = terminalEscaper.WriteString(pw.out, s)
	}
}

// describer holds what kubectl takes from its environment: the clock, the
// local time zone and its own version.
type describer struct {
	now   time.Time
	loc   *time.Location
	minor int
}

// timestamp formats t as kubectl does (time.RFC1123Z in the local zone).
func (d describer) timestamp(t metav1.Time) string {
	return t.Time.In(d.loc).Format(time.RFC1123Z)
}

// since is kubectl's translateTimestampSince.
func (d describer) since(t metav1.Time) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(d.now.Sub(t.Time))
}

// microSince is kubectl's translateMicroTimestampSince.
func (d describer) microSince(t metav1.MicroTime) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(d.now.Sub(t.Time))
}

// searchEvents keeps the events kubectl's field selector
// (involvedObject.name, involvedObject.namespace, involvedObject.uid; the
// kind is cleared) would return for pod, in the API server's list order.
func searchEvents(pod *corev1.Pod, events []corev1.Event) []corev1.Event {
	uid := string(pod.UID)
	if mirror, ok := pod.Annotations[corev1.MirrorPodAnnotationKey]; ok {
		uid = mirror
	}
	type key struct{ ns, name string }
	var list []corev1.Event
	at := map[key]int{}
	for _, e := range events {
		obj := e.InvolvedObject
		if obj.Name != pod.Name || obj.Namespace != pod.Namespace || (uid != "" && string(obj.UID) != uid) {
			continue
		}
		if e.Namespace != "" && e.Namespace != pod.Namespace {
			continue
		}
		if e.Name != "" {
			k := key{e.Namespace, e.Name}
			if i, ok := at[k]; ok {
				list[i] = e
				continue
			}
			at[k] = len(list)
		}
		list = append(list, e)
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	if list == nil {
		list = []corev1.Event{}
	}
	return list
}

func (d describer) describePod(w *prefixWriter, pod *corev1.Pod, events []corev1.Event) {
	w.write(level0, "Name:\t%s\n", pod.Name)
	w.write(level0, "Namespace:\t%s\n", pod.Namespace)
	if pod.Spec.Priority != nil {
		w.write(level0, "Priority:\t%d\n", *pod.Spec.Priority)
	}
	if len(pod.Spec.PriorityClassName) > 0 {
		w.write(level0, "Priority Class Name:\t%s\n", pod.Spec.PriorityClassName)
	}
	if pod.Spec.RuntimeClassName != nil && len(*pod.Spec.RuntimeClassName) > 0 {
		w.write(level0, "Runtime Class Name:\t%s\n", *pod.Spec.RuntimeClassName)
	}
	if d.minor >= 25 && len(pod.Spec.ServiceAccountName) > 0 {
		w.write(level0, "Service Account:\t%s\n", pod.Spec.ServiceAccountName)
	}
	if pod.Spec.NodeName == "" {
		w.write(level0, "Node:\t<none>\n")
	} else {
		w.write(level0, "Node:\t%s\n", pod.Spec.NodeName+"/"+pod.Status.HostIP)
	}
	if pod.Status.StartTime != nil {
		w.write(level0, "Start Time:\t%s\n", d.timestamp(*pod.Status.StartTime))
	}
	printLabelsMultiline(w, "Labels", pod.Labels)
	printAnnotationsMultiline(w, "Annotations", pod.Annotations)
	terminal := pod.Status.Phase == corev1.PodFailed || pod.Status.Phase == corev1.PodSucceeded
	if pod.DeletionTimestamp != nil && (d.minor < 31 || !terminal) {
		w.write(level0, "Status:\tTerminating (lasts %s)\n", d.since(*pod.DeletionTimestamp))
		w.write(level0, "Termination Grace Period:\t%ds\n", *pod.DeletionGracePeriodSeconds)
	} else {
		w.write(level0, "Status:\t%s\n", string(pod.Status.Phase))
	}
	if len(pod.Status.Reason) > 0 {
		w.write(level0, "Reason:\t%s\n", pod.Status.Reason)
	}
	if len(pod.Status.Message) > 0 {
		w.write(level0, "Message:\t%s\n", pod.Status.Message)
	}
	if sc := pod.Spec.SecurityContext; sc != nil && sc.SeccompProfile != nil {
		w.write(level0, "SeccompProfile:\t%s\n", sc.SeccompProfile.Type)
		if sc.SeccompProfile.Type == corev1.SeccompProfileTypeLocalhost {
			w.write(level0, "LocalhostProfile:\t%s\n", stringValue(sc.SeccompProfile.LocalhostProfile))
		}
	}
	w.write(level0, "IP:\t%s\n", pod.Status.PodIP)
	describePodIPs(pod, w, "")
	if ref := metav1.GetControllerOf(pod); ref != nil {
		w.write(level0, "Controlled By:\t%s\n", fmt.Sprintf("%s/%s", ref.Kind, ref.Name))
	}
	if len(pod.Status.NominatedNodeName) > 0 {
		w.write(level0, "NominatedNodeName:\t%s\n", pod.Status.NominatedNodeName)
	}
	if pod.Spec.Resources != nil {
		w.write(level0, "Resources:\n")
		describeResources(pod.Spec.Resources, w, level1)
	}
	if len(pod.Spec.InitContainers) > 0 {
		d.describeContainers("Init Containers", pod.Spec.InitContainers, pod.Status.InitContainerStatuses, pod, w, "")
	}
	d.describeContainers("Containers", pod.Spec.Containers, pod.Status.ContainerStatuses, pod, w, "")
	if len(pod.Spec.EphemeralContainers) > 0 {
		var ec []corev1.Container
		for i := range pod.Spec.EphemeralContainers {
			ec = append(ec, corev1.Container(pod.Spec.EphemeralContainers[i].EphemeralContainerCommon))
		}
		d.describeContainers("Ephemeral Containers", ec, pod.Status.EphemeralContainerStatuses, pod, w, "")
	}
	if len(pod.Spec.ReadinessGates) > 0 {
		w.write(level0, "Readiness Gates:\n  Type\tStatus\n")
		for _, g := range pod.Spec.ReadinessGates {
			status := "<none>"
			for _, c := range pod.Status.Conditions {
				if c.Type == g.ConditionType {
					status = fmt.Sprintf("%v", c.Status)
					break
				}
			}
			w.write(level1, "%v \t%v \n", g.ConditionType, status)
		}
	}
	if len(pod.Status.Conditions) > 0 {
		w.write(level0, "Conditions:\n  Type\tStatus\n")
		for _, c := range pod.Status.Conditions {
			w.write(level1, "%v \t%v \n", c.Type, c.Status)
		}
	}
	d.describeVolumes(pod.Spec.Volumes, w, "")
	w.write(level0, "QoS Class:\t%s\n", qos.PodClass(pod))
	printLabelsMultiline(w, "Node-Selectors", pod.Spec.NodeSelector)
	printPodTolerationsMultiline(w, "Tolerations", pod.Spec.Tolerations)
	describeTopologySpreadConstraints(pod.Spec.TopologySpreadConstraints, w, "")
	d.describeEvents(w, events)
}

func stringValue(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func describePodIPs(pod *corev1.Pod, w *prefixWriter, space string) {
	if len(pod.Status.PodIPs) == 0 {
		w.write(level0, "%sIPs:\t<none>\n", space)
		return
	}
	w.write(level0, "%sIPs:\n", space)
	for _, ip := range pod.Status.PodIPs {
		w.write(level1, "IP:\t%s\n", ip.IP)
	}
}

func describeTopologySpreadConstraints(tscs []corev1.TopologySpreadConstraint, w *prefixWriter, space string) {
	if len(tscs) == 0 {
		return
	}
	tscs = append([]corev1.TopologySpreadConstraint(nil), tscs...)
	sort.Slice(tscs, func(i, j int) bool { return tscs[i].TopologyKey < tscs[j].TopologyKey })
	w.write(level0, "%sTopology Spread Constraints:\t", space)
	for i, tsc := range tscs {
		if i != 0 {
			w.write(level0, "%s", space)
			w.write(level0, "%s", "\t")
		}
		w.write(level0, "%s:", tsc.TopologyKey)
		w.write(level0, "%v", tsc.WhenUnsatisfiable)
		w.write(level0, " when max skew %d is exceeded", tsc.MaxSkew)
		if tsc.LabelSelector != nil {
			w.write(level0, " for selector %s", metav1.FormatLabelSelector(tsc.LabelSelector))
		}
		w.write(level0, "\n")
	}
}

// printLabelsMultiline is kubectl's printLabelsMultilineWithIndent with no
// initial indent, "\t" inner indent and nothing skipped.
func printLabelsMultiline(w *prefixWriter, title string, labels map[string]string) {
	w.write(level0, "%s:%s", title, "\t")
	if len(labels) == 0 {
		w.writeLine("<none>")
		return
	}
	for i, k := range slices.Sorted(maps.Keys(labels)) {
		if i != 0 {
			w.write(level0, "%s", "")
			w.write(level0, "%s", "\t")
		}
		w.write(level0, "%s=%s\n", k, labels[k])
	}
}

// maxAnnotationLen is kubectl's limit on an annotation printed on one line.
const maxAnnotationLen = 140

// skipAnnotations are never printed (kubectl's skipAnnotations).
var skipAnnotations = map[string]bool{corev1.LastAppliedConfigAnnotation: true}

func printAnnotationsMultiline(w *prefixWriter, title string, annotations map[string]string) {
	w.write(level0, "%s:\t", title)
	keys := make([]string, 0, len(annotations))
	for k := range annotations {
		if skipAnnotations[k] {
			continue
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		w.writeLine("<none>")
		return
	}
	sort.Strings(keys)
	indent := "\t"
	for i, k := range keys {
		if i != 0 {
			w.write(level0, "%s", indent)
		}
		value := strings.TrimSuffix(annotations[k], "\n")
		if len(value)+len(k)+2 > maxAnnotationLen || strings.Contains(value, "\n") {
			w.write(level0, "%s:\n", k)
			for _, s := range strings.Split(value, "\n") {
				w.write(level0, "%s  %s\n", indent, shorten(s, maxAnnotationLen-2))
			}
		} else {
			w.write(level0, "%s: %s\n", k, value)
		}
	}
}

func shorten(s string, maxLength int) string {
	if len(s) > maxLength {
		return s[:maxLength] + "..."
	}
	return s
}

// printPodTolerationsMultiline sorts a copy of the tolerations by key, as
// kubectl sorts its copy of the pod (sort.Slice, not stable).
func printPodTolerationsMultiline(w *prefixWriter, title string, tolerations []corev1.Toleration) {
	w.write(level0, "%s:%s", title, "\t")
	if len(tolerations) == 0 {
		w.writeLine("<none>")
		return
	}
	tolerations = append([]corev1.Toleration(nil), tolerations...)
	sort.Slice(tolerations, func(i, j int) bool { return tolerations[i].Key < tolerations[j].Key })
	for i, t := range tolerations {
		if i != 0 {
			w.write(level0, "%s", "")
			w.write(level0, "%s", "\t")
		}
		w.write(level0, "%s", t.Key)
		if len(t.Value) != 0 {
			w.write(level0, "=%s", t.Value)
		}
		if len(t.Effect) != 0 {
			w.write(level0, ":%s", t.Effect)
		}
		if t.Operator == corev1.TolerationOpExists && len(t.Value) == 0 {
			if len(t.Key) != 0 || len(t.Effect) != 0 {
				w.write(level0, " op=Exists")
			} else {
				w.write(level0, "op=Exists")
			}
		}
		if t.TolerationSeconds != nil {
			w.write(level0, " for %ds", *t.TolerationSeconds)
		}
		w.write(level0, "\n")
	}
}

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

func supportedVolume(v corev1.VolumeSource) bool {
	return v.HostPath != nil || v.EmptyDir != nil || v.GitRepo != nil || v.Secret != nil || v.ConfigMap != nil ||
		v.NFS != nil || v.PersistentVolumeClaim != nil || v.DownwardAPI != nil || v.Projected != nil ||
		v.CSI != nil || v.Image != nil
}

func (d describer) describeVolumes(volumes []corev1.Volume, w *prefixWriter, space string) {
	if len(volumes) == 0 {
		w.write(level0, "%sVolumes:\t<none>\n", space)
		return
	}
	w.write(level0, "%sVolumes:\n", space)
	for _, v := range volumes {
		nameIndent := ""
		if len(space) > 0 {
			nameIndent = " "
		}
		w.write(level1, "%s%v:\n", nameIndent, v.Name)
		// The order of the cases is kubectl's.
		switch s := v.VolumeSource; {
		case s.HostPath != nil:
			hostPathType := "<none>"
			if s.HostPath.Type != nil {
				hostPathType = string(*s.HostPath.Type)
			}
			w.write(level2, "Type:\tHostPath (bare host directory volume)\n"+
				"    Path:\t%v\n"+
				"    HostPathType:\t%v\n",
				s.HostPath.Path, hostPathType)
		case s.EmptyDir != nil:
			sizeLimit := "<unset>"
			if s.EmptyDir.SizeLimit != nil && s.EmptyDir.SizeLimit.Cmp(resource.Quantity{}) > 0 {
				sizeLimit = fmt.Sprintf("%v", s.EmptyDir.SizeLimit)
			}
			w.write(level2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"+
				"    Medium:\t%v\n"+
				"    SizeLimit:\t%v\n",
				s.EmptyDir.Medium, sizeLimit)
		case s.GitRepo != nil:
			w.write(level2, "Type:\tGitRepo (a volume that is pulled from git when the pod is created)\n"+
				"    Repository:\t%v\n"+
				"    Revision:\t%v\n",
				s.GitRepo.Repository, s.GitRepo.Revision)
		case s.Secret != nil:
			optional := s.Secret.Optional != nil && *s.Secret.Optional
			w.write(level2, "Type:\tSecret (a volume populated by a Secret)\n"+
				"    SecretName:\t%v\n"+
				"    Optional:\t%v\n",
				s.Secret.SecretName, optional)
		case s.ConfigMap != nil:
			optional := s.ConfigMap.Optional != nil && *s.ConfigMap.Optional
			w.write(level2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n"+
				"    Name:\t%v\n"+
				"    Optional:\t%v\n",
				s.ConfigMap.Name, optional)
		case s.NFS != nil:
			w.write(level2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n"+
				"    Server:\t%v\n"+
				"    Path:\t%v\n"+
				"    ReadOnly:\t%v\n",
				s.NFS.Server, s.NFS.Path, s.NFS.ReadOnly)
		case s.PersistentVolumeClaim != nil:
			w.write(level2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"+
				"    ClaimName:\t%v\n"+
				"    ReadOnly:\t%v\n",
				s.PersistentVolumeClaim.ClaimName, s.PersistentVolumeClaim.ReadOnly)
		case s.DownwardAPI != nil:
			w.write(level2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
			for _, m := range s.DownwardAPI.Items {
				if m.FieldRef != nil {
					w.write(level3, "%v -> %v\n", m.FieldRef.FieldPath, m.Path)
				}
				if m.ResourceFieldRef != nil {
					w.write(level3, "%v -> %v\n", m.ResourceFieldRef.Resource, m.Path)
				}
			}
		case s.Projected != nil:
			d.printProjectedVolumeSource(s.Projected, w)
		case s.CSI != nil:
			readOnly := s.CSI.ReadOnly != nil && *s.CSI.ReadOnly
			w.write(level2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n"+
				"    Driver:\t%v\n"+
				"    FSType:\t%v\n"+
				"    ReadOnly:\t%v\n",
				s.CSI.Driver, stringValue(s.CSI.FSType), readOnly)
			printCSIVolumeAttributes(w, "VolumeAttributes", s.CSI.VolumeAttributes)
		case s.Image != nil:
			w.write(level2, "Type:\tImage (a container image or OCI artifact)\n"+
				"    Reference:\t%v\n"+
				"    PullPolicy:\t%v\n",
				s.Image.Reference, s.Image.PullPolicy)
		}
	}
}

// printProjectedVolumeSource prints the sources in order. Before 1.33 kubectl
// formatted the Optional pointers with %v: <nil> when unset, and the
// pointer's address (which varies from run to run) when set; podsim prints
// the fixed stand-in 0xc000000000 for the address.
func (d describer) printProjectedVolumeSource(p *corev1.ProjectedVolumeSource, w *prefixWriter) {
	w.write(level2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
	for _, s := range p.Sources {
		switch {
		case s.Secret != nil:
			if d.minor >= 33 {
				optional := s.Secret.Optional != nil && *s.Secret.Optional
				w.write(level2, "SecretName:\t%v\n"+
					"    Optional:\t%v\n",
					s.Secret.Name, optional)
			} else {
				w.write(level2, "SecretName:\t%v\n"+
					"    SecretOptionalName:\t%v\n",
					s.Secret.Name, pointerString(s.Secret.Optional))
			}
		case s.DownwardAPI != nil:
			w.write(level2, "DownwardAPI:\ttrue\n")
		case s.ConfigMap != nil:
			if d.minor >= 33 {
				optional := s.ConfigMap.Optional != nil && *s.ConfigMap.Optional
				w.write(level2, "ConfigMapName:\t%v\n"+
					"    Optional:\t%v\n",
					s.ConfigMap.Name, optional)
			} else {
				w.write(level2, "ConfigMapName:\t%v\n"+
					"    ConfigMapOptional:\t%v\n",
					s.ConfigMap.Name, pointerString(s.ConfigMap.Optional))
			}
		case s.ServiceAccountToken != nil:
			var seconds int64
			if s.ServiceAccountToken.ExpirationSeconds != nil {
				seconds = *s.ServiceAccountToken.ExpirationSeconds
			}
			w.write(level2, "TokenExpirationSeconds:\t%d\n", seconds)
		}
	}
}

// pointerString is what %v prints for a *bool, with a fixed stand-in for
// the address.
func pointerString(p *bool) string {
	if p == nil {
		return "<nil>"
	}
	return "0xc000000000"
}

func printCSIVolumeAttributes(w *prefixWriter, title string, attributes map[string]string) {
	w.write(level2, "%s:%s", title, "\t")
	if len(attributes) == 0 {
		w.writeLine("<none>")
		return
	}
	for i, k := range slices.Sorted(maps.Keys(attributes)) {
		if i != 0 {
			w.write(level2, "%s", "")
			w.write(level2, "%s", "\t")
		}
		line := fmt.Sprintf("%s=%s", k, attributes[k])
		if len(line) > maxAnnotationLen {
			w.write(level2, "%s...\n", line[:maxAnnotationLen])
		} else {
			w.write(level2, "%s\n", line)
		}
	}
}

// sortableEvents is kubectl's event.SortableEvents: by lastTimestamp,
// earliest first. Events that carry only an eventTime (the scheduler's) have
// a zero lastTimestamp and come first.
type sortableEvents []corev1.Event

func (l sortableEvents) Len() int      { return len(l) }
func (l sortableEvents) Swap(i, j int) { l[i], l[j] = l[j], l[i] }
func (l sortableEvents) Less(i, j int) bool {
	return l[i].LastTimestamp.Time.Before(l[j].LastTimestamp.Time)
}

// describeEvents is kubectl's DescribeEvents. It sorts events in place.
func (d describer) describeEvents(w *prefixWriter, events []corev1.Event) {
	if len(events) == 0 {
		w.write(level0, "Events:\t<none>\n")
		return
	}
	w.flush()
	sort.Sort(sortableEvents(events))
	w.write(level0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
	w.write(level1, "----\t------\t----\t----\t-------\n")
	for _, e := range events {
		first := d.microSince(e.EventTime)
		if e.EventTime.IsZero() {
			first = d.since(e.FirstTimestamp)
		}
		var interval string
		switch {
		case e.Series != nil:
			interval = fmt.Sprintf("%s (x%d over %s)", d.microSince(e.Series.LastObservedTime), e.Series.Count, first)
		case e.Count > 1:
			interval = fmt.Sprintf("%s (x%d over %s)", d.since(e.LastTimestamp), e.Count, first)
		default:
			interval = first
		}
		source := e.Source.Component
		if source == "" {
			source = e.ReportingController
		}
		w.write(level1, "%v\t%v\t%s\t%v\t%v\n", e.Type, e.Reason, interval, source, strings.TrimSpace(e.Message))
	}
}
