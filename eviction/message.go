package eviction

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// The kubelet's eviction messages (pkg/kubelet/eviction/helpers.go), with
// their trailing spaces.
const (
	nodeLowMessageFmt       = "The node was low on resource: %v. "
	nodeConditionMessageFmt = "The node had condition: %v. "
	thresholdMetMessageFmt  = "Threshold quantity: %v, available: %v. "
	// containerMessageFmt since 1.26 (PR #111597); oldContainerMessageFmt before.
	containerMessageFmt                 = "Container %s was using %s, request is %s, has larger consumption of %v. "
	oldContainerMessageFmt              = "Container %s was using %s, which exceeds its request of %s. "
	containerEphemeralStorageMessageFmt = "Container %s exceeded its local ephemeral storage limit %q. "
	podEphemeralStorageMessageFmt       = "Pod ephemeral local storage usage exceeds the total limit of containers %s. "
	emptyDirMessageFmt                  = "Usage of EmptyDir volume %q exceeds the limit %q. "
)

// The annotations of an Evicted event (helpers.go OffendingContainersKey …).
const (
	OffendingContainersKey      = "offending_containers"
	OffendingContainersUsageKey = "offending_containers_usage"
	StarvedResourceKey          = "starved_resource"
)

// Rules are the eviction behaviours that differ between the Kubernetes
// versions podsim follows. The zero value is 1.25.
type Rules struct {
	// ContainerMessageRequestIs: a container over its request reads
	// "Container c was using u, request is r, has larger consumption of
	// memory. " (PR #111597, 1.26) instead of "…, which exceeds its request
	// of r. ".
	ContainerMessageRequestIs bool
	// ThresholdInMessage: the message says "Threshold quantity: q,
	// available: a. " after the starved resource. Absent in 1.25 and in
	// the 1.26 wording of PR #111597; present by 1.32 (issue #130439
	// quotes it); podsim takes it from 1.27.
	ThresholdInMessage bool
	// InitContainersInMessage: init and sidecar containers over their
	// request are named too, after the regular ones (PR #124947, 1.31).
	InitContainersInMessage bool
	// ImmediateGracePeriodSeconds is the grace period a hard eviction and
	// a local-storage eviction pass: 0 before PR #124063 (1.31), which the
	// pod worker reads as "unset" and replaces by the pod's own grace
	// period (issue #115819); 1 since.
	ImmediateGracePeriodSeconds int64
	// SoftGraceCappedByPod: a soft eviction passes the smaller of
	// eviction-max-pod-grace-period and the pod's
	// terminationGracePeriodSeconds (in the ≈1.31+ eviction_manager.go
	// copies), not the maximum alone.
	SoftGraceCappedByPod bool
	// DisruptionTarget: a node-pressure eviction adds the pod condition
	// DisruptionTarget=True, reason TerminationByKubelet (gate
	// PodDisruptionConditions, beta and on in 1.26, GA 1.31).
	DisruptionTarget bool
}

// RulesFor returns the rules of Kubernetes 1.minor.
func RulesFor(minor int) Rules {
	r := Rules{
		ContainerMessageRequestIs: minor >= 26,
		ThresholdInMessage:        minor >= 27,
		InitContainersInMessage:   minor >= 31,
		SoftGraceCappedByPod:      minor >= 31,
		DisruptionTarget:          minor >= 26,
	}
	if minor >= 31 {
		r.ImmediateGracePeriodSeconds = 1
	}
	return r
}

// evictionMessage is the message and event annotations of a node-pressure
// eviction (helpers.go evictionMessage): the starved resource, the
// threshold and what is available, then each container using more than
// it requests, with its use.
func evictionMessage(r Rules, res corev1.ResourceName, p *corev1.Pod, stats statsFunc, ts []Threshold, obs Observations) (string, map[string]string) {
	ann := map[string]string{}
	msg := fmt.Sprintf(nodeLowMessageFmt, res)
	if r.ThresholdInMessage {
		if q, avail := thresholdMetInfo(res, ts, obs); q != nil && avail != nil {
			msg += fmt.Sprintf(thresholdMetMessageFmt, q, avail)
		}
	}
	ps, ok := stats(p.UID)
	if !ok {
		return msg, ann
	}
	containers := p.Spec.Containers
	if r.InitContainersInMessage && len(p.Spec.InitContainers) != 0 {
		containers = append(append([]corev1.Container{}, containers...), p.Spec.InitContainers...)
	}
	var names, usages []string
	for _, cs := range ps.Containers {
		for _, c := range containers {
			if c.Name != cs.Name {
				continue
			}
			req := c.Resources.Requests[res]
			var usage *resource.Quantity
			switch res {
			case corev1.ResourceEphemeralStorage:
				usage = resource.NewQuantity(cs.RootfsBytes+cs.LogsBytes, resource.BinarySI)
			case corev1.ResourceMemory:
				usage = resource.NewQuantity(cs.MemoryWorkingSet, resource.BinarySI)
			}
			if usage != nil && usage.Cmp(req) > 0 {
				if r.ContainerMessageRequestIs {
					msg += fmt.Sprintf(containerMessageFmt, c.Name, usage.String(), req.String(), res)
				} else {
					msg += fmt.Sprintf(oldContainerMessageFmt, c.Name, usage.String(), req.String())
				}
				names = append(names, c.Name)
				usages = append(usages, usage.String())
			}
			break
		}
	}
	ann[OffendingContainersKey] = strings.Join(names, ",")
	ann[OffendingContainersUsageKey] = strings.Join(usages, ",")
	ann[StarvedResourceKey] = string(res)
	return msg, ann
}

// thresholdMetInfo is the first threshold of the resource with an
// observation: its quantity and what is available (helpers.go
// getThresholdMetInfo).
func thresholdMetInfo(res corev1.ResourceName, ts []Threshold, obs Observations) (*resource.Quantity, *resource.Quantity) {
	for _, t := range ts {
		if signalToResource[t.Signal] != res {
			continue
		}
		if ob, ok := obs[t.Signal]; ok {
			return Quantity(t.Value, ob.capacity), ob.available
		}
	}
	return nil, nil
}

// AdmissionMessage is the message of a pod the kubelet refuses under
// pressure (eviction_manager.go Admit, nodeConditionMessageFmt): Go's %v of
// the condition list, "The node had condition: [DiskPressure]. ".
func AdmissionMessage(conds []corev1.NodeConditionType) string {
	return fmt.Sprintf(nodeConditionMessageFmt, conds)
}
