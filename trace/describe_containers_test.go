package trace

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

func TestDescribeProbe(t *testing.T) {
	attrs := func(p *corev1.Probe) *corev1.Probe {
		p.InitialDelaySeconds, p.TimeoutSeconds, p.PeriodSeconds, p.SuccessThreshold, p.FailureThreshold = 10, 1, 5, 1, 3
		return p
	}
	const tail = " delay=10s timeout=1s period=5s #success=1 #failure=3"
	tests := []struct {
		name  string
		probe *corev1.Probe
		want  string
	}{
		{"exec", execProbe(10, 5, "cat", "/tmp/healthy"), "exec [cat /tmp/healthy]" + tail},
		{"http", attrs(&corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
			Path: "/healthz", Port: intstr.FromInt32(8080), Scheme: corev1.URISchemeHTTP}}}),
			"http-get http://:8080/healthz" + tail},
		{"https, host, named port", attrs(&corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
			Host: "example.com", Path: "/", Port: intstr.FromString("web"), Scheme: corev1.URISchemeHTTPS}}}),
			"http-get https://example.com:web/" + tail},
		{"http, IPv6 host", attrs(&corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
			Host: "fd00::1", Path: "/healthz", Port: intstr.FromInt32(8080), Scheme: corev1.URISchemeHTTP}}}),
			"http-get http://[fd00::1]:8080/healthz" + tail},
		{"tcp", attrs(&corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(3306)}}}),
			"tcp-socket :3306" + tail},
		{"tcp, host", attrs(&corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{
			Host: "db", Port: intstr.FromString("mysql")}}}),
			"tcp-socket db:mysql" + tail},
		{"grpc", attrs(&corev1.Probe{ProbeHandler: corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 9090, Service: ptr.To("")}}}),
			"grpc <pod>:9090 " + tail},
		{"unknown", attrs(&corev1.Probe{}), "unknown delay=10s timeout=1s period=5s #success=1 #failure=3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, describeProbe(tc.probe))
		})
	}
}
