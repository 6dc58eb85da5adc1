package behavior

import (
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
)

// CataloguedProgram is an entry of the catalogue of programs: a program the
// Kubernetes documentation's commands run, what podsim reads of its
// command line and what it does. docs/images.md is written from this table.
type CataloguedProgram struct {
	// Names are the names the program is run by.
	Names []string
	// Reads is the command lines podsim reads, for docs and errors.
	Reads string
	// Does is what the program does, as far as a pod's lifecycle sees it.
	Does string
	read func(argv []string) (Stmt, error)
}

// Programs is the catalogue of programs, in the order docs/images.md
// lists them. A shell script (sh -c), an exec probe's script, a hook's
// script and a container's command may run any of them, in any image.
func Programs() []CataloguedProgram { return slices.Clone(programs) }

var programs = []CataloguedProgram{
	{Names: []string{"printenv"}, Reads: "printenv [NAME…]",
		Does: "prints the environment, or the named variables, and exits 0 (podsim takes the variables the docs' examples print to be set)",
		read: func([]string) (Stmt, error) { return True(), nil }},
	{Names: []string{"wget"}, Reads: "wget [-q] [-O FILE|-O-|-qO-] [-T N] [-S] [--spider] URL",
		Does: "downloads the URL at once and exits 0, writing FILE (or the URL's base name, or standard output with -O-); a cluster DNS name (no dot, or .svc / .cluster.local) must resolve, as nslookup's, else it fails with 1",
		read: readWget},
	{Names: []string{"killall"}, Reads: "killall [-q] [-0|-SIGNAL|-s SIGNAL] NAME",
		Does: "signals the container's main process if it runs as NAME (SIGTERM by default), or with -0 tests that it lives; 1 when no such process lives",
		read: readKillall},
	{Names: []string{"nginx"}, Reads: "nginx -s quit|stop|reload|reopen",
		Does: "signals the nginx master (the container's main process, in the nginx image): quit is SIGQUIT, nginx's graceful stop, stop is SIGTERM; reload and reopen keep it running. nginx run as a server is the nginx image's (see Images)",
		read: readNginxSignal},
	{Names: []string{"tail"}, Reads: "tail -f FILE, tail -F FILE, tail [-n N] FILE",
		Does: "-F follows FILE forever, even before it exists; -f follows an existing FILE (or a device: tail -f /dev/null) forever and fails at once on a missing one; without them it prints FILE and exits as cat does",
		read: readTail},
	{Names: []string{"head"}, Reads: "head [-n N] [FILE] (head -c SIZE is a disk writer)",
		Does: "prints FILE (fails as cat does on a missing one) or reads standard input, which is empty, and exits 0",
		read: readHeadLines},
	{Names: []string{"nc", "netcat"}, Reads: "nc -l [-k] [-p] PORT",
		Does: "listens on PORT until stopped (nobody connects)",
		read: readNetcat},
	{Names: []string{"httpd"}, Reads: "httpd [-f] [-v] [-p [ADDR:]PORT] [-h DIR] (BusyBox's; Apache's is the httpd image's)",
		Does: "serves HTTP 200 at / on PORT (default 80); with -f in the foreground until stopped, else it daemonizes and the command exits 0",
		read: readBusyboxHTTPD},
	{Names: []string{"python", "python3"}, Reads: "python -m http.server [PORT] [--bind ADDR] [--directory DIR]",
		Does: "serves HTTP 200 at / on PORT (default 8000) until stopped; it installs no SIGTERM handler",
		read: readPython},
	{Names: []string{"perl"}, Reads: "perl -Mbignum=bpi -wle 'print bpi(N)' (perl.go)",
		Does: "the Jobs page's pi: computes for 10 s × (N/2000)², at least 100 ms (the page: \"around 10s\"), prints π to N digits and exits 0; any other perl program is an error",
		read: readPerl},
}

// programByName finds a program of the catalogue.
func programByName(name string) (CataloguedProgram, bool) {
	for _, p := range programs {
		if slices.Contains(p.Names, name) {
			return p, true
		}
	}
	return CataloguedProgram{}, false
}

// readCatalogued reads a program of the catalogue; ok false when name is
// none of them or, for nginx, when the command line is not nginx -s.
func readCatalogued(name string, argv []string) (Stmt, bool, error) {
	p, ok := programByName(name)
	if !ok || name == "nginx" && !slices.Contains(argv, "-s") {
		return nil, false, nil
	}
	st, err := p.read(argv)
	if err != nil {
		return nil, true, err
	}
	return st, true, nil
}

func unreadable(p string, argv []string) error {
	return failf("%q is not supported: podsim reads %s", snippet(strings.Join(argv, " ")), programReads[p])
}

// programReads is what podsim reads of each program, for errors.
var programReads = map[string]string{}

func init() {
	for _, p := range programs {
		for _, n := range p.Names {
			programReads[n] = p.Reads
		}
	}
}

// clusterName reports whether a URL's host is a name the cluster's DNS
// answers (a Service) rather than a name on the internet.
func clusterName(host string) bool {
	switch {
	case host == "localhost" || host == "":
		return false
	case !strings.Contains(host, "."):
		return true
	}
	for _, s := range []string{".svc", ".svc.cluster.local", ".cluster.local"} {
		if strings.HasSuffix(host, s) {
			return true
		}
	}
	return false
}

func readWget(argv []string) (Stmt, error) {
	var out, rawURL string
	outSet := false
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--spider":
			out, outSet = "-", true
		case a == "-T" || a == "-U" || a == "--header" || a == "-Y":
			if i++; i == len(args) {
				return nil, unreadable("wget", argv)
			}
		case strings.HasPrefix(a, "--timeout=") || strings.HasPrefix(a, "--user-agent="):
		case strings.HasPrefix(a, "-") && len(a) > 1 && !strings.HasPrefix(a, "--"):
			// Short options, combined as in -qO- or -qO FILE.
			for j := 1; j < len(a); j++ {
				switch a[j] {
				case 'q', 'S', 'c', 's':
				case 'O':
					if rest := a[j+1:]; rest != "" {
						out = rest
					} else if i++; i < len(args) {
						out = args[i]
					} else {
						return nil, unreadable("wget", argv)
					}
					outSet, j = true, len(a)
				default:
					return nil, unreadable("wget", argv)
				}
			}
		case rawURL == "" && !strings.HasPrefix(a, "-"):
			rawURL = a
		default:
			return nil, unreadable("wget", argv)
		}
	}
	if rawURL == "" {
		return nil, unreadable("wget", argv)
	}
	if !strings.Contains(rawURL, "://") {
		rawURL = "http://" + rawURL
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, failf("wget: bad address %q", rawURL)
	}
	if !outSet {
		out = path.Base(u.Path)
		if out == "." || out == "/" || out == "" {
			out = "index.html"
		}
	}
	var fetch Stmt = True()
	if out != "-" {
		fetch = WriteFile(absolute(out), "")
	}
	if clusterName(u.Hostname()) {
		return And(Resolve(u.Hostname()), fetch), nil
	}
	return fetch, nil
}

// signalNames are the signals killall takes by name or number.
var signalNames = map[string]Signal{
	"TERM": SIGTERM, "SIGTERM": SIGTERM, "15": SIGTERM,
	"KILL": SIGKILL, "SIGKILL": SIGKILL, "9": SIGKILL,
	"QUIT": SIGQUIT, "SIGQUIT": SIGQUIT, "3": SIGQUIT,
	"INT": 2, "SIGINT": 2, "2": 2,
}

func readKillall(argv []string) (Stmt, error) {
	sig, test := SIGTERM, false
	args := argv[1:]
	for len(args) > 1 {
		a := args[0]
		switch {
		case a == "-q":
		case a == "-0":
			test = true
		case a == "-s" && len(args) > 2:
			s, ok := signalNames[strings.ToUpper(args[1])]
			if !ok {
				return nil, unreadable("killall", argv)
			}
			sig, args = s, args[1:]
		case strings.HasPrefix(a, "-"):
			s, ok := signalNames[strings.ToUpper(a[1:])]
			if !ok {
				return nil, unreadable("killall", argv)
			}
			sig = s
		default:
			return nil, unreadable("killall", argv)
		}
		args = args[1:]
	}
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return nil, unreadable("killall", argv)
	}
	name := path.Base(args[0])
	if test {
		return MainAlive(name), nil
	}
	return SignalMain(sig, name), nil
}

// readNginxSignal reads nginx -s SIGNAL, which signals the master process
// (ngx_signal_process: quit is SIGQUIT, stop SIGTERM, reopen SIGUSR1,
// reload SIGHUP).
func readNginxSignal(argv []string) (Stmt, error) {
	if len(argv) != 3 || argv[1] != "-s" {
		return nil, unreadable("nginx", argv)
	}
	switch argv[2] {
	case "quit":
		return SignalMain(SIGQUIT, "nginx"), nil
	case "stop":
		return SignalMain(SIGTERM, "nginx"), nil
	case "reload", "reopen":
		return MainAlive("nginx"), nil
	}
	return nil, failf("nginx: invalid option: \"-s %s\"", argv[2])
}

func readTail(argv []string) (Stmt, error) {
	follow, retry := false, false
	var files []string
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-f" || a == "--follow":
			follow = true
		case a == "-F":
			follow, retry = true, true
		case a == "-n" || a == "-c":
			if i++; i == len(args) {
				return nil, unreadable("tail", argv)
			}
		case strings.HasPrefix(a, "-n") || strings.HasPrefix(a, "-c") || strings.HasPrefix(a, "--lines="):
		case strings.HasPrefix(a, "-"):
			return nil, unreadable("tail", argv)
		default:
			files = append(files, a)
		}
	}
	if len(files) != 1 {
		return nil, unreadable("tail", argv)
	}
	switch {
	case retry, follow && strings.HasPrefix(files[0], "/dev/"):
		// tail -f /dev/null: the idiom of a container that waits forever.
		return sleepForever(), nil
	case follow:
		return And(FileExists(files[0]), sleepForever()), nil
	}
	return Cat(files[0]), nil
}

func readHeadLines(argv []string) (Stmt, error) {
	var files []string
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-n":
			if i++; i == len(args) {
				return nil, unreadable("head", argv)
			}
		case strings.HasPrefix(a, "-n") || strings.HasPrefix(a, "--lines="):
		case strings.HasPrefix(a, "-"):
			return nil, unreadable("head", argv)
		default:
			files = append(files, a)
		}
	}
	switch len(files) {
	case 0:
		return True(), nil // standard input: empty in a container without a tty
	case 1:
		return Cat(files[0]), nil
	}
	return nil, unreadable("head", argv)
}

// port reads a port number.
func portNumber(s string) (int, bool) {
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[i+1:]
	}
	p, err := strconv.Atoi(s)
	return p, err == nil && p > 0 && p <= 65535
}

func readNetcat(argv []string) (Stmt, error) {
	listen, port := false, 0
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-l" || a == "-lk" || a == "-kl" || a == "-k" || a == "-v" || a == "-lv" || a == "-lkv":
			listen = listen || strings.Contains(a, "l")
		case a == "-p" || a == "-lp" || a == "-lkp" || a == "-klp":
			listen = listen || strings.Contains(a, "l")
			if i++; i == len(args) {
				return nil, unreadable("nc", argv)
			}
			p, ok := portNumber(args[i])
			if !ok {
				return nil, unreadable("nc", argv)
			}
			port = p
		default:
			p, ok := portNumber(a)
			if !ok || port != 0 {
				return nil, failf("%q is not supported: podsim reads nc -l [-k] [-p] PORT; whether a connection from nc succeeds depends on the network, which podsim does not model", snippet(strings.Join(argv, " ")))
			}
			port = p
		}
	}
	if !listen || port == 0 {
		return nil, unreadable("nc", argv)
	}
	return Group(Listen(port), sleepForever()), nil
}

func readBusyboxHTTPD(argv []string) (Stmt, error) {
	fg, port := false, 80
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "-f":
			fg = true
		case "-v", "-vv":
		case "-fv", "-vf":
			fg = true
		case "-p", "-h", "-c", "-u", "-r":
			if i++; i == len(args) {
				return nil, unreadable("httpd", argv)
			}
			if a == "-p" {
				p, ok := portNumber(args[i])
				if !ok {
					return nil, unreadable("httpd", argv)
				}
				port = p
			}
		default:
			return nil, unreadable("httpd", argv)
		}
	}
	if fg {
		return Group(ServeHTTP(port, "/", 200), sleepForever()), nil
	}
	return ServeHTTP(port, "/", 200), nil
}

func readPython(argv []string) (Stmt, error) {
	args := argv[1:]
	if len(args) < 2 || args[0] != "-m" || args[1] != "http.server" {
		return nil, failf("%q is not supported: podsim cannot tell what a Python program does, except python -m http.server; describe it in the Scenario's behaviors", snippet(strings.Join(argv, " ")))
	}
	port := 8000 // Lib/http/server.py: the default port
	args = args[2:]
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--bind" || a == "-b" || a == "--directory" || a == "-d":
			if i++; i == len(args) {
				return nil, unreadable("python", argv)
			}
		case strings.HasPrefix(a, "--bind=") || strings.HasPrefix(a, "--directory=") || a == "--cgi":
		default:
			p, ok := portNumber(a)
			if !ok || strings.Contains(a, ":") {
				return nil, unreadable("python", argv)
			}
			port = p
		}
	}
	return Group(ServeHTTP(port, "/", 200), sleepForever()), nil
}
