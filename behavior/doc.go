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
// Any other command must be described in [Spec.Commands]; an unknown command
// is an [UnknownCommandError], never a guess.
//
// # Fidelity notes
//
//   - Commands take no time except sleep; a real cat takes milliseconds.
//   - A listening port with no answer set for a path answers HTTP 404.
//   - Memory and disk use change only when a script says so.
package behavior
