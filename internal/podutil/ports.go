package podutil

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// ContainerPorts are the TCP ports a container declares, and those its
// probes and lifecycle hooks name (a named port resolves through its
// ports).
func ContainerPorts(c *corev1.Container) []int {
	var ports []int
	for _, p := range c.Ports {
		if p.Protocol == "" || p.Protocol == corev1.ProtocolTCP {
			ports = append(ports, int(p.ContainerPort))
		}
	}
	resolve := func(p intstr.IntOrString) {
		if p.Type == intstr.Int {
			ports = append(ports, p.IntValue())
			return
		}
		for _, cp := range c.Ports {
			if cp.Name == p.StrVal {
				ports = append(ports, int(cp.ContainerPort))
			}
		}
	}
	handler := func(h *corev1.ProbeHandler) {
		switch {
		case h == nil:
		case h.HTTPGet != nil:
			resolve(h.HTTPGet.Port)
		case h.TCPSocket != nil:
			resolve(h.TCPSocket.Port)
		case h.GRPC != nil:
			ports = append(ports, int(h.GRPC.Port))
		}
	}
	for _, pr := range []*corev1.Probe{c.LivenessProbe, c.ReadinessProbe, c.StartupProbe} {
		if pr != nil {
			handler(&pr.ProbeHandler)
		}
	}
	if lc := c.Lifecycle; lc != nil {
		for _, h := range []*corev1.LifecycleHandler{lc.PostStart, lc.PreStop} {
			if h == nil {
				continue
			}
			if h.HTTPGet != nil {
				resolve(h.HTTPGet.Port)
			}
			if h.TCPSocket != nil {
				resolve(h.TCPSocket.Port)
			}
		}
	}
	return ports
}
