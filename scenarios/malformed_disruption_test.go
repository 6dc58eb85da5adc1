package scenarios

// malformedDisruptionCases are PodDisruptionBudgets, PriorityClasses,
// drains and budget expectations that cannot be.
var malformedDisruptionCases = []malformedCase{
	{
		name: "a PDB with both minAvailable and maxUnavailable",
		in: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
  maxUnavailable: 150%
  selector:
    matchLabels: {app: web}
`,
		want: "t.yaml:5: PodDisruptionBudget \"web\": spec: Invalid value: {\"minAvailable\":1,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"maxUnavailable\":\"150%\"}: minAvailable and maxUnavailable cannot be both set\n" +
			"t.yaml:7: PodDisruptionBudget \"web\": spec.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%",
	},
	{
		name: "a PDB's percentage over 100%",
		in: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 150%
`,
		want: "t.yaml:6: PodDisruptionBudget \"web\": spec.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%",
	},
	{
		name: "a PriorityClass above the user range",
		in: `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: top
value: 2000000000
`,
		want: "t.yaml:5: PriorityClass \"top\": value: Forbidden: maximum allowed value of a user defined priority is 1000000000",
	},
	{
		name: "a drain of a node the scenario does not have",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
actions:
- at: 1s
  drain: {node: elsewhere}
`,
		want: "t.yaml:5: Scenario: actions[0].drain.node: Not found: no node \"elsewhere\" in this scenario",
	},
	{
		name: "a drain without a node",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
actions:
- at: 1s
  drain: {force: true}
`,
		want: "t.yaml:5: Scenario: actions[0].drain.node: Required value",
	},
	{
		name: "a budget expectation without counts",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
expect:
- podDisruptionBudget: web
`,
		want: "t.yaml:4: Scenario: expect[0].budget: Required value: a podDisruptionBudget expectation gives the status counts to check",
	},
	{
		name: "a negative count in a budget expectation",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
expect:
- podDisruptionBudget: web
  budget: {disruptionsAllowed: -1}
`,
		want: "t.yaml:5: Scenario: expect[0].budget.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0",
	},
}
