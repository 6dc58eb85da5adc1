package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/labels"
)

// selectorFlags are kubectl's -n/--namespace and -l/--selector: which pods
// the outputs show.
type selectorFlags struct {
	namespace string
	selector  string
	parsed    labels.Selector
}

func (s *selectorFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&s.namespace, "namespace", "n", "", "show only the pods of this namespace (default: every namespace)")
	cmd.Flags().StringVarP(&s.selector, "selector", "l", "", "show only the pods whose labels match this selector, as kubectl's -l (e.g. -l app=web,tier!=db)")
	_ = cmd.RegisterFlagCompletionFunc("namespace", completeNamespaces)
}

// parse checks the selector as kubectl does (labels.Parse).
func (s *selectorFlags) parse() error {
	if s.selector == "" {
		return nil
	}
	sel, err := labels.Parse(s.selector)
	if err != nil {
		return &exitError{exitInvalid, fmt.Errorf("-l %q: %v", s.selector, err)}
	}
	s.parsed = sel
	return nil
}
