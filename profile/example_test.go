package profile_test

import (
	"fmt"

	"github.com/podsim/podsim/profile"
)

// The profile of a version gives every switch its value there.
func ExampleFor() {
	p, err := profile.For("1.35")
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Version, p.CrashLoopRetryAtExpiry, p.CreatedEventColon, p.NodeMonitorGracePeriod)
	initial, maxWait := p.CrashLoopBackOff(map[string]bool{"ReduceDefaultCrashLoopBackOffDecay": true}, 0)
	fmt.Println(initial, maxWait)
	// Output:
	// 1.35 true true 50s
	// 1s 1m0s
}

// What a version changes, row by row.
func ExampleChangesIn() {
	for _, c := range profile.ChangesIn(34) {
		fmt.Printf("%s: %s\n", c.Field, profile.ValueString(c.ValueAt(34)))
	}
	// Output:
	// ObservedGeneration: yes
	// APIFields.PodLevelResources: on
	// APIFields.ContainerRestartRules: off
	// APIFields.HostnameOverride: off
	// APIFields.EnvFiles: off
}
