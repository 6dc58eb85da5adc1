package explain_test

import (
	"fmt"
	"os"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/explain"
	"github.com/podsim/podsim/scenarios"
)

// What a readiness probe with a 30 s initial delay does, from the rules:
// the container starts about 3 s after creation, the first probe may run
// from 29 s after that (the delay counts whole seconds from a startedAt
// cut to the second) and comes within one period, and the warning says
// the delay is longer than the container needs.
func ExampleExplain() {
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name:    "app",
			Image:   "busybox:1.36",
			Command: []string{"sh", "-c", "touch /tmp/ready; sleep 3600"},
			ReadinessProbe: &corev1.Probe{
				ProbeHandler:        corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/ready"}}},
				InitialDelaySeconds: 30,
				PeriodSeconds:       5,
			},
		}}},
	}
	r, err := explain.Explain(explain.Input{Pod: pod})
	if err != nil {
		panic(err)
	}
	for _, p := range r.Predictions {
		fmt.Printf("%s #%d at %s: %s\n", p.Kind, p.N, p.At, p.Why)
	}
	for _, w := range r.Warnings {
		fmt.Println("warning:", w)
	}
	// Output:
	// Started #1 at 3.2s–4.2s: the first start
	// Ready #1 at 32.2s–39.3s: readiness passes from 0s (exit 0)
	// warning: container app: readinessProbe initialDelaySeconds 30 is longer than needed: the probe passes from 0s after the start, so the container could be ready about 30s sooner. With periodSeconds 5s the first probe after the delay comes within 5s anyway; use a smaller delay (or none, with a startupProbe for slow starts).
}

// podsim explain on a scenario file: its environment (image pulls, the
// Kubernetes version) decides the times.
func ExampleFromScenario() {
	s, err := scenarios.Load("../scenarios/1a-initial-delay.yaml")
	if err != nil {
		panic(err)
	}
	in, err := explain.FromScenario(s, "")
	if err != nil {
		panic(err)
	}
	r, err := explain.Explain(in)
	if err != nil {
		panic(err)
	}
	r.Write(os.Stdout)
	// Output:
	// Pod initial-delay, Kubernetes 1.25 rules
	//
	// Start: the first container starts 2.5s–3.5s after the pod is created (scheduling 20ms, watch 10ms, sandbox 750ms; pull of centos 1.331745551s (imagePullPolicy Always: pulled on every start), create 100ms, start 300ms).
	//
	// Container initial-delay
	//   process: touch /tmp/healthy; sleep 40; rm -f /tmp/healthy; sleep 600 — runs on; it ignores SIGTERM (PID 1 with no handler), so only SIGKILL ends it
	//   readinessProbe: exec cat /tmp/healthy every 5s, timeout 1s, initialDelaySeconds 30, successThreshold 1, failureThreshold 3
	//     it passes from 0s (exit 0), then fails from 40s (exit 1) after the container starts
	//     a dead container is noticed 10s–16s after it dies ((failureThreshold−1) × periodSeconds to failureThreshold × periodSeconds + timeoutSeconds)
	//
	// Timeline (since the pod's creation; a range is what the kubelet's jitter and the probe ticker's phase allow):
	//   2.5s–3.5s    initial-delay Started #1   the first start
	//   31.5s–38.6s  initial-delay Ready #1     readiness passes from 0s (exit 0)
	//   52.5s–58.6s  initial-delay NotReady #1  readiness fails from 40s (exit 1)
	//
	// Warnings:
	//   - container initial-delay: readinessProbe initialDelaySeconds 30 is longer than needed: the probe passes from 0s after the start, so the container could be ready about 30s sooner. With periodSeconds 5s the first probe after the delay comes within 5s anyway; use a smaller delay (or none, with a startupProbe for slow starts).
	//
	// Notes:
	//   - Times count from the pod's creation. Durations of the cluster's steps are podsim's environment (a scenario file's environment, else podsim's defaults); the kubelet's 1 s loops may add up to 1 s to a start.
}
