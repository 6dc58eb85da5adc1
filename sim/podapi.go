package sim

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/probe"
	"github.com/podsim/podsim/qos"
	"github.com/podsim/podsim/trace"
)

// DefaultTolerationSeconds is the tolerationSeconds the DefaultTolerationSeconds
// admission plugin gives pods for the not-ready and unreachable NoExecute
// taints (plugin/pkg/admission/defaulttolerationseconds).
const DefaultTolerationSeconds = 300

// Node taint keys (k8s.io/api/core/v1 well_known_taints.go).
const (
	TaintNodeNotReady    = "node.kubernetes.io/not-ready"
	TaintNodeUnreachable = "node.kubernetes.io/unreachable"
)

// defaultPod applies what the API server applies on create: the API
// defaults (pkg/apis/core/v1/defaults.go) and the admission plugins that
// every cluster runs (DefaultTolerationSeconds, Priority, ServiceAccount).
func defaultPod(p *corev1.Pod) {
	s := &p.Spec
	if s.RestartPolicy == "" {
		s.RestartPolicy = corev1.RestartPolicyAlways
	}
	if s.TerminationGracePeriodSeconds == nil {
		s.TerminationGracePeriodSeconds = ptr.To[int64](lifecycle.DefaultTerminationGracePeriodSeconds)
	}
	if s.DNSPolicy == "" {
		s.DNSPolicy = corev1.DNSClusterFirst
	}
	if s.SchedulerName == "" {
		s.SchedulerName = corev1.DefaultSchedulerName
	}
	if s.SecurityContext == nil {
		s.SecurityContext = &corev1.PodSecurityContext{}
	}
	if s.EnableServiceLinks == nil {
		s.EnableServiceLinks = ptr.To(true)
	}
	if s.Priority == nil {
		s.Priority = ptr.To[int32](0)
	}
	if s.PreemptionPolicy == nil {
		pp := corev1.PreemptLowerPriority
		s.PreemptionPolicy = &pp
	}
	if s.ServiceAccountName == "" {
		s.ServiceAccountName = "default"
	}
	if s.DeprecatedServiceAccount == "" {
		s.DeprecatedServiceAccount = s.ServiceAccountName
	}
	for _, c := range allContainers(s) {
		defaultContainer(c)
	}
	addDefaultTolerations(s)
}

func defaultContainer(c *corev1.Container) {
	if c.ImagePullPolicy == "" {
		c.ImagePullPolicy = defaultPullPolicy(c.Image)
	}
	if c.TerminationMessagePath == "" {
		c.TerminationMessagePath = corev1.TerminationMessagePathDefault
	}
	if c.TerminationMessagePolicy == "" {
		c.TerminationMessagePolicy = corev1.TerminationMessageReadFile
	}
	for i := range c.Ports {
		if c.Ports[i].Protocol == "" {
			c.Ports[i].Protocol = corev1.ProtocolTCP
		}
	}
	// A limit without a request defaults the request to the limit
	// (pkg/apis/core/v1/defaults.go SetDefaults_Pod).
	for name, lim := range c.Resources.Limits {
		if _, ok := c.Resources.Requests[name]; !ok {
			if c.Resources.Requests == nil {
				c.Resources.Requests = corev1.ResourceList{}
			}
			c.Resources.Requests[name] = lim.DeepCopy()
		}
	}
	for _, p := range []*corev1.Probe{c.LivenessProbe, c.ReadinessProbe, c.StartupProbe} {
		probe.ApplyDefaults(p)
	}
	for _, h := range []*corev1.LifecycleHandler{lifecycleHandler(c, true), lifecycleHandler(c, false)} {
		if h != nil && h.HTTPGet != nil {
			if h.HTTPGet.Path == "" {
				h.HTTPGet.Path = "/"
			}
			if h.HTTPGet.Scheme == "" {
				h.HTTPGet.Scheme = corev1.URISchemeHTTP
			}
		}
	}
}

func lifecycleHandler(c *corev1.Container, postStart bool) *corev1.LifecycleHandler {
	if c.Lifecycle == nil {
		return nil
	}
	if postStart {
		return c.Lifecycle.PostStart
	}
	return c.Lifecycle.PreStop
}

// defaultPullPolicy is Always for an image tagged latest or untagged, else
// IfNotPresent (pkg/apis/core/v1/defaults.go SetDefaults_Container).
func defaultPullPolicy(image string) corev1.PullPolicy {
	ref, err := parseImage(image)
	if err == nil && ref.tag == "latest" {
		return corev1.PullAlways
	}
	return corev1.PullIfNotPresent
}

// addDefaultTolerations follows plugin/pkg/admission/defaulttolerationseconds:
// a pod that does not tolerate the not-ready or unreachable NoExecute taint
// gets a toleration for it with tolerationSeconds 300.
func addDefaultTolerations(s *corev1.PodSpec) {
	tolerates := func(key string) bool {
		for _, t := range s.Tolerations {
			if (t.Key == key || t.Key == "") && (t.Effect == corev1.TaintEffectNoExecute || t.Effect == "") {
				return true
			}
		}
		return false
	}
	for _, key := range []string{TaintNodeNotReady, TaintNodeUnreachable} {
		if !tolerates(key) {
			s.Tolerations = append(s.Tolerations, corev1.Toleration{
				Key: key, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute,
				TolerationSeconds: ptr.To[int64](DefaultTolerationSeconds),
			})
		}
	}
}

// createPod stores a new, validated pod.
func (a *apiServer) createPod(p *corev1.Pod, actor, cause string) {
	c := a.c
	defaultPod(p)
	p.UID = types.UID(c.newUID())
	p.CreationTimestamp = c.stamp(c.eng.Now())
	p.Generation = 1
	p.Status = corev1.PodStatus{Phase: corev1.PodPending, QOSClass: qos.ComputePodClass(p)}
	a.pods[keyOf(p)] = p
	a.podChanged(trace.Added, nil, p, actor, cause)
}

// bindPod is the scheduler's binding (pkg/registry/core/pod/storage
// setPodHostAndAnnotations): one write that sets spec.nodeName and the
// PodScheduled condition.
func (a *apiServer) bindPod(key objKey, uid types.UID, node string) bool {
	now := a.c.stamp(a.c.eng.Now())
	return a.updatePod(key, string(uid), "default-scheduler", "bound to node "+node, func(p *corev1.Pod) {
		p.Spec.NodeName = node
		cond := corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionTrue, LastTransitionTime: now}
		for i := range p.Status.Conditions {
			if p.Status.Conditions[i].Type == corev1.PodScheduled {
				p.Status.Conditions[i] = cond
				return
			}
		}
		p.Status.Conditions = append(p.Status.Conditions, cond)
	})
}

// DeleteOptions are the options of a pod delete, as kubectl delete takes them.
type DeleteOptions struct {
	// GracePeriodSeconds overrides the pod's terminationGracePeriodSeconds.
	GracePeriodSeconds *int64
	// Force with a zero grace period removes the object at once, without
	// waiting for the kubelet (kubectl delete --force --grace-period=0).
	Force bool
}

// DeletePod deletes a pod now, as `kubectl delete pod` does.
func (c *Cluster) DeletePod(namespace, name string, opts DeleteOptions) error {
	if namespace == "" {
		namespace = corev1.NamespaceDefault
	}
	key := objKey{namespace, name}
	if _, ok := c.api.pods[key]; !ok {
		return fmt.Errorf(`pods %q not found`, name)
	}
	grace := opts.GracePeriodSeconds
	if opts.Force && grace == nil {
		grace = ptr.To[int64](0) // kubectl: --force with no grace period means 0
	}
	if grace != nil && *grace == 0 && !opts.Force {
		return fmt.Errorf("--grace-period=0 must have either --force specified, or --wait to be set to true")
	}
	c.api.deletePod(key, "", grace, "user", "kubectl delete")
	return nil
}

// deletePod is the API server's graceful delete
// (pkg/registry/core/pod/strategy.go CheckGracefulDelete and
// k8s.io/apiserver rest.BeforeDelete): the grace period is the request's,
// else the pod's; 0 for an unscheduled or finished pod. A positive grace
// period marks the pod (deletionTimestamp = now + grace); zero removes it,
// after first recording the zero grace period if the pod was already being
// deleted with a longer one.
func (a *apiServer) deletePod(key objKey, uid string, grace *int64, actor, cause string) {
	c := a.c
	cur, ok := a.pods[key]
	if !ok || (uid != "" && string(cur.UID) != uid) {
		return
	}
	g := int64(0)
	switch {
	case grace != nil:
		g = *grace
	case cur.Spec.TerminationGracePeriodSeconds != nil:
		g = *cur.Spec.TerminationGracePeriodSeconds
	}
	if g < 0 {
		g = 1
	}
	if cur.Spec.NodeName == "" || cur.Status.Phase == corev1.PodSucceeded || cur.Status.Phase == corev1.PodFailed {
		g = 0
	}
	now := c.eng.Now()
	if cur.DeletionTimestamp != nil {
		old := cur.DeletionGracePeriodSeconds
		if old == nil || *old == 0 {
			a.removePod(key, actor, cause)
			return
		}
		if g >= *old {
			return // only a shorter grace period may be given
		}
		// Move deletionTimestamp back by the old grace and forward by the new.
		ts := cur.DeletionTimestamp.Add(-time.Duration(*old) * time.Second).Add(time.Duration(g) * time.Second)
		if c.profile.DeletionTimestampNotInPast && ts.Before(c.wall(now)) {
			ts = c.stamp(now).Time
			if g != 0 {
				g = 1
			}
		}
		a.updatePod(key, uid, actor, cause, func(p *corev1.Pod) {
			p.DeletionTimestamp = &metav1.Time{Time: ts}
			p.DeletionGracePeriodSeconds = ptr.To(g)
		})
		if g == 0 {
			a.removePod(key, actor, cause)
		}
		return
	}
	ts := c.stamp(now).Add(time.Duration(g) * time.Second)
	a.updatePod(key, uid, actor, cause, func(p *corev1.Pod) {
		p.DeletionTimestamp = &metav1.Time{Time: ts}
		p.DeletionGracePeriodSeconds = ptr.To(g)
	})
	if g == 0 {
		a.removePod(key, actor, cause)
	}
}

// SetPodCondition sets a pod condition that the kubelet does not own, such
// as the condition of a readiness gate, as a controller would.
func (c *Cluster) SetPodCondition(namespace, name string, cond corev1.PodCondition) error {
	if namespace == "" {
		namespace = corev1.NamespaceDefault
	}
	if kubeletOwnsCondition(cond.Type) {
		return fmt.Errorf("condition %s is owned by the kubelet and cannot be set", cond.Type)
	}
	now := c.stamp(c.eng.Now())
	ok := c.api.updatePod(objKey{namespace, name}, "", "user", "set condition "+string(cond.Type), func(p *corev1.Pod) {
		if prev := findCondition(p.Status.Conditions, cond.Type); prev != nil {
			if prev.Status != cond.Status {
				prev.LastTransitionTime = now
			}
			prev.Status, prev.Reason, prev.Message = cond.Status, cond.Reason, cond.Message
			return
		}
		cond.LastTransitionTime = now
		p.Status.Conditions = append(p.Status.Conditions, cond)
	})
	if !ok {
		return fmt.Errorf(`pods %q not found`, name)
	}
	return nil
}

// kubeletOwnsCondition follows pkg/kubelet/types/pod_status.go
// PodConditionByKubelet.
func kubeletOwnsCondition(t corev1.PodConditionType) bool {
	switch t {
	case corev1.PodScheduled, corev1.PodReady, corev1.PodInitialized, corev1.ContainersReady, corev1.PodReadyToStartContainers:
		return true
	}
	return false
}
