package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/trace"
)

// Timings of kubectl drain (staging/src/k8s.io/kubectl/pkg/drain/drain.go).
const (
	// DrainRetryInterval is how long drain waits after a 429 before it
	// tries a pod's eviction again.
	DrainRetryInterval = 5 * time.Second
	// drainPollInterval is how often drain looks whether an evicted pod is
	// gone (waitForDelete's wait.PollImmediate interval).
	drainPollInterval = 1 * time.Second
)

// Filter messages of kubectl drain (staging/src/k8s.io/kubectl/pkg/drain/filters.go).
const (
	daemonSetFatal      = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
	daemonSetWarning    = "ignoring DaemonSet-managed Pods"
	localStorageFatal   = "Pods with local storage (use --delete-emptydir-data to override)"
	localStorageWarning = "deleting Pods with local storage"
	unmanagedFatal      = "cannot delete Pods that declare no controller (use --force to override)"
	unmanagedWarning    = "deleting Pods that declare no controller"
)

// DrainOptions are kubectl drain's flags.
type DrainOptions struct {
	// Force (--force) drains pods that declare no controller.
	Force bool
	// IgnoreDaemonSets (--ignore-daemonsets) leaves DaemonSet pods alone
	// instead of refusing the drain.
	IgnoreDaemonSets bool
	// DeleteEmptyDirData (--delete-emptydir-data) drains pods with emptyDir
	// volumes.
	DeleteEmptyDirData bool
	// GracePeriodSeconds (--grace-period) overrides each pod's grace
	// period; nil is kubectl's -1, the pod's own.
	GracePeriodSeconds *int64
	// Timeout (--timeout) gives up after this long; 0 waits forever.
	Timeout time.Duration
	// DisableEviction (--disable-eviction) deletes pods instead of evicting
	// them, bypassing PodDisruptionBudgets.
	DisableEviction bool
}

// DrainLine is one line kubectl drain printed.
type DrainLine struct {
	T      time.Duration
	Stderr bool
	Text   string
}

// Drain is a `kubectl drain` under way in virtual time: it cordons the
// node, evicts its pods in parallel, retrying each every 5 s while a
// PodDisruptionBudget refuses it, waits for each to be gone, and prints
// what kubectl prints. Each line is also a trace record (kind Output, op
// PRINTED, actor user).
type Drain struct {
	c       *Cluster
	node    string
	opts    DrainOptions
	lines   []DrainLine
	started time.Duration
	pending int
	errs    []error
	done    bool
	err     error
}

// Lines are what the drain printed so far, stdout and stderr in order.
func (d *Drain) Lines() []DrainLine { return slices.Clone(d.lines) }

// Done reports whether kubectl drain has returned.
func (d *Drain) Done() bool { return d.done }

// Err is the error kubectl drain exited with (nil while it runs or when
// the node was drained).
func (d *Drain) Err() error { return d.err }

// Drain starts `kubectl drain node` now. It returns an error only when the
// command cannot start (no such node); what happens later is in the
// returned Drain and in the trace.
func (c *Cluster) Drain(node string, opts DrainOptions) (*Drain, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	if c.api.Node(node) == nil {
		return nil, fmt.Errorf(`Error from server (NotFound): nodes %q not found`, node)
	}
	if g := opts.GracePeriodSeconds; g != nil && *g < 0 {
		opts.GracePeriodSeconds = nil // kubectl: a negative value means the pod's own
	}
	d := &Drain{c: c, node: node, opts: opts, started: c.eng.Now()}
	d.run()
	return d, nil
}

// print records a line; pod is the pod it is about, if any.
func (d *Drain) print(stderr bool, pod types.NamespacedName, format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	now := d.c.eng.Now()
	d.lines = append(d.lines, DrainLine{T: now, Stderr: stderr, Text: text})
	stream := "stdout"
	if stderr {
		stream = "stderr"
	}
	d.c.tr.Add(trace.Record{T: now, Kind: "Output", Op: trace.Printed, Namespace: pod.Namespace, Name: pod.Name,
		Container: stream, Actor: "user", Cause: text})
}

// run is RunDrain: cordon, then deleteOrEvictPodsSimple.
func (d *Drain) run() {
	c := d.c
	n := c.api.Node(d.node)
	if n.Spec.Unschedulable {
		d.print(false, types.NamespacedName{}, "node/%s already cordoned", d.node)
	} else {
		// CordonHelper.PatchOrReplace: spec.unschedulable=true.
		c.api.UpdateNode(d.node, "user", "kubectl cordon", func(n *corev1.Node) { n.Spec.Unschedulable = true })
		d.print(false, types.NamespacedName{}, "node/%s cordoned", d.node)
	}
	pods, warnings, errs := d.podsForDeletion()
	if len(errs) > 0 {
		d.finish(aggregate(errs))
		return
	}
	if warnings != "" {
		d.print(true, types.NamespacedName{}, "Warning: %s", warnings)
	}
	if len(pods) == 0 {
		d.finish(nil)
		return
	}
	d.pending = len(pods)
	if d.opts.DisableEviction {
		d.deletePods(pods)
		return
	}
	for _, p := range pods {
		d.evict(p)
	}
}

// deadline is when the drain's --timeout runs out.
func (d *Drain) deadline() time.Duration {
	if d.opts.Timeout == 0 {
		return time.Duration(math.MaxInt64)
	}
	return d.started + d.opts.Timeout
}

func (d *Drain) timedOut() bool { return d.c.eng.Now() >= d.deadline() }

// evict is one pod's goroutine of evictPods.
func (d *Drain) evict(p *corev1.Pod) {
	key := podutil.KeyOf(p)
	d.print(false, key, "evicting pod %s/%s", p.Namespace, p.Name)
	if d.timedOut() {
		d.podDone(fmt.Errorf("error when evicting pods/%q -n %q: global timeout reached: %v", p.Name, p.Namespace, d.opts.Timeout))
		return
	}
	err := d.c.api.EvictPod(key, d.opts.GracePeriodSeconds, "user", "kubectl drain: eviction")
	switch {
	case err == nil:
		d.waitForDelete([]*corev1.Pod{p}, true)
	case apierrors.IsNotFound(err):
		d.podDone(nil)
	case apierrors.IsTooManyRequests(err):
		d.print(true, key, "error when evicting pods/%q -n %q (will retry after 5s): %v", p.Name, p.Namespace, err)
		d.c.eng.After(DrainRetryInterval, engine.PriorityAction, func() { d.evict(p) })
	default:
		d.podDone(fmt.Errorf("error when evicting pods/%q -n %q: %v", p.Name, p.Namespace, err))
	}
}

// deletePods is drain's --disable-eviction path: delete them all, then
// wait for them all.
func (d *Drain) deletePods(pods []*corev1.Pod) {
	for _, p := range pods {
		d.c.api.DeletePod(podutil.KeyOf(p), "", d.opts.GracePeriodSeconds, "user", "kubectl drain: delete")
	}
	d.pending = 1 // one waitForDelete for all of them
	d.waitForDelete(pods, false)
}

// waitForDelete polls, at once and then every second, until every pod is
// gone (or replaced by a pod of another UID), printing "pod/NAME evicted"
// (or deleted) for each as it goes.
func (d *Drain) waitForDelete(pods []*corev1.Pod, usingEviction bool) {
	verb := "deleted"
	if usingEviction {
		verb = "evicted"
	}
	var pending []*corev1.Pod
	for _, p := range pods {
		cur := d.c.api.Pod(podutil.KeyOf(p))
		if cur == nil || cur.UID != p.UID {
			d.print(false, podutil.KeyOf(p), "pod/%s %s", p.Name, verb)
			continue
		}
		pending = append(pending, p)
	}
	if len(pending) == 0 {
		d.podDone(nil)
		return
	}
	if d.timedOut() {
		err := fmt.Errorf("global timeout reached: %v", d.opts.Timeout)
		if usingEviction {
			err = fmt.Errorf("error when waiting for pod %q in namespace %q to terminate: %v", pending[0].Name, pending[0].Namespace, err)
		}
		d.podDone(err)
		return
	}
	d.c.eng.After(drainPollInterval, engine.PriorityAction, func() { d.waitForDelete(pending, usingEviction) })
}

// podDone is a goroutine's return; the last one ends the command.
func (d *Drain) podDone(err error) {
	if err != nil {
		d.errs = append(d.errs, err)
	}
	if d.pending--; d.pending > 0 {
		return
	}
	if len(d.errs) == 0 {
		d.finish(nil)
		return
	}
	err = aggregate(d.errs)
	// deleteOrEvictPodsSimple lists what is left on the node.
	if left, _, _ := d.podsForDeletion(); len(left) > 0 {
		d.print(true, types.NamespacedName{}, "There are pending pods in node %q when an error occurred: %v", d.node, err)
		for _, p := range left {
			d.print(true, podutil.KeyOf(p), "pod/%s", p.Name)
		}
	}
	d.finish(err)
}

// finish prints what RunDrain prints at the end.
func (d *Drain) finish(err error) {
	d.done = true
	if err == nil {
		d.print(false, types.NamespacedName{}, "node/%s drained", d.node)
		return
	}
	d.print(true, types.NamespacedName{}, "error: unable to drain node %q due to error: %s, continuing command...", d.node, err)
	d.print(true, types.NamespacedName{}, "There are pending nodes to be drained:")
	d.print(true, types.NamespacedName{}, " %s", d.node)
	d.err = err
	d.print(true, types.NamespacedName{}, "error: %v", err)
}

// aggregate is utilerrors.NewAggregate's message: one error as itself,
// several as [a, b].
func aggregate(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return errors.New("[" + strings.Join(msgs, ", ") + "]")
}

// podsForDeletion is GetPodsForDeletion: the node's pods through the
// filters (skip deleted, DaemonSet, mirror, local storage, unreplicated),
// with the warnings and errors they give. kubectl joins them in map
// order; podsim sorts them.
func (d *Drain) podsForDeletion() ([]*corev1.Pod, string, []error) {
	var pods []*corev1.Pod
	warned := map[string][]string{}
	failed := map[string][]string{}
	var all []*corev1.Pod
	d.c.api.EachPod(func(p *corev1.Pod) {
		if p.Spec.NodeName == d.node {
			all = append(all, p)
		}
	})
	slices.SortFunc(all, func(a, b *corev1.Pod) int { return podutil.CompareKeys(podutil.KeyOf(a), podutil.KeyOf(b)) })
	for _, p := range all {
		del, warning, fatal := d.filter(p)
		name := p.Namespace + "/" + p.Name
		switch {
		case fatal != "":
			failed[fatal] = append(failed[fatal], name)
		case warning != "":
			warned[warning] = append(warned[warning], name)
		}
		if del && fatal == "" {
			pods = append(pods, p)
		}
	}
	var warnings []string
	for _, msg := range podutil.SortedKeys(warned) {
		warnings = append(warnings, fmt.Sprintf("%s: %s", msg, strings.Join(warned[msg], ", ")))
	}
	var errs []error
	for _, msg := range podutil.SortedKeys(failed) {
		if strings.HasPrefix(strings.ToLower(msg), "cannot delete") {
			errs = append(errs, fmt.Errorf("%s: %s", msg, strings.Join(failed[msg], ", ")))
		} else {
			errs = append(errs, fmt.Errorf("cannot delete %s: %s", msg, strings.Join(failed[msg], ", ")))
		}
	}
	return pods, strings.Join(warnings, "; "), errs
}

// podDeleteStatus is a filter's verdict (drain.PodDeleteStatus).
type podDeleteStatus struct {
	del            bool
	warning, fatal string
}

// filter runs drain's filters on a pod in their order; each verdict
// replaces the last, and a pod a filter keeps stops the walk
// (filterPods). So a warning survives only if no later filter says Okay,
// as kubectl's own comment on the local-storage warning notes.
func (d *Drain) filter(p *corev1.Pod) (del bool, warning, fatal string) {
	okay := podDeleteStatus{del: true}
	finished := podutil.IsTerminal(p.Status.Phase)
	filters := []func() podDeleteStatus{
		func() podDeleteStatus { // daemonSetFilter
			ref := metav1.GetControllerOf(p)
			if ref == nil || ref.Kind != "DaemonSet" || finished {
				return okay
			}
			ds := d.c.api.Workload("DaemonSet", types.NamespacedName{Namespace: p.Namespace, Name: ref.Name})
			switch {
			case ds == nil && d.opts.Force:
				return podDeleteStatus{del: true, warning: fmt.Sprintf("daemonsets.apps %q not found", ref.Name)}
			case ds == nil:
				return podDeleteStatus{fatal: fmt.Sprintf("daemonsets.apps %q not found", ref.Name)}
			case !d.opts.IgnoreDaemonSets:
				return podDeleteStatus{fatal: daemonSetFatal}
			}
			return podDeleteStatus{warning: daemonSetWarning}
		},
		func() podDeleteStatus { // mirrorPodFilter
			if _, ok := p.Annotations[corev1.MirrorPodAnnotationKey]; ok {
				return podDeleteStatus{}
			}
			return okay
		},
		func() podDeleteStatus { // localStorageFilter
			if finished || !slices.ContainsFunc(p.Spec.Volumes, func(v corev1.Volume) bool { return v.EmptyDir != nil }) {
				return okay
			}
			if !d.opts.DeleteEmptyDirData {
				return podDeleteStatus{fatal: localStorageFatal}
			}
			return podDeleteStatus{del: true, warning: localStorageWarning}
		},
		func() podDeleteStatus { // unreplicatedFilter
			if finished || metav1.GetControllerOf(p) != nil {
				return okay
			}
			if d.opts.Force {
				return podDeleteStatus{del: true, warning: unmanagedWarning}
			}
			return podDeleteStatus{fatal: unmanagedFatal}
		},
	}
	var st podDeleteStatus
	for _, f := range filters {
		if st = f(); !st.del {
			break
		}
	}
	return st.del, st.warning, st.fatal
}
