package scenarios

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse holds the loader to never panicking and always explaining
// itself: any input either loads, and then builds a cluster without
// panicking, or is refused with errors that name the file and say
// something. It calls parse, not Parse, whose recover would hide a panic.
// Crashers found are kept in testdata/fuzz/FuzzParse, which go test replays.
//
//	go test ./scenarios/ -run '^$' -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		f.Fatalf("no bundled scenario files to seed from: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, tc := range malformedCases {
		f.Add([]byte(tc.in))
	}
	for _, seed := range fuzzSeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "fuzz.yaml"
		s, err := parse(name, data)
		if err != nil {
			if s != nil {
				t.Fatalf("parse returned both a scenario and errors:\n%v", err)
			}
			list, ok := err.(ErrorList)
			if !ok || len(list) == 0 {
				t.Fatalf("parse returned %T %v, want a non-empty ErrorList", err, err)
			}
			for _, e := range list {
				if e == nil || e.File != name || e.Msg == "" {
					t.Fatalf("error without its file or message: %#v", e)
				}
			}
			return
		}
		if s == nil {
			t.Fatal("parse returned neither a scenario nor errors")
		}
		// Building the cluster must not panic; running it is too slow to fuzz.
		if _, err := s.Build(Options{}); err != nil {
			t.Logf("build: %v", err)
		}
	})
}

// fuzzSeeds reach what the bundled files do not: anchors and aliases,
// namespaces, Node manifests, create actions, every kind of step.
var fuzzSeeds = []string{
	`apiVersion: v1
kind: Node
metadata:
  name: n1
status:
  capacity: {cpu: "2", memory: 4Gi, pods: "10"}
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  nodeName: n1
  initContainers:
  - name: proxy
    image: nginx:1.25-alpine
    restartPolicy: Always
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "touch /tmp/ready; sleep 3600"]
    resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 128Mi}}
    startupProbe: {tcpSocket: {port: 8080}, failureThreshold: 30, periodSeconds: 1}
    readinessProbe: {exec: {command: [cat, /tmp/ready]}}
    lifecycle:
      postStart: {exec: {command: [/bin/warm]}}
      preStop: {sleep: {seconds: 5}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop, labels: &labels {app: web}}
spec:
  selector: *labels
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: conf}
data: {a: b}
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 5m
seed: 42
kubernetesVersion: v1.33
epoch: "2024-02-29T12:00:00.5Z"
environment:
  timing: {scheduling: 10ms, watch: 5ms, relistPhase: 500ms}
  resyncInterval: 1m
  network: {plugin: calico, podCIDR: 10.1.0.0/24}
  images:
    busybox:
      pulls: [1s, 2s]
      commands: {/bin/warm: "sleep 2"}
    example/fail:
      pullError: "manifest unknown"
      failPulls: 2
  nodes:
  - name: n1
    images: [nginx:1.25-alpine]
  - name: n2
    capacity: {cpu: "1", memory: 1Gi}
behaviors:
  shop/web/app:
    steps:
    - listen: 8080
    - serveHTTP: {port: 8080, path: /healthz, status: 200}
    - serveGRPC: {port: 9090, status: SERVING}
    - write: {path: /tmp/x, content: hi}
    - memory: 32Mi
    - disk: {path: /data, bytes: 1Gi}
    - run: "echo started"
    - until: {run: "test -f /tmp/go", steps: [{sleep: 1s}]}
    - while: {run: "true", steps: [{sleep: 10s}, {touch: /tmp/alive}]}
    - forever: [{sleep: 1h}]
    stop: {action: exit, after: 2s, exitCode: 0}
    userland: busybox
    files: [/etc/app.conf]
  shop/web/proxy:
    script: "sleep 3600"
    stop: {action: die}
  late/app:
    script: "sleep 1"
actions:
- at: 30s
  container: {namespace: shop, pod: web, container: app, createFile: /tmp/go}
- at: 40s
  container: {namespace: shop, pod: web, container: app, closePort: 8080}
- at: 1m
  create:
    apiVersion: v1
    kind: Pod
    metadata: {name: late}
    spec:
      readinessGates: [{conditionType: example.com/gate}]
      containers: [{name: app, image: example/fail}]
- at: 90s
  setCondition: {pod: late, type: example.com/gate, status: "True", reason: Done}
- at: 2m
  delete: {namespace: shop, name: web, gracePeriodSeconds: 0, force: true}
- at: 3m
  delete: {kind: ConfigMap, name: conf}
expect:
- at: 1m
  namespace: shop
  pod: web
  phase: Running
  ready: 2/2
  restarts: 0
  conditions: {Ready: {status: "True"}}
  containers: {app: {state: running, ready: true, started: true}}
  events: [{type: Normal, reason: Started, count: 1}]
- at: 2m
  service: web
  namespace: shop
  readyEndpoints: 1
- at: 3m
  pod: late
  gone: false
- watch: |
    NAME   READY   STATUS    RESTARTS   AGE
    late   0/1     Pending   0          0s
  exactLines: 0
  tolerance: 1s
  wide: true
`,
	`# anchors, aliases and a merge key
apiVersion: v1
kind: Pod
metadata: {name: twins}
spec:
  containers:
  - name: a
    image: redis
    livenessProbe: &probe
      tcpSocket: {port: 6379}
      periodSeconds: 5
  - name: b
    image: redis:7
    command: [redis-server, --port, "6380"]
    livenessProbe:
      <<: *probe
      tcpSocket: {port: 6380}
    readinessProbe: *probe
`,
}
