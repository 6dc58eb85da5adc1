package behavior

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// The catalogue's images beyond the base images and web servers of
// image.go: the test images of the Kubernetes documentation and e2e tests
// (agnhost, goproxy, etcd, vish/stress, the google-samples apps), and the
// databases and language runtimes the docs run. docs/images.md lists them.

// goStop is the stop policy of a Go program with no SIGTERM handler as
// PID 1: the runtime's own handler resets the signal and raises it again,
// which the kernel ignores for an init, then exits with status 2
// (runtime/signal_unix.go dieFromSignal: "If we are still somehow running,
// just exit with the wrong status").
var goStop = ExitOnStop(0, 2)

func init() {
	for name, mk := range map[string]func(bool) imageInfo{
		"e2e-test-images/agnhost":            agnhostImage,
		"kubernetes-e2e-test-images/agnhost": agnhostImage,
		"goproxy":                            goproxyImage,
		"etcd":                               etcdImage,
		"vish/stress":                        vishStressImage,
		"google-samples/hello-app":           helloAppImage,
		"google-samples/node-hello":          nodeHelloImage,
		"mysql":                              mysqlImage,
		"postgres":                           postgresImage,
		"python":                             runtimeImage("python", "python3"),
		"perl":                               runtimeImage("perl", "perl"),
		"e2e-test-images/busybox":            func(bool) imageInfo { return shellImage("busybox", BusyBox, "sh", "sh", "ash") },
		"e2e-test-images/nginx":              nginxImage,
	} {
		images[name] = mk
	}
}

// agnhostImage is registry.k8s.io/e2e-test-images/agnhost: Alpine with
// bash, curl and nc added, ENTRYPOINT ["/agnhost"], CMD ["pause"]
// (test/images/agnhost/Dockerfile). Its subcommands are servers.
func agnhostImage(bool) imageInfo {
	img := imageInfo{
		Image: Image{Name: "e2e-test-images/agnhost", Entrypoint: []string{"/agnhost"}, Cmd: []string{"pause"},
			Userland: BusyBox, Default: Spec{Userland: BusyBox}},
		shells: []string{"sh", "ash", "bash"},
	}
	img.server = func(argv []string) (Script, bool, error) {
		if n := path0(argv[0]); n != "agnhost" && n != "agnhost-2" {
			return nil, false, nil
		}
		if len(argv) < 2 {
			return Script{Echo("agnhost: a subcommand is required")}, true, nil
		}
		main, err := agnhostCommand(argv[1], argv[2:])
		return main, err == nil, err
	}
	img.Default.Main, img.Default.Stop = agnhostPause(), ExitOnStop(0, 2)
	return img
}

// path0 is a program's base name.
func path0(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// agnhostPause is agnhost pause (test/images/agnhost/pause/pause.go): it
// prints Paused and waits; SIGTERM makes it exit 2, SIGINT 1.
func agnhostPause() Script { return Script{Echo("Paused"), sleepForever()} }

// agnhostSubcommands are the subcommands podsim knows, for errors.
var agnhostSubcommands = []string{"liveness", "netexec", "pause", "serve-hostname", "test-webserver"}

// agnhostCommand is what an agnhost subcommand does.
func agnhostCommand(sub string, args []string) (Script, error) {
	flags, err := agnhostFlags(sub, args)
	if err != nil {
		return nil, err
	}
	switch sub {
	case "liveness":
		// test/images/agnhost/liveness/server.go: /healthz answers 200
		// while the server has run 10 s or less, then 500; /started 200.
		return Script{
			ServeHTTP(8080, "/started", 200), ServeHTTP(8080, "/healthz", 200),
			Sleep(10*time.Second + time.Millisecond), ServeHTTP(8080, "/healthz", 500), sleepForever(),
		}, nil
	case "netexec":
		// netexec.go: an HTTP server on --http-port (8080) whose /healthz is
		// 200 once its UDP server on --udp-port (8081) runs.
		p := flags.int("http-port", 8080)
		s := Script{ServeHTTP(p, "/", 200), ServeHTTP(p, "/healthz", 200), ServeHTTP(p, "/hostname", 200),
			ServeHTTP(p, "/clientip", 200), ServeHTTP(p, "/echo", 200)}
		return append(s, sleepForever()), nil
	case "serve-hostname":
		// serve_hostname.go: the pod's hostname over HTTP on --port (9376).
		return Script{ServeHTTP(flags.int("port", 9376), "/", 200), sleepForever()}, nil
	case "test-webserver":
		// webserver.go: files over HTTP on --port (80).
		return Script{ServeHTTP(flags.int("port", 80), "/", 200), sleepForever()}, nil
	case "pause":
		return agnhostPause(), nil
	case "porter":
		return nil, failf("agnhost porter serves the ports its SERVE_PORT_ environment variables name, which podsim does not read: describe them in the Scenario's behaviors (serveHTTP steps)")
	}
	return nil, failf("podsim's catalogue does not know agnhost %s (it knows %s): describe what it does in the Scenario's behaviors", sub, strings.Join(agnhostSubcommands, ", "))
}

// cobraFlags are a Go program's --name=value and --name value flags.
type cobraFlags map[string]string

func (f cobraFlags) int(name string, def int) int {
	if v, ok := f[name]; ok {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

// agnhostFlags reads the flags of a subcommand; those with a number value
// must hold one.
func agnhostFlags(sub string, args []string) (cobraFlags, error) {
	f := cobraFlags{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			return nil, failf("agnhost %s takes no argument %q", sub, a)
		}
		name, val, ok := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !ok {
			if i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
				i++
				val = args[i]
			} else {
				val = "true"
			}
		}
		if strings.HasSuffix(name, "port") {
			if _, err := strconv.Atoi(val); err != nil {
				return nil, failf("agnhost %s: invalid argument %q for \"--%s\"", sub, val, name)
			}
		}
		f[name] = val
	}
	return f, nil
}

// goproxyImage is registry.k8s.io/goproxy, the TCP-probe page's example: a
// Go HTTP proxy on port 8080 and nothing else in the image.
func goproxyImage(bool) imageInfo {
	main := Script{Listen(8080), sleepForever()}
	img := imageInfo{
		Image:          Image{Name: "goproxy", Entrypoint: []string{"/goproxy"}, Default: Spec{Main: main, Stop: goStop}},
		shells:         []string{},
		onlyEntrypoint: true,
	}
	img.server = func(argv []string) (Script, bool, error) {
		if path0(argv[0]) != "goproxy" {
			return nil, false, nil
		}
		return main, true, nil
	}
	return img
}

// etcdImage is registry.k8s.io/etcd: etcd serves its clients, with the
// gRPC health service, on the ports of --listen-client-urls (2379).
func etcdImage(bool) imageInfo {
	img := imageInfo{
		Image: Image{Name: "etcd", Cmd: []string{"/usr/local/bin/etcd"}, Default: Spec{Stop: ExitOnStop(serverStop, 0)}},
	}
	img.server = func(argv []string) (Script, bool, error) {
		if path0(argv[0]) != "etcd" {
			return nil, false, nil
		}
		ports := []int{2379}
		for i := 1; i < len(argv); i++ {
			a, val := argv[i], ""
			if name, v, ok := strings.Cut(a, "="); ok {
				a, val = name, v
			} else if i+1 < len(argv) {
				val = argv[i+1]
			}
			if a == "--listen-client-urls" {
				ports = ports[:0]
				for u := range strings.SplitSeq(val, ",") {
					p, ok := portNumber(strings.TrimRight(u, "/"))
					if !ok {
						return nil, false, failf("etcd: --listen-client-urls %q: a URL without a port", u)
					}
					ports = append(ports, p)
				}
			}
		}
		var s Script
		for _, p := range ports {
			s = append(s, ServeGRPC(p, "", GRPCServing), ServeHTTP(p, "/health", 200))
		}
		return append(s, sleepForever()), true, nil
	}
	img.Default.Main, _, _ = img.server([]string{"etcd"})
	return img
}

// vishStressImage is vish/stress, the CPU-limit page's load: a Go program
// (ENTRYPOINT ["/stress"]) that burns -cpus CPUs and allocates -mem-total
// bytes, until stopped.
func vishStressImage(bool) imageInfo {
	img := imageInfo{
		Image:          Image{Name: "vish/stress", Entrypoint: []string{"/stress"}, Default: Spec{Stop: goStop}},
		shells:         []string{},
		onlyEntrypoint: true,
	}
	img.server = func(argv []string) (Script, bool, error) {
		if path0(argv[0]) != "stress" {
			return nil, false, nil
		}
		var s Script
		for i := 1; i < len(argv); i++ {
			name, val, ok := strings.Cut(strings.TrimLeft(argv[i], "-"), "=")
			if !ok && i+1 < len(argv) {
				i++
				val = argv[i]
			}
			switch name {
			case "cpus", "mem-alloc-size", "mem-alloc-sleep", "logtostderr", "v":
			case "mem-total":
				n, err := stressBytes(strings.TrimSuffix(strings.ToLower(val), "i"))
				if err != nil {
					return nil, false, failf("vish/stress: invalid -mem-total %q", val)
				}
				s = append(s, UseMemory(n))
			default:
				return nil, false, failf("vish/stress: flag provided but not defined: -%s", name)
			}
		}
		return append(s, sleepForever()), true, nil
	}
	img.Default.Main = Script{sleepForever()}
	return img
}

// helloAppImage is gcr.io/google-samples/hello-app, a Go web server on
// $PORT (8080) answering "Hello, world!" at /.
func helloAppImage(bool) imageInfo {
	return imageInfo{Image: Image{Name: "google-samples/hello-app", Cmd: []string{"/hello-app"},
		Default: Spec{Main: Script{ServeHTTP(8080, "/", 200), sleepForever()}, Stop: goStop}}}
}

// nodeHelloImage is gcr.io/google-samples/node-hello: node serving HTTP
// on 8080. node installs no SIGTERM handler, so as PID 1 it ignores it.
func nodeHelloImage(bool) imageInfo {
	return imageInfo{Image: Image{Name: "google-samples/node-hello", Cmd: []string{"node", "server.js"},
		Default: Spec{Main: Script{ServeHTTP(8080, "/", 200), sleepForever()}, Stop: IgnoreStop()}}}
}

// Database start-up: the entrypoint initializes a new data directory, then
// the server listens. podsim takes these times for a first start, the
// order of magnitude of the images' own logs.
const (
	mysqlInit    = 10 * time.Second
	postgresInit = 3 * time.Second
)

// mysqlImage: docker-entrypoint.sh initializes the data directory (given
// MYSQL_ROOT_PASSWORD or one of its alternatives, which podsim takes to be
// set) and execs mysqld, which listens on 3306 and 33060 and shuts down
// cleanly on SIGTERM.
func mysqlImage(alpine bool) imageInfo {
	return databaseImage("mysql", "mysqld", mysqlInit, []int{3306, 33060})
}

// postgresImage: docker-entrypoint.sh runs initdb (given POSTGRES_PASSWORD,
// which podsim takes to be set) and execs postgres on 5432; SIGINT is its
// STOPSIGNAL, a fast shutdown.
func postgresImage(alpine bool) imageInfo {
	img := databaseImage("postgres", "postgres", postgresInit, []int{5432})
	if alpine {
		img.Userland, img.Default.Userland, img.shells = BusyBox, BusyBox, []string{"sh", "ash"}
	}
	return img
}

func databaseImage(name, server string, init time.Duration, ports []int) imageInfo {
	setup := Script{Sleep(init)}
	for _, p := range ports {
		setup = append(setup, Listen(p))
	}
	img := imageInfo{
		Image: Image{Name: name, Entrypoint: []string{"docker-entrypoint.sh"}, Cmd: []string{server}, Userland: GNU,
			Default: Spec{Main: foreground(setup), Stop: ExitOnStop(time.Second, 0), Userland: GNU}},
		shells:     []string{"sh", "bash"},
		entrypoint: execArgs,
	}
	img.server = func(argv []string) (Script, bool, error) {
		if path0(argv[0]) != server {
			return nil, false, nil
		}
		return foreground(setup), true, nil
	}
	return img
}

// runtimeImage is a language runtime's image (Debian, GNU userland) whose
// CMD is the interpreter: its programs are the catalogue's.
func runtimeImage(name, cmd string) func(bool) imageInfo {
	return func(alpine bool) imageInfo {
		u, sh := GNU, []string{"sh", "bash", "dash"}
		if alpine {
			u, sh = BusyBox, []string{"sh", "ash"}
		}
		return imageInfo{Image: Image{Name: name, Cmd: []string{cmd}, Userland: u, Default: Spec{Stop: IgnoreStop(), Userland: u}},
			shells: slices.Clone(sh)}
	}
}
