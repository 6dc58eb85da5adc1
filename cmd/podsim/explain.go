package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/podsim/podsim/explain"
)

func newExplainCommand(stdout io.Writer) *cobra.Command {
	var pod string
	var strict bool
	cmd := &cobra.Command{
		Use:   "explain FILE",
		Short: "Say what a pod spec will do, from the kubelet's rules, without running it",
		Long: `Explain a pod: when it becomes Ready, how long each probe takes to notice a
dead container, when it is killed and restarted if it crash-loops (the
kubelet's back-off: 10 s doubling to 5 min, retried by the pod worker every
10–15 s), whether preStop fits the grace period, and probe settings that are
often wrong (liveness equal to readiness, liveness without a startup probe
on a slow start, an initialDelaySeconds longer than needed).

FILE is a pod manifest or a scenario file; a scenario's environment (image
pull times, node images, timings) and Kubernetes version are used. The
times are computed from the rules, not by running the simulation, and
where the kubelet's jitter makes a time uncertain they are ranges;
podsim run shows what one run does.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := loadChecked(args[0], cmd.ErrOrStderr(), strict)
			if err != nil {
				return err
			}
			in, err := explain.FromScenario(s, pod)
			if err != nil {
				return &exitError{exitInvalid, err}
			}
			r, err := explain.Explain(in)
			if err != nil {
				return &exitError{exitInvalid, err}
			}
			return r.Write(stdout)
		},
	}
	cmd.Flags().StringVar(&pod, "pod", "", "the pod to explain (default: the file's first pod)")
	addStrictFlag(cmd, &strict)
	return cmd
}
