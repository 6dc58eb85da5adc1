// Command podsim runs Kubernetes Pod scenarios in virtual time and prints
// what kubectl would have printed.
//
//	podsim run scenarios/1b-liveness.yaml            # kubectl get pods -w
//	podsim run -o describe --at 87s scenarios/1b-liveness.yaml
//	podsim test scenarios/*.yaml                     # check the expectations
//	podsim validate my-scenario.yaml
//
// Exit codes: 0 success; 1 an expectation failed (test); 2 a file or flag
// is invalid; 3 the simulation failed (an invariant broke, the event limit
// was reached, an action could not be done).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	_ "time/tzdata" // --timezone works on a machine without a zoneinfo database

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK         = 0
	exitFailed     = 1
	exitInvalid    = 2
	exitSimulation = 3
)

// exitError carries an exit code to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	return runIO(args, os.Stdin, stdout, stderr)
}

// runIO is run with its standard input given, for "-" files.
func runIO(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	in = &input{stdin: stdin}
	root := newRootCommand(stdout, stderr)
	root.SetIn(stdin)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, "error:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "error:", err) // flag and argument errors
	return exitInvalid
}

func newRootCommand(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "podsim",
		Short: "Simulate the Kubernetes Pod lifecycle in virtual time",
		Long: `podsim plays the kubelet and the control plane on a virtual clock: given Pod
YAML and a few lines saying what its processes do and what happens when, it
prints what kubectl get pods -w would have printed, in microseconds.

Exit codes: 0 success; 1 an expectation failed (podsim test); 2 a file or
flag is invalid; 3 the simulation failed (an invariant broke, the event limit
was reached, an action could not be done).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newRunCommand(stdout), newTestCommand(stdout), newValidateCommand(stdout), newVersionsCommand(stdout), newExplainCommand(stdout))
	root.AddCommand(newSweepCommand(stdout, stderr), newVersionCommand(stdout), newBenchCommand(stdout))
	return root
}
