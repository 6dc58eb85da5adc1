// Package scenarios reads podsim's scenario files, runs them and checks
// what they expect.
//
// A scenario file is what a person would kubectl apply — a YAML stream of
// v1 Pods, Nodes, Services, ConfigMaps and Secrets — plus at most one
// podsim.dev/v1alpha1 Scenario document for what Kubernetes YAML cannot
// say:
//
//	apiVersion: podsim.dev/v1alpha1
//	kind: Scenario
//	duration: 2m              # how long to run (default 10m)
//	kubernetesVersion: "1.25" # whose behaviour to follow (default 1.37, the newest)
//	environment:              # pull times, nodes, network plugin, timings
//	  images:
//	    centos: {pulls: [2s]}
//	behaviors: {}             # what a process does, where its command cannot say
//	actions:                  # what happens when
//	- at: 10s
//	  delete: {name: no-sigterm}
//	expect:                   # what podsim test checks
//	- at: 69s
//	  pod: no-sigterm
//	  status: Terminating
//
// [Load] and [Parse] read a file strictly: an unknown field, a wrong type, a
// probe the API server would refuse, an action naming a missing pod, a
// command podsim cannot read — each is an [Error] naming the file, the line
// and the field path, as the API server words it
// (spec.containers[0].livenessProbe.successThreshold: Invalid value: 2:
// must be 1), and all of a file's problems come back together as an
// [ErrorList]. What a container does comes from its command and args where
// they use the shell idioms of the Kubernetes docs (see
// behavior.FromContainer), from the Scenario's behaviors otherwise.
//
// [Scenario.Run] builds the cluster (package sim) and runs it;
// [Render] prints it as kubectl would (watch lines, -o wide, describe,
// yaml, json), as a timeline, or as the JSON Lines trace;
// [Scenario.Test] checks the expectations and returns each miss as a
// [Failure] with a -want +got diff. docs/scenario-format.md documents every
// field and its default.
package scenarios
