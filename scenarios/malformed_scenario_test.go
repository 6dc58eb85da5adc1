package scenarios

// malformedScenarioCases are Scenario documents whose own fields are wrong:
// unknown fields, the duration, kubernetesVersion and epoch, and the
// environment (network, nodes, images, timing).
var malformedScenarioCases = []malformedCase{
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
		name: "invalid kubernetesVersion",
		in: `apiVersion: podsim.dev/v1alpha1
kind: Scenario
kubernetesVersion: "1.99"
`,
		want: "t.yaml:3: Scenario: kubernetesVersion: Unsupported value: \"1.99\": supported values: \"1.25\", \"1.26\", \"1.27\", \"1.28\", \"1.29\", \"1.30\", \"1.31\", \"1.32\", \"1.33\", \"1.34\", \"1.35\", \"1.36\", \"1.37\"",
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
}
