package scenarios

// malformedExpectCases are Scenario expectations that cannot be checked:
// missing pods and containers, values that do not exist, and fields that go
// only with a watch, or not with one.
var malformedExpectCases = []malformedCase{
	{
		name: "expectation names a missing pod",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
expect:
- at: 10s
  pod: web
  status: Running
`,
		want: "t.yaml:5: Scenario: expect[0].pod: Not found: no pod \"web\" in this file",
	},
	{
		name: "expectation names a missing container",
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
  containers:
    sidecar: {state: running}
`,
		want: "t.yaml:16: Scenario: expect[0].containers[sidecar]: Not found: pod \"web\" has no container \"sidecar\"",
	},
	{
		name: "expectation ready garbage",
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
  ready: "x"
`,
		want: "t.yaml:15: Scenario: expect[0].ready: Invalid value: \"x\": must be a count such as \"1/1\", as kubectl shows it",
	},
	{
		name: "expectation phase and event type that do not exist",
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
  phase: Completed
  events:
  - type: Error
    reason: BackOff
`,
		want: `t.yaml:15: Scenario: expect[0].phase: Unsupported value: "Completed": supported values: "Pending", "Running", "Succeeded", "Failed", "Unknown"
t.yaml:17: Scenario: expect[0].events[0].type: Unsupported value: "Error": supported values: "Normal", "Warning"`,
	},
	{
		name: "expectation bad container state",
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
  containers:
    app: {state: crashed}
`,
		want: "t.yaml:16: Scenario: expect[0].containers[app].state: Unsupported value: \"crashed\": supported values: \"waiting\", \"running\", \"terminated\"",
	},
	{
		name: "wide without a watch, negative restarts, the zero epoch",
		in: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: web, image: nginx:1.25.2, ports: [{containerPort: 0}]}]
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
epoch: "0001-01-01T00:00:00Z"
expect:
- at: 10s
  pod: web
  wide: true
  restarts: -1
`,
		want: `t.yaml:5: Pod "web": spec.containers[0].ports[0].containerPort: Required value
t.yaml:9: Scenario: epoch: Invalid value: "0001-01-01T00:00:00Z": must be after the year 1
t.yaml:13: Scenario: expect[0].wide: Forbidden: exactLines, tolerance, wide and from go with watch
t.yaml:14: Scenario: expect[0].restarts: Invalid value: -1: must be greater than or equal to 0`,
	},
	{
		name: "watch expectation with a pod",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
expect:
- pod: web
  watch: |
    NAME   READY   STATUS    RESTARTS   AGE
`,
		want: "t.yaml:5: Scenario: expect[0].watch: Forbidden: a watch expectation checks the whole run; put checks of a pod at a time in an expectation of their own",
	},
	{
		name: "expectation beyond the end",
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
duration: 1m
expect:
- at: 2m
  pod: web
  status: Running
`,
		want: "t.yaml:14: Scenario: expect[0].at: Invalid value: \"2m0s\": must be within the scenario's duration (0s to 1m0s)",
	},
	{
		name: "expectation of nothing",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
expect:
- at: 10s
  status: Running
`,
		want: "t.yaml:4: Scenario: expect[0].pod: Required value: an expectation names a pod or a service, or gives the whole watch",
	},
	{
		name: "duration in expectation tolerance",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
expect:
- watch: |
    NAME   READY   STATUS    RESTARTS   AGE
  tolerance: 5
`,
		want: "t.yaml:6: Scenario: expect[0].tolerance: must be a duration such as \"90s\" or \"13m\", not 5",
	},
}
