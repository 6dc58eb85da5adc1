package trace

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/duration"

	"github.com/podsim/podsim/qos"
)

// The describe*.go files port `kubectl describe pod` (describePod,
// describeContainers, DescribeEvents and their helpers in
// staging/src/k8s.io/kubectl/pkg/describe/describe.go). Function names and
// format strings follow kubectl's so the two can be read side by side.

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
	//     pointer formatted by %v;
	//   - 35 and later prefix an event's message with its
	//     involvedObject.fieldPath, `spec.containers{app}: Container
	//     created` (PR #133627).
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
		return errors.New("trace: no pod to describe (a nil *corev1.Pod)")
	}
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
