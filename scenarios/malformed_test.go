package scenarios

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// malformedCases are scenario files that must be refused, each with the
// exact text of the error a user sees.
var malformedCases = []struct {
	name string
	in   string
	want string
}{
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
		want: "t.yaml:1: kind: Required value: every document needs apiVersion and kind (podsim reads v1 Pod, Node, Service, ConfigMap, Secret and podsim.dev/v1alpha1 Scenario)",
	},
	{
		name: "missing apiVersion",
		in: `kind: Pod
metadata:
  name: web
`,
		want: "t.yaml:1: apiVersion: Required value: every document needs apiVersion and kind (podsim reads v1 Pod, Node, Service, ConfigMap, Secret and podsim.dev/v1alpha1 Scenario)",
	},
	{
		name: "unsupported kind Deployment",
		in: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
`,
		want: "t.yaml:1: Deployment \"web\": apiVersion: podsim does not simulate apps/v1 Deployment (it reads v1 Pod, Node, Service, ConfigMap, Secret and podsim.dev/v1alpha1 Scenario)",
	},
	{
		name: "unsupported v1 kind",
		in: `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
`,
		want: "t.yaml:2: PersistentVolumeClaim \"data\": kind: podsim does not simulate v1 PersistentVolumeClaim (it reads v1 Pod, Node, Service, ConfigMap, Secret and podsim.dev/v1alpha1 Scenario)",
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
		name: "unknown Scenario field",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 1m
durtion: 2m
`,
		want: "t.yaml:4: Scenario: durtion: unknown field \"durtion\" (did you mean \"duration\"?)",
	},
	{
		name: "duration bare number",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 90
`,
		want: "t.yaml:3: Scenario: duration: must be a duration such as \"90s\" or \"13m\", not 90",
	},
	{
		name: "duration words",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: "ten seconds"
`,
		want: "t.yaml:3: Scenario: duration: must be a duration such as \"90s\" or \"13m\", not \"ten seconds\"",
	},
	{
		name: "duration zero",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 0s
`,
		want: "t.yaml:3: Scenario: duration: Invalid value: \"0s\": must be greater than 0",
	},
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
		want: "t.yaml:13: Scenario: actions[0]: an action needs exactly one of create, delete, setCondition, container (it has 2)",
	},
	{
		name: "action with no kind",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
actions:
- at: 10s
`,
		want: "t.yaml:4: Scenario: actions[0]: an action needs exactly one of create, delete, setCondition, container (it has 0)",
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
		name: "command podsim cannot read",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: busybox
    command: ["/usr/local/bin/server", "--port=8080"]
`,
		want: `t.yaml:9: Pod "web": spec.containers[0].command: podsim cannot read the command "/usr/local/bin/server --port=8080": unknown command "/usr/local/bin/server"; describe what the process does in the Scenario document, for example:
    behaviors:
      web/app:
        script: "sleep 3600"`,
	},
	{
		name: "unknown image without command",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: example.com/team/app:v3
`,
		want: `t.yaml:7: Pod "web": spec.containers[0].command: podsim cannot tell what the container runs: the container gives no command and podsim does not know what the image "example.com/team/app:v3" runs (podsim knows alpine, busybox, centos, debian, httpd, nginx, pause, redis, ubuntu); describe what the process does in the Scenario document, for example:
    behaviors:
      web/app:
        script: "sleep 3600"`,
	},
	{
		name: "behaviour for a missing pod",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
behaviors:
  web/app:
    script: "sleep 3600"
`,
		want: "t.yaml:4: Scenario: behaviors[web/app]: Not found: no pod \"web\" in namespace \"default\" in this file",
	},
	{
		name: "behaviour for a missing container",
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
behaviors:
  web/sidecar:
    script: "sleep 3600"
`,
		want: "t.yaml:13: Scenario: behaviors[web/sidecar]: Not found: pod \"web\" has no container \"sidecar\"",
	},
	{
		name: "behaviour key without a slash",
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
behaviors:
  web:
    script: "sleep 3600"
`,
		want: "t.yaml:13: Scenario: behaviors[web]: Invalid value: \"web\": must be \"pod/container\" or \"namespace/pod/container\"",
	},
	{
		name: "unknown step",
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
behaviors:
  web/app:
    steps:
    - sleep: 10s
    - crash: true
`,
		want: "t.yaml:16: Scenario: behaviors[web/app].steps[1].crash: unknown field \"crash\"",
	},
	{
		name: "empty step",
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
behaviors:
  web/app:
    steps:
    - {}
`,
		want: "t.yaml:15: Scenario: behaviors[web/app].steps[0]: Required value: a step needs one of sleep, touch, remove, write, exit, listen, closePort, serveHTTP, serveGRPC, memory, disk, run, forever, until, while",
	},
	{
		name: "empty forever",
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
behaviors:
  web/app:
    steps:
    - touch: /tmp/ready
    - forever: []
`,
		want: "t.yaml:16: Scenario: behaviors[web/app].steps[1].forever: Required value: forever repeats its steps: give at least one, such as \"sleep: 1h\"",
	},
	{
		name: "bad stop action",
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
behaviors:
  web/app:
    script: "sleep 3600"
    stop: {action: explode}
`,
		want: "t.yaml:15: Scenario: behaviors[web/app].stop.action: Unsupported value: \"explode\": supported values: \"ignore\", \"die\", \"exit\"",
	},
	{
		name: "invalid kubernetesVersion",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
kubernetesVersion: "1.99"
`,
		want: "t.yaml:3: Scenario: kubernetesVersion: Unsupported value: \"1.99\": supported values: \"1.25\", \"1.33\"",
	},
	{
		name: "kubernetesVersion as a number",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
kubernetesVersion: 1.30
`,
		want: "t.yaml:3: Scenario: kubernetesVersion: Invalid value: 1.30: must be a string (YAML reads 1.30 as a number; write \"1.30\")",
	},
	{
		name: "invalid epoch",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
epoch: "yesterday"
`,
		want: "t.yaml:3: Scenario: epoch: Invalid value: \"yesterday\": must be an RFC 3339 time such as \"2025-01-01T00:00:00Z\"",
	},
	{
		name: "unknown network plugin",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
environment:
  network:
    plugin: flannel
`,
		want: "t.yaml:5: Scenario: environment.network.plugin: Unsupported value: \"flannel\": supported values: \"\", \"calico\"",
	},
	{
		name: "bad podCIDR",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
environment:
  network:
    podCIDR: 10.244.0.0/33
`,
		want: "t.yaml:5: Scenario: environment.network.podCIDR: Invalid value: \"10.244.0.0/33\": must be an IPv4 range of /24 or wider, such as 10.244.0.0/16",
	},
	{
		name: "podCIDR narrower than /24",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
environment:
  network:
    podCIDR: 10.0.0.0/32
`,
		want: "t.yaml:5: Scenario: environment.network.podCIDR: Invalid value: \"10.0.0.0/32\": must be an IPv4 range of /24 or wider, such as 10.244.0.0/16",
	},
	{
		name: "IPv6 podCIDR",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
environment:
  network:
    podCIDR: fd00::/64
`,
		want: "t.yaml:5: Scenario: environment.network.podCIDR: Invalid value: \"fd00::/64\": must be an IPv4 range of /24 or wider, such as 10.244.0.0/16",
	},
	{
		name: "Scenario typo does not hide behaviours",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: example.com/app:v1
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duraton: 1m
behaviors:
  web/app:
    script: "sleep 3600"
`,
		want: "t.yaml:12: Scenario: duraton: unknown field \"duraton\" (did you mean \"duration\"?)",
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
		name: "create action of a Deployment",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
actions:
- at: 10s
  create:
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
`,
		want: "t.yaml:6: Scenario: actions[0].create.apiVersion: Unsupported value: \"apps/v1 Deployment\": create takes a v1 Pod, Service, ConfigMap or Secret",
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
		name: "node capacity not a quantity",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
environment:
  nodes:
  - name: small
    capacity:
      cpu: "2"
      memory: lots
`,
		want: "t.yaml:8: Scenario: environment.nodes[0].capacity[memory]: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
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
		name: "negative pull time and failPulls",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
environment:
  images:
    nginx:
      pulls: [2s, -1s]
      failPulls: -1
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: web, image: nginx:1.25.2}]
`,
		want: `t.yaml:6: Scenario: environment.images[nginx].pulls[1]: Invalid value: "-1s": must be greater than 0
t.yaml:7: Scenario: environment.images[nginx].failPulls: Invalid value: -1: must be greater than or equal to 0`,
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
		name: "an image no container runs",
		in: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: web, image: nginx:1.25.2}]
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
environment:
  images:
    ngnix:
      pulls: [20s]
`,
		want: `t.yaml:11: Scenario: environment.images[ngnix]: Not found: no container in this scenario runs image "ngnix" (a key names an image as a pod writes it, its full reference, or its repository without a tag)`,
	},
	{
		name: "negative memory, a relative disk path",
		in: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: app, image: busybox, command: [sh, -c, "sleep 3600"]}]
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
behaviors:
  web/app:
    steps:
    - memory: -512Mi
    - disk: {path: data, bytes: 1Gi}
    - sleep: 1h
`,
		want: `t.yaml:12: Scenario: behaviors[web/app].steps[0].memory: Invalid value: "-512Mi": must not be negative
t.yaml:13: Scenario: behaviors[web/app].steps[1].disk.path: Invalid value: "data": must be an absolute path`,
	},
	{
		name: "a behaviour that does not say what an unreadable command does",
		in: `apiVersion: v1
kind: Pod
metadata: {name: job, namespace: team-a}
spec:
  containers: [{name: main, image: python:3.12, command: [python, app.py]}]
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
behaviors:
  team-a/job/main:
    stop: {action: die}
`,
		want: `t.yaml:10: Scenario: behaviors[team-a/job/main]: Required value: script or steps: podsim cannot read the container's command (podsim cannot read the command "python app.py": unknown command "python")`,
	},
	{
		name: "the suggested behaviour key names the namespace",
		in: `apiVersion: v1
kind: Pod
metadata: {name: job, namespace: team-a}
spec:
  containers: [{name: main, image: python:3.12, command: [python, app.py]}]
`,
		want: `t.yaml:5: Pod "job": spec.containers[0].command: podsim cannot read the command "python app.py": unknown command "python"; describe what the process does in the Scenario document, for example:
    behaviors:
      team-a/job/main:
        script: "sleep 3600"`,
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
		name: "exec probe podsim cannot answer",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
    livenessProbe:
      exec:
        command: ["/bin/check-health"]
`,
		want: `t.yaml:12: Pod "web": spec.containers[0].livenessProbe.exec.command: podsim cannot tell what the command "/bin/check-health" does; say what it does among the image's commands in the Scenario document, for example:
    environment:
      images:
        busybox:
          commands:
            "/bin/check-health": "exit 0"`,
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
		name: "bad step values",
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
behaviors:
  web/app:
    steps:
    - listen: 0
    - serveHTTP: {port: 80, status: 700}
    - serveGRPC: {port: 9000, status: HEALTHY}
    - sleep: -1s
`,
		want: `t.yaml:15: Scenario: behaviors[web/app].steps[0].listen: Invalid value: 0: must be between 1 and 65535, inclusive
t.yaml:16: Scenario: behaviors[web/app].steps[1].serveHTTP.status: Invalid value: 700: must be an HTTP status code (100-599)
t.yaml:17: Scenario: behaviors[web/app].steps[2].serveGRPC.status: Unsupported value: "HEALTHY": supported values: "SERVING", "NOT_SERVING", "UNKNOWN", "SERVICE_UNKNOWN"
t.yaml:18: Scenario: behaviors[web/app].steps[3].sleep: Invalid value: "-1s": must not be negative`,
	},
	{
		name: "behaviour script podsim cannot read",
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
behaviors:
  web/app:
    script: "python3 -m http.server"
`,
		want: "t.yaml:14: Scenario: behaviors[web/app].script: podsim cannot read the command \"python3 -m http.server\": unknown command \"python3\"",
	},
	{
		name: "stop after with action die",
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
behaviors:
  web/app:
    script: "sleep 3600"
    stop: {action: die, after: 5s}
    userland: musl
`,
		want: `t.yaml:15: Scenario: behaviors[web/app].stop.after: Forbidden: after and exitCode are for action "exit"
t.yaml:16: Scenario: behaviors[web/app].userland: Unsupported value: "musl": supported values: "gnu", "busybox"`,
	},
	{
		name: "negative stop after",
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
behaviors:
  web/app:
    script: "sleep 3600"
    stop: {action: exit, after: -1s, exitCode: 0}
`,
		want: "t.yaml:15: Scenario: behaviors[web/app].stop.after: Invalid value: \"-1s\": must not be negative",
	},
	{
		name: "exit codes out of range",
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
behaviors:
  web/app:
    steps:
    - sleep: 5s
    - exit: 256
    stop: {action: exit, exitCode: -1}
`,
		want: `t.yaml:16: Scenario: behaviors[web/app].steps[1].exit: Invalid value: 256: must be between 0 and 255, inclusive
t.yaml:17: Scenario: behaviors[web/app].stop.exitCode: Invalid value: -1: must be between 0 and 255, inclusive`,
	},
	{
		name: "script and steps",
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
behaviors:
  web/app:
    script: "sleep 3600"
    steps:
    - sleep: 1h
`,
		want: "t.yaml:15: Scenario: behaviors[web/app].steps: Forbidden: give either script or steps, not both",
	},
	{
		name: "timing out of range",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
environment:
  timing:
    scheduling: -1s
    relistPhase: 1s
  resyncInterval: 0s
`,
		want: `t.yaml:5: Scenario: environment.timing.scheduling: Invalid value: "-1s": must not be negative
t.yaml:6: Scenario: environment.timing.relistPhase: Invalid value: "1s": must be less than 1s
t.yaml:7: Scenario: environment.resyncInterval: Invalid value: "0s": must be greater than 0`,
	},
	{
		name: "environment node without name",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
environment:
  nodes:
  - images: [nginx]
`,
		want: "t.yaml:5: Scenario: environment.nodes[0].name: Required value",
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

// TestMalformed holds the loader to its word: every problem is refused
// with the file, the line, the object and the field path, in the words of
// the Kubernetes API's validation where there are such words.
func TestMalformed(t *testing.T) {
	require.GreaterOrEqual(t, len(malformedCases), 30)
	for _, tc := range malformedCases {
		t.Run(tc.name, func(t *testing.T) {
			// parse, not Parse: a panic must fail the test, not become an error.
			s, err := parse("t.yaml", []byte(tc.in))
			require.Nil(t, s)
			require.Error(t, err)
			require.Equal(t, tc.want, err.Error())
			var list ErrorList
			require.ErrorAs(t, err, &list)
			for _, e := range list {
				require.Equal(t, "t.yaml", e.File)
			}
		})
	}
}
