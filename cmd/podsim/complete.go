package main

import (
	"slices"

	"github.com/spf13/cobra"

	"github.com/podsim/podsim/chart"
	"github.com/podsim/podsim/scenarios"
)

// Shell completion (podsim completion bash|zsh|fish|powershell, cobra's):
// output formats, and the pods and namespaces of the files on the line.

// completeFiles completes scenario files.
func completeFiles(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
}

// completeOutputs lists the -o values.
func completeOutputs(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, f := range slices.Concat(scenarios.Formats, chart.Formats) {
		if f != scenarios.FormatWatch {
			out = append(out, f)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completePods lists the pods of the files given so far (as arguments or
// with -f; not standard input, which completion cannot read).
func completePods(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	return fromFiles(cmd, args, func(s *scenarios.Scenario) []string { return s.PodNames() })
}

// completeNamespaces lists the namespaces of those files' pods.
func completeNamespaces(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	return fromFiles(cmd, args, func(s *scenarios.Scenario) []string { return s.Namespaces() })
}

func fromFiles(cmd *cobra.Command, args []string, of func(*scenarios.Scenario) []string) ([]string, cobra.ShellCompDirective) {
	files, _ := cmd.Flags().GetStringSlice("filename")
	seen := map[string]bool{}
	var out []string
	for _, file := range slices.Concat(files, args) {
		if file == "-" {
			continue
		}
		s, err := scenarios.Load(file)
		if err != nil {
			continue
		}
		for _, v := range of(s) {
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	slices.Sort(out)
	return out, cobra.ShellCompDirectiveNoFileComp
}
