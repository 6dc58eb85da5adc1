package apiserver

import (
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"

	"github.com/podsim/podsim/internal/imageref"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/probe"
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

// DefaultPod applies what the API server applies on create: the API
// defaults (pkg/apis/core/v1/defaults.go) and the admission plugins that
// every cluster runs (DefaultTolerationSeconds, Priority, ServiceAccount).
func DefaultPod(p *corev1.Pod) {
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
		s.SecurityContext = sharedDefaults.securityContext
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
	for _, c := range podutil.AllContainers(s) {
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
	for _, h := range []*corev1.LifecycleHandler{podutil.LifecycleHandler(c, true), podutil.LifecycleHandler(c, false)} {
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

// defaultPullPolicy is Always for an image tagged latest or untagged, else
// IfNotPresent (pkg/apis/core/v1/defaults.go SetDefaults_Container).
func defaultPullPolicy(image string) corev1.PullPolicy {
	ref, err := imageref.Parse(image)
	if err == nil && ref.Tag == "latest" {
		return corev1.PullAlways
	}
	return corev1.PullIfNotPresent
}

// sharedDefaults are the defaults most pods get, one copy for all of
// them (issue 10: 300 B a pod). Stored pods are never changed in place, and
// the slice is full, so an append copies it; with CheckInvariants, a
// write checks that they are still as made (mutation_check.go).
var sharedDefaults = newSharedDefaults()

type defaults struct {
	securityContext *corev1.PodSecurityContext
	tolerations     []corev1.Toleration
}

func newSharedDefaults() defaults {
	d := defaults{securityContext: &corev1.PodSecurityContext{}}
	for _, key := range []string{TaintNodeNotReady, TaintNodeUnreachable} {
		d.tolerations = append(d.tolerations, corev1.Toleration{
			Key: key, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute,
			TolerationSeconds: ptr.To[int64](DefaultTolerationSeconds),
		})
	}
	d.tolerations = slices.Clip(d.tolerations)
	return d
}

// addDefaultTolerations follows plugin/pkg/admission/defaulttolerationseconds:
// a pod that does not tolerate the not-ready or unreachable NoExecute taint
// gets a toleration for it with tolerationSeconds 300.
func addDefaultTolerations(s *corev1.PodSpec) {
	if len(s.Tolerations) == 0 {
		s.Tolerations = sharedDefaults.tolerations
		return
	}
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
