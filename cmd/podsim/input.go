package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/podsim/podsim/scenarios"
)

// stdinName is how errors name a scenario read from standard input, as
// kubectl names it.
const stdinName = "STDIN"

// input is where scenarios come from in one invocation: files, and
// standard input for "-", read once.
type input struct {
	stdin io.Reader
	data  []byte
	read  bool
	err   error
}

// in is the current invocation's input (runIO sets it).
var in = &input{stdin: os.Stdin}

// bytes returns a file's content: standard input for "-".
func (i *input) bytes(file string) ([]byte, error) {
	if file != "-" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, &exitError{exitInvalid, err}
		}
		return data, nil
	}
	if !i.read {
		i.read = true
		i.data, i.err = scenarios.ReadLimited(stdinName, i.stdin)
	}
	if i.err != nil {
		return nil, &exitError{exitInvalid, i.err}
	}
	return i.data, nil
}

// load reads a scenario, turning its problems into an invalid-input exit.
func load(file string) (*scenarios.Scenario, error) {
	if file == "-" {
		data, err := in.bytes(file)
		if err != nil {
			return nil, err
		}
		s, err := scenarios.Parse(stdinName, data)
		if err != nil {
			return nil, &exitError{exitInvalid, err}
		}
		return s, nil
	}
	s, err := scenarios.Load(file)
	if err != nil {
		return nil, &exitError{exitInvalid, err}
	}
	return s, nil
}

// displayName is how a file is named in output: STDIN for "-".
func displayName(file string) string {
	if file == "-" {
		return stdinName
	}
	return file
}

// addFilenameFlag adds -f/--filename, as kubectl's: files given with it come
// before the positional ones, and "-" is standard input.
func addFilenameFlag(cmd *cobra.Command, files *[]string) {
	cmd.Flags().StringSliceVarP(files, "filename", "f", nil, "a scenario file (repeat for more; - for standard input), besides FILE arguments")
	_ = cmd.MarkFlagFilename("filename", "yaml", "yml")
}

// fileArgs is the files a command works on: -f values, then arguments.
// Standard input can be read once.
func fileArgs(flagFiles, args []string) ([]string, error) {
	files := slices.Concat(flagFiles, args)
	if len(files) == 0 {
		return nil, &exitError{exitInvalid, errors.New("no scenario file: give FILE, or -f FILE (- reads standard input)")}
	}
	if n := countOf(files, "-"); n > 1 {
		return nil, &exitError{exitInvalid, fmt.Errorf("standard input (-) given %d times: it can be read once", n)}
	}
	return files, nil
}

func countOf(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}
