package main

// The workload examples of the documentation, run by
// TestKubernetesDocsExamples with the pod examples.
func init() {
	// concepts/workloads/controllers/deployment: "kubectl get deployments
	// … nginx-deployment 3/3 3 3" — three replicas ready, up to date and
	// available; the Deployment's conditions Available (MinimumReplicasAvailable)
	// and Progressing (NewReplicaSetAvailable).
	docsExamples["nginx-deployment"] = docsExample{files: []string{"nginx-deployment.yaml"}, scenario: `
duration: 1m
expect:
- at: 1m
  deployment: nginx-deployment
  workload:
    replicas: 3
    updatedReplicas: 3
    readyReplicas: 3
    availableReplicas: 3
    conditions:
      Available: {status: "True", reason: MinimumReplicasAvailable}
      Progressing: {status: "True", reason: NewReplicaSetAvailable}
`}
	// concepts/workloads/controllers/job: the pi Job "computes π to 2000
	// places and prints it out. It takes around 10s to complete." —
	// "kubectl get jobs … pi 1/1", Complete.
	docsExamples["job"] = docsExample{files: []string{"job.yaml"}, scenario: `
duration: 2m
expect:
- at: 2m
  job: pi
  workload:
    completions: 1/1
    succeeded: 1
    failed: 0
    active: 0
    conditions:
      Complete: {status: "True"}
`}
}
