package behavior

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var nginxFiles = []string{"/etc/nginx/nginx.conf", "/usr/share/nginx/html/index.html"}

// The seed manifests (docs/seed-timelines.md) give the Specs
// internal/seeds writes by hand.
func TestFromContainerSeeds(t *testing.T) {
	tests := []struct {
		name    string
		image   string
		command []string
		args    []string
		want    Spec
	}{
		{"1b liveness: centos with args", "centos", nil,
			[]string{"/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy; sleep 600"},
			Spec{
				Main:     Script{Touch("/tmp/healthy"), Sleep(30 * s), Remove("/tmp/healthy"), Sleep(600 * s)},
				Stop:     IgnoreStop(),
				Userland: GNU,
			}},
		{"1d no-sigterm: command and args", "centos", []string{"/bin/sh"},
			[]string{"-c", "while true; do echo hello; sleep 10;done"},
			Spec{Main: Script{Forever(Echo("hello"), Sleep(10*s))}, Stop: IgnoreStop()}},
		{"1g init container waiting for a Service", "busybox:1.28",
			[]string{"sh", "-c", "until nslookup myservice.default.svc.cluster.local; do echo waiting for myservice; sleep 2; done"}, nil,
			Spec{
				Main:     Script{Until(Resolve("myservice.default.svc.cluster.local"), Echo("waiting for myservice"), Sleep(2*s))},
				Stop:     IgnoreStop(),
				Userland: BusyBox,
			}},
		{"1g app container", "busybox:1.28", []string{"sh", "-c", "echo The app is running! && sleep 3600"}, nil,
			Spec{Main: Script{And(Echo("The app is running!"), Sleep(time.Hour))}, Stop: IgnoreStop(), Userland: BusyBox}},
		{"1f nginx with nothing", "nginx:1.25.2", nil, nil,
			Spec{
				Main:  Script{ServeHTTP(80, "/", 200), Forever(Sleep(time.Hour))},
				Stop:  ExitOnStop(100*time.Millisecond, 0),
				Files: nginxFiles,
			}},
		{"kubectl run --image=busybox", "busybox", nil, nil, Spec{Stop: IgnoreStop(), Userland: BusyBox}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FromContainer(tc.image, tc.command, tc.args)
			require.NoError(t, err)
			require.Equal(t, tc.want.Main.String(), got.Main.String())
			got.Names = nil // TestFromContainerNames
			require.Equal(t, tc.want, got)
		})
	}
}

// A shell as PID 1 ignores SIGTERM: the seed 1d container lives until SIGKILL.
func TestFromContainerShellIgnoresSIGTERM(t *testing.T) {
	spec, err := FromContainer("centos", []string{"/bin/sh"}, []string{"-c", "while true; do echo hello; sleep 10;done"})
	require.NoError(t, err)
	p := spec.Start(0).Main
	_, err = p.Advance(0, nil)
	require.NoError(t, err)
	require.Equal(t, Never, p.Signal(SIGTERM, 10*s))
	next, err := p.Advance(60*s, nil)
	require.NoError(t, err)
	require.Equal(t, 70*s, next, "still echoing every 10 s")
	require.Equal(t, 70*s, p.Signal(SIGKILL, 70*s))
	code, exited := p.Exited()
	require.True(t, exited)
	require.Equal(t, 137, code)
}

func TestFromContainer(t *testing.T) {
	serve80 := Script{ServeHTTP(80, "/", 200), Forever(Sleep(time.Hour))}
	serverStop := ExitOnStop(100*time.Millisecond, 0)
	tests := []struct {
		name    string
		image   string
		command []string
		args    []string
		want    Spec
	}{
		{"the docs' init container reads its namespace", "busybox:1.28",
			[]string{"sh", "-c", "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"}, nil,
			Spec{Main: Script{Until(Resolve("myservice."+NamespaceSubstitution+".svc.cluster.local"), Echo("waiting for myservice"), Sleep(2*time.Second))}, Stop: IgnoreStop(), Userland: BusyBox}},
		{"nginx args run through the entrypoint", "nginx", nil, []string{"sleep", "3600"},
			Spec{Main: Script{Sleep(time.Hour)}, Stop: IgnoreStop(), Files: nginxFiles}},
		{"nginx args naming the server", "nginx", nil, []string{"nginx-debug", "-g", "daemon off;"},
			Spec{Main: serve80, Stop: serverStop, Files: nginxFiles}},
		{"nginx command is the server", "nginx", []string{"nginx", "-g", "daemon off; worker_processes 2;"}, nil,
			Spec{Main: serve80, Stop: serverStop, Files: nginxFiles}},
		{"nginx command is the entrypoint", "nginx", []string{"/docker-entrypoint.sh", "nginx", "-g", "daemon off;"}, nil,
			Spec{Main: serve80, Stop: serverStop, Files: nginxFiles}},
		{"nginx without daemon off forks and exits", "nginx", []string{"/usr/sbin/nginx"}, nil,
			Spec{Main: Script{ServeHTTP(80, "/", 200)}, Stop: serverStop, Files: nginxFiles}},
		{"the entrypoint with nothing to exec", "nginx", []string{"/docker-entrypoint.sh"}, nil,
			Spec{Stop: IgnoreStop(), Files: nginxFiles}},
		{"nginx alpine", "nginx:1.25-alpine", nil, nil,
			Spec{Main: serve80, Stop: serverStop, Userland: BusyBox, Files: nginxFiles}},
		{"nginx run by a shell script", "nginx",
			[]string{"/bin/sh", "-c", "echo hello > /usr/share/nginx/html/index.html && nginx -g 'daemon off;'"}, nil,
			Spec{
				Main:  Script{And(WriteFile("/usr/share/nginx/html/index.html", "hello"), subprocess(serve80))},
				Stop:  IgnoreStop(), // the shell is PID 1: nginx never sees SIGTERM
				Files: nginxFiles,
			}},
		{"httpd with nothing", "httpd:2.4", nil, nil,
			Spec{Main: serve80, Stop: serverStop, Files: []string{"/usr/local/apache2/conf/httpd.conf", "/usr/local/apache2/htdocs/index.html"}}},
		{"httpd -D FOREGROUND", "httpd", []string{"httpd", "-D", "FOREGROUND"}, nil,
			Spec{Main: serve80, Stop: serverStop, Files: []string{"/usr/local/apache2/conf/httpd.conf", "/usr/local/apache2/htdocs/index.html"}}},
		{"redis with nothing", "redis:7", nil, nil,
			Spec{Main: Script{Listen(6379), Forever(Sleep(time.Hour))}, Stop: serverStop}},
		{"redis options go to redis-server", "redis", nil, []string{"--port", "7000", "--appendonly", "yes"},
			Spec{Main: Script{Listen(7000), Forever(Sleep(time.Hour))}, Stop: serverStop}},
		{"redis configuration file", "redis", nil, []string{"/usr/local/etc/redis/redis.conf"},
			Spec{Main: Script{Listen(6379), Forever(Sleep(time.Hour))}, Stop: serverStop}},
		{"redis options with several values", "redis", []string{"redis-server", "--save", "60", "1", "--loglevel", "warning"}, nil,
			Spec{Main: Script{Listen(6379), Forever(Sleep(time.Hour))}, Stop: serverStop}},
		{"redis daemonized", "redis", nil, []string{"redis-server", "--daemonize", "yes"},
			Spec{Main: Script{Listen(6379)}, Stop: serverStop}},
		{"pause", "registry.k8s.io/pause:3.9", nil, nil,
			Spec{Main: Script{Forever(Sleep(time.Hour))}, Stop: ExitOnStop(0, 0)}},
		{"pause -v", "registry.k8s.io/pause:3.9", nil, []string{"-v"}, Spec{Stop: ExitOnStop(0, 0)}},
		{"sleep as PID 1", "busybox", []string{"sleep", "infinity"}, nil,
			Spec{Main: Script{Forever(Sleep(time.Hour))}, Stop: IgnoreStop(), Userland: BusyBox}},
		{"args alone without an entrypoint", "busybox", nil, []string{"/bin/sleep", "10"},
			Spec{Main: Script{Sleep(10 * s)}, Stop: IgnoreStop(), Userland: BusyBox}},
		{"no shell: no expansion", "busybox", []string{"echo", "$HOME", "*"}, nil,
			Spec{Main: Script{Echo("$HOME *")}, Stop: IgnoreStop(), Userland: BusyBox}},
		{"$$ is a dollar sign", "busybox", []string{"echo", "$$(HOME)", "$1"}, nil,
			Spec{Main: Script{Echo("$(HOME) $1")}, Stop: IgnoreStop(), Userland: BusyBox}},
		{"a shell with no script", "alpine", []string{"/bin/sh"}, nil, Spec{Stop: IgnoreStop(), Userland: BusyBox}},
		{"ubuntu with nothing", "ubuntu", nil, nil, Spec{Stop: IgnoreStop()}},
		{"unknown image with a command", "myapp:1.0", []string{"sh", "-c", "sleep 5; exit 1"}, nil,
			Spec{Main: Script{Sleep(5 * s), Exit(1)}, Stop: IgnoreStop()}},
		{"unknown Alpine image", "python:3.12-alpine", []string{"sleep", "5"}, nil,
			Spec{Main: Script{Sleep(5 * s)}, Stop: IgnoreStop(), Userland: BusyBox}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FromContainer(tc.image, tc.command, tc.args)
			require.NoError(t, err)
			require.Equal(t, tc.want.Main.String(), got.Main.String())
			got.Names = nil // TestFromContainerNames
			require.Equal(t, tc.want, got)
		})
	}
}

func TestFromContainerErrors(t *testing.T) {
	known := describeImages()
	tests := []struct {
		name    string
		image   string
		command []string
		args    []string
		want    string
	}{
		{"unknown image and no command", "myapp:1.0", nil, nil,
			`podsim cannot tell what the container runs: the container gives no command and podsim does not know what the image "myapp:1.0" runs (` + known + `)`},
		{"unknown image and args alone", "myapp:1.0", nil, []string{"--port", "80"},
			`podsim cannot read the command "--port 80": the args go to the ENTRYPOINT of the image "myapp:1.0", which podsim does not know (` + known + `): give the container a command`},
		{"no bash in busybox", "busybox", []string{"bash", "-c", "sleep 1"}, nil,
			`podsim cannot read the command "bash -c 'sleep 1'": the image "busybox" has no "bash" (its shells: sh, ash)`},
		{"nothing but pause in pause", "registry.k8s.io/pause:3.9", []string{"sh"}, nil,
			`podsim cannot read the command "sh": the image "registry.k8s.io/pause:3.9" holds no program but /pause, so "sh" cannot run`},
		{"a Kubernetes variable reference", "busybox", []string{"sh", "-c"}, []string{"echo $(MESSAGE)"},
			`podsim cannot read the command "sh -c 'echo $(MESSAGE)'": variable references are not supported: "$(MESSAGE)" (the kubelet expands them from the container's env, which podsim does not read)`},
		{"command substitution", "busybox:1.28",
			[]string{"sh", "-c", "until nslookup myservice.$(cat /etc/hostname); do sleep 2; done"}, nil,
			`podsim cannot read the command "sh -c 'until nslookup myservice.$(cat /etc/hostname); do sleep 2; done'": command substitution is not supported: "$(cat /etc/hostname)"`},
		{"$$ then a shell variable", "busybox", []string{"sh", "-c", "echo $$HOME"}, nil,
			`podsim cannot read the command "sh -c 'echo $HOME'": variables are not supported: "$HOME"`},
		{"a shell builtin as PID 1", "busybox", []string{"exit", "1"}, nil,
			`podsim cannot read the command "exit 1": "exit" is a shell builtin, not a program: run it with sh -c`},
		{"an unknown program", "centos", []string{"/app/server", "--port", "8080"}, nil,
			`podsim cannot read the command "/app/server --port 8080": unknown command "/app/server"`},
		{"args without an entrypoint are the command", "busybox", nil, []string{"-c", "sleep 1"},
			`podsim cannot read the command "-c 'sleep 1'": unknown command "-c"`},
		{"nginx with its own configuration", "nginx", []string{"nginx", "-c", "/etc/nginx/custom.conf"}, nil,
			`podsim cannot read the command "nginx -c /etc/nginx/custom.conf": podsim cannot tell whether nginx's configuration file turns daemon off: add -g "daemon off;"`},
		{"nginx signal", "nginx", nil, []string{"nginx", "-s", "restart"},
			`podsim cannot read the command "/docker-entrypoint.sh nginx -s restart": nginx: invalid option: "-s restart"`},
		{"redis port", "redis", nil, []string{"--port", "http"},
			`podsim cannot read the command "docker-entrypoint.sh --port http": redis-server --port "http" is not a port`},
		{"shell options", "centos", []string{"/bin/bash", "-ec", "sleep 1"}, nil,
			`podsim cannot read the command "/bin/bash -ec 'sleep 1'": the shell option "-ec" is not supported: podsim reads /bin/bash -c SCRIPT`},
		{"a pipe", "centos", []string{"sh", "-c", "sleep 10 | cat"}, nil,
			`podsim cannot read the command "sh -c 'sleep 10 | cat'": "cat" is not supported: podsim reads cat FILE`},
		{"quotes in the command line", "centos", []string{"sh", "-c", "echo 'it''s' | wc"}, nil,
			`podsim cannot read the command "sh -c 'echo '\\''it'\\'''\\''s'\\'' | wc'": unknown command "wc"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromContainer(tc.image, tc.command, tc.args)
			var ce *CommandError
			require.ErrorAs(t, err, &ce)
			require.Equal(t, tc.want, err.Error())
			wrapped := fmt.Errorf("container %q: %w", "c", err)
			require.ErrorAs(t, wrapped, &ce, "callers wrap it")
		})
	}
}

// The main process answers to its program's name, which killall and
// nginx -s find it by.
func TestFromContainerNames(t *testing.T) {
	for _, tc := range []struct {
		image         string
		command, args []string
		want          []string
	}{
		{"nginx", nil, nil, []string{"nginx"}},
		{"busybox", []string{"sh", "-c", "sleep 1"}, nil, []string{"sh"}},
		{"redis", nil, []string{"--port", "7000"}, []string{"redis-server"}},
		{"registry.k8s.io/e2e-test-images/agnhost:2.40", nil, []string{"liveness"}, []string{"agnhost"}},
		{"busybox", nil, nil, nil}, // sh with no script: nothing runs
	} {
		got, err := FromContainer(tc.image, tc.command, tc.args)
		require.NoError(t, err)
		if tc.want == nil {
			continue
		}
		require.Equal(t, tc.want, got.Names, "%s %q %q", tc.image, tc.command, tc.args)
	}
}

func TestShellQuote(t *testing.T) {
	require.Equal(t, `sh -c 'a b' '' 'it'\''s' x=1,y:2/3`, shellJoin([]string{"sh", "-c", "a b", "", "it's", "x=1,y:2/3"}))
	require.Equal(t, `nginx -g 'daemon off;'`, shellJoin([]string{"nginx", "-g", "daemon off;"}))
}

// Programs described alongside the image run from the command line and
// from scripts; without them the same command lines are errors.
func TestFromContainerWithCommands(t *testing.T) {
	cmds := map[string]Script{"/app/migrate": {Sleep(5 * time.Second)}, "/app/serve --port 8080": {Listen(8080)}}
	spec, err := FromContainerWith("example/app", []string{"sh", "-c", "/app/migrate && /app/serve --port 8080"}, nil, cmds)
	require.NoError(t, err)
	require.Equal(t, Script{And(subprocess{Sleep(5 * time.Second)}, subprocess{Listen(8080)})}, spec.Main)

	spec, err = FromContainerWith("example/app", []string{"/app/migrate"}, nil, cmds)
	require.NoError(t, err)
	require.Equal(t, Script{subprocess{Sleep(5 * time.Second)}}, spec.Main)

	_, err = FromContainer("example/app", []string{"/app/migrate"}, nil)
	require.EqualError(t, err, `podsim cannot read the command "/app/migrate": unknown command "/app/migrate"`)

	script, err := ParseShellWith("until /app/migrate; do sleep 1; done", cmds)
	require.NoError(t, err)
	require.Equal(t, Script{Until(subprocess{Sleep(5 * time.Second)}, Sleep(time.Second))}, script)
}
