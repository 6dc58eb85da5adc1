package trace

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

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
		message := strings.TrimSpace(e.Message)
		if d.minor >= 35 && e.InvolvedObject.FieldPath != "" {
			// describe.go DescribeEvents since PR #133627: the container an
			// event is about, now that the kubelet's messages leave it out.
			message = fmt.Sprintf("%s: %s", e.InvolvedObject.FieldPath, message)
		}
		w.write(level1, "%v\t%v\t%s\t%v\t%v\n", e.Type, e.Reason, interval, source, message)
	}
}
