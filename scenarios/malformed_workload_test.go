package scenarios

import (
	"testing"

	"github.com/stretchr/testify/require"
)

const webDeploymentDoc = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25.2
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
expect:
- at: 10s
`

// malformedWorkloadCases are workload expectations that cannot be checked.
var malformedWorkloadCases = []malformedCase{
	{
		name: "workload expectation without its status",
		in:   webDeploymentDoc + "  deployment: web\n",
		want: "t.yaml:20: Scenario: expect[0].workload: Required value: a deployment expectation gives the status to check under workload",
	},
	{
		name: "workload status without a workload",
		in:   webDeploymentDoc + "  workload: {replicas: 2}\n",
		want: "t.yaml:21: Scenario: expect[0].workload: Required value: workload needs the name of a deployment, replicaSet, statefulSet, daemonSet or job",
	},
	{
		name: "a job's count on a deployment",
		in:   webDeploymentDoc + "  deployment: web\n  workload: {succeeded: 1}\n",
		want: "t.yaml:22: Scenario: expect[0].workload.succeeded: Forbidden: the status of a Deployment has no succeeded",
	},
	{
		name: "negative count",
		in:   webDeploymentDoc + "  deployment: web\n  workload: {readyReplicas: -1}\n",
		want: "t.yaml:22: Scenario: expect[0].workload.readyReplicas: Invalid value: -1: must be greater than or equal to 0",
	},
	{
		name: "two workloads in one expectation",
		in:   webDeploymentDoc + "  deployment: web\n  job: pi\n  workload: {replicas: 2}\n",
		want: "t.yaml:21: Scenario: expect[0].deployment: Forbidden: an expectation is about one pod, one service, one budget, one node or one workload",
	},
	{
		name: "condition status garbage",
		in:   webDeploymentDoc + "  deployment: web\n  workload:\n    conditions:\n      Available: {status: Maybe}\n",
		want: "t.yaml:24: Scenario: expect[0].workload.conditions[Available].status: Unsupported value: \"Maybe\": supported values: \"True\", \"False\", \"Unknown\"",
	},
}

const applyPrefix = `apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 60s
actions:
- at: 10s
  apply:
`

// malformedApplyCases are apply actions that cannot be done.
var malformedApplyCases = []malformedCase{
	{
		name: "apply of a pod that does not exist",
		in:   applyPrefix + "    {apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {containers: [{name: c, image: nginx}]}}\n",
		want: "t.yaml:7: Pod \"web\": metadata.name: Not found: no pod \"web\" exists at that time (apply updates a pod; create makes one)",
	},
	{
		name: "apply of a Service",
		in:   applyPrefix + "    {apiVersion: v1, kind: Service, metadata: {name: web}}\n",
		want: "t.yaml:7: Scenario: actions[0].apply.apiVersion: Unsupported value: \"v1 Service\": apply takes a v1 Pod, an apps/v1 Deployment, ReplicaSet, StatefulSet or DaemonSet, or a batch/v1 Job",
	},
}

func TestMalformedApplyActions(t *testing.T) {
	for _, tc := range malformedApplyCases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := parse("t.yaml", []byte(tc.in))
			require.Nil(t, s)
			require.Error(t, err)
			require.Equal(t, tc.want, err.Error())
		})
	}
}

func TestMalformedWorkloadExpectations(t *testing.T) {
	for _, tc := range malformedWorkloadCases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := parse("t.yaml", []byte(tc.in))
			require.Nil(t, s)
			require.Error(t, err)
			require.Equal(t, tc.want, err.Error())
		})
	}
}
