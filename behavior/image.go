package behavior

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Image is podsim's knowledge of a well-known image: what its entrypoint
// does by default, its userland, its stop behaviour.
type Image struct {
	Name       string   // repository, e.g. "nginx", "busybox"
	Entrypoint []string // the image's ENTRYPOINT (nil if none)
	Cmd        []string // the image's CMD
	Userland   Userland
	// Default is what the image's own default command does (used when the
	// pod gives neither command nor args, or when the command is the
	// image's own server). Its Files are the image's files that podsim
	// knows of; every container of the image starts with them.
	Default Spec
}

// imageInfo is an Image with what FromContainer needs to run commands in it.
type imageInfo struct {
	Image
	ref string // the reference as the pod wrote it, for messages
	// shells are the shells the image holds; nil when unknown (any).
	shells []string
	// onlyEntrypoint: the image holds no program but its entrypoint (pause).
	onlyEntrypoint bool
	// entrypoint, when set, is what the ENTRYPOINT script does with its
	// arguments: the command line it execs.
	entrypoint func(args []string) []string
	// server recognises the image's server in a command line and returns
	// what it does; ok false for any other command.
	server lookupFunc
}

// serverStop is how long nginx, httpd and redis take to shut down on their
// stop signal with no request in flight: they close their listeners and
// exit 0 within tens of milliseconds.
const serverStop = 100 * time.Millisecond

// images are the known images by repository; alpine selects the image's
// Alpine variant (a tag such as 1.25-alpine), whose userland is BusyBox.
var images = map[string]func(alpine bool) imageInfo{
	"alpine":  func(bool) imageInfo { return shellImage("alpine", BusyBox, "/bin/sh", "sh", "ash") },
	"busybox": func(bool) imageInfo { return shellImage("busybox", BusyBox, "sh", "sh", "ash") },
	"centos":  func(bool) imageInfo { return shellImage("centos", GNU, "/bin/bash", "sh", "bash") },
	"debian":  func(bool) imageInfo { return shellImage("debian", GNU, "bash", "sh", "bash", "dash") },
	"ubuntu":  func(bool) imageInfo { return shellImage("ubuntu", GNU, "bash", "sh", "bash", "dash") },
	"httpd":   httpdImage,
	"nginx":   nginxImage,
	"pause":   pauseImage,
	"redis":   redisImage,

	"polinux/stress": stressImage,
}

// KnownImage looks an image reference up ("nginx:1.25.2",
// "docker.io/library/busybox", "registry.k8s.io/pause:3.9") ignoring
// registry, tag and digest; ok false if unknown. A tag naming an Alpine
// variant ("nginx:1.25-alpine") gives the BusyBox userland of that variant.
func KnownImage(ref string) (Image, bool) {
	info, ok := lookupImage(ref)
	if !ok {
		return Image{}, false
	}
	return info.Image, true
}

// ImageUserland is the userland of an image's commands: a known image's, or
// for an unknown one BusyBox if its name or tag says alpine, else GNU.
func ImageUserland(ref string) Userland {
	info, _ := lookupImage(ref)
	return info.Userland
}

// KnownImages lists the known image names, sorted (for docs and errors).
func KnownImages() []string { return slices.Sorted(maps.Keys(images)) }

// lookupImage finds an image; an unknown one gets a userland guessed from
// its name (Alpine-based images are BusyBox) and nothing else.
func lookupImage(ref string) (imageInfo, bool) {
	name, tag := splitRef(ref)
	alpine := strings.Contains(tag, "alpine")
	if mk, ok := images[name]; ok {
		info := mk(alpine)
		info.ref, info.Name = ref, name // an alias keeps the name it was found by
		return info, true
	}
	u := GNU
	if alpine || strings.Contains(name, "alpine") {
		u = BusyBox
	}
	return imageInfo{Image: Image{Name: name, Userland: u, Default: Spec{Userland: u}}, ref: ref}, false
}

// splitRef returns the repository path of an image reference without its
// registry (a first component with a dot or a port, or localhost, as the
// Docker reference grammar has it) or Docker Hub's library/ prefix, and its tag.
func splitRef(ref string) (name, tag string) {
	ref, _, _ = strings.Cut(ref, "@")
	slash := strings.LastIndexByte(ref, '/')
	if colon := strings.LastIndexByte(ref, ':'); colon > slash {
		ref, tag = ref[:colon], ref[colon+1:]
	}
	if first, rest, ok := strings.Cut(ref, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		ref = rest
	}
	return strings.TrimPrefix(ref, "library/"), tag
}

// shellImage is a base OS image whose CMD is a shell. Without a script and
// without a tty the shell reads an empty stdin and exits 0 at once, which
// is why `kubectl run --image=busybox` ends in CrashLoopBackOff.
func shellImage(name string, u Userland, cmd string, shells ...string) imageInfo {
	return imageInfo{
		Image:  Image{Name: name, Cmd: []string{cmd}, Userland: u, Default: Spec{Stop: IgnoreStop(), Userland: u}},
		shells: shells,
	}
}

// serverImage is a Debian-based server image, or its Alpine variant.
func serverImage(name string, alpine bool, setup Script, files ...string) imageInfo {
	u, sh := GNU, []string{"sh", "bash", "dash"}
	if alpine {
		u, sh = BusyBox, []string{"sh", "ash"}
	}
	return imageInfo{
		Image: Image{Name: name, Userland: u, Default: Spec{
			Main: foreground(setup), Stop: ExitOnStop(serverStop, 0), Userland: u, Files: files,
		}},
		shells: sh,
	}
}

// foreground is a server that sets up and then serves until stopped.
func foreground(setup Script) Script { return append(slices.Clip(setup), sleepForever()) }

// execArgs is an entrypoint script that ends with exec "$@".
func execArgs(args []string) []string { return args }

// nginxImage: ENTRYPOINT /docker-entrypoint.sh runs the image's
// configuration scripts and execs its arguments; STOPSIGNAL SIGQUIT is
// nginx's graceful shutdown.
func nginxImage(alpine bool) imageInfo {
	setup := Script{ServeHTTP(80, "/", 200)}
	img := serverImage("nginx", alpine, setup, "/etc/nginx/nginx.conf", "/usr/share/nginx/html/index.html")
	img.Entrypoint = []string{"/docker-entrypoint.sh"}
	img.Cmd = []string{"nginx", "-g", "daemon off;"}
	img.entrypoint = execArgs
	img.server = func(argv []string) (Script, bool, error) {
		if n := programName(argv[0]); n != "nginx" && n != "nginx-debug" || slices.Contains(argv, "-s") {
			return nil, false, nil // nginx -s signals the master: a program of the catalogue
		}
		daemonOff, config := false, false
		for i := 1; i < len(argv); i++ {
			switch a := argv[i]; a {
			case "-g", "-c", "-p", "-e":
				if i++; i == len(argv) {
					return nil, false, failf("nginx option %q needs a value", a)
				}
				daemonOff = daemonOff || a == "-g" && turnsDaemonOff(argv[i])
				config = config || a == "-c"
			case "-q":
			default:
				return nil, false, failf("nginx option %q is not supported", a)
			}
		}
		switch {
		case daemonOff:
			return foreground(setup), true, nil
		case config:
			return nil, false, failf("podsim cannot tell whether nginx's configuration file turns daemon off: add -g %q", "daemon off;")
		}
		// nginx forks a daemon and the command exits 0 at once: as PID 1,
		// the container exits; in a script, the server runs on.
		return setup, true, nil
	}
	return img
}

// turnsDaemonOff reports whether nginx -g directives contain `daemon off;`.
func turnsDaemonOff(directives string) bool {
	for d := range strings.SplitSeq(directives, ";") {
		if f := strings.Fields(d); len(f) == 2 && f[0] == "daemon" && f[1] == "off" {
			return true
		}
	}
	return false
}

// httpdImage: CMD httpd-foreground (no ENTRYPOINT) runs httpd
// -DFOREGROUND; STOPSIGNAL SIGWINCH is Apache's graceful stop.
func httpdImage(alpine bool) imageInfo {
	setup := Script{ServeHTTP(80, "/", 200)}
	img := serverImage("httpd", alpine, setup, "/usr/local/apache2/conf/httpd.conf", "/usr/local/apache2/htdocs/index.html")
	img.Cmd = []string{"httpd-foreground"}
	img.server = func(argv []string) (Script, bool, error) {
		name := programName(argv[0])
		if name != "httpd" && name != "httpd-foreground" {
			return nil, false, nil
		}
		fg := name == "httpd-foreground"
		for i := 1; i < len(argv); i++ {
			switch a := argv[i]; {
			case a == "-DFOREGROUND":
				fg = true
			case a == "-D" || a == "-f" || a == "-e":
				if i++; i == len(argv) {
					return nil, false, failf("httpd option %q needs a value", a)
				}
				fg = fg || a == "-D" && argv[i] == "FOREGROUND"
			case strings.HasPrefix(a, "-D") && len(a) > 2:
			default:
				return nil, false, failf("httpd option %q is not supported", a)
			}
		}
		if fg {
			return foreground(setup), true, nil
		}
		return setup, true, nil // without -DFOREGROUND httpd daemonizes, as nginx does
	}
	return img
}

// redisImage: ENTRYPOINT docker-entrypoint.sh execs its arguments, putting
// redis-server before them when the first is an option or a .conf file;
// redis exits 0 on SIGTERM.
func redisImage(alpine bool) imageInfo {
	img := serverImage("redis", alpine, Script{Listen(6379)})
	img.Entrypoint = []string{"docker-entrypoint.sh"}
	img.Cmd = []string{"redis-server"}
	img.entrypoint = func(args []string) []string {
		if len(args) > 0 && (strings.HasPrefix(args[0], "-") || strings.HasSuffix(args[0], ".conf")) {
			return append([]string{"redis-server"}, args...)
		}
		return args
	}
	img.server = func(argv []string) (Script, bool, error) {
		if programName(argv[0]) != "redis-server" {
			return nil, false, nil
		}
		port, daemon := 6379, false
		args := argv[1:]
		if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
			args = args[1:] // a configuration file (see Fidelity notes)
		}
		for i := 0; i < len(args); i++ {
			opt := args[i]
			if !strings.HasPrefix(opt, "--") {
				return nil, false, failf("redis-server argument %q is not supported", opt)
			}
			if i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
				switch opt {
				case "--port":
					p, err := strconv.Atoi(args[i+1])
					if err != nil || p < 0 || p > 65535 {
						return nil, false, failf("redis-server --port %q is not a port", args[i+1])
					}
					port = p
				case "--daemonize":
					daemon = args[i+1] == "yes"
				}
			}
			for i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
				i++ // an option's values run to the next option
			}
		}
		var setup Script
		if port != 0 { // port 0 turns TCP off
			setup = Script{Listen(port)}
		}
		if daemon {
			return setup, true, nil
		}
		return foreground(setup), true, nil
	}
	return img
}

// pauseImage is the sandbox's pause container: ENTRYPOINT /pause, no
// shell, no other program. pause exits 0 at once on SIGINT and SIGTERM
// (build/pause/linux/pause.c), and `/pause -v` prints its version and exits.
func pauseImage(bool) imageInfo {
	img := imageInfo{
		Image: Image{Name: "pause", Entrypoint: []string{"/pause"}, Default: Spec{
			Main: Script{sleepForever()}, Stop: ExitOnStop(0, 0),
		}},
		shells:         []string{},
		onlyEntrypoint: true,
	}
	img.server = func(argv []string) (Script, bool, error) {
		if argv[0] != "/pause" {
			return nil, false, nil
		}
		if len(argv) > 1 && strings.EqualFold(argv[1], "-v") {
			return nil, true, nil
		}
		return Script{sleepForever()}, true, nil
	}
	return img
}

// describeImages is the list of known images for an error message.
func describeImages() string {
	return fmt.Sprintf("podsim knows %s", strings.Join(KnownImages(), ", "))
}
