package scenarios

// malformedNodeExpectCases are node expectations that cannot be checked.
var malformedNodeExpectCases = []malformedCase{
	{
		name: "node expectation names a missing node",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
expect:
- at: 10s
  node: node-2
  nodeConditions:
    MemoryPressure: {status: "True"}
`,
		want: `t.yaml:5: Scenario: expect[0].node: Not found: no node "node-2" in this scenario (nodes: node-1)`,
	},
	{
		name: "node conditions without a node",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
expect:
- at: 10s
  nodeConditions:
    MemoryPressure: {status: "True"}
`,
		want: "t.yaml:4: Scenario: expect[0].node: Required value: nodeConditions and taints need the name of a node",
	},
	{
		name: "node expectation that checks nothing",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
expect:
- at: 10s
  node: node-1
`,
		want: "t.yaml:5: Scenario: expect[0].node: Required value: a node expectation gives nodeConditions, taints or both",
	},
	{
		name: "node condition status that does not exist",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
expect:
- at: 10s
  node: node-1
  nodeConditions:
    MemoryPressure: {status: "Yes"}
`,
		want: `t.yaml:7: Scenario: expect[0].nodeConditions[MemoryPressure].status: Unsupported value: "Yes": supported values: "True", "False", "Unknown"`,
	},
	{
		name: "node and pod in one expectation",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
expect:
- at: 10s
  pod: web
  node: node-1
  taints: []
`,
		want: "t.yaml:15: Scenario: expect[0].node: Forbidden: an expectation is about one pod, one service, one budget or one node",
	},
	{
		name: "pod status reason in a watch expectation",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
expect:
- reason: Evicted
  watch: |
    web   0/1   Pending   0   0s
`,
		want: "t.yaml:5: Scenario: expect[0].watch: Forbidden: a watch expectation checks the whole run; put checks of a pod at a time in an expectation of their own",
	},
}
