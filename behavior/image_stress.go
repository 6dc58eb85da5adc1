package behavior

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// stressImage is polinux/stress, the image the Kubernetes documentation's
// memory-limit tasks run: Alpine (BusyBox, with bash added) and stress
// 1.0.4 built into /usr/local/bin, CMD ["/usr/local/bin/stress"]
// (github.com/pozgo/docker-stress Dockerfile). stress installs no SIGTERM
// handler, so as PID 1 it dies only of the grace period's SIGKILL.
func stressImage(bool) imageInfo {
	img := imageInfo{
		Image: Image{Name: "polinux/stress", Cmd: []string{"/usr/local/bin/stress"}, Userland: BusyBox,
			Default: Spec{Stop: IgnoreStop(), Userland: BusyBox}},
		shells: []string{"sh", "ash", "bash"},
	}
	img.server = func(argv []string) (Script, bool, error) {
		if programName(argv[0]) != "stress" {
			return nil, false, nil
		}
		s, err := readStress(argv)
		return s, err == nil, err
	}
	img.Default.Main = Script{stressUsage(0)}
	return img
}

// stressOptions are what stress's command line asks for (stress.c main).
type stressOptions struct {
	cpu, io, vm, hdd  int64
	vmBytes, hddBytes int64
	timeout           time.Duration
	dryRun            bool
}

// readStress reads stress's options as stress.c does: --vm N, --vm-bytes
// B (suffixes b k m g), --vm-hang N, --vm-keep, --vm-stride B, --cpu N,
// --io N, --hdd N, --hdd-bytes B, --timeout N (s m h d y), --backoff N,
// -v, -q, -n and their short forms. What it does: the workers' memory and
// disk at once, held until the timeout (a vm worker frees and re-touches
// its memory at once, so its use stays level), then a successful exit; a
// worker the OOM killer takes makes stress report it and exit 1. With no
// workers it prints its usage and exits 0.
func readStress(argv []string) (Script, error) {
	o := stressOptions{vmBytes: 256 << 20, hddBytes: 1 << 30}
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() (string, error) {
			if i+1 == len(args) || (strings.HasPrefix(args[i+1], "-") && (len(args[i+1]) < 2 || !isDigit(args[i+1][1]))) {
				return "", failf("stress: missing argument to option '%s'", a)
			}
			i++
			return args[i], nil
		}
		count := func(dst *int64, what string) error {
			v, err := next()
			if err != nil {
				return err
			}
			n, err := stressBytes(v)
			if err != nil || n <= 0 {
				return failf("stress: invalid number of %s hogs: %s", what, v)
			}
			*dst = n
			return nil
		}
		var err error
		switch a {
		case "--help", "-?":
			return Script{stressUsage(0)}, nil
		case "--version":
			return Script{Echo("stress 1.0.4")}, nil
		case "--verbose", "-v", "--quiet", "-q":
		case "--dry-run", "-n":
			o.dryRun = true
		case "--backoff", "--vm-stride", "--vm-hang":
			_, err = next()
		case "--vm-keep":
		case "--timeout", "-t":
			var v string
			if v, err = next(); err == nil {
				o.timeout, err = stressTime(v)
			}
		case "--cpu", "-c":
			err = count(&o.cpu, "cpu")
		case "--io", "-i":
			err = count(&o.io, "io")
		case "--vm", "-m":
			err = count(&o.vm, "vm")
		case "--hdd", "-d":
			err = count(&o.hdd, "hdd")
		case "--vm-bytes", "--hdd-bytes":
			var v string
			if v, err = next(); err == nil {
				dst := &o.vmBytes
				if a == "--hdd-bytes" {
					dst = &o.hddBytes
				}
				if *dst, err = stressBytes(v); err == nil && *dst <= 0 {
					err = failf("stress: invalid %s value: %s", strings.TrimPrefix(a, "--"), v)
				}
			}
		default:
			err = failf("stress: unrecognized option: %s", a)
		}
		if err != nil {
			return nil, err
		}
	}
	workers := o.cpu + o.io + o.vm + o.hdd
	if workers == 0 {
		return Script{stressUsage(0)}, nil
	}
	s := Script{Echo(fmt.Sprintf("stress: info: [1] dispatching hogs: %d cpu, %d io, %d vm, %d hdd", o.cpu, o.io, o.vm, o.hdd))}
	if o.dryRun {
		return append(s, Echo("stress: info: [1] successful run completed in 0s")), nil
	}
	// Each worker sleeps its back-off (3000 µs times the workers still to
	// fork, stress.c do_backoff) before it works: the container is
	// running before its memory is.
	s = append(s, UseProcesses(workers, int(workers)), Sleep(time.Duration(workers)*3*time.Millisecond))
	if o.vm > 0 {
		s = append(s, UseChildMemory(o.vm*o.vmBytes))
	}
	if o.hdd > 0 {
		// Each hdd worker writes its bytes to an unlinked file in the
		// working directory, over and over.
		s = append(s, WriteBytes("stress", "/stress.hdd", o.hdd*o.hddBytes, false))
	}
	s = append(s, WaitChildren(o.timeout))
	if o.hdd > 0 {
		s = append(s, WriteBytes("stress", "/stress.hdd", 0, false))
	}
	return s, nil
}

// stressUsage is stress printing its usage and exiting with status
// (stress.c usage).
func stressUsage(status int) Stmt {
	return Group(Echo("`stress' imposes certain types of compute stress on your system"), Exit(status))
}

// stressBytes reads a size as stress.c atoll_b: a number, optionally
// suffixed b, k, m or g (upper case too), in powers of 1024.
func stressBytes(v string) (int64, error) {
	if v == "" {
		return 0, failf("stress: invalid string")
	}
	shift := 0
	switch v[len(v)-1] {
	case 'b', 'B':
		v = v[:len(v)-1]
	case 'k', 'K':
		shift, v = 10, v[:len(v)-1]
	case 'm', 'M':
		shift, v = 20, v[:len(v)-1]
	case 'g', 'G':
		shift, v = 30, v[:len(v)-1]
	default:
		if !isDigit(v[len(v)-1]) {
			return 0, failf("stress: unrecognized suffix: %c", v[len(v)-1])
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, failf("stress: invalid number: %s", v)
	}
	return n << shift, nil
}

// stressTime reads a duration as stress.c atoll_s: seconds, optionally
// suffixed s, m, h, d or y.
func stressTime(v string) (time.Duration, error) {
	if v == "" {
		return 0, failf("stress: invalid string")
	}
	unit := time.Second
	switch v[len(v)-1] {
	case 's', 'S':
		v = v[:len(v)-1]
	case 'm', 'M':
		unit, v = time.Minute, v[:len(v)-1]
	case 'h', 'H':
		unit, v = time.Hour, v[:len(v)-1]
	case 'd', 'D':
		unit, v = 24*time.Hour, v[:len(v)-1]
	case 'y', 'Y':
		unit, v = 365*24*time.Hour, v[:len(v)-1]
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, failf("stress: invalid timeout value: %ss", v)
	}
	return time.Duration(n) * unit, nil
}
