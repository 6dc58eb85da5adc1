package behavior

import "fmt"

// Userland is the family of command-line tools in an image. It decides the
// exact error text a command prints, which becomes the message of a failed
// exec probe: `cat: /tmp/healthy: No such file or directory` from GNU
// coreutils (centos, debian, ubuntu) and `cat: can't open '/tmp/healthy': No
// such file or directory` from BusyBox (busybox, alpine).
type Userland uint8

const (
	// GNU is coreutils with bash or dash as /bin/sh.
	GNU Userland = iota
	// BusyBox is the single-binary userland of busybox and alpine images.
	BusyBox
)

func (u Userland) String() string {
	if u == BusyBox {
		return "busybox"
	}
	return "gnu"
}

func (u Userland) missingFile(cmd, path string) string {
	if u == BusyBox {
		switch cmd {
		case "cat":
			return fmt.Sprintf("cat: can't open '%s': No such file or directory\n", path)
		default:
			return fmt.Sprintf("%s: %s: No such file or directory\n", cmd, path)
		}
	}
	switch cmd {
	case "ls":
		return fmt.Sprintf("ls: cannot access '%s': No such file or directory\n", path)
	default:
		return fmt.Sprintf("%s: %s: No such file or directory\n", cmd, path)
	}
}

// lsMissingStatus is ls's exit status for a missing operand: GNU ls uses 2
// for "serious trouble", BusyBox 1.
func (u Userland) lsMissingStatus() int {
	if u == BusyBox {
		return 1
	}
	return 2
}

func (u Userland) nslookupFailure(name string) string {
	if u == BusyBox {
		return fmt.Sprintf("nslookup: can't resolve '%s'\n", name)
	}
	return fmt.Sprintf("** server can't find %s: NXDOMAIN\n", name)
}

// readOnly is what a write to a read-only mount (a configMap or secret
// volume) prints: the shell's redirection error, or the command's own.
func (u Userland) readOnly(cmd, path string) string {
	const why = "Read-only file system"
	switch {
	case cmd == "sh" && u == BusyBox:
		return fmt.Sprintf("sh: can't create %s: %s\n", path, why)
	case cmd == "sh":
		return fmt.Sprintf("sh: 1: cannot create %s: %s\n", path, why)
	case u == BusyBox && cmd == "rm":
		return fmt.Sprintf("rm: can't remove '%s': %s\n", path, why)
	case u == BusyBox:
		return fmt.Sprintf("%s: %s: %s\n", cmd, path, why)
	case cmd == "touch":
		return fmt.Sprintf("touch: cannot touch '%s': %s\n", path, why)
	case cmd == "rm":
		return fmt.Sprintf("rm: cannot remove '%s': %s\n", path, why)
	}
	return fmt.Sprintf("%s: %s: %s\n", cmd, path, why)
}

// noSpace is what a writer prints when the filesystem is full.
func (u Userland) noSpace(cmd, path string) string {
	const why = "No space left on device"
	switch {
	case cmd == "yes" && u == BusyBox:
		return "yes: write error: " + why + "\n"
	case cmd == "yes":
		return "yes: standard output: " + why + "\n"
	case cmd == "dd":
		return fmt.Sprintf("dd: error writing '%s': %s\n", path, why)
	case cmd == "head" && u == BusyBox:
		return "head: write error: " + why + "\n"
	case cmd == "head":
		return "head: error writing 'standard output': " + why + "\n"
	case cmd == "fallocate":
		return fmt.Sprintf("fallocate: fallocate failed: %s\n", why)
	}
	return fmt.Sprintf("%s: %s: %s\n", cmd, path, why)
}
