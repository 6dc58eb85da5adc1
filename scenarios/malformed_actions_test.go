package scenarios

// malformedActionCases are Scenario actions that cannot happen: times
// outside the run, deletes of what does not exist, container actions,
// setCondition, and create.
var malformedActionCases = []malformedCase{
	{
		name: "negative action time",
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
actions:
- at: -5s
  delete: {name: web}
`,
		want: "t.yaml:14: Scenario: actions[0].at: Invalid value: \"-5s\": must be within the scenario's duration (0s to 1m0s)",
	},
	{
		name: "action after the end",
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
actions:
- at: 2m
  delete: {name: web}
`,
		want: "t.yaml:14: Scenario: actions[0].at: Invalid value: \"2m0s\": must be within the scenario's duration (0s to 1m0s)",
	},
	{
		name: "action without at",
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
actions:
- delete: {name: web}
`,
		want: "t.yaml:13: Scenario: actions[0].at: Required value: when the action happens, such as \"30s\"",
	},
	{
		name: "delete of a missing pod",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
actions:
- at: 10s
  delete: {name: web}
`,
		want: "t.yaml:5: Scenario: actions[0].delete.name: Not found: no Pod \"web\" exists at that time",
	},
	{
		name: "delete twice",
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
actions:
- at: 10s
  delete: {name: web}
- at: 20s
  delete: {name: web}
`,
		want: "t.yaml:16: Scenario: actions[1].delete.name: Not found: no Pod \"web\" exists at that time",
	},
	{
		name: "delete of a missing service",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
actions:
- at: 10s
  delete: {kind: Service, name: web}
`,
		want: "t.yaml:5: Scenario: actions[0].delete.name: Not found: no Service \"web\" exists at that time",
	},
	{
		name: "container action on a missing pod",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
actions:
- at: 10s
  container: {pod: web, container: app, createFile: /tmp/healthy}
`,
		want: "t.yaml:5: Scenario: actions[0].container.pod: Not found: no pod \"web\" exists at that time",
	},
	{
		name: "container action on a missing container",
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
actions:
- at: 10s
  container: {pod: web, container: sidecar, createFile: /tmp/healthy}
`,
		want: "t.yaml:14: Scenario: actions[0].container.container: Not found: pod \"web\" has no container \"sidecar\"",
	},
	{
		name: "container action opening port 0",
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
actions:
- at: 10s
  container: {pod: web, container: app, openPort: 0}
`,
		want: "t.yaml:14: Scenario: actions[0].container.openPort: Invalid value: 0: must be between 1 and 65535, inclusive",
	},
	{
		name: "action with two kinds",
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
actions:
- at: 10s
  delete: {name: web}
  setCondition: {pod: web, type: example.com/gate, status: "True"}
`,
		want: "t.yaml:13: Scenario: actions[0]: an action needs exactly one of create, apply, delete, setCondition, container, drain, node (it has 2)",
	},
	{
		name: "action with no kind",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
actions:
- at: 10s
`,
		want: "t.yaml:4: Scenario: actions[0]: an action needs exactly one of create, apply, delete, setCondition, container, drain, node (it has 0)",
	},
	{
		name: "setCondition on a missing pod",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
actions:
- at: 10s
  setCondition: {pod: web, type: example.com/gate, status: "True"}
`,
		want: "t.yaml:5: Scenario: actions[0].setCondition.pod: Not found: no pod \"web\" exists at that time",
	},
	{
		name: "setCondition on a kubelet condition",
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
actions:
- at: 10s
  setCondition: {pod: web, type: Ready, status: "True"}
`,
		want: "t.yaml:14: Scenario: actions[0].setCondition.type: Forbidden: the kubelet owns the Ready condition; set a readiness gate's condition instead",
	},
	{
		name: "setCondition with a bad status",
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
actions:
- at: 10s
  setCondition: {pod: web, type: example.com/gate, status: yes}
`,
		want: "t.yaml:14: Scenario: actions[0].setCondition.status: Invalid value: yes: must be a string (YAML reads yes as true or false; write \"yes\")",
	},
	{
		name: "create action with an unknown field",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
actions:
- at: 10s
  create:
    apiVersion: v1
    kind: Pod
    metadata:
      name: late
    spec:
      containers:
      - name: app
        image: nginx
        imagePullPolcy: Never
`,
		want: "t.yaml:14: Pod \"late\": spec.containers[0].imagePullPolcy: unknown field \"imagePullPolcy\" (did you mean \"imagePullPolicy\"?)",
	},
	{
		name: "create action with a wrong type",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
actions:
- at: 10s
  create:
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      ports:
      - port: eighty
`,
		want: "t.yaml:12: Service \"web\": spec.ports[0].port: Invalid value: \"eighty\": must be a whole number",
	},
	{
		name: "create action of an extensions/v1beta1 Deployment",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
actions:
- at: 10s
  create:
    apiVersion: extensions/v1beta1
    kind: Deployment
    metadata:
      name: web
`,
		want: "t.yaml:6: Scenario: actions[0].create.apiVersion: Unsupported value: \"extensions/v1beta1 Deployment\": create takes a v1 Pod, Service, ConfigMap, Secret or Namespace, an apps/v1 Deployment, ReplicaSet, StatefulSet or DaemonSet, a batch/v1 Job, a policy/v1 PodDisruptionBudget or a scheduling.k8s.io/v1 PriorityClass",
	},
	{
		name: "create action of a ReplicaSet without selector or containers",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
actions:
- at: 10s
  create:
    apiVersion: apps/v1
    kind: ReplicaSet
    metadata:
      name: web
`,
		want: "t.yaml:5: ReplicaSet \"web\": spec.selector: Required value\nt.yaml:5: ReplicaSet \"web\": spec.template.spec.containers: Required value",
	},
	{
		name: "create action of an existing pod",
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
actions:
- at: 10s
  create:
    apiVersion: v1
    kind: Pod
    metadata:
      name: web
    spec:
      containers:
      - name: app
        image: nginx
`,
		want: "t.yaml:18: Pod \"web\": metadata.name: Duplicate value: \"web\" already exists at that time",
	},
	{
		name: "create action pod with an invalid probe",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
actions:
- at: 10s
  create:
    apiVersion: v1
    kind: Pod
    metadata:
      name: late
    spec:
      containers:
      - name: app
        image: nginx
        livenessProbe:
          httpGet: {port: 80}
          successThreshold: 2
`,
		want: "t.yaml:16: Pod \"late\": spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
	},
	{
		name: "delete with grace 0 without force",
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
actions:
- at: 10s
  delete: {name: web, gracePeriodSeconds: 0}
`,
		want: "t.yaml:14: Scenario: actions[0].delete.gracePeriodSeconds: Invalid value: 0: --grace-period=0 must have either --force specified, or --wait to be set to true",
	},
	{
		name: "setCondition without type",
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
actions:
- at: 10s
  setCondition: {pod: web, status: "True"}
`,
		want: "t.yaml:14: Scenario: actions[0].setCondition.type: Required value",
	},
	{
		name: "created pod lacks the container a behaviour and an expectation name",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
behaviors:
  late/nope:
    script: "sleep 10"
actions:
- at: 10s
  create:
    apiVersion: v1
    kind: Pod
    metadata: {name: late}
    spec:
      containers: [{name: app, image: nginx}]
expect:
- at: 20s
  pod: late
  containers:
    nope: {state: running}
`,
		want: `t.yaml:4: Scenario: behaviors[late/nope]: Not found: pod "late" has no container "nope"
t.yaml:18: Scenario: expect[0].containers[nope]: Not found: pod "late" has no container "nope"`,
	},
}
