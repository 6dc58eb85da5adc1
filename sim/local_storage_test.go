package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/podsim/podsim/behavior"
)

// storagePod is a pod of busybox containers, each doing what its script
// says; the first mounts the pod's volumes at /data.
func storagePod(name string, volumes []corev1.Volume, containers ...corev1.Container) *corev1.Pod {
	for i := range containers {
		containers[i].Image = "busybox:1.36"
		containers[i].Command = []string{"sleep", "3600"}
		for _, v := range volumes {
			containers[i].VolumeMounts = append(containers[i].VolumeMounts, corev1.VolumeMount{Name: v.Name, MountPath: "/" + v.Name})
		}
	}
	p := podWith(name, corev1.RestartPolicyAlways, containers...)
	p.Spec.Volumes = volumes
	return p
}

func limits(kv ...string) corev1.ResourceRequirements {
	r := corev1.ResourceRequirements{Limits: corev1.ResourceList{}}
	for i := 0; i < len(kv); i += 2 {
		r.Limits[corev1.ResourceName(kv[i])] = resource.MustParse(kv[i+1])
	}
	return r
}

func emptyDir(name, medium, sizeLimit string) corev1.Volume {
	ed := &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMedium(medium)}
	if sizeLimit != "" {
		q := resource.MustParse(sizeLimit)
		ed.SizeLimit = &q
	}
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{EmptyDir: ed}}
}

// The local storage limits the eviction manager enforces
// (eviction_manager.go localStorageEviction, with the messages of
// helpers.go): an emptyDir's sizeLimit, a container's
// limits.ephemeral-storage (its writable layer and logs), the pod's total
// (its containers' limits summed, against writable layers, logs and local
// volumes). Use is measured on the manager's 10 s period: what a container
// writes at 5 s is seen by the pass at 10 s, and the pod is evicted then.
func TestLocalStorageLimits(t *testing.T) {
	gi := int64(1) << 30
	for _, tc := range []struct {
		name    string
		pod     *corev1.Pod
		writes  map[string][]behavior.Stmt
		message string // "" for no eviction
	}{{
		name:    "emptyDir over its sizeLimit",
		pod:     storagePod("p", []corev1.Volume{emptyDir("myworkdir", "", "40Gi")}, corev1.Container{Name: "a"}),
		writes:  map[string][]behavior.Stmt{"a": {behavior.UseDisk("/myworkdir/big", 41*gi)}},
		message: `Usage of EmptyDir volume "myworkdir" exceeds the limit "40Gi". `,
	}, {
		name:   "emptyDir at its sizeLimit",
		pod:    storagePod("p", []corev1.Volume{emptyDir("myworkdir", "", "40Gi")}, corev1.Container{Name: "a"}),
		writes: map[string][]behavior.Stmt{"a": {behavior.UseDisk("/myworkdir/big", 40*gi)}},
	}, {
		// The pod's check comes first (podEphemeralStorageLimitEviction before
		// containerEphemeralStorageLimitEviction): one container over its
		// limit is its pod over the same total.
		name:    "the one container over its ephemeral-storage limit",
		pod:     storagePod("p", nil, corev1.Container{Name: "a", Resources: limits("ephemeral-storage", "1Gi")}),
		writes:  map[string][]behavior.Stmt{"a": {behavior.UseDisk("/var/cache", 2*gi)}},
		message: "Pod ephemeral local storage usage exceeds the total limit of containers 1Gi. ",
	}, {
		name: "one of two containers over its ephemeral-storage limit",
		pod: storagePod("p", nil,
			corev1.Container{Name: "a", Resources: limits("ephemeral-storage", "1Gi")},
			corev1.Container{Name: "b", Resources: limits("ephemeral-storage", "1Gi")}),
		writes:  map[string][]behavior.Stmt{"b": {behavior.UseDisk("/var/cache", 1536<<20)}},
		message: `Container b exceeded its local ephemeral storage limit "1Gi". `,
	}, {
		// Each container is within its own 1Gi, the pod over their 2Gi total
		// once the emptyDir (no sizeLimit) counts.
		name: "pod over its containers' total",
		pod: storagePod("p", []corev1.Volume{emptyDir("scratch", "", "")},
			corev1.Container{Name: "a", Resources: limits("ephemeral-storage", "1Gi")},
			corev1.Container{Name: "b", Resources: limits("ephemeral-storage", "1Gi")}),
		writes: map[string][]behavior.Stmt{
			"a": {behavior.UseDisk("/var/cache", 900<<20)},
			"b": {behavior.UseDisk("/var/cache", 900<<20), behavior.UseDisk("/scratch/x", 500<<20)},
		},
		message: "Pod ephemeral local storage usage exceeds the total limit of containers 2Gi. ",
	}, {
		// A memory-backed emptyDir with a sizeLimit is a tmpfs of that size
		// (SizeMemoryBackedVolumes): a write stops at 64Mi, which is not over.
		name:   "memory emptyDir is a tmpfs of its sizeLimit",
		pod:    storagePod("p", []corev1.Volume{emptyDir("shm", "Memory", "64Mi")}, corev1.Container{Name: "a", Resources: limits("memory", "1Gi")}),
		writes: map[string][]behavior.Stmt{"a": {behavior.UseDisk("/shm/x", 100<<20)}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCluster(t, "1.33", 1, "busybox:1.36")
			specs := map[string]behavior.Spec{}
			for name, w := range tc.writes {
				specs[name] = behavior.Spec{Main: behavior.Script(append(append([]behavior.Stmt{behavior.Sleep(5 * time.Second)}, w...), behavior.Forever(behavior.Sleep(time.Hour))))}
			}
			for _, ctr := range tc.pod.Spec.Containers {
				if _, ok := specs[ctr.Name]; !ok {
					specs[ctr.Name] = behavior.Spec{Main: behavior.Script{behavior.Forever(behavior.Sleep(time.Hour))}}
				}
			}
			require.NoError(t, c.CreatePod(tc.pod, specs))
			require.NoError(t, c.RunUntil(9*time.Second))
			require.Equal(t, corev1.PodRunning, c.Pod("default", "p").Status.Phase, "measured on the 10 s period, not at once")
			require.NoError(t, c.RunUntil(time.Minute))
			p := c.Pod("default", "p")
			if tc.message == "" {
				require.Equal(t, corev1.PodRunning, p.Status.Phase)
				for _, r := range c.Trace().Events() {
					require.NotEqual(t, "Evicted", r.Event.Reason, r.Event.Message)
				}
				return
			}
			require.Equal(t, corev1.PodFailed, p.Status.Phase)
			require.Equal(t, "Evicted", p.Status.Reason)
			require.Equal(t, tc.message, p.Status.Message)
			for _, cond := range p.Status.Conditions {
				require.NotEqual(t, corev1.DisruptionTarget, cond.Type, "a local storage eviction sets no DisruptionTarget")
			}
			var at []time.Duration
			for _, r := range c.Trace().Events() {
				if r.Event.Reason == "Evicted" {
					require.Equal(t, tc.message, r.Event.Message)
					at = append(at, r.T)
				}
			}
			require.Equal(t, []time.Duration{10 * time.Second}, at)
		})
	}
}

// A memory-backed emptyDir's bytes are memory charged to the container
// that wrote them: 20Mi of its own and 90Mi written to the tmpfs take a
// container limited to 100Mi over its limit, and the memory cgroup's OOM
// killer ends it (OOMKilled, 137), with no eviction.
func TestMemoryEmptyDirCountsAgainstTheMemoryLimit(t *testing.T) {
	c := newCluster(t, "1.33", 1, "busybox:1.36")
	pod := storagePod("p", []corev1.Volume{emptyDir("cache", "Memory", "")}, corev1.Container{Name: "a", Resources: limits("memory", "100Mi")})
	pod.Spec.RestartPolicy = corev1.RestartPolicyNever
	require.NoError(t, c.CreatePod(pod, map[string]behavior.Spec{"a": {Main: behavior.Script{
		behavior.UseMemory(20 << 20), behavior.Sleep(5 * time.Second), behavior.UseDisk("/cache/x", 90<<20), behavior.Forever(behavior.Sleep(time.Hour)),
	}}}))
	require.NoError(t, c.RunUntil(30*time.Second))
	p := c.Pod("default", "p")
	require.Len(t, p.Status.ContainerStatuses, 1)
	term := p.Status.ContainerStatuses[0].State.Terminated
	require.NotNil(t, term, "the container was OOM-killed")
	require.Equal(t, "OOMKilled", term.Reason)
	require.EqualValues(t, 137, term.ExitCode)
	require.Equal(t, corev1.PodFailed, p.Status.Phase)
	require.Empty(t, p.Status.Reason, "an OOM kill, not an eviction")
}
