package scenarios

// malformedNodeActionCases are node actions that cannot be.
var malformedNodeActionCases = []malformedCase{
	{
		name: "a node action on a node the scenario does not have",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
actions:
- at: 1s
  node: {name: elsewhere, do: cutNetwork}
`,
		want: "t.yaml:5: Scenario: actions[0].node.name: Not found: no node \"elsewhere\" in this scenario",
	},
	{
		name: "a node action that is not one",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
environment:
  nodes: [{name: n1}]
actions:
- at: 1s
  node: {name: n1, do: explode}
`,
		want: "t.yaml:7: Scenario: actions[0].node.do: Unsupported value: \"explode\": supported values: cordon, cutNetwork, delete, label, powerOff, powerOn, reboot, restoreNetwork, startKubelet, startRuntime, stopKubelet, stopRuntime, taint, uncordon, unlabel, untaint",
	},
	{
		name: "a taint action without its taint",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
environment:
  nodes: [{name: n1}]
actions:
- at: 1s
  node: {name: n1, do: taint}
`,
		want: "t.yaml:7: Scenario: actions[0].node.taint: Required value: do: taint needs the taint",
	},
	{
		name: "a taint of an unknown effect",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
environment:
  nodes: [{name: n1}]
actions:
- at: 1s
  node: {name: n1, do: taint, taint: {key: k, effect: NoWay}}
`,
		want: "t.yaml:7: Scenario: actions[0].node.taint.effect: Unsupported value: \"NoWay\": supported values: NoSchedule, PreferNoSchedule, NoExecute",
	},
	{
		name: "labels on a fault",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
environment:
  nodes: [{name: n1}]
actions:
- at: 1s
  node: {name: n1, do: cordon, labels: {a: b}}
`,
		want: "t.yaml:7: Scenario: actions[0].node.labels: Forbidden: only for do: label or unlabel",
	},
	{
		name: "a reboot without its downtime",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
environment:
  nodes: [{name: n1}]
actions:
- at: 1s
  node: {name: n1, do: reboot}
`,
		want: "t.yaml:7: Scenario: actions[0].node.downtime: Required value: do: reboot needs a positive downtime, such as \"2m\"",
	},
}
