package behavior

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// docs/images.md lists every image and program of the catalogue.
func TestCatalogueIsDocumented(t *testing.T) {
	data, err := os.ReadFile("../docs/images.md")
	require.NoError(t, err)
	doc := string(data)
	for _, name := range KnownImages() {
		require.True(t, strings.Contains(doc, "`"+name+"`"), "docs/images.md does not list the image %s", name)
	}
	for _, p := range Programs() {
		for _, n := range p.Names {
			require.True(t, strings.Contains(doc, "`"+n+"`"), "docs/images.md does not list the program %s", n)
		}
	}
	for _, sub := range agnhostSubcommands {
		require.True(t, strings.Contains(doc, "`"+sub), "docs/images.md does not list agnhost %s", sub)
	}
}

// What the catalogue's programs do, run as a shell script would run them.
func TestCataloguedPrograms(t *testing.T) {
	const forever = Never
	tests := []struct {
		name   string
		script string
		files  []string // files the container holds first
		// want: the exit status at the end (-1: still running at 1 h), a
		// file the script leaves, a port it listens on.
		want    int
		file    string
		port    int
		http200 string
	}{
		{name: "printenv names", script: "printenv HOSTNAME KUBERNETES_PORT", want: 0},
		{name: "echo -en", script: `echo -en '\n'; exit 3`, want: 3},
		{name: "wget -O downloads", script: "wget -O /work-dir/index.html http://info.cern.ch", want: 0, file: "/work-dir/index.html"},
		{name: "wget to standard output", script: "wget -qO- http://example.com/a", want: 0},
		{name: "wget a base name", script: "wget http://example.com/data.tar.gz", want: 0, file: "/data.tar.gz"},
		{name: "wget a Service that does not resolve", script: "wget -q -O /x http://backend:8080/", want: 1},
		{name: "tail -F follows forever", script: "tail -F /var/log/app.log", want: -1},
		{name: "tail -f on a missing file fails", script: "tail -f /nope", want: 1},
		{name: "tail -f on a file follows", script: "touch /a; tail -f /a", want: -1},
		{name: "tail -f /dev/null waits forever", script: "tail -f /dev/null", want: -1},
		{name: "tail -n reads", script: "tail -n 4 /nope", want: 1},
		{name: "head of a file", script: "touch /a; head -n 4 /a", want: 0},
		{name: "nc listens", script: "nc -lk -p 5000", want: -1, port: 5000},
		{name: "busybox httpd in the foreground", script: "httpd -f -p 8080 -h /www", want: -1, http200: "8080"},
		{name: "busybox httpd daemonizes", script: "httpd -p 8080; sleep 5", want: 0, http200: "8080"},
		{name: "python http.server", script: "python3 -m http.server 9000", want: -1, http200: "9000"},
		{name: "python http.server's default port", script: "python -m http.server", want: -1, http200: "8000"},
		{name: "perl pi", script: `perl -Mbignum=bpi -wle "print bpi(20)"`, want: 0},
		{name: "killall with no such process", script: "killall nginx", want: 1},
		{name: "killall -0 with no such process", script: "killall -0 nginx", want: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseShell(tc.script)
			require.NoError(t, err)
			spec := Spec{Main: s, Files: tc.files, Userland: BusyBox, Names: []string{"sh"}}
			inst := spec.Start(0)
			at := time.Duration(0)
			for at < time.Hour {
				next, err := inst.Main.Advance(at, noDNS{})
				require.NoError(t, err)
				if next == forever {
					break
				}
				at = next
			}
			code, exited := inst.Main.Exited()
			if tc.want < 0 {
				require.False(t, exited, "still running")
			} else {
				require.True(t, exited)
				require.Equal(t, tc.want, code)
			}
			if tc.file != "" {
				require.True(t, inst.Container.HasFile(tc.file), tc.file)
			}
			if tc.port != 0 {
				require.True(t, inst.Container.Listening(tc.port))
			}
			if tc.http200 != "" {
				p := 0
				for _, c := range tc.http200 {
					p = p*10 + int(c-'0')
				}
				code, up := inst.Container.HTTPStatus(p, "/")
				require.True(t, up)
				require.Equal(t, 200, code)
			}
		})
	}
}

// nginx -s quit in an exec session stops the nginx image's server
// gracefully; killall -0 nginx then fails, ending the docs' preStop loop.
func TestNginxQuitFromAHook(t *testing.T) {
	spec, err := FromContainer("nginx", nil, nil)
	require.NoError(t, err)
	inst := spec.Start(0)
	_, err = inst.Main.Advance(0, nil)
	require.NoError(t, err)
	hook, err := inst.Container.Exec([]string{"/bin/sh", "-c", "nginx -s quit; while killall -0 nginx; do sleep 1; done"}, time.Second)
	require.NoError(t, err)
	next, err := hook.Advance(time.Second, nil)
	require.NoError(t, err)
	require.True(t, inst.Container.TakeMainWake(), "the hook signalled the main process")
	require.False(t, inst.Container.TakeMainWake(), "a wake is taken once")
	_, err = inst.Main.Advance(time.Second+serverStop, nil)
	require.NoError(t, err)
	code, exited := inst.Main.Exited()
	require.True(t, exited)
	require.Equal(t, 0, code, "SIGQUIT is nginx's graceful stop")
	_, err = hook.Advance(next, nil)
	require.NoError(t, err)
	code, exited = hook.Exited()
	require.True(t, exited, "the loop ends once nginx is gone")
	require.Equal(t, 0, code)
}

// The agnhost liveness server: healthy 10 s, then 500.
func TestAgnhostLiveness(t *testing.T) {
	spec, err := FromContainer("registry.k8s.io/e2e-test-images/agnhost:2.40", nil, []string{"liveness"})
	require.NoError(t, err)
	require.Equal(t, goStop, spec.Stop)
	inst := spec.Start(0)
	next, err := inst.Main.Advance(0, nil)
	require.NoError(t, err)
	code, _ := inst.Container.HTTPStatus(8080, "/healthz")
	require.Equal(t, 200, code)
	_, err = inst.Main.Advance(next, nil)
	require.NoError(t, err)
	require.Greater(t, next, 10*time.Second)
	code, _ = inst.Container.HTTPStatus(8080, "/healthz")
	require.Equal(t, 500, code)
	_, err = FromContainer("registry.k8s.io/e2e-test-images/agnhost:2.40", nil, []string{"nosuch"})
	require.ErrorContains(t, err, "podsim's catalogue does not know agnhost nosuch")
}

// Redirects, as the prober follows them (pkg/probe/http/http.go).
func TestHTTPRedirects(t *testing.T) {
	sc := Script{
		ServeRedirect(8080, "/old", 301, "/healthz"), ServeHTTP(8080, "/healthz", 200),
		ServeRedirect(8080, "/login", 302, "https://sso.example.com/login"),
		ServeRedirect(8080, "/rel", 307, "healthz"),
		ServeRedirect(8080, "/gone", 302, "/nowhere"),
		ServeRedirect(8080, "/loop", 302, "/loop"),
	}
	inst := (&Spec{Main: sc}).Start(0)
	_, err := inst.Main.Advance(0, nil)
	require.NoError(t, err)
	for path, want := range map[string]int{
		"/old": 200, "/login": 302, "/rel": 200, "/gone": 404, "/loop": TooManyRedirects,
	} {
		code, up := inst.Container.HTTPStatus(8080, path)
		require.True(t, up)
		require.Equal(t, want, code, path)
	}
}
