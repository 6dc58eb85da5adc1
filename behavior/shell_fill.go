package behavior

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The shell idioms that fill memory or disk: dd, head -c, fallocate and
// yes, as the Kubernetes documentation and blog posts use them to hit a
// limit. The data they write is counted, not kept: a file of 100Mi holds
// its size, not its bytes.

// sources are the devices dd and head read from: endless data.
var sources = map[string]bool{"/dev/zero": true, "/dev/urandom": true, "/dev/random": true}

// readDiskWriter reads dd, head -c, fallocate and yes; ok false for any
// other program.
func readDiskWriter(name string, argv []string, redir *redirect) (Stmt, bool, error) {
	switch name {
	case "dd":
		st, err := readDD(argv, redir)
		return st, true, err
	case "head":
		if len(argv) > 1 && strings.HasPrefix(argv[1], "-c") {
			st, err := readHead(argv, redir)
			return st, true, err
		}
	case "fallocate":
		if redir != nil {
			return nil, true, failf("redirections are supported only on echo, dd, head -c and yes: %q", redir.op)
		}
		st, err := readFallocate(argv)
		return st, true, err
	case "yes":
		return readYes(redir), true, nil
	}
	return nil, false, nil
}

// absolute makes a path relative to the container's working directory,
// which podsim takes to be / (the images it knows set no WORKDIR).
func absolute(p string) string {
	if strings.HasPrefix(p, "/") {
		return p
	}
	return "/" + strings.TrimPrefix(p, "./")
}

// target is where a writer's output goes: a redirection's file, or
// standard output ("").
func target(redir *redirect) (path string, appendTo bool, discard bool) {
	if redir == nil {
		return "", false, false
	}
	switch redir.path {
	case "/dev/null":
		return "", false, true
	case "/dev/stdout", "/dev/stderr", "/proc/self/fd/1", "/proc/self/fd/2":
		return "", false, false
	}
	return absolute(redir.path), redir.op == ">>", false
}

// readDD reads dd if=SOURCE of=FILE bs=SIZE count=N [seek=N] [status=…]
// [conv=…] [iflag=…] [oflag=…].
func readDD(argv []string, redir *redirect) (Stmt, error) {
	ops := map[string]string{}
	for _, a := range argv[1:] {
		k, v, ok := strings.Cut(a, "=")
		switch {
		case !ok:
			return nil, failf("%q is not supported: podsim reads dd operands KEY=VALUE", snippet(a))
		case k == "if" || k == "of" || k == "bs" || k == "count" || k == "seek" || k == "status" ||
			k == "conv" || k == "iflag" || k == "oflag":
			ops[k] = v
		default:
			return nil, failf("dd operand %q is not supported (podsim reads if, of, bs, count, seek, status, conv, iflag, oflag)", k)
		}
	}
	src, hasSrc := ops["if"]
	if hasSrc && !sources[src] {
		return nil, failf("dd if=%s is not supported: podsim reads dd from /dev/zero, /dev/urandom or /dev/random", src)
	}
	bs := int64(512)
	if v, ok := ops["bs"]; ok {
		n, err := ddSize(v)
		if err != nil {
			return nil, err
		}
		bs = n
	}
	out, appendTo, discard := target(redir)
	if of, ok := ops["of"]; ok {
		if redir != nil {
			return nil, failf("dd with both of= and a redirection is not supported")
		}
		switch of {
		case "/dev/null":
			out, discard = "", true
		case "/dev/stdout", "/dev/stderr":
			out = ""
		default:
			out = absolute(of)
		}
	}
	count, bounded := int64(0), false
	if v, ok := ops["count"]; ok {
		n, err := ddSize(v)
		if err != nil {
			return nil, err
		}
		count, bounded = n, true
	}
	if !hasSrc {
		count, bounded = 0, true // stdin: a container's is empty
	}
	quiet := ops["status"] == "none"
	if !bounded {
		if discard {
			return sleepForever(), nil // reads /dev/zero into /dev/null until stopped
		}
		if out == "" {
			return floodLog(), nil
		}
		return Fill("dd", out), nil
	}
	total := bs * count
	if bs > 0 && total/bs != count {
		return nil, failf("dd bs=%d count=%d is more than a file can hold", bs, count)
	}
	if seek, ok := ops["seek"]; ok && out != "" {
		n, err := ddSize(seek)
		if err != nil {
			return nil, err
		}
		total += n * bs
	}
	// dd prints its records to stderr (podsim leaves out the transfer
	// line, whose timing would be invented: status=noxfer's output).
	report := Echo(fmt.Sprintf("%d+0 records in\n%d+0 records out", count, count))
	var write Stmt = True()
	switch {
	case discard:
	case out == "":
		write = WriteBytes("dd", "", total, false)
	default:
		write = WriteBytes("dd", out, total, appendTo)
	}
	if quiet {
		return write, nil
	}
	// A failed write is reported, then the records, and dd exits 1.
	return Or(And(write, report), Group(report, False())), nil
}

// ddSize reads dd's numbers: N with an optional multiplier (c w b, k K
// kB KiB, M MB MiB, G GB GiB, T TB TiB), as GNU and BusyBox dd take them.
func ddSize(v string) (int64, error) {
	return sizeWith(v, map[string]int64{
		"": 1, "c": 1, "w": 2, "b": 512,
		"k": 1 << 10, "K": 1 << 10, "KiB": 1 << 10, "kB": 1000, "KB": 1000,
		"M": 1 << 20, "MiB": 1 << 20, "MB": 1000 * 1000,
		"G": 1 << 30, "GiB": 1 << 30, "GB": 1000 * 1000 * 1000,
		"T": 1 << 40, "TiB": 1 << 40, "TB": 1000 * 1000 * 1000 * 1000,
	}, "dd")
}

func sizeWith(v string, suffixes map[string]int64, cmd string) (int64, error) {
	i := 0
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	mult, ok := suffixes[v[i:]]
	if i == 0 || !ok {
		return 0, failf("%s: invalid number %q", cmd, v)
	}
	n, err := strconv.ParseInt(v[:i], 10, 64)
	if err != nil || n > math.MaxInt64/mult {
		return 0, failf("%s: invalid number %q", cmd, v)
	}
	return n * mult, nil
}

// readHead reads head -c SIZE SOURCE [> FILE]. GNU head takes the
// multipliers of dd; BusyBox's only b, k and m — podsim takes the union
// (see Fidelity notes).
func readHead(argv []string, redir *redirect) (Stmt, error) {
	args := argv[1:]
	var size string
	switch {
	case args[0] == "-c" && len(args) >= 2:
		size, args = args[1], args[2:]
	case len(args[0]) > 2:
		size, args = args[0][2:], args[1:]
	default:
		return nil, usage("head", argv)
	}
	if len(args) != 1 || !sources[args[0]] {
		return nil, failf("%q is not supported: podsim reads head -c SIZE from /dev/zero, /dev/urandom or /dev/random", snippet(strings.Join(argv, " ")))
	}
	suffixes := map[string]int64{"m": 1 << 20}
	n, err := ddSize(size)
	if err != nil {
		if n, err = sizeWith(size, suffixes, "head"); err != nil {
			return nil, err
		}
	}
	out, appendTo, discard := target(redir)
	if discard {
		return True(), nil
	}
	return WriteBytes("head", out, n, appendTo), nil
}

// readFallocate reads fallocate -l LENGTH FILE (util-linux and BusyBox):
// the file's blocks are allocated at once.
func readFallocate(argv []string) (Stmt, error) {
	args := argv[1:]
	var length, file string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-l" && i+1 < len(args):
			length = args[i+1]
			i++
		case strings.HasPrefix(a, "-l") && len(a) > 2:
			length = a[2:]
		case strings.HasPrefix(a, "-"):
			return nil, failf("fallocate option %q is not supported: podsim reads fallocate -l LENGTH FILE", a)
		case file == "":
			file = a
		default:
			return nil, failf("%q is not supported: podsim reads fallocate -l LENGTH FILE", snippet(strings.Join(argv, " ")))
		}
	}
	if length == "" || file == "" {
		return nil, failf("%q is not supported: podsim reads fallocate -l LENGTH FILE", snippet(strings.Join(argv, " ")))
	}
	n, err := ddSize(length)
	if err != nil {
		return nil, err
	}
	return WriteBytes("fallocate", absolute(file), n, false), nil
}

// readYes reads yes [STRING]: it writes forever, to a file until the
// filesystem is full, or to the container's log.
func readYes(redir *redirect) Stmt {
	out, _, discard := target(redir)
	switch {
	case discard:
		return sleepForever()
	case out == "":
		return floodLog()
	}
	return Fill("yes", out)
}

// floodLog is a writer with no end on standard output: the container's
// log grows at FillRate (the kubelet rotates it).
func floodLog() Stmt {
	return Forever(WriteBytes("yes", "", FillRate, true), Sleep(1e9))
}
