package trace

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

var updateDescribe = flag.Bool("update-describe", false, "rewrite trace/testdata/describe/*.golden from the current output")

// The seed transcripts (seed 000 in docs/seed-timelines.md: `k describe po
// liveness` of 1b, `k describe po initial-delay` of 1a, `k describe po
// readiness-gate` of 1e) come from a web page that lost every newline and
// collapsed every run of spaces to one. testdata/describe/<pod>.seed.txt
// holds each output verbatim as it appears there (without the `$ k describe
// po <pod>` prompt); <pod>.golden is the same text re-cut into kubectl's
// lines, with the spacing kubectl's tabwriter produces. The test checks that
// DescribePod prints the golden byte for byte, that the golden has exactly
// the words of the seed text in the same order, and that it has as many
// lines as the page's line-number gutter counts (the gutter counts the
// prompt too).
//
// Where the seed text is ambiguous:
//   - Line breaks and spacing are gone. Breaks come from kubectl's format
//     strings (one field per line, each container argument on its own line,
//     each toleration and annotation on its own line, one row per event);
//     spacing from text/tabwriter with kubectl's settings. The line counts
//     (58, 65 and 54) match the gutter, which confirms the cuts.
//   - Trailing spaces cannot be seen. kubectl writes the condition and
//     readiness-gate rows as "%v \t%v \n", so those rows end in a space;
//     the golden files keep it.
//   - The seed's kubectl is 1.24 or older: it prints no `Service Account:`
//     line although the pods run as `default` (the readiness-gate YAML in the
//     same file shows serviceAccountName: default), and it prints
//     `ConfigMapOptional: <nil>`. Hence KubectlMinor 24.
//   - The container argument is "touch /tmp/healthy; sleep 30; rm -rf
//     /tmp/healthy; sleep 600" as the describe output shows it; the YAML
//     listing above it reads "sleep 30 ; rm", a space the page inserted
//     before punctuation (as in its "192.168 .185 .12").
//   - The seed prints "Tue, 29 Aug 2022", but 29 Aug 2022 was a Monday, and
//     Go's RFC1123Z derives the weekday from the date. The transcript was
//     most likely recorded on Tuesday 29 Aug 2023 and its year edited: the
//     same page shows nginx answering `Date: Tue, 29 Aug 2023` and runs
//     nginx:1.25.2, released in August 2023. podsim's seed epoch is
//     2022-08-29 (internal/seeds), so the pods here live on 29 Aug 2022, the
//     golden files say "Mon" and the word check reads the seed's "Tue, 29 Aug
//     2022" as "Mon, 29 Aug 2022".
//   - The time of each `describe` is not given. It follows from the ages: the
//     Scheduled event's age added to the pod's Start Time (liveness 08:39:29,
//     initial-delay 08:29:33, readiness-gate 12:54:13, all +0800), and every
//     other timestamp is that time minus its age. kubectl reads a running
//     clock, so "now" is taken half a second into that second: the
//     scheduler's eventTime keeps microseconds (it is a MicroTime) and bound
//     the pod a fraction of a second after the pod's whole-second Start
//     Time, so at a whole second its age would come out 1 s short.
//   - Events with equal ages (liveness: Created, Started and the second
//     Pulled, all 10s) are printed in the API server's list order, by event
//     name, which is the recorder's <pod>.<hex UnixNano of the first
//     occurrence>; the names here are chosen accordingly, and the events are
//     given in reverse to show that the order comes from the sort.
//   - `x21 over 3m6s` of the readiness failures means 21 failures between
//     186 s and 96 s ago; only the count and the two timestamps matter here.
//   - The pod UIDs other than readiness-gate's (shown in its YAML) are
//     invented; so is the older pod's event that must not show.

func cst() *time.Location { return time.FixedZone("CST", 8*3600) }

// at is 29 Aug 2022 hh:mm:ss +0800, the seed day.
func at(hh, mm, ss int) time.Time { return time.Date(2022, 8, 29, hh, mm, ss, 0, cst()) }

func mt(t time.Time) metav1.Time   { return metav1.NewTime(t) }
func mtp(t time.Time) *metav1.Time { m := metav1.NewTime(t); return &m }

// seedPod builds a pod as the seed cluster stored it: admission added the
// priority, the service account and its kube-api-access volume, and the
// not-ready/unreachable tolerations; Calico added its annotations.
func seedPod(name, uid, token, ip string, start time.Time, containerID string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: "default", UID: types.UID(uid),
			CreationTimestamp: mt(start),
			Annotations: map[string]string{
				"cni.projectcalico.org/containerID": containerID,
				"cni.projectcalico.org/podIP":       ip + "/32",
				"cni.projectcalico.org/podIPs":      ip + "/32",
			},
		},
		Spec: corev1.PodSpec{
			Volumes: []corev1.Volume{{Name: token, VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
				DefaultMode: ptr.To[int32](420),
				Sources: []corev1.VolumeProjection{
					{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{ExpirationSeconds: ptr.To[int64](3607), Path: "token"}},
					{ConfigMap: &corev1.ConfigMapProjection{
						LocalObjectReference: corev1.LocalObjectReference{Name: "kube-root-ca.crt"},
						Items:                []corev1.KeyToPath{{Key: "ca.crt", Path: "ca.crt"}},
					}},
					{DownwardAPI: &corev1.DownwardAPIProjection{Items: []corev1.DownwardAPIVolumeFile{{
						Path: "namespace", FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.namespace"},
					}}}},
				},
			}}}},
			RestartPolicy:                 corev1.RestartPolicyAlways,
			TerminationGracePeriodSeconds: ptr.To[int64](30),
			DNSPolicy:                     corev1.DNSClusterFirst,
			ServiceAccountName:            "default",
			DeprecatedServiceAccount:      "default",
			NodeName:                      "mac-k8s",
			SecurityContext:               &corev1.PodSecurityContext{},
			SchedulerName:                 corev1.DefaultSchedulerName,
			Tolerations: []corev1.Toleration{
				{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr.To[int64](300)},
				{Key: "node.kubernetes.io/unreachable", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr.To[int64](300)},
			},
			Priority:           ptr.To[int32](0),
			EnableServiceLinks: ptr.To(true),
			PreemptionPolicy:   ptr.To(corev1.PreemptLowerPriority),
		},
		Status: corev1.PodStatus{
			Phase:     corev1.PodRunning,
			HostIP:    "192.168.191.153",
			PodIP:     ip,
			PodIPs:    []corev1.PodIP{{IP: ip}},
			StartTime: mtp(start),
			QOSClass:  corev1.PodQOSBestEffort,
		},
	}
}

func seedContainer(name, image, token string, args ...string) corev1.Container {
	return corev1.Container{
		Name: name, Image: image, Args: args,
		VolumeMounts: []corev1.VolumeMount{{
			Name: token, ReadOnly: true, MountPath: "/var/run/secrets/kubernetes.io/serviceaccount",
		}},
		TerminationMessagePath:   corev1.TerminationMessagePathDefault,
		TerminationMessagePolicy: corev1.TerminationMessageReadFile,
		ImagePullPolicy:          corev1.PullAlways,
	}
}

func execProbe(delay, period int32, cmd ...string) *corev1.Probe {
	return &corev1.Probe{
		ProbeHandler:        corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: cmd}},
		InitialDelaySeconds: delay, TimeoutSeconds: 1, PeriodSeconds: period, SuccessThreshold: 1, FailureThreshold: 3,
	}
}

func conditions(kv ...string) []corev1.PodCondition {
	var out []corev1.PodCondition
	for i := 0; i < len(kv); i += 2 {
		out = append(out, corev1.PodCondition{Type: corev1.PodConditionType(kv[i]), Status: corev1.ConditionStatus(kv[i+1])})
	}
	return out
}

const (
	centosImageID = "docker-pullable://centos@sha256:a27fd8080b517143cbbbab9dfb7c8571c40d67d534bbdee55bd6c473f432b177"
	nginxImageID  = "docker-pullable://nginx@sha256:104c7c5c54f2685f0f46f3be607ce60da7085da3eaa5ad22d3d9f01594295e9c"
)

// eventName is the recorder's name: <object>.<hex of UnixNano>.
func eventName(pod string, t time.Time) string { return fmt.Sprintf("%s.%x", pod, t.UnixNano()) }

// scheduled is the scheduler's event as core/v1 shows it: eventTime and
// reportingController only (events.k8s.io/v1), no source, no first or last
// timestamp.
func scheduled(pod *corev1.Pod, t time.Time) corev1.Event {
	return corev1.Event{
		ObjectMeta:          metav1.ObjectMeta{Name: eventName(pod.Name, t), Namespace: pod.Namespace},
		InvolvedObject:      corev1.ObjectReference{Kind: "Pod", Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID, APIVersion: "v1"},
		Reason:              "Scheduled",
		Message:             fmt.Sprintf("Successfully assigned %s/%s to %s", pod.Namespace, pod.Name, pod.Spec.NodeName),
		Type:                corev1.EventTypeNormal,
		EventTime:           metav1.NewMicroTime(t),
		Action:              "Binding",
		ReportingController: corev1.DefaultSchedulerName,
		ReportingInstance:   corev1.DefaultSchedulerName + "-mac-k8s",
	}
}

// kubeletEvent is a kubelet event of the seed era (no reportingController),
// created at created (which names it), first and last seen on the given
// whole seconds, as the API server stores them.
func kubeletEvent(pod *corev1.Pod, typ, reason, msg string, created time.Time, count int32, first, last time.Time) corev1.Event {
	return corev1.Event{
		ObjectMeta: metav1.ObjectMeta{Name: eventName(pod.Name, created), Namespace: pod.Namespace},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID,
			APIVersion: "v1", FieldPath: "spec.containers{" + pod.Spec.Containers[0].Name + "}"},
		Reason: reason, Message: msg, Type: typ,
		Source:         corev1.EventSource{Component: "kubelet", Host: "mac-k8s"},
		FirstTimestamp: mt(first), LastTimestamp: mt(last), Count: count,
	}
}

func ms(t time.Time, n int) time.Time { return t.Add(time.Duration(n) * time.Millisecond) }

func reversed(events []corev1.Event) []corev1.Event {
	out := make([]corev1.Event, 0, len(events))
	for i := len(events) - 1; i >= 0; i-- {
		out = append(out, events[i])
	}
	return out
}

func livenessSeed() (*corev1.Pod, []corev1.Event, time.Time) {
	pod := seedPod("liveness", "5b0b5e0c-1d52-4b0b-9c55-2e6e3b1c0a01", "kube-api-access-8ms2w", "192.168.185.11", at(8, 38, 2),
		"d1d42cce5270ebc8c5f92277d69ada4a6d640c43b0da7a1a8380897f290a9a19")
	c := seedContainer("liveness", "centos", "kube-api-access-8ms2w",
		"/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy; sleep 600")
	c.LivenessProbe = execProbe(10, 5, "cat", "/tmp/healthy")
	pod.Spec.Containers = []corev1.Container{c}
	pod.Status.Conditions = conditions("Initialized", "True", "Ready", "True", "ContainersReady", "True", "PodScheduled", "True")
	pod.Status.ContainerStatuses = []corev1.ContainerStatus{{
		Name:  "liveness",
		State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: mt(at(8, 39, 19))}},
		LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			ExitCode: 137, Reason: "Error", StartedAt: mt(at(8, 38, 4)), FinishedAt: mt(at(8, 39, 17)),
			ContainerID: "docker://0d0c1d1c2a4b8f1e1f25f1a7c3f0b4f5d6e7a8b9c0d1e2f3a4b5c6d7e8f9a0b1",
		}},
		Ready: true, RestartCount: 1, Image: "centos:latest", ImageID: centosImageID,
		ContainerID: "docker://c22a7dc92cd082ea82dbf7f3f2604458080ea3a059dcff5307b308a393f3ce26",
		Started:     ptr.To(true),
	}}

	const probeFailed = "Liveness probe failed: cat: /tmp/healthy: No such file or directory\n"
	events := []corev1.Event{
		scheduled(pod, ms(at(8, 38, 2), 100)),
		kubeletEvent(pod, "Normal", "Pulling", `Pulling image "centos"`, ms(at(8, 38, 2), 600), 2, at(8, 38, 2), at(8, 39, 17)),
		kubeletEvent(pod, "Normal", "Pulled", `Successfully pulled image "centos" in 1.649042848s`, ms(at(8, 38, 4), 250), 1, at(8, 38, 4), at(8, 38, 4)),
		kubeletEvent(pod, "Normal", "Created", "Created container liveness", ms(at(8, 38, 4), 300), 2, at(8, 38, 4), at(8, 39, 19)),
		kubeletEvent(pod, "Normal", "Started", "Started container liveness", ms(at(8, 38, 4), 700), 2, at(8, 38, 4), at(8, 39, 19)),
		kubeletEvent(pod, "Warning", "Unhealthy", probeFailed, ms(at(8, 38, 37), 500), 3, at(8, 38, 37), at(8, 38, 47)),
		kubeletEvent(pod, "Normal", "Killing", "Container liveness failed liveness probe, will be restarted", ms(at(8, 38, 47), 510), 1, at(8, 38, 47), at(8, 38, 47)),
		kubeletEvent(pod, "Normal", "Pulled", `Successfully pulled image "centos" in 1.933447781s`, ms(at(8, 39, 19), 100), 1, at(8, 39, 19), at(8, 39, 19)),
	}
	// An event of an older pod of the same name (another UID), and an
	// earlier state of the Unhealthy event (same name, count 2): neither
	// shows.
	older := kubeletEvent(pod, "Normal", "Killing", "Stopping container liveness", ms(at(8, 30, 0), 0), 1, at(8, 30, 0), at(8, 30, 0))
	older.InvolvedObject.UID = "00000000-0000-0000-0000-0000000000aa"
	earlier := events[5]
	earlier.Count, earlier.LastTimestamp = 2, mt(at(8, 38, 42))
	given := append([]corev1.Event{older, earlier}, reversed(events)...)
	return pod, given, ms(at(8, 39, 29), 500)
}

func initialDelaySeed() (*corev1.Pod, []corev1.Event, time.Time) {
	pod := seedPod("initial-delay", "a3e1c7d2-6b0f-4f59-8d5e-7c1f0e2b9d11", "kube-api-access-ppn52", "192.168.185.10", at(8, 25, 42),
		"65b75a148cab67864c4ef204299083bcd73ad3028037142f6be2810e42d3157f")
	c := seedContainer("initial-delay", "centos", "kube-api-access-ppn52",
		"/bin/sh", "-c", "touch /tmp/healthy; sleep 40; rm -rf /tmp/healthy; sleep 600")
	c.ReadinessProbe = execProbe(30, 5, "cat", "/tmp/healthy")
	pod.Spec.Containers = []corev1.Container{c}
	pod.Status.Conditions = conditions("Initialized", "True", "Ready", "False", "ContainersReady", "False", "PodScheduled", "True")
	pod.Status.ContainerStatuses = []corev1.ContainerStatus{{
		Name:  "initial-delay",
		State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: mt(at(8, 25, 44))}},
		Ready: false, RestartCount: 0, Image: "centos:latest", ImageID: centosImageID,
		ContainerID: "docker://c9246e77914de66df7d961a08e9594c60990c8bfc7b91b18a5323fcaedc7a388",
		Started:     ptr.To(true),
	}}
	return pod, initialDelayEvents(pod), ms(at(8, 29, 33), 500)
}

func initialDelayEvents(pod *corev1.Pod) []corev1.Event {
	return reversed([]corev1.Event{
		scheduled(pod, ms(at(8, 25, 42), 200)),
		kubeletEvent(pod, "Normal", "Pulling", `Pulling image "centos"`, ms(at(8, 25, 43), 0), 1, at(8, 25, 43), at(8, 25, 43)),
		kubeletEvent(pod, "Normal", "Pulled", `Successfully pulled image "centos" in 1.331745551s`, ms(at(8, 25, 44), 300), 1, at(8, 25, 44), at(8, 25, 44)),
		kubeletEvent(pod, "Normal", "Created", "Created container initial-delay", ms(at(8, 25, 44), 400), 1, at(8, 25, 44), at(8, 25, 44)),
		kubeletEvent(pod, "Normal", "Started", "Started container initial-delay", ms(at(8, 25, 44), 800), 1, at(8, 25, 44), at(8, 25, 44)),
		kubeletEvent(pod, "Warning", "Unhealthy", "Readiness probe failed: cat: /tmp/healthy: No such file or directory\n",
			ms(at(8, 26, 27), 100), 21, at(8, 26, 27), at(8, 27, 57)),
	})
}

func readinessGateSeed() (*corev1.Pod, []corev1.Event, time.Time) {
	pod := seedPod("readiness-gate", "7cdf038f-80c5-4c15-9507-f20d41b6c0ea", "kube-api-access-wd97x", "192.168.185.12", at(12, 52, 1),
		"f7e1476b14d527d84dd05d97d99e95e4321f4e16c67c491a231a828d39742400")
	pod.Labels = map[string]string{"app": "readiness-gate"}
	pod.Annotations[corev1.LastAppliedConfigAnnotation] = `{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"labels":{"app":"readiness-gate"},"name":"readiness-gate","namespace":"default"},"spec":{"containers":[{"image":"nginx:1.25.2","name":"readiness-gate"}],"readinessGates":[{"conditionType":"www.example.com/feature-1"}]}}` + "\n"
	c := seedContainer("readiness-gate", "nginx:1.25.2", "kube-api-access-wd97x")
	c.ImagePullPolicy = corev1.PullIfNotPresent
	pod.Spec.Containers = []corev1.Container{c}
	pod.Spec.ReadinessGates = []corev1.PodReadinessGate{{ConditionType: "www.example.com/feature-1"}}
	pod.Status.Conditions = conditions("Initialized", "True", "Ready", "False", "ContainersReady", "True", "PodScheduled", "True")
	pod.Status.Conditions[1].Reason = "ReadinessGatesNotReady"
	pod.Status.Conditions[1].Message = `corresponding condition of pod readiness gate "www.example.com/feature-1" does not exist.`
	pod.Status.ContainerStatuses = []corev1.ContainerStatus{{
		Name:  "readiness-gate",
		State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: mt(at(12, 52, 2))}},
		Ready: true, RestartCount: 0, Image: "nginx:1.25.2", ImageID: nginxImageID,
		ContainerID: "docker://d715bf00071ee8dd886f64944c798d3abddb847bebca120565d9e1ac79c458bf",
		Started:     ptr.To(true),
	}}
	events := []corev1.Event{
		scheduled(pod, ms(at(12, 52, 1), 50)),
		kubeletEvent(pod, "Normal", "Pulled", `Container image "nginx:1.25.2" already present on machine`, ms(at(12, 52, 1), 600), 1, at(12, 52, 1), at(12, 52, 1)),
		kubeletEvent(pod, "Normal", "Created", "Created container readiness-gate", ms(at(12, 52, 1), 650), 1, at(12, 52, 1), at(12, 52, 1)),
		kubeletEvent(pod, "Normal", "Started", "Started container readiness-gate", ms(at(12, 52, 2), 100), 1, at(12, 52, 2), at(12, 52, 2)),
	}
	return pod, reversed(events), ms(at(12, 54, 13), 500)
}

func describe(t *testing.T, pod *corev1.Pod, events []corev1.Event, now time.Time, opts DescribeOptions) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, DescribePod(&buf, pod, events, now, opts))
	return buf.String()
}

// golden compares got with testdata/describe/<name>.golden.
func golden(t *testing.T, name, got string) string {
	t.Helper()
	path := filepath.Join("testdata", "describe", name+".golden")
	if *updateDescribe {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(got, "\n")); diff != "" {
		t.Errorf("%s: describe output differs from %s (-want +got):\n%s", name, path, diff)
	}
	return string(want)
}

func TestDescribePodSeeds(t *testing.T) {
	tests := []struct {
		name  string
		build func() (*corev1.Pod, []corev1.Event, time.Time)
		lines int // the gutter's count, less the prompt line
	}{
		{"liveness", livenessSeed, 66 - 1},
		{"initial-delay", initialDelaySeed, 59 - 1},
		{"readiness-gate", readinessGateSeed, 55 - 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pod, events, now := tc.build()
			before := pod.DeepCopy()
			eventsBefore := append([]corev1.Event(nil), events...)
			got := describe(t, pod, events, now, DescribeOptions{Location: cst(), KubectlMinor: 24})
			require.Equal(t, before, pod, "DescribePod must not modify the pod")
			require.Equal(t, eventsBefore, events, "DescribePod must not reorder or modify the events")

			want := golden(t, tc.name, got)
			seed, err := os.ReadFile(filepath.Join("testdata", "describe", tc.name+".seed.txt"))
			require.NoError(t, err)
			seedText := strings.ReplaceAll(string(seed), "Tue, 29 Aug 2022", "Mon, 29 Aug 2022")
			if diff := cmp.Diff(strings.Fields(seedText), strings.Fields(want)); diff != "" {
				t.Errorf("golden %s does not have the seed's words (-seed +golden):\n%s", tc.name, diff)
			}
			require.Equal(t, tc.lines, strings.Count(want, "\n"), "lines")
			require.True(t, strings.HasSuffix(want, "\n"))
		})
	}
}

// TestDescribePodSeedLayout spells out the alignment rules on the liveness
// seed, independently of the golden file.
func TestDescribePodSeedLayout(t *testing.T) {
	pod, events, now := livenessSeed()
	got := describe(t, pod, events, now, DescribeOptions{Location: cst(), KubectlMinor: 24})
	lines := strings.Split(got, "\n")
	for _, want := range []string{
		// The header block: the widest label is "Annotations:" (12), plus padding 2.
		"Name:         liveness",
		"Annotations:  cni.projectcalico.org/containerID: d1d42cce5270ebc8c5f92277d69ada4a6d640c43b0da7a1a8380897f290a9a19",
		"              cni.projectcalico.org/podIP: 192.168.185.11/32",
		// "IPs:" has no tab and ends the block; its IP is a block of its own.
		"IPs:",
		"  IP:  192.168.185.11",
		// "Args:" ends the block of "Container ID:" (17 + 2) ...
		"    Container ID:  docker://c22a7dc92cd082ea82dbf7f3f2604458080ea3a059dcff5307b308a393f3ce26",
		"    Host Port:     <none>",
		"      touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy; sleep 600",
		// ... and "Restart Count:" (18 + 2) sets the next one.
		"    State:          Running",
		"      Started:      Mon, 29 Aug 2022 08:39:19 +0800",
		"      Exit Code:    137",
		"    Restart Count:  1",
		"    Liveness:       exec [cat /tmp/healthy] delay=10s timeout=1s period=5s #success=1 #failure=3",
		"    Environment:    <none>",
		// Condition rows keep kubectl's trailing space.
		"  ContainersReady   True ",
		// The volume's lines, QoS Class, Node-Selectors and Tolerations are one block.
		"    ConfigMapOptional:       <nil>",
		"QoS Class:                   BestEffort",
		"Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
		"                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s",
		// The Events table starts a new block after the flush.
		"  Type     Reason     Age                From               Message",
		"  ----     ------     ----               ----               -------",
		"  Normal   Scheduled  87s                default-scheduler  Successfully assigned default/liveness to mac-k8s",
		"  Warning  Unhealthy  42s (x3 over 52s)  kubelet            Liveness probe failed: cat: /tmp/healthy: No such file or directory",
		"  Normal   Pulled     10s                kubelet            Successfully pulled image \"centos\" in 1.933447781s",
	} {
		require.Contains(t, lines, want)
	}
	require.NotContains(t, got, "Service Account:")
	require.NotContains(t, got, "last-applied")

	// The same pod through a 1.33 kubectl: the service account is shown and
	// the projected ConfigMap's optional flag is a bool.
	got = describe(t, pod, events, now, DescribeOptions{Location: cst()})
	lines = strings.Split(got, "\n")
	require.Contains(t, lines, "Service Account:  default")
	require.Contains(t, lines, "Name:             liveness")
	require.Contains(t, lines, "    Optional:                false")
	require.NotContains(t, got, "ConfigMapOptional")
}

func TestDescribePodUTCByDefault(t *testing.T) {
	pod, events, now := readinessGateSeed()
	got := describe(t, pod, events, now, DescribeOptions{KubectlMinor: 24})
	require.Contains(t, got, "Start Time:   Mon, 29 Aug 2022 04:52:01 +0000\n")
	require.Contains(t, got, "      Started:      Mon, 29 Aug 2022 04:52:02 +0000\n")
}
