package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/podsim/podsim/scenarios"
)

// addStrictFlag adds --strict, which turns every assumption podsim makes
// (an unknown image taken to be a healthy server) and every manifest field
// it does not simulate into an error.
func addStrictFlag(cmd *cobra.Command, strict *bool) {
	cmd.Flags().BoolVar(strict, "strict", false, "make every assumption and every unsimulated field an error (exit code 2), as strict: true in the Scenario does")
}

// loadChecked loads a file and says on stderr what podsim assumes of it
// ("assumed: …") and which of its fields it does not simulate
// ("Warning: …"). Under --strict, or strict: true in the file, those are
// an error instead (exit code 2).
func loadChecked(file string, stderr io.Writer, strict bool) (*scenarios.Scenario, error) {
	s, err := load(file)
	if err != nil {
		return nil, err
	}
	if strict || s.Strict() {
		if err := s.StrictError(); err != nil {
			return nil, &exitError{exitInvalid, err}
		}
		return s, nil
	}
	for _, a := range s.Assumptions() {
		fmt.Fprintln(stderr, "assumed:", a)
	}
	// As kubectl prints the API server's warnings of a create.
	for _, w := range s.Warnings {
		fmt.Fprintf(stderr, "Warning: %s\n", w)
	}
	return s, nil
}
