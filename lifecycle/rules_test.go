package lifecycle

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRulesFor(t *testing.T) {
	cases := []struct {
		minor int
		want  Rules
	}{
		{minor: 24, want: Rules{}},
		{minor: 25, want: Rules{}},
		{minor: 26, want: Rules{SchedulingGated: true}},
		{minor: 27, want: Rules{SchedulingGated: true, PodIsTerminalPhase: true}},
		{minor: 28, want: Rules{SchedulingGated: true, PodIsTerminalPhase: true, PrintWhenInitialized: true, PrintRestartsAgoOnlyNonZero: true}},
		{minor: 30, want: Rules{
			SchedulingGated: true, PodIsTerminalPhase: true, PrintWhenInitialized: true, PrintRestartsAgoOnlyNonZero: true,
			SidecarContainers: true, ReadyToStartContainersCondition: true, PhaseInitPendingYieldsToStarted: true,
		}},
		{minor: 31, want: Rules{
			SchedulingGated: true, PodIsTerminalPhase: true, PrintWhenInitialized: true, PrintRestartsAgoOnlyNonZero: true,
			SidecarContainers: true, ReadyToStartContainersCondition: true, PrintTerminatingOnlyNonTerminal: true,
		}},
		{minor: 33, want: Rules{
			SchedulingGated: true, PodIsTerminalPhase: true, PrintWhenInitialized: true, PrintRestartsAgoOnlyNonZero: true,
			SidecarContainers: true, ReadyToStartContainersCondition: true, PrintTerminatingOnlyNonTerminal: true,
			PodHasInitializedArg: true,
		}},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.minor), func(t *testing.T) {
			if diff := cmp.Diff(tc.want, RulesFor(tc.minor)); diff != "" {
				t.Errorf("RulesFor(%d) (-want +got):\n%s", tc.minor, diff)
			}
		})
	}
}
