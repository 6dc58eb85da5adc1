package behavior

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// AnyPath, as the path of ServeHTTP or the service of ServeGRPC, answers
// every path or service the port has no answer of its own for.
const AnyPath = "*"

// UnknownImageError is FromContainer's error for a container of an image
// the catalogue does not know that gives no command (or only args, which
// go to the image's unknown ENTRYPOINT): podsim cannot read what it runs.
// A caller may then assume what most applications are, AssumedServer, and
// say so.
type UnknownImageError struct {
	Image string
	Args  []string
	err   error
}

func (e *UnknownImageError) Error() string { return e.err.Error() }
func (e *UnknownImageError) Unwrap() error { return e.err }

// AssumedServer is podsim's assumption for an image it does not know: a
// long-running server that listens on ports (the container's declared
// ports and those its probes and hooks name), answers every HTTP path with
// 200 and every gRPC health service with SERVING, and exits 0 at once on
// SIGTERM, as most applications' servers do. Its userland is ImageUserland's
// guess.
func AssumedServer(image string, ports []int) Spec {
	u := ImageUserland(image)
	var s Script
	for _, p := range slices.Compact(slices.Sorted(slices.Values(ports))) {
		if p > 0 && p <= 65535 {
			s = append(s, ServeHTTP(p, AnyPath, 200), ServeGRPC(p, AnyPath, GRPCServing))
		}
	}
	name, _ := splitRef(image)
	return Spec{Main: append(s, sleepForever()), Stop: ExitOnStop(0, 0), Userland: u, Names: []string{path0(name)}}
}

// AssumedServerText is how podsim states the assumption, on standard error
// and in the trace header ("assumed: " before it).
func AssumedServerText(image string, ports []int) string {
	ports = slices.Compact(slices.Sorted(slices.Values(ports)))
	where := "listening on no port"
	if len(ports) > 0 {
		ps := make([]string, len(ports))
		for i, p := range ports {
			ps[i] = strconv.Itoa(p)
		}
		where = "listening on " + strings.Join(ps, ", ")
	}
	return fmt.Sprintf("image %s behaves as a healthy server (%s; podsim does not know the image)", image, where)
}
