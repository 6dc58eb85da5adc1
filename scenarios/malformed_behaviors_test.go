package scenarios

// malformedBehaviorCases are commands podsim cannot read, and the Scenario
// behaviours that describe what a container's process does: their keys,
// scripts, steps and stop actions.
var malformedBehaviorCases = []malformedCase{
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
        script: "sleep infinity"   # it serves until stopped; "exit 0" if it finishes its work`,
	},
	{
		name: "unknown image without command, under strict: true",
		in: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: example.com/team/app:v3
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
strict: true
`,
		want: `t.yaml:8: Pod "web": spec.containers[0].image: Forbidden: podsim would assume that image example.com/team/app:v3 behaves as a healthy server (listening on no port; podsim does not know the image) (strict: true): give the container a command podsim reads, or describe it in the Scenario's behaviors`,
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
		want: "t.yaml:15: Scenario: behaviors[web/app].steps[0]: Required value: a step needs one of sleep, touch, remove, write, exit, listen, closePort, serveHTTP, serveGRPC, memory, disk, processes, run, forever, until, while",
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
  containers: [{name: main, image: python:3.12, command: [java, -jar, app.jar]}]
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
behaviors:
  team-a/job/main:
    stop: {action: die}
`,
		want: `t.yaml:10: Scenario: behaviors[team-a/job/main]: Required value: script or steps: podsim cannot read the container's command (podsim cannot read the command "java -jar app.jar": unknown command "java")`,
	},
	{
		name: "the suggested behaviour key names the namespace",
		in: `apiVersion: v1
kind: Pod
metadata: {name: job, namespace: team-a}
spec:
  containers: [{name: main, image: python:3.12, command: [java, -jar, app.jar]}]
`,
		want: `t.yaml:5: Pod "job": spec.containers[0].command: podsim cannot read the command "java -jar app.jar": unknown command "java"; describe what the process does in the Scenario document, for example:
    behaviors:
      team-a/job/main:
        script: "sleep infinity"   # it serves until stopped; "exit 0" if it finishes its work`,
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
    script: "ruby -run -e httpd"
`,
		want: "t.yaml:14: Scenario: behaviors[web/app].script: podsim cannot read the command \"ruby -run -e httpd\": unknown command \"ruby\"",
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
}
