package scenarios

// distributionFile is a scenario whose nginx image has the given
// environment entry (indented under the image key).
func distributionFile(entry string) string {
	return `apiVersion: podsim.dev/v1alpha1
kind: Scenario
environment:
  images:
    nginx:
` + entry + `---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: web, image: nginx:1.25.2}]
`
}

// malformedDistributionCases are distributions of environment.images that
// are misspelt, missing a parameter, or make no sense.
var malformedDistributionCases = []malformedCase{
	{
		name: "misspelt distribution",
		in: distributionFile(`      startTime:
        unifrom: {min: 1s, max: 2s}
`),
		want: `t.yaml:7: Scenario: environment.images[nginx].startTime.unifrom: unknown field "unifrom" (did you mean "uniform"?)`,
	},
	{
		name: "no distribution",
		in: distributionFile(`      startTime: {}
`),
		want: `t.yaml:6: Scenario: environment.images[nginx].startTime: Required value: one of constant, uniform, triangle, normal, logNormal, exponential, gamma or weibull`,
	},
	{
		name: "two distributions",
		in: distributionFile(`      probeLatency:
        uniform: {min: 1s, max: 2s}
        exponential: {mean: 1s}
`),
		want: `t.yaml:6: Scenario: environment.images[nginx].probeLatency: Forbidden: give one distribution, not uniform and exponential`,
	},
	{
		name: "a missing parameter",
		in: distributionFile(`      startTime:
        logNormal: {median: 2s}
`),
		want: `t.yaml:7: Scenario: environment.images[nginx].startTime.logNormal.sigma: Required value`,
	},
	{
		name: "parameters that make no sense",
		in: distributionFile(`      startTime:
        uniform:
          min: 5s
          max: 2s
      probeLatency:
        constant: -1s
`),
		want: `t.yaml:9: Scenario: environment.images[nginx].startTime.uniform.max: Invalid value: "2s": must be greater than min (5s)
t.yaml:11: Scenario: environment.images[nginx].probeLatency.constant: Invalid value: "-1s": must not be negative`,
	},
	{
		name: "a duration as a bare number",
		in: distributionFile(`      pullTime:
        exponential: {mean: 2}
`),
		want: `t.yaml:7: Scenario: environment.images[nginx].pullTime.exponential.mean: must be a duration such as "90s" or "13m", not 2`,
	},
	{
		name: "a shape that is not a number",
		in: distributionFile(`      pullTime:
        gamma: {shape: two, mean: 2s}
`),
		want: `t.yaml:7: Scenario: environment.images[nginx].pullTime.gamma.shape: Invalid value: "two": must be a number`,
	},
	{
		name: "pulls and pullTime",
		in: distributionFile(`      pulls: [2s]
      pullTime:
        exponential: {mean: 2s}
`),
		want: `t.yaml:7: Scenario: environment.images[nginx].pullTime: Forbidden: give pulls or pullTime, not both`,
	},
}
