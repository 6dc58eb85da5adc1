package apiserver

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/yaml"
)

func TestUnsimulatedFields(t *testing.T) {
	tests := []struct {
		name string
		spec string
		want []string // paths
	}{
		{"simulated fields only", `
restartPolicy: Never
terminationGracePeriodSeconds: 5
schedulingGates: [{name: example.com/foo}]
nodeSelector: {disktype: ssd}
tolerations: [{key: k, operator: Exists}]
volumes:
- {name: a, emptyDir: {sizeLimit: 10Mi}}
- {name: b, configMap: {name: cm, items: [{key: k, path: p}]}}
containers:
- name: c
  image: busybox
  command: [sh, -c, "sleep 1"]
  ports: [{containerPort: 80}]
  resources: {limits: {memory: 100Mi}}
  env: [{name: A, value: b}]
  volumeMounts: [{name: a, mountPath: /a}]
  livenessProbe: {httpGet: {path: /, port: 80, httpHeaders: [{name: X, value: "1"}]}}
  lifecycle: {preStop: {exec: {command: ["true"]}}}
  terminationMessagePath: /dev/termination-log
`, nil},
		{"unsimulated fields of the pod and its containers", `
hostNetwork: true
shareProcessNamespace: true
securityContext: {runAsUser: 1000}
topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}]
volumes:
- {name: data, persistentVolumeClaim: {claimName: c}}
- {name: nfs, nfs: {server: s, path: /p}}
initContainers:
- {name: i, image: busybox, workingDir: /w}
containers:
- {name: c, image: busybox, tty: true, stdin: true, securityContext: {privileged: true}}
`, []string{
			"spec.volumes[0].persistentVolumeClaim", "spec.volumes[1].nfs",
			"spec.initContainers[0].workingDir",
			"spec.containers[0].securityContext", "spec.containers[0].stdin", "spec.containers[0].tty",
			"spec.hostNetwork", "spec.shareProcessNamespace", "spec.securityContext",
			"spec.topologySpreadConstraints",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var spec corev1.PodSpec
			require.NoError(t, yaml.UnmarshalStrict([]byte(tc.spec), &spec))
			var got []string
			for _, w := range UnsimulatedFields(&corev1.Pod{Spec: spec}) {
				require.True(t, strings.HasPrefix(w.Message, "not simulated"), w.String())
				got = append(got, w.Field)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
	require.Nil(t, UnsimulatedFields(nil))
	// A quantity is a set leaf like any other.
	p := &corev1.Pod{Spec: corev1.PodSpec{Overhead: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1")}}}
	require.Empty(t, UnsimulatedFields(p), "spec.overhead is simulated by the scheduler")
}

// Every path of the two lists names a field of the API: a typo would make
// a field silently fall to the default warning.
func TestUnsimulatedListsNameRealFields(t *testing.T) {
	podSpec, container := reflect.TypeOf(corev1.PodSpec{}), reflect.TypeOf(corev1.Container{})
	paths := append(SimulatedFieldPaths(), keys(NotSimulatedFieldPaths())...)
	for _, p := range paths {
		typ, rest := container, p
		if after, ok := strings.CutPrefix(p, "spec."); ok {
			typ, rest = podSpec, after
		}
		for _, part := range strings.Split(rest, ".") {
			part = strings.TrimSuffix(part, "[*]")
			f, ok := jsonField(typ, part)
			require.True(t, ok, "%s: no field %q in %s", p, part, typ)
			typ = f
			for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
				typ = typ.Elem()
			}
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func jsonField(t reflect.Type, name string) (reflect.Type, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		n, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if n == name {
			return f.Type, true
		}
		if n == "" && f.Anonymous {
			if ft, ok := jsonField(f.Type, name); ok {
				return ft, true
			}
		}
	}
	return nil, false
}

// docs/fidelity.md lists every path of both lists.
func TestFidelityDocListsEveryPath(t *testing.T) {
	data, err := os.ReadFile("../docs/fidelity.md")
	require.NoError(t, err)
	doc := string(data)
	for _, p := range append(SimulatedFieldPaths(), keys(NotSimulatedFieldPaths())...) {
		require.True(t, strings.Contains(doc, "`"+p+"`"), "docs/fidelity.md does not list %s", p)
	}
}
