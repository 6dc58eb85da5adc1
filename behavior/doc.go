// Package behavior models what the process in a container does over time —
// the part of a Pod that its YAML cannot say.
//
// A [Spec] describes a container: the [Script] its entrypoint follows, how it
// treats the stop signal ([StopPolicy]), the [Userland] its commands come from,
// the files in its image and any other programs an exec probe or hook may run.
// [Spec.Start] begins one run of it, an [Instance]: the [Container] state the
// world can observe (files, listening ports, HTTP and gRPC health answers,
// memory and disk use) and the main [Process].
//
// # Scripts are small shell programs
//
// A script is a list of statements with exit statuses, as in sh: [Touch],
// [Remove], [WriteFile], [Sleep], [Exit], [Cat], [FileExists], [Resolve]
// (nslookup), [Listen], [ServeHTTP], [UseMemory] …, combined with [And], [Or],
// [Forever], [Until] and [While]. [Compile] turns a script into a flat program
// that a tiny interpreter runs. Only [Sleep] takes time; everything else
// happens at the instant it is reached. A script that ends exits with the
// status of its last statement, as a shell does.
//
// # Driving a process
//
// The package has no clock of its own. The caller — the simulator's container
// runtime — calls [Process.Advance] with the current virtual time; the process
// runs until it sleeps, exits or waits for a signal, and returns the time at
// which it wants to run again. [Process.Signal] delivers SIGTERM (what the
// [StopPolicy] says happens) or SIGKILL (exit 137 at once).
//
// Why a shell as PID 1 ignores SIGTERM: the kernel applies no default signal
// action to the init process of a PID namespace, so unless the process
// installs a handler, SIGTERM does nothing and the kubelet must wait out the
// grace period and send SIGKILL. [IgnoreStop] is that policy.
//
// # Exec probes and hooks
//
// [Container.Exec] runs a command in the container with the container's files
// and ports, as an exec probe or lifecycle hook does. The common commands are
// built in ([Builtin]: cat, test, ls, touch, rm, sleep, echo, true, false,
// nslookup); their error messages follow the image's [Userland], because the
// kubelet puts a failed probe's output in its event:
//
//	Liveness probe failed: cat: /tmp/healthy: No such file or directory
//
// A shell running a script (sh -c SCRIPT, or bash, ash, dash) is read with
// [ParseShell], and the script's commands may be [Spec.Commands] too. Any
// other command must be described in [Spec.Commands]; an unknown command
// is an [UnknownCommandError] or a [CommandError], never a guess.
//
// # Reading a container from its manifest
//
// [FromContainer] derives a container's Spec from what its manifest says:
// the image and the command and args, combined as the runtime combines them
// with the image's ENTRYPOINT and CMD (command replaces ENTRYPOINT, args
// replace CMD, args alone follow ENTRYPOINT). [KnownImage] holds what podsim
// knows of well-known images ([KnownImages]): nginx, httpd and redis serve
// until stopped and exit 0 on their stop signal; pause runs until SIGTERM;
// busybox, alpine, centos, ubuntu and debian run a shell. The image's
// userland decides the messages of its commands: BusyBox for busybox,
// alpine and Alpine variants (nginx:1.25-alpine), GNU otherwise.
//
// Beyond these, a catalogue of the images and programs the Kubernetes
// documentation runs, as data: the e2e test images (agnhost and its
// subcommands, goproxy, etcd with its gRPC health service, vish/stress),
// the google-samples apps, mysql and postgres with their start-up, and
// programs a script may run in any image ([Programs]: wget, printenv,
// killall, nginx -s, tail -F, head, nc -l, BusyBox httpd,
// python -m http.server, perl one-liners). docs/images.md lists it.
//
// The process that results is the container's PID 1, and that decides how
// it stops. A shell running a script, or a command such as sleep run
// directly, installs no SIGTERM handler, so it ignores SIGTERM and dies only
// at the grace period's SIGKILL — why `sh -c 'while true; …'` takes 30 s to
// delete. A shell with no script and no tty reads an empty stdin and exits
// 0 at once — why `kubectl run --image=busybox` crash-loops. An image's own
// server (nginx -g "daemon off;") stops as the image's Default says.
//
// The shell idioms podsim reads are those documentation and blog posts put
// in command and args:
//
//	touch F…  rm [-f] [-r] F…  sleep N[s|m|h|d]…  sleep infinity  exit N
//	echo …  echo … > F  echo … >> F  true  false  :  cat F  ls F
//	test -e|-f F  [ -e|-f F ]  nslookup NAME
//	env  hostname  id  pwd  whoami  uptime  date …  uname …  df …  free …  ps …
//	a; b  a && b  a || b  { a; b; }  while true; do …; done
//	while CMD; do …; done  until CMD; do …; done
//
// with single and double quotes, backslashes, continuation lines and
// comments. The programs of the third line only print something; they
// succeed at once. The one command substitution read is the docs'
// $(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace), the pod's
// namespace ([NamespaceSubstitution]). trap 'BODY' TERM, CMD &, wait,
// pipelines and read are read too ([OnTerm], [Wait]; docs/images.md says
// how). Anything else — variables, other $(…) and backticks, globs,
// other redirections, if, for, case, functions, exec, an unknown
// program — is a [CommandError] that quotes what it could not read. The
// kubelet's own $(VAR) references are refused too: podsim does not read
// the container's environment.
//
// # Fidelity notes
//
//   - Commands take no time except sleep; a real cat takes milliseconds.
//   - A listening port with no answer set for a path answers HTTP 404.
//   - Memory and disk use change only when a script says so.
//   - A file holds one text: `echo … >> F` leaves F holding the last line.
//   - `rm F` without -f fails on a missing file with rm's status, not its message.
//   - echo prints backslashes as written; dash's echo would interpret them.
//   - Of an image's programs podsim knows only its shells (bash is not in
//     busybox) and pause's emptiness: a script's nslookup runs even in an
//     image that does not ship it.
//   - redis-server given a configuration file is taken to keep port 6379
//     and stay in the foreground.
//   - An unknown image has the GNU userland, or BusyBox if its name or tag
//     says alpine; a known image's tag matters only for that.
//   - A pipeline's commands run one after the other; the data between
//     them is not modelled, only when the pipeline ends and its status.
//   - A trap waits for the foreground command, as in sh; a script's own
//     `while true; do sleep 3600; done` is taken for sleep infinity, so a
//     trap set before it waits for ever, not for the hour to end.
//   - A background job is one command that serves or sleeps.
package behavior
