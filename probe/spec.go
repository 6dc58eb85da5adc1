package probe

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Kind is the type of a probe.
type Kind uint8

const (
	Liveness Kind = iota
	Readiness
	Startup
)

// String is the probe type as the kubelet prints it in events
// (pkg/kubelet/prober/prober_manager.go probeType.String).
func (k Kind) String() string {
	switch k {
	case Liveness:
		return "Liveness"
	case Readiness:
		return "Readiness"
	default:
		return "Startup"
	}
}

// Field is the container field that holds the probe, e.g. livenessProbe.
func (k Kind) Field() string {
	switch k {
	case Liveness:
		return "livenessProbe"
	case Readiness:
		return "readinessProbe"
	default:
		return "startupProbe"
	}
}

// Spec is a probe with the API defaults applied, ready for the worker.
type Spec struct {
	Kind                          Kind
	InitialDelaySeconds           int32
	Timeout                       time.Duration
	Period                        time.Duration
	SuccessThreshold              int32
	FailureThreshold              int32
	TerminationGracePeriodSeconds *int64
	Handler                       Handler
}

// Handler is what a probe runs: exactly one of its fields is set.
type Handler struct {
	Exec []string
	HTTP *HTTPGet
	TCP  *TCPSocket
	GRPC *GRPC
}

// HTTPGet is an httpGet probe. Port is the resolved port number; PortName
// keeps a named port for the error message when it cannot be resolved.
type HTTPGet struct {
	Scheme   string
	Host     string
	Port     int
	PortName string // a named port, kept for the error when it does not resolve
	Path     string
	Headers  []corev1.HTTPHeader
}

// TCPSocket is a tcpSocket probe.
type TCPSocket struct {
	Host     string
	Port     int
	PortName string
}

// GRPC is a grpc probe; Service "" asks about the server as a whole.
type GRPC struct {
	Port    int
	Service string
}

// Defaults of pkg/apis/core/v1/defaults.go SetDefaults_Probe and
// SetDefaults_HTTPGetAction.
const (
	DefaultTimeoutSeconds   = 1
	DefaultPeriodSeconds    = 10
	DefaultSuccessThreshold = 1
	DefaultFailureThreshold = 3
	DefaultHTTPPath         = "/"
)

// ApplyDefaults fills the fields the API server defaults, in place, as
// SetDefaults_Probe and SetDefaults_HTTPGetAction do.
func ApplyDefaults(p *corev1.Probe) {
	if p == nil {
		return
	}
	if p.TimeoutSeconds == 0 {
		p.TimeoutSeconds = DefaultTimeoutSeconds
	}
	if p.PeriodSeconds == 0 {
		p.PeriodSeconds = DefaultPeriodSeconds
	}
	if p.SuccessThreshold == 0 {
		p.SuccessThreshold = DefaultSuccessThreshold
	}
	if p.FailureThreshold == 0 {
		p.FailureThreshold = DefaultFailureThreshold
	}
	if h := p.HTTPGet; h != nil {
		if h.Path == "" {
			h.Path = DefaultHTTPPath
		}
		if h.Scheme == "" {
			h.Scheme = corev1.URISchemeHTTP
		}
	}
}

// Compile turns a defaulted, validated API probe of container c into a Spec.
// Named ports are resolved against the container's ports; a name that does
// not resolve is kept as port 0 and the probe errors at run time, as the
// kubelet's does (pkg/probe/util.go ResolveContainerPort).
func Compile(p *corev1.Probe, kind Kind, c *corev1.Container) Spec {
	s := Spec{
		Kind:                          kind,
		InitialDelaySeconds:           p.InitialDelaySeconds,
		Timeout:                       time.Duration(p.TimeoutSeconds) * time.Second,
		Period:                        time.Duration(p.PeriodSeconds) * time.Second,
		SuccessThreshold:              p.SuccessThreshold,
		FailureThreshold:              p.FailureThreshold,
		TerminationGracePeriodSeconds: p.TerminationGracePeriodSeconds,
	}
	switch {
	case p.Exec != nil:
		s.Handler.Exec = p.Exec.Command
	case p.HTTPGet != nil:
		s.Handler.HTTP = &HTTPGet{
			Scheme:   string(p.HTTPGet.Scheme),
			Host:     p.HTTPGet.Host,
			Port:     ResolvePort(p.HTTPGet.Port, c),
			PortName: p.HTTPGet.Port.StrVal,
			Path:     p.HTTPGet.Path,
			Headers:  p.HTTPGet.HTTPHeaders,
		}
	case p.TCPSocket != nil:
		s.Handler.TCP = &TCPSocket{Host: p.TCPSocket.Host, Port: ResolvePort(p.TCPSocket.Port, c), PortName: p.TCPSocket.Port.StrVal}
	case p.GRPC != nil:
		g := &GRPC{Port: int(p.GRPC.Port)}
		if p.GRPC.Service != nil {
			g.Service = *p.GRPC.Service
		}
		s.Handler.GRPC = g
	}
	return s
}

// ResolvePort returns the port number of a numeric or named port of the
// container, or 0 when a name matches no container port.
func ResolvePort(port intstr.IntOrString, c *corev1.Container) int {
	if port.Type == intstr.Int {
		return port.IntValue()
	}
	for _, p := range c.Ports {
		if p.Name == port.StrVal {
			return int(p.ContainerPort)
		}
	}
	return 0
}
