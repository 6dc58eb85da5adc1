package behavior

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// FromContainer derives the Spec of a container from its image and its
// command and args, as the runtime combines them (Kubernetes: `command`
// replaces the image ENTRYPOINT, `args` replaces CMD; args alone are
// appended to ENTRYPOINT). It returns a *CommandError (possibly wrapped)
// when the resulting command line cannot be read, or when the image is
// unknown and the pod gives no command.
//
// The process that results is the container's PID 1, and that decides how
// it stops: a shell running a script, or a built-in command such as sleep,
// installs no handler for SIGTERM, and the kernel applies no default action
// to a PID namespace's init, so it ignores SIGTERM (StopIgnore) and only
// the SIGKILL at the end of the grace period ends it. The image's own server
// (nginx -g "daemon off;", redis-server, …) handles its stop signal as the
// image's Default says.
func FromContainer(image string, command, args []string) (Spec, error) {
	return FromContainerWith(image, command, args, nil)
}

// FromContainerWith is FromContainer for an image that holds programs
// podsim is told about (a scenario's environment.images[].commands): the
// command line, or a script it runs, may run them. They are found by the
// whole command line, else by the program, before anything else.
func FromContainerWith(image string, command, args []string, commands map[string]Script) (Spec, error) {
	cmd, err := expandReferences(command)
	if err != nil {
		return Spec{}, withCommand(err, shellJoin(slices.Concat(command, args)))
	}
	arg, err := expandReferences(args)
	if err != nil {
		return Spec{}, withCommand(err, shellJoin(slices.Concat(command, args)))
	}
	img, known := lookupImage(image)
	if !known && len(cmd) == 0 {
		_, err := combine(img, known, cmd, arg)
		return Spec{}, &UnknownImageError{Image: image, Args: arg, err: err}
	}
	argv, err := combine(img, known, cmd, arg)
	if err != nil {
		return Spec{}, err
	}
	spec, err := img.run(argv, commands)
	if err != nil {
		return Spec{}, withCommand(err, shellJoin(argv))
	}
	return spec, nil
}

// programs finds a program among commands (whole line, else program), then
// as the image's server.
func (img imageInfo) programs(commands map[string]Script) lookupFunc {
	if len(commands) == 0 {
		return img.server
	}
	return func(argv []string) (Script, bool, error) {
		if s, ok := commands[strings.Join(argv, " ")]; ok {
			return s, true, nil
		}
		if s, ok := commands[argv[0]]; ok {
			return s, true, nil
		}
		if img.server != nil {
			return img.server(argv)
		}
		return nil, false, nil
	}
}

// combine makes the command line the runtime starts, as the kubelet's
// container runtime does with the image's ENTRYPOINT and CMD.
func combine(img imageInfo, known bool, command, args []string) ([]string, error) {
	switch {
	case len(command) > 0:
		return slices.Concat(command, args), nil
	case !known && len(args) > 0:
		return nil, &CommandError{Command: shellJoin(args), Reason: fmt.Sprintf(
			"the args go to the ENTRYPOINT of the image %q, which podsim does not know (%s): give the container a command", img.ref, describeImages())}
	case !known:
		return nil, failf("the container gives no command and podsim does not know what the image %q runs (%s)", img.ref, describeImages())
	case len(args) > 0:
		return slices.Concat(img.Entrypoint, args), nil
	}
	return slices.Concat(img.Entrypoint, img.Cmd), nil
}

// run is the Spec of a container of the image that runs argv as PID 1.
func (img imageInfo) run(argv []string, commands map[string]Script) (Spec, error) {
	if img.entrypoint != nil && len(argv) > 0 && path.Base(argv[0]) == path.Base(img.Entrypoint[0]) {
		argv = img.entrypoint(argv[1:]) // the entrypoint script execs its arguments
	}
	spec := Spec{Stop: IgnoreStop(), Userland: img.Userland, Files: slices.Clone(img.Default.Files)}
	if len(argv) == 0 {
		return spec, nil // an entrypoint script with nothing to exec ends, with 0
	}
	spec.Names = []string{path.Base(argv[0])} // what killall finds PID 1 by
	if len(img.Default.Main) > 0 && slices.Equal(argv, slices.Concat(img.Entrypoint, img.Cmd)) && img.server == nil {
		// The image's own command: what the catalogue says it does.
		spec.Main, spec.Stop = slices.Clone(img.Default.Main), img.Default.Stop
		return spec, nil
	}
	if img.server != nil {
		main, ok, err := img.server(argv)
		if err != nil {
			return Spec{}, err
		}
		if ok {
			spec.Main, spec.Stop = main, img.Default.Stop
			return spec, nil
		}
	}
	if img.onlyEntrypoint {
		return Spec{}, failf("the image %q holds no program but %s, so %q cannot run", img.ref, img.Entrypoint[0], argv[0])
	}
	script, isShell, err := shellScript(argv)
	if err != nil {
		return Spec{}, err
	}
	if isShell {
		if img.shells != nil && !slices.Contains(img.shells, programName(argv[0])) {
			return Spec{}, failf("the image %q has no %q (its shells: %s)", img.ref, argv[0], strings.Join(img.shells, ", "))
		}
		// The image's server may run from the script, as a child of the
		// shell: SIGTERM goes to the shell, which ignores it.
		spec.Main, err = parseShell(script, img.programs(commands))
		if err != nil {
			return Spec{}, err
		}
		return spec, nil
	}
	st, err := readCommand(argv, nil, false, img.programs(commands))
	if err != nil {
		return Spec{}, err
	}
	spec.Main = Script{st}
	return spec, nil
}

// shellScript reads a shell started with a script: sh -c SCRIPT [NAME
// [ARG…]], for sh, bash, ash and dash. ok is false when argv does not start
// a shell. A shell given no arguments reads its script from stdin, which in
// a container without a tty is empty: its script is "" and it exits 0.
func shellScript(argv []string) (script string, ok bool, err error) {
	if len(argv) == 0 || !slices.Contains(shells, programName(argv[0])) {
		return "", false, nil
	}
	switch args := argv[1:]; {
	case len(args) == 0:
		return "", true, nil
	case args[0] == "-c" && len(args) > 1:
		// Further arguments set $0, $1, …, which a script without
		// variables never reads.
		return args[1], true, nil
	case args[0] == "-c":
		return "", true, failf("%s -c needs a script", argv[0])
	case strings.HasPrefix(args[0], "-"):
		return "", true, failf("the shell option %q is not supported: podsim reads %s -c SCRIPT", args[0], argv[0])
	}
	return "", true, failf("running a script file is not supported: %q", argv[1])
}

// expandReferences applies the kubelet's expansion of command and args
// (third_party/forked/golang/expansion): $$ is a dollar sign, and $(NAME)
// is the container's environment variable NAME, or stays as written when
// there is none. podsim does not read the environment, so a reference is
// an error rather than a guess either way.
func expandReferences(words []string) ([]string, error) {
	var out []string
	for i, w := range words {
		if !strings.Contains(w, "$") {
			continue
		}
		if out == nil {
			out = slices.Clone(words)
		}
		var b strings.Builder
		for j := 0; j < len(w); j++ {
			if w[j] != '$' || j+1 == len(w) {
				b.WriteByte(w[j])
				continue
			}
			switch w[j+1] {
			case '$':
				b.WriteByte('$')
				j++
			case '(':
				if end := strings.IndexByte(w[j+2:], ')'); end >= 0 && isEnvName(w[j+2:j+2+end]) {
					return nil, failf("variable references are not supported: %q (the kubelet expands them from the container's env, which podsim does not read)", w[j:j+3+end])
				}
				b.WriteByte('$')
			default:
				b.WriteByte('$')
			}
		}
		out[i] = b.String()
	}
	if out == nil {
		return words, nil
	}
	return out, nil
}

// isEnvName reports a valid environment variable name for the API server
// (k8s.io/apimachinery validation.IsEnvVarName: [-._a-zA-Z][-._a-zA-Z0-9]*).
func isEnvName(s string) bool {
	if s == "" || isDigit(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '-' && c != '.' && c != '_' && !isLetter(c) && !isDigit(c) {
			return false
		}
	}
	return true
}

// shellJoin writes a command line as a shell would need it typed, so that
// an error shows the words the pod gave.
func shellJoin(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = shellQuote(a)
	}
	return strings.Join(q, " ")
}

func shellQuote(s string) string {
	const safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-"
	if s != "" && strings.Trim(s, safe) == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
