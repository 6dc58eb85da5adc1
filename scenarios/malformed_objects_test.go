package scenarios

// malformedObjectCases are Kubernetes objects that read but do not validate:
// pod and container names, probes, lifecycle hooks, restart policies,
// readiness gates, namespaces, Service ports and Secret data.
var malformedObjectCases = []malformedCase{
	{
		name: "duplicate pod names",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
`,
		want: "t.yaml:13: Pod \"web\": metadata.name: Duplicate value: \"web\" (already defined at line 4)",
	},
	{
		name: "pod without a name",
		in: `apiVersion: v1
kind: Pod
metadata:
  labels: {app: web}
spec:
  containers:
  - name: app
    image: nginx
`,
		want: "t.yaml:3: Pod \"\": metadata.name: Required value: name or generateName is required",
	},
	{
		name: "pod name null",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: null
spec:
  containers:
  - name: app
    image: nginx
`,
		want: "t.yaml:4: Pod \"\": metadata.name: Required value: name or generateName is required",
	},
	{
		name: "liveness successThreshold 2",
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
      successThreshold: 2
`,
		want: "t.yaml:11: Pod \"web\": spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
	},
	{
		name: "startup successThreshold 3",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
    startupProbe:
      tcpSocket: {port: 80}
      successThreshold: 3
`,
		want: "t.yaml:11: Pod \"web\": spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1",
	},
	{
		name: "negative periodSeconds and failureThreshold",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
    readinessProbe:
      httpGet: {port: 80}
      periodSeconds: -1
      failureThreshold: -3
`,
		want: `t.yaml:11: Pod "web": spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0
t.yaml:12: Pod "web": spec.containers[0].readinessProbe.failureThreshold: Invalid value: -3: must be greater than or equal to 0`,
	},
	{
		name: "probe port 0",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
    readinessProbe:
      tcpSocket: {port: 0}
`,
		want: "t.yaml:10: Pod \"web\": spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive",
	},
	{
		name: "probe port 70000",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
    readinessProbe:
      httpGet: {port: 70000}
`,
		want: "t.yaml:10: Pod \"web\": spec.containers[0].readinessProbe.httpGet.port: Invalid value: 70000: must be between 1 and 65535, inclusive",
	},
	{
		name: "probe without handler",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
    livenessProbe:
      periodSeconds: 5
`,
		want: "t.yaml:9: Pod \"web\": spec.containers[0].livenessProbe: Required value: must specify a handler type",
	},
	{
		name: "probe with two handlers",
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
      tcpSocket: {port: 80}
`,
		want: "t.yaml:11: Pod \"web\": spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
	},
	{
		name: "container without image",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
`,
		want: "t.yaml:7: Pod \"web\": spec.containers[0].image: Required value",
	},
	{
		name: "duplicate container names",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
  - name: app
    image: redis
`,
		want: "t.yaml:9: Pod \"web\": spec.containers[1].name: Duplicate value: \"app\"",
	},
	{
		name: "invalid restartPolicy",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  restartPolicy: Sometimes
  containers:
  - name: app
    image: nginx
`,
		want: "t.yaml:6: Pod \"web\": spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
	},
	{
		name: "invalid container name",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: App_1
    image: nginx
`,
		want: "t.yaml:7: Pod \"web\": spec.containers[0].name: Invalid value: \"App_1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
	},
	{
		name: "lifecycle hook without handler",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
    lifecycle:
      preStop: {}
`,
		want: "t.yaml:10: Pod \"web\": spec.containers[0].lifecycle.preStop: Required value: must specify a handler type",
	},
	{
		name: "sidecar on 1.25",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  initContainers:
  - name: proxy
    image: nginx
    restartPolicy: Always
  containers:
  - name: app
    image: nginx
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
kubernetesVersion: "1.25"
`,
		want: "t.yaml:9: Pod \"web\": spec.initContainers[0].restartPolicy: Forbidden: restartable init containers (sidecars) need Kubernetes 1.29 or later; this cluster follows 1.25",
	},
	{
		name: "readiness gate with an invalid condition type",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  readinessGates:
  - conditionType: "not a condition"
  containers:
  - name: app
    image: nginx
`,
		want: "t.yaml:7: Pod \"web\": spec.readinessGates[0].conditionType: Invalid value: \"not a condition\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
	},
	{
		name: "secret data not base64",
		in: `apiVersion: v1
kind: Secret
metadata: {name: creds}
data:
  password: "hunter2!"
`,
		want: `t.yaml:5: Secret "creds": data[password]: Invalid value: "hunter2!": must be base64 data`,
	},
	{
		name: "invalid namespace",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: Team_A
spec:
  containers:
  - name: app
    image: nginx
`,
		want: `t.yaml:5: Pod "web": metadata.namespace: Invalid value: "Team_A": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
	},
	{
		name: "service ports out of range",
		in: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 0
  - port: 80
    targetPort: 70000
`,
		want: `t.yaml:8: Service "web": spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive
t.yaml:10: Service "web": spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive`,
	},
}
