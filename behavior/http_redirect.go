package behavior

import (
	"net/url"
	"strings"
)

// HTTP redirects, as the kubelet's prober follows them
// (pkg/probe/http/http.go RedirectChecker): a redirect to the same host is
// followed, at most 10 times; one to another host ends the request with
// the redirect's own response, which the prober takes as a success with a
// warning ("Probe terminated redirects"). podsim's servers know no host
// name, so a relative Location ("/healthz/ok") is the same host and an
// absolute one ("https://login.example.com/") is another.

// TooManyRedirects is the status HTTPStatus answers when the eleventh
// redirect would be followed: the Go client's "stopped after 10
// redirects", a failure.
const TooManyRedirects = -10

// maxRedirects is the Go HTTP client's bound, which the prober keeps.
const maxRedirects = 10

// ServeRedirect answers a GET of path on port with status (301, 302, 303,
// 307, 308) and a Location header, and listens on the port.
func ServeRedirect(port int, path string, status int, location string) Stmt {
	return simple{op: opHTTP, port: port, path: path, n: int64(status), text: location}
}

func (pt *port) setRedirect(path, location string) {
	if location == "" {
		delete(pt.redirects, path)
		return
	}
	if pt.redirects == nil {
		pt.redirects = map[string]string{}
	}
	pt.redirects[path] = location
}

// answer is what port answers for path: its status and Location.
func (pt *port) answer(path string) (int, string) {
	for _, p := range []string{path, AnyPath} {
		if code, ok := pt.http[p]; ok {
			return code, pt.redirects[p]
		}
	}
	return 404, "" // a web server's answer for an unknown path
}

// followRedirects answers a GET of path on port p, following local
// redirects as the prober does.
func (c *Container) followRedirects(p int, path string) (int, bool) {
	pt := c.ports[p]
	for hops := 0; ; hops++ {
		code, loc := pt.answer(path)
		if code < 300 || code >= 400 || loc == "" {
			return code, true
		}
		next, local := localTarget(path, loc)
		if !local {
			return code, true // another host: the redirect is the answer
		}
		if hops == maxRedirects {
			return TooManyRedirects, true
		}
		path = next
	}
}

// localTarget resolves a Location against the request's path: a relative
// reference stays on the host (and port), an absolute URL leaves it.
func localTarget(path, location string) (string, bool) {
	u, err := url.Parse(location)
	if err != nil || u.IsAbs() || u.Host != "" {
		return "", false
	}
	base := &url.URL{Path: path}
	target := base.ResolveReference(u)
	if target.Path == "" {
		return "/", true
	}
	return strings.TrimSuffix(target.Path, "?"), true
}
