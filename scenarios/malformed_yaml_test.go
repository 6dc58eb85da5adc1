package scenarios

// malformedYAMLCases are files that are not the YAML podsim reads: syntax
// errors, documents that are not mappings, missing or unsupported apiVersion
// and kind, the document stream itself, and fields that are unknown, given
// twice or of the wrong type.
var malformedYAMLCases = []malformedCase{
	{
		name: "yaml syntax error",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web
spec: {}
`,
		want: "t.yaml:6: invalid YAML: did not find expected ',' or '}' (in the flow mapping that starts at line 5)",
	},
	{
		name: "yaml tab indentation",
		in: `apiVersion: v1
kind: Pod
metadata:
	name: web
`,
		want: "t.yaml:4: invalid YAML: found character that cannot start any token",
	},
	{
		name: "document is a list",
		in: `- apiVersion: v1
  kind: Pod
`,
		want: "t.yaml:1: a document must be a mapping (a Kubernetes object or a Scenario), not a list",
	},
	{
		name: "document is a scalar",
		in: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: app, image: nginx}]
---
just some text
`,
		want: "t.yaml:7: a document must be a mapping (a Kubernetes object or a Scenario), not the value \"just some text\"",
	},
	{
		name: "missing kind",
		in: `apiVersion: v1
metadata:
  name: web
`,
		want: "t.yaml:1: kind: Required value: every document needs apiVersion and kind (podsim reads v1 Pod, Node, Service, ConfigMap, Secret, Namespace, apps/v1 Deployment and ReplicaSet, batch/v1 Job, policy/v1 PodDisruptionBudget, scheduling.k8s.io/v1 PriorityClass and podsim.dev/v1alpha1 Scenario)",
	},
	{
		name: "missing apiVersion",
		in: `kind: Pod
metadata:
  name: web
`,
		want: "t.yaml:1: apiVersion: Required value: every document needs apiVersion and kind (podsim reads v1 Pod, Node, Service, ConfigMap, Secret, Namespace, apps/v1 Deployment and ReplicaSet, batch/v1 Job, policy/v1 PodDisruptionBudget, scheduling.k8s.io/v1 PriorityClass and podsim.dev/v1alpha1 Scenario)",
	},
	{
		name: "a Deployment of a removed API version",
		in: `apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: web
`,
		want: "t.yaml:1: Deployment \"web\": apiVersion: podsim does not simulate extensions/v1beta1 Deployment (it reads v1 Pod, Node, Service, ConfigMap, Secret, Namespace, apps/v1 Deployment and ReplicaSet, batch/v1 Job, policy/v1 PodDisruptionBudget, scheduling.k8s.io/v1 PriorityClass and podsim.dev/v1alpha1 Scenario)",
	},
	{
		name: "unsupported v1 kind",
		in: `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
`,
		want: "t.yaml:2: PersistentVolumeClaim \"data\": kind: podsim does not simulate v1 PersistentVolumeClaim (it reads v1 Pod, Node, Service, ConfigMap, Secret, Namespace, apps/v1 Deployment and ReplicaSet, batch/v1 Job, policy/v1 PodDisruptionBudget, scheduling.k8s.io/v1 PriorityClass and podsim.dev/v1alpha1 Scenario)",
	},
	{
		name: "unknown probe field",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
    livenessProbe:
      httpGet: {port: 80}
      sucessThreshold: 1
`,
		want: "t.yaml:11: Pod \"web\": spec.containers[0].livenessProbe.sucessThreshold: unknown field \"sucessThreshold\" (did you mean \"successThreshold\"?)",
	},
	{
		name: "string where int expected",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
    livenessProbe:
      httpGet: {port: 80}
      periodSeconds: "ten"
`,
		want: "t.yaml:11: Pod \"web\": spec.containers[0].livenessProbe.periodSeconds: Invalid value: \"ten\": must be a whole number",
	},
	{
		name: "duplicate field",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
  name: web2
spec:
  containers:
  - name: app
    image: nginx
`,
		want: "t.yaml:5: Pod \"web\": metadata.name: Duplicate value: \"name\" is given twice in one mapping (first at line 4)",
	},
	{
		name: "two Scenario documents",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 1m
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 2m
`,
		want: "t.yaml:5: Scenario: a file may hold only one Scenario document (the first is at line 1)",
	},
	{
		name: "node manifest unknown field",
		in: `apiVersion: v1
kind: Node
metadata:
  name: n1
spec:
  unschedulabel: true
`,
		want: "t.yaml:6: Node \"n1\": spec.unschedulabel: unknown field \"unschedulabel\" (did you mean \"unschedulable\"?)",
	},
	{
		name: "a pod that cannot be read hides no image error",
		in: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  terminationGracePeriodSeconds: ten
  containers: [{name: web, image: nginx:1.25.2}]
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
environment:
  images:
    nginx: {pulls: [5s]}
`,
		want: `t.yaml:5: Pod "web": spec.terminationGracePeriodSeconds: Invalid value: "ten": must be a whole number`,
	},
	{
		name: "list where a mapping is expected",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
  - app
spec:
  containers:
  - name: app
    image: nginx
`,
		want: "t.yaml:5: Pod \"web\": metadata.labels: Invalid value: a list: must be a mapping",
	},
	{
		name: "string where a number is expected, second container",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
  - name: cache
    image: redis
    ports:
    - containerPort: "6379"
`,
		want: "t.yaml:12: Pod \"web\": spec.containers[1].ports[0].containerPort: Invalid value: \"6379\": must be a whole number",
	},
	{
		name: "probe port a list",
		in: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: app
    image: nginx
    livenessProbe:
      httpGet: {port: [80]}
`,
		want: `t.yaml:9: Pod "web": spec.containers[0].livenessProbe.httpGet.port: Invalid value: a list: must be a number or a name`,
	},
	{
		name: "quantity a mapping",
		in: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: app
    image: nginx
    resources:
      limits:
        memory: {value: 1Gi}
`,
		want: `t.yaml:10: Pod "web": spec.containers[0].resources.limits[memory]: Invalid value: a mapping: must be a quantity such as "256Mi" or "500m"`,
	},
	{
		name: "document on the --- line",
		in: `apiVersion: v1
kind: ConfigMap
metadata: {name: conf}
--- {apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {containers: [{name: app, image: nginx, startupProbe: {tcpSocket: {port: 0}}}]}}
`,
		want: `t.yaml:4: Pod "web": spec.containers[0].startupProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive`,
	},
}
